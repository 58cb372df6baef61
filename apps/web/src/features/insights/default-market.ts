/** Which market the one-market charts (forecast vs actual) open on. */
import { inSeason, type Market } from '@marketprep/contracts';

import { toLocalDate } from '../../lib/format';

type MarketChoice = Pick<
  Market,
  'id' | 'active' | 'timezone' | 'schedule' | 'nextMarketDate' | 'lastMarketDate'
>;

/** Whether some opening of the market's schedule is in season on its own local date `today`. */
function inSeasonOn(market: MarketChoice, today: string): boolean {
  return market.schedule.some((entry) => inSeason(today, entry.seasonFrom, entry.seasonTo));
}

/**
 * The market to show first: of the active markets in season today (each in its own time zone),
 * the one with the nearest next market day; without one, the market with the most recent market
 * day; else the first active market. A market out of season is never picked over one in season.
 */
export function chooseDefaultMarket<M extends MarketChoice>(
  markets: readonly M[],
  now: Date,
): M | undefined {
  const active = markets.filter((market) => market.active);
  const candidates = active.length > 0 ? active : markets;
  const upcoming = candidates
    .filter(
      (market) =>
        market.nextMarketDate !== null &&
        inSeasonOn(market, toLocalDate(now, market.timezone)) &&
        inSeasonOn(market, market.nextMarketDate),
    )
    .sort((a, b) => (a.nextMarketDate ?? '').localeCompare(b.nextMarketDate ?? ''));
  if (upcoming[0]) return upcoming[0];
  const recent = candidates
    .filter((market) => typeof market.lastMarketDate === 'string')
    .sort((a, b) => (b.lastMarketDate ?? '').localeCompare(a.lastMarketDate ?? ''));
  return recent[0] ?? candidates[0];
}
