/**
 * The market form's weekly schedule: rows as the vendor edits them (seasons typed as "May 1",
 * blank for all year; the weeks of the month chosen, none for every week) and the `schedule` the
 * API receives. Every entry is sent with both season keys (a season or explicit nulls) and its
 * weeks, so saving the form never changes a season the vendor did not touch: what the form shows
 * is what it sends.
 */
import { formatWeeksOfMonth, type MarketScheduleInput } from '@marketprep/contracts';

import { formatWeekday } from '../../lib/format';
import { addDays } from '../prep-list/market-day-options';
import { formatMonthDay, type ScheduleEntry } from './market-schedule';

/** One editable opening. Season texts are what the vendor typed; `''` means all year. */
export interface ScheduleRow {
  key: number;
  weekday: number;
  opensAt: string;
  closesAt: string;
  seasonFrom: string;
  seasonTo: string;
  /** Which of the month's weekdays (1-5, -1 = last); empty for every week. */
  weeksOfMonth: number[];
  /** Every other week: a date it runs on (`YYYY-MM-DD`); `''` when it is not every other week. */
  everyOtherWeekFrom: string;
}

/** The form's rows of a stored schedule (seasons shown as "May 1"). */
export function toScheduleRows(
  schedule: readonly ScheduleEntry[],
  nextKey: () => number,
): ScheduleRow[] {
  return schedule.map((entry) => ({
    key: nextKey(),
    weekday: entry.weekday,
    opensAt: entry.opensAt,
    closesAt: entry.closesAt,
    seasonFrom: entry.seasonFrom ? formatMonthDay(entry.seasonFrom) : '',
    seasonTo: entry.seasonTo ? formatMonthDay(entry.seasonTo) : '',
    weeksOfMonth: [...(entry.weeksOfMonth ?? [])],
    everyOtherWeekFrom: entry.everyOtherWeekFrom ?? '',
  }));
}

const MONTH_NAMES = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
] as const;
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function monthOf(word: string): number | null {
  const prefix = word.toLowerCase().slice(0, 3);
  const index = MONTH_NAMES.indexOf(prefix as (typeof MONTH_NAMES)[number]);
  return index === -1 ? null : index + 1;
}

/**
 * A typed season bound as `MM-DD`: `"May 1"`, `"1 May"`, `"September 30"`, `"05-01"` or `"5/1"`
 * (month first, as in the US). `''` is null (all year); anything else that is not a day of the
 * year is undefined.
 */
