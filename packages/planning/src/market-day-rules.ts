/**
 * Which dates are market days of a market, in words a vendor reads: a stored SCHEDULED market day,
 * or a weekly opening in season on a date without a stored day. A CANCELLED day is not one. The
 * weekday-and-season test is the planner's `scheduleOn` (one rule for prep lists and check-ins).
 * Pure: "today" comes in as an argument.
 */
import { addDays } from '@marketprep/forecast';
import { shortDate } from './line-explanation';
import { scheduleOn, weekdayOf } from './prep-list-inputs';

/** A weekly opening: weekday 0 = Monday, local 'HH:MM', season bounds 'MM-DD' (may wrap). */
export interface WeeklyOpening {
  weekday: number;
  opensAt: string;
  closesAt: string;
  seasonFrom: string | null;
  seasonTo: string | null;
}

/** How far back the latest market day to check in is looked for (today included). */
export const LAST_MARKET_DAY_LOOKBACK_DAYS = 14;

const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;

/** `'04-01'` → `'Apr 1'`. */
export function formatMonthDay(monthDay: string): string {
  return shortDate(`2000-${monthDay}`);
}

/** A stored market day's date and status. */
export interface StoredDay {
  date: string;
  status: 'SCHEDULED' | 'CANCELLED';
}

/**
 * The latest market day on or before `today` within the last {@link LAST_MARKET_DAY_LOOKBACK_DAYS}
 * days: the check-in a vendor is most likely to make. `storedDays` are the market's stored days of
 * that window; a stored day decides its date (SCHEDULED yes, CANCELLED no), other dates follow the
 * weekly schedule with its seasons. Null when there was none.
 */
export function findLastMarketDate(options: {
  today: string;
  schedule: WeeklyOpening[];
  storedDays: readonly StoredDay[];
}): string | null {
  const stored = new Map(options.storedDays.map((d) => [d.date, d.status]));
  for (let back = 0; back < LAST_MARKET_DAY_LOOKBACK_DAYS; back += 1) {
    const date = addDays(options.today, -back);
    const status = stored.get(date);
    if (status === 'SCHEDULED') return date;
    if (status === undefined && scheduleOn(options, date)) return date;
  }
  return null;
}

/**
 * Why `date` (which has no stored market day) is not a market day of `market`: no opening on that
 * weekday, or out of season (naming the seasons of that weekday). Null when it is a market day.
 */
export function notAMarketDayReason(
  market: { name: string; schedule: WeeklyOpening[] },
  date: string,
): string | null {
  if (scheduleOn(market, date)) return null;
  const weekday = WEEKDAYS[weekdayOf(date)] ?? 'that day';
  const sameWeekday = market.schedule.filter((s) => s.weekday === weekdayOf(date));
  if (sameWeekday.length === 0) {
    return `${date} is not a market day of ${market.name}: it has no ${weekday} market and no market day on that date.`;
  }
  const seasons = sameWeekday
    .map((s) =>
      s.seasonFrom && s.seasonTo
        ? `${formatMonthDay(s.seasonFrom)}–${formatMonthDay(s.seasonTo)}`
        : null,
    )
    .filter((s): s is string => s !== null);
  return `${date} is not a market day of ${market.name}: out of season (its ${weekday} market runs ${seasons.join(' and ')}).`;
}
