/**
 * A market's weekly schedule guessed from the dates it had sales on, for the owner to confirm
 * after an import: the weekdays that carry its market days over the last year (a stray Tuesday
 * sale is left out), and its season months when a full year of sales shows a long break.
 * Pure: dates are `YYYY-MM-DD` strings, no clock and no time zone involved.
 */
import { fromDayNumber, isCalendarDate, toDayNumber } from '@marketprep/forecast';
import { weekdayOf } from './local-time';

/** How far back from a market's last sale day its weekdays are counted (the recent period). */
export const SCHEDULE_INFERENCE_WINDOW_DAYS = 365;
/** A weekday needs at least this share of the busiest weekday's sale days to be a market day. */
export const SCHEDULE_WEEKDAY_MIN_SHARE = 0.25;
/** ...and at least this many sale days (unless the file has fewer days than that in all). */
export const SCHEDULE_WEEKDAY_MIN_DAYS = 2;
/** A break of more than this many days between market days, seen over a full year, is off-season. */
export const SCHEDULE_SEASON_MIN_BREAK_DAYS = 42;

/** What the sales say about a market's weekly schedule. */
export interface InferredSchedule {
  /** Market weekdays, 0 = Monday, ascending. */
  weekdays: number[];
  /** First day of the season `MM-DD` (a month start), or null for all year. */
  seasonFrom: string | null;
  /** Last day of the season `MM-DD` (a month end), or null for all year. */
  seasonTo: string | null;
  /** Distinct sale days in the recent period. */
  saleDays: number;
  /** Of those, the days on the inferred weekdays. */
  matchedDays: number;
  /** The other sale days of the recent period (left out as one-offs), ascending. */
  strayDates: string[];
}

/** Days of each month in a leap year: a season may end on Feb 29. */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Position of `MM-DD` in a leap year, 0 = Jan 1 ... 365 = Dec 31. */
function yearPosition(date: string): number {
  return toDayNumber(`2000-${date.slice(5)}`) - toDayNumber('2000-01-01');
}

function monthOfPosition(position: number): number {
  return Number(fromDayNumber(toDayNumber('2000-01-01') + position).slice(5, 7));
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The season months of market days seen over a full year: the months between the longest break
 * (more than {@link SCHEDULE_SEASON_MIN_BREAK_DAYS} days without a market day, possibly over New
 * Year) and the next one. Null (all year) when there is no such break.
 */
function inferSeason(dates: readonly string[]): { from: string; to: string } | null {
  const positions = [...new Set(dates.map(yearPosition))].sort((a, b) => a - b);
  if (positions.length < 2) return null;
  let breakAfter = -1;
  let longest = 0;
  for (let i = 0; i < positions.length; i += 1) {
    const here = positions[i] ?? 0;
    const next = i + 1 < positions.length ? (positions[i + 1] ?? 0) : (positions[0] ?? 0) + 366;
    if (next - here > longest) {
      longest = next - here;
      breakAfter = i;
    }
  }
  if (longest <= SCHEDULE_SEASON_MIN_BREAK_DAYS) return null;
  const first = positions[(breakAfter + 1) % positions.length] ?? 0;
  const last = positions[breakAfter] ?? 0;
  const fromMonth = monthOfPosition(first);
  const toMonth = monthOfPosition(last);
  // A season that covers all twelve months is no season.
  if ((toMonth % 12) + 1 === fromMonth) return null;
  return {
    from: `${pad(fromMonth)}-01`,
    to: `${pad(toMonth)}-${pad(MONTH_DAYS[toMonth - 1] ?? 31)}`,
  };
}

/**
 * Infers a market's weekly schedule from the dates it had sales on (any order, repeats and
 * invalid strings ignored). Counts the sale days of each weekday in the
 * {@link SCHEDULE_INFERENCE_WINDOW_DAYS} days up to the last one; a weekday is a market day when it
 * has at least {@link SCHEDULE_WEEKDAY_MIN_SHARE} of the busiest weekday's days and at least
 * {@link SCHEDULE_WEEKDAY_MIN_DAYS} days (so one stray sale is not a market). The season is
 * inferred only when the sales span a full year; otherwise the schedule is all year. Null when
 * there is no date.
 */
export function inferWeeklySchedule(options: {
  saleDates: Iterable<string>;
}): InferredSchedule | null {
  const days = [...new Set(options.saleDates)].filter(isCalendarDate).sort();
  const lastDate = days.at(-1);
  const firstDate = days[0];
  if (lastDate === undefined || firstDate === undefined) return null;
  const last = toDayNumber(lastDate);
  const recent = days.filter((d) => toDayNumber(d) > last - SCHEDULE_INFERENCE_WINDOW_DAYS);

  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (const date of recent) counts[weekdayOf(date)] = (counts[weekdayOf(date)] ?? 0) + 1;
  const busiest = Math.max(...counts);
  const threshold = Math.max(
    Math.min(SCHEDULE_WEEKDAY_MIN_DAYS, busiest),
    Math.ceil(busiest * SCHEDULE_WEEKDAY_MIN_SHARE),
  );
  const weekdays = counts.flatMap((count, weekday) => (count >= threshold ? [weekday] : []));
  const onWeekdays = recent.filter((d) => weekdays.includes(weekdayOf(d)));

  const fullYear = last - toDayNumber(firstDate) >= SCHEDULE_INFERENCE_WINDOW_DAYS - 1;
  const season = fullYear ? inferSeason(onWeekdays) : null;
  return {
    weekdays,
    seasonFrom: season?.from ?? null,
    seasonTo: season?.to ?? null,
    saleDays: recent.length,
    matchedDays: onWeekdays.length,
    strayDates: recent.filter((d) => !weekdays.includes(weekdayOf(d))),
  };
}
