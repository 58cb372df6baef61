/**
 * Which dates are market days of a market, in words a vendor reads: a stored SCHEDULED market day,
 * or a weekly opening in season (on its weeks of the month) on a date without a stored day. A
 * CANCELLED day is not one. The test is the planner's `scheduleOn` (one rule for prep lists and
 * check-ins).
 * Pure: "today" comes in as an argument.
 */
import { formatEveryOtherWeek, formatWeeksOfMonth } from '@marketprep/contracts';
import { addDays } from '@marketprep/forecast';
import { shortDate } from './line-explanation';
import { weekdayOf } from './local-time';
import { scheduleOn } from './prep-list-inputs';

/**
 * A weekly opening: weekday 0 = Monday, local 'HH:MM', season bounds 'MM-DD' (may wrap), and the
 * weeks it runs on: of the month (1-5, -1 = last; empty = every week), or every other week from
 * a date.
 */
export interface WeeklyOpening {
  weekday: number;
  opensAt: string;
  closesAt: string;
  seasonFrom: string | null;
  seasonTo: string | null;
  weeksOfMonth?: readonly number[];
  everyOtherWeekFrom?: string | null;
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

const SHORT_WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** How far either side of a date {@link findNearestMarketDates} looks (a year and a day). */
export const NEAREST_MARKET_DAY_SEARCH_DAYS = 366;

/**
 * `'2026-12-12'` → `'Sat, Dec 12'`: a market's calendar date as the web shows it; with
 * `currentYear` (the year it is now at the market) a date of another year says so:
 * `'Sun, Apr 4, 2027'`.
 */
export function formatMarketDate(date: string, currentYear?: number): string {
  const text = `${SHORT_WEEKDAYS[weekdayOf(date)] ?? ''}, ${shortDate(date)}`;
  const year = Number(date.slice(0, 4));
  return currentYear === undefined || currentYear === year ? text : `${text}, ${year}`;
}

/** The market days just before and just after a date (null when there is none in the search). */
export interface NearestMarketDates {
  previous: string | null;
  next: string | null;
}

/**
 * The market days nearest to `date` on either side (the date itself excluded), within
 * {@link NEAREST_MARKET_DAY_SEARCH_DAYS} days: a stored day decides its date (SCHEDULED yes,
 * CANCELLED no), other dates follow the weekly schedule with its seasons. `storedDays` are the
 * market's stored days of that window.
 */
export function findNearestMarketDates(options: {
  date: string;
  schedule: WeeklyOpening[];
  storedDays: readonly StoredDay[];
}): NearestMarketDates {
  const stored = new Map(options.storedDays.map((d) => [d.date, d.status]));
  const isMarketDay = (date: string) => {
    const status = stored.get(date);
    return status === undefined ? scheduleOn(options, date) !== undefined : status === 'SCHEDULED';
  };
  const find = (step: 1 | -1): string | null => {
    for (let days = 1; days <= NEAREST_MARKET_DAY_SEARCH_DAYS; days += 1) {
      const date = addDays(options.date, step * days);
      if (isMarketDay(date)) return date;
    }
    return null;
  };
  return { previous: find(-1), next: find(1) };
}

/** `'; its next market day is Sat, Dec 12 and the one before is Sat, Dec 5.'`, or `'.'`. */
function nearestInWords(
  nearest: NearestMarketDates | undefined,
  currentYear: number | undefined,
): string {
  const next = nearest?.next ? formatMarketDate(nearest.next, currentYear) : null;
  const previous = nearest?.previous ? formatMarketDate(nearest.previous, currentYear) : null;
  if (next && previous)
    return `; its next market day is ${next} and the one before is ${previous}.`;
  if (next) return `; its next market day is ${next}.`;
  if (previous) return `; its last market day before that is ${previous}.`;
  return '.';
}

/**
 * Why `date` (which has no stored market day) is not a market day of `market`, in a sentence a
 * vendor reads: closed that weekday, or not on that date (naming when that weekday's market runs:
 * its seasons, and its weeks of the month for one that does not run every week), then
 * the nearest market days when they are given ("Riverside Market is closed on Tuesdays; its next
 * market day is Sat, Dec 12."). Dates of another year than `currentYear` (the year it is now at
 * the market) carry their year. Null when it is a market day.
 */
export function notAMarketDayReason(
  market: { name: string; schedule: WeeklyOpening[] },
  date: string,
  nearest?: NearestMarketDates,
  { currentYear }: { currentYear?: number } = {},
): string | null {
  if (scheduleOn(market, date)) return null;
  const weekday = WEEKDAYS[weekdayOf(date)] ?? 'that day';
  const sameWeekday = market.schedule.filter((s) => s.weekday === weekdayOf(date));
  if (sameWeekday.length === 0) {
    return `${market.name} is closed on ${weekday}s${nearestInWords(nearest, currentYear)}`;
  }
  const runs = sameWeekday.map((s) => {
    const season =
      s.seasonFrom && s.seasonTo
        ? `${formatMonthDay(s.seasonFrom)}–${formatMonthDay(s.seasonTo)}`
        : null;
    const weeks = formatWeeksOfMonth(s.weeksOfMonth);
    const everyOther = formatEveryOtherWeek(s.everyOtherWeekFrom);
    if (everyOther !== null) return season === null ? everyOther : `${everyOther}, ${season}`;
    if (weeks === null) return season ?? 'all year';
    const onWeeks = `on the ${weeks} ${weekday}${s.weeksOfMonth?.length === 1 ? '' : 's'} of the month`;
    return season === null ? onWeeks : `${onWeeks} ${season}`;
  });
  return `${market.name} is closed on ${formatMarketDate(date, currentYear)}: its ${weekday} market runs ${runs.join(' and ')}${nearestInWords(nearest, currentYear)}`;
}