export function parseMonthDay(text: string): string | null | undefined {
  const value = text.trim();
  if (value === '') return null;
  let month: number | null = null;
  let day: number | null = null;
  const numeric = /^(\d{1,2})\s*[-/.]\s*(\d{1,2})$/.exec(value);
  const monthFirst = /^([A-Za-z]+)\.?\s+(\d{1,2})$/.exec(value);
  const dayFirst = /^(\d{1,2})\s+([A-Za-z]+)\.?$/.exec(value);
  if (numeric) {
    month = Number(numeric[1]);
    day = Number(numeric[2]);
  } else if (monthFirst) {
    month = monthOf(monthFirst[1] ?? '');
    day = Number(monthFirst[2]);
  } else if (dayFirst) {
    month = monthOf(dayFirst[2] ?? '');
    day = Number(dayFirst[1]);
  }
  if (month === null || day === null || month < 1 || month > 12) return undefined;
  if (day < 1 || day > (MONTH_DAYS[month - 1] ?? 0)) return undefined;
  return `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The `schedule` to send, or the field errors (keyed like the API's `schedule.0.seasonFrom`). */
export function toSchedulePayload(
  rows: readonly ScheduleRow[],
): { ok: true; schedule: MarketScheduleInput[] } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const schedule = rows.map((row, index) => {
    const seasonFrom = parseMonthDay(row.seasonFrom);
    const seasonTo = parseMonthDay(row.seasonTo);
    if (seasonFrom === undefined) {
      errors[`schedule.${index}.seasonFrom`] = 'Enter a day like May 1, or leave it blank';
    }
    if (seasonTo === undefined) {
      errors[`schedule.${index}.seasonTo`] = 'Enter a day like Oct 31, or leave it blank';
    }
    if (row.everyOtherWeekFrom !== '' && weekdayOf(row.everyOtherWeekFrom) !== row.weekday) {
      errors[`schedule.${index}.everyOtherWeekFrom`] =
        `Choose a ${formatWeekday(row.weekday)} the market runs on`;
    }
    if (
      seasonFrom !== undefined &&
      seasonTo !== undefined &&
      (seasonFrom === null) !== (seasonTo === null)
    ) {
      errors[`schedule.${index}.${seasonFrom === null ? 'seasonFrom' : 'seasonTo'}`] =
        'Give both ends of the season, or leave both blank for all year';
    }
    return {
      weekday: row.weekday,
      opensAt: row.opensAt,
      closesAt: row.closesAt,
      seasonFrom: seasonFrom ?? null,
      seasonTo: seasonTo ?? null,
      weeksOfMonth: row.weeksOfMonth,
      everyOtherWeekFrom: row.everyOtherWeekFrom === '' ? null : row.everyOtherWeekFrom,
    };
  });
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, schedule };
}

/**
 * The schedule the rows would save, for the live summary: rows without both times are left out,
 * a season that does not parse yet reads as all year.
 */
export function previewSchedule(rows: readonly ScheduleRow[]): ScheduleEntry[] {
  const clock = /^([01]\d|2[0-3]):[0-5]\d$/;
  return rows
    .filter((row) => clock.test(row.opensAt) && clock.test(row.closesAt))
    .map((row) => {
      const seasonFrom = parseMonthDay(row.seasonFrom) ?? null;
      const seasonTo = parseMonthDay(row.seasonTo) ?? null;
      const seasonal = seasonFrom !== null && seasonTo !== null;
      return {
        weekday: row.weekday,
        opensAt: row.opensAt,
        closesAt: row.closesAt,
        seasonFrom: seasonal ? seasonFrom : null,
        seasonTo: seasonal ? seasonTo : null,
        weeksOfMonth: row.weeksOfMonth,
        everyOtherWeekFrom: row.everyOtherWeekFrom === '' ? null : row.everyOtherWeekFrom,
      };
    });
}

/** The weeks-of-the-month choices of a schedule row, as the select sends them ("1,3"). */
const WEEK_CHOICES: readonly (readonly number[])[] = [[], [1, 3], [2, 4], [1], [2], [3], [4], [-1]];

/** The "Which weeks" value of every other week. */
const EVERY_OTHER = 'every-other';

/**
 * The "Which weeks" choices of a row: every week, every other week, the common patterns of
 * markets that run twice or once a month, and the row's own weeks when they are none of those
 * (set through the API). `value` is the weeks joined by commas (`''` for every week), or
 * `'every-other'`, as {@link applyWeeksChoice} reads it.
 */
export function weeksChoices(current: readonly number[]): { value: string; label: string }[] {
  const choices = WEEK_CHOICES.some((weeks) => weeks.join(',') === current.join(','))
    ? WEEK_CHOICES
    : [...WEEK_CHOICES, current];
  // Short enough for a phone's select: "1st and 3rd", "Only the last".
  const labelled = choices.map((weeks) => {
    const words = formatWeeksOfMonth(weeks) ?? '';
    return {
      value: weeks.join(','),
      label: weeks.length === 0 ? 'Every week' : weeks.length === 1 ? `Only the ${words}` : words,
    };
  });
  return [labelled[0]!, { value: EVERY_OTHER, label: 'Every other week' }, ...labelled.slice(1)];
}

/** The row's "Which weeks" value (see {@link weeksChoices}). */
export function weeksChoiceOf(
  row: Pick<ScheduleRow, 'weeksOfMonth' | 'everyOtherWeekFrom'>,
): string {
  return row.everyOtherWeekFrom !== '' ? EVERY_OTHER : row.weeksOfMonth.join(',');
}

/** Monday 0 … Sunday 6 of a `YYYY-MM-DD` date. */
function weekdayOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/**
 * A row after choosing `value` in "Which weeks": weeks of the month (`'1,3'`, `''` for every
 * week), or every other week from the row's date, else from the first of its weekday on or after
 * `today`.
 */
export function applyWeeksChoice(
  row: Pick<ScheduleRow, 'weekday' | 'everyOtherWeekFrom'>,
  value: string,
  today: string,
): Pick<ScheduleRow, 'weeksOfMonth' | 'everyOtherWeekFrom'> {
  if (value !== EVERY_OTHER) {
    return {
      weeksOfMonth: value === '' ? [] : value.split(',').map(Number),
      everyOtherWeekFrom: '',
    };
  }
  if (row.everyOtherWeekFrom !== '')
    return { weeksOfMonth: [], everyOtherWeekFrom: row.everyOtherWeekFrom };
  return {
    weeksOfMonth: [],
    everyOtherWeekFrom: addDays(today, (row.weekday - weekdayOf(today) + 7) % 7),
  };
}

/**
 * A row moved to another weekday: an every-other-week date moves with it, to that weekday of the
 * same week (Monday to Sunday), so the beat stays the one the vendor chose.
 */
export function withWeekday(
  row: Pick<ScheduleRow, 'weekday' | 'everyOtherWeekFrom'>,
  weekday: number,
): Pick<ScheduleRow, 'weekday' | 'everyOtherWeekFrom'> {
  if (row.everyOtherWeekFrom === '') return { weekday, everyOtherWeekFrom: '' };
  const from = row.everyOtherWeekFrom;
  return { weekday, everyOtherWeekFrom: addDays(from, weekday - weekdayOf(from)) };
}
