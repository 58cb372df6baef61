import type { Market } from '@marketprep/contracts';

import {
  describeDaysUntil,
  formatTimeZoneName,
  isValidTimeZone,
  toLocalDate,
} from '../../lib/format';
import { findSeasonStart } from './market-schedule';

/** What a market card says about time: how far the next market day is, and the zone's name. */
export interface MarketTimes {
  /** `"Today"`, `"Tomorrow"`, `"In 3 days"`, or null (further, none, or an unknown zone). */
  daysUntil: string | null;
  /** `"Central Time"`, or the IANA id when the runtime has no better name. */
  zoneName: string;
  /**
   * When the market is out of season on its today: the day its next season starts
   * (`YYYY-MM-DD`); else null (in season, no schedule). Missing in answers made before seasons.
   */
  seasonStartsOn?: string | null;
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
    seasonStartsOn: findSeasonStart(market.schedule, today),
  };
}
