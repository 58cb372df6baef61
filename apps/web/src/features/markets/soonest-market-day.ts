import type { Market } from '@marketprep/contracts';

import { lacksLocation } from './market-location';
import { isValidTimeZone, toLocalDate } from '../../lib/format';
import { addDays, listMarketDays } from '../prep-list/market-day-options';

/**
 * The soonest upcoming market day of the markets that have a location (their next market day
 * comes from their schedule, in their own time zone); a tie goes to the first by name. A market
 * out of season (no market day in the API's window: a spring-to-autumn market in December) counts
 * with its first scheduled day within the year, `soon: false`. `currentYear` is the market's, for
 * the date's words. Null when none has one.
 */
export function soonestMarketDay(
  markets: readonly Market[],
  now: Date,
): { market: Market; date: string; soon: boolean; currentYear: number } | null {
  let best: { market: Market; date: string; soon: boolean; currentYear: number } | null = null;
  for (const market of markets) {
    if (lacksLocation(market) || !isValidTimeZone(market.timezone)) continue;
    const today = toLocalDate(now, market.timezone);
    const date =
      market.nextMarketDate ??
      listMarketDays({
        schedule: market.schedule,
        storedDays: [],
        from: today,
        to: addDays(today, 400),
      })[0] ??
      null;
    if (date === null) continue;
    if (
      best === null ||
      date < best.date ||
      (date === best.date && market.name.localeCompare(best.market.name) < 0)
    ) {
      best = {
        market,
        date,
        soon: market.nextMarketDate !== null,
        currentYear: Number(today.slice(0, 4)),
      };
    }
  }
  return best;
}
