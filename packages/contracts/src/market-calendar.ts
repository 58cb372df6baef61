/**
 * Whether a market's weekly opening runs on a date, written once for the API, the planner and the
 * web's pickers: its weekday, its season ('MM-DD' bounds, inclusive, wrapping over New Year when
 * the start is after the end) and, for a market that does not run every week, which of the
 * month's weekdays it runs on ("1st and 3rd Saturdays") or that it runs every other week (from a
 * date it runs on). Pure: dates are `YYYY-MM-DD` strings.
 */
import { SHORT_MONTHS } from './wording';

/** The fields of a weekly opening that decide its dates (weekday 0 = Monday). */
export interface OpeningDates {
  weekday: number;
  seasonFrom?: string | null;
  seasonTo?: string | null;
  /** Which of the month's weekdays: 1-5 = first to fifth, -1 = last; empty or absent = every week. */
  weeksOfMonth?: readonly number[] | null;
  /** Every other week: a date it runs on (`YYYY-MM-DD`), and every two weeks from it; else null. */
  everyOtherWeekFrom?: string | null;
}

/** The week-of-month values a schedule may name: first to fifth, and -1 for the last. */
export const WEEK_OF_MONTH_VALUES = [1, 2, 3, 4, 5, -1] as const;

/** Weekday of a calendar date, 0 = Monday ... 6 = Sunday. */
function weekdayOfDate(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

function daysInMonth(date: string): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether `date` falls in the season `from`-`to` ('MM-DD', inclusive); all year when unset. */
export function inSeason(
  date: string,
  from: string | null | undefined,
  to: string | null | undefined,
): boolean {
  if (!from || !to) return true;
  const monthDay = date.slice(5);
  return from <= to ? monthDay >= from && monthDay <= to : monthDay >= from || monthDay <= to;
}

/**
 * Whether `date` is one of the named weekdays of its month: the 1st Saturday is day 1-7, the 3rd
 * day 15-21, the last one within 7 days of the month's end. Every week when `weeks` is empty.
 */
export function inWeeksOfMonth(date: string, weeks: readonly number[] | null | undefined): boolean {
  if (!weeks || weeks.length === 0) return true;
  const day = Number(date.slice(8, 10));
  const nth = Math.ceil(day / 7);
  const last = day + 7 > daysInMonth(date);
  return weeks.some((week) => (week === -1 ? last : week === nth));
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

/**
 * Whether `date` is in the same two-week beat as `from` (an even number of weeks before or after
 * it); every week when `from` is null.
 */
export function inEveryOtherWeek(date: string, from: string | null | undefined): boolean {
  if (!from) return true;
  const weeks = Math.floor((dayNumber(date) - dayNumber(from)) / 7);
  return weeks % 2 === 0;
}

/**
 * Whether the opening runs on `date`: its weekday, in its season, on its weeks of the month or in
 * its every-other-week beat.
 */
export function opensOn(opening: OpeningDates, date: string): boolean {
  return (
    opening.weekday === weekdayOfDate(date) &&
    inSeason(date, opening.seasonFrom, opening.seasonTo) &&
    inWeeksOfMonth(date, opening.weeksOfMonth) &&
    inEveryOtherWeek(date, opening.everyOtherWeekFrom)
  );
}

const ORDINALS: Record<number, string> = { 1: '1st', 2: '2nd', 3: '3rd', 4: '4th', 5: '5th' };

/**
 * The weeks of the month in words, in month order: `[1, 3]` → `'1st and 3rd'`, `[2, -1]` →
 * `'2nd and last'`, `[1, 2, 4]` → `'1st, 2nd and 4th'`; null for every week.
 */
export function formatWeeksOfMonth(weeks: readonly number[] | null | undefined): string | null {
  if (!weeks || weeks.length === 0) return null;
  const words = [...new Set(weeks)]
    .sort((a, b) => (a === -1 ? 6 : a) - (b === -1 ? 6 : b))
    .map((week) => (week === -1 ? 'last' : (ORDINALS[week] ?? String(week))));
  return words.length === 1
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

/** `'2026-12-12'` → `'every other week from Dec 12'`; null for every week. */
export function formatEveryOtherWeek(from: string | null | undefined): string | null {
  if (!from) return null;
  return `every other week from ${SHORT_MONTHS[Number(from.slice(5, 7)) - 1] ?? ''} ${Number(from.slice(8, 10))}`;
}
