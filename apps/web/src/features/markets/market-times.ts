import type { Market } from '@marketprep/contracts';

import {
  describeDaysUntil,
  formatTimeZoneName,
  isValidTimeZone,
  toLocalDate,
} from '../../lib/format';
import { addDays, listMarketDays } from '../prep-list/market-day-options';
import { findSeasonStart } from './market-schedule';

/** What a market card says about time: how far the next market day is, and the zone's name. */
export interface MarketTimes {
  /** `"Today"`, `"Tomorrow"`, `"In 3 days"`, or null (further, none, or an unknown zone). */
  daysUntil: string | null;
  /** `"Central Time"`, or the IANA id when the runtime has no better name. */
  zoneName: string;
  /**
   * When the market is out of season on its today: its first market day of the next season
   * (`YYYY-MM-DD`: the season's first scheduled weekday, Sun, Apr 4 for a season from Apr 1);
   * else null (in season, no schedule).
   */
  seasonStartsOn: string | null;
  /** The market's year today, for dates' words (a year is said only when it is another). */
  currentYear: number;
}

/** The time words of `market` as of `now` (both need the zone's rules, so Intl). */
export function describeMarketTimes(market: Market, now: Date): MarketTimes {
  const knownZone = isValidTimeZone(market.timezone);
  const today = toLocalDate(now, knownZone ? market.timezone : 'UTC');
  return {
    daysUntil:
      market.nextMarketDate !== null && knownZone
        ? describeDaysUntil(market.nextMarketDate, now, market.timezone)
        : null,
    zoneName: formatTimeZoneName(market.timezone, now),
    seasonStartsOn: firstDayOfSeason(market.schedule, today),
    currentYear: Number(today.slice(0, 4)),
  };
}

/** The first scheduled market day of the season that starts next (a vendor plans for that day). */
function firstDayOfSeason(schedule: Market['schedule'], today: string): string | null {
  const start = findSeasonStart(schedule, today);
  if (start === null) return null;
  // A month holds every weekday, and every week of a month for "1st and 3rd Saturdays".
  return (
    listMarketDays({ schedule, storedDays: [], from: start, to: addDays(start, 62) })[0] ?? start
  );
}
