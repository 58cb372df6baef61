/**
 * A market's weekly schedule with its seasons, in a vendor's words: the summary on the market card
 * ("Saturdays 7:30 AM–12:30 PM (May–Oct), 9:00 AM–1:00 PM (1st and 3rd of the month, Nov–Apr)"), season
 * bounds as "May 1", and when an out-of-season market's season starts. Pure: dates come in.
 * Season bounds are `MM-DD`, inclusive; a season whose start is after its end wraps over New Year.
 * Whether a date is in season is the contracts' `inSeason` (one rule with the API).
 */
import {
  formatEveryOtherWeek,
  formatWeeksOfMonth,
  inSeason,
  type Market,
} from '@marketprep/contracts';

import { formatClockRange, formatWeekday, SHORT_MONTHS } from '../../lib/format';

/** One weekly opening (0 = Monday) with an optional season, as the contracts shape it. */
export type ScheduleEntry = Market['schedule'][number];

const MONTHS = SHORT_MONTHS;

/** Days per month in a leap year (a season may end on Feb 29). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function monthDayParts(monthDay: string): { month: number; day: number } {
  const [month = 1, day = 1] = monthDay.split('-').map(Number);
  return { month, day };
}

/** `'05-01'` → `'May 1'`. */
export function formatMonthDay(monthDay: string): string {
  const { month, day } = monthDayParts(monthDay);
  return `${MONTHS[month - 1] ?? monthDay} ${day}`;
}

function isMonthEnd(monthDay: string): boolean {
  const { month, day } = monthDayParts(monthDay);
  return day === MONTH_DAYS[month - 1] || (month === 2 && day === 28);
}

/**
 * A season in words: whole months as `"May–Oct"` (or `"Jul"`), other bounds as `"Apr 15–Oct 20"`;
 * null for all year.
 */
export function formatSeason(
  seasonFrom: string | null | undefined,
  seasonTo: string | null | undefined,
): string | null {
  if (!seasonFrom || !seasonTo) return null;
  const from = monthDayParts(seasonFrom);
  const to = monthDayParts(seasonTo);
  if (from.day === 1 && isMonthEnd(seasonTo)) {
    const first = MONTHS[from.month - 1] ?? seasonFrom;
    const last = MONTHS[to.month - 1] ?? seasonTo;
    return first === last ? first : `${first}–${last}`;
  }
  return `${formatMonthDay(seasonFrom)}–${formatMonthDay(seasonTo)}`;
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

/**
 * The weekly schedule in words, seasons included: each weekday's hours, followed by their weeks of
 * the month and season when they have them (`"Saturdays 7:30 AM–12:30 PM (May–Oct), 9:00 AM–1:00 PM (1st and
 * 3rd of the month, Nov–Apr)"`; the same hours in several seasons are said once: `"Saturdays
 * 8:00 AM–1:00 PM (May–Oct; 1st and 3rd of the month, Nov–Apr)"`); weekdays with the same hours and
 * seasons are named together (`"Wednesdays and Saturdays 8:00 AM–1:00 PM"`), groups joined by `"; "` in
 * weekday order.
 */
export function formatScheduleSummary(entries: readonly ScheduleEntry[]): string {
  if (entries.length === 0) return 'No regular schedule';
  const byWeekday = new Map<number, ScheduleEntry[]>();
  for (const entry of entries) {
    byWeekday.set(entry.weekday, [...(byWeekday.get(entry.weekday) ?? []), entry]);
  }
  const groups = new Map<string, number[]>();
  for (const weekday of [...byWeekday.keys()].sort((a, b) => a - b)) {
    const openings: { time: string; when: string[] }[] = [];
    for (const entry of (byWeekday.get(weekday) ?? []).sort(
      (a, b) =>
        (a.seasonFrom ?? '').localeCompare(b.seasonFrom ?? '') ||
        a.opensAt.localeCompare(b.opensAt),
    )) {
      const time = formatClockRange(entry.opensAt, entry.closesAt);
      const weeks = formatWeeksOfMonth(entry.weeksOfMonth);
      const when = [
        weeks === null ? null : `${weeks} of the month`,
        formatEveryOtherWeek(entry.everyOtherWeekFrom),
        formatSeason(entry.seasonFrom, entry.seasonTo),
      ]
        .filter((part): part is string => part !== null)
        .join(', ');
      const same = openings.find((o) => o.time === time && o.when.length > 0 && when !== '');
      if (same) same.when.push(when);
      else openings.push({ time, when: when === '' ? [] : [when] });
    }
    const hours = openings
      .map(({ time, when }) => (when.length === 0 ? time : `${time} (${when.join('; ')})`))
      .join(', ');
    groups.set(hours, [...(groups.get(hours) ?? []), weekday]);
  }
  return [...groups]
    .map(([hours, weekdays]) => {
      const days = joinWords(weekdays.map((weekday) => formatWeekday(weekday, { plural: true })));
      return `${days} ${hours}`;
    })
    .join('; ');
}

/**
 * When a market that is out of season on `today` (no opening of its schedule is in season that
 * day) starts its next season: the nearest season start after today, `YYYY-MM-DD`. Null when it is
 * in season, or has no schedule.
 */
export function findSeasonStart(entries: readonly ScheduleEntry[], today: string): string | null {
  if (entries.length === 0) return null;
  if (entries.some((entry) => inSeason(today, entry.seasonFrom, entry.seasonTo))) return null;
  const year = Number(today.slice(0, 4));
  const starts = entries
    .map((entry) => entry.seasonFrom)
    .filter((from): from is string => typeof from === 'string')
    .map((from) => {
      // Feb 29 starts a season only in leap years; Mar 1 stands in for it in the others.
      const thisYear = validDate(year, from);
      return thisYear > today ? thisYear : validDate(year + 1, from);
    })
    .sort();
  return starts[0] ?? null;
}

function validDate(year: number, monthDay: string): string {
  const { month, day } = monthDayParts(monthDay);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.toISOString().slice(0, 10);
}
