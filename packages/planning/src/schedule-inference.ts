/**
 * A market's weekly schedule guessed from the dates it had sales on, for the owner to confirm
 * after an import: the weekdays that carry its market days over the last year (a stray Tuesday
 * sale is left out), its season months when a full year of sales shows a long break, and the weeks
 * of the month of a market that does not run every week (the 1st and 3rd Saturdays, perhaps only
 * in winter). Pure: dates are `YYYY-MM-DD` strings, no clock and no time zone involved.
 */
import { fromDayNumber, isCalendarDate, toDayNumber } from '@marketprep/forecast';
import { addDays, weekdayOf } from './local-time';

/** How far back from a market's last sale day its weekdays are counted (the recent period). */
export const SCHEDULE_INFERENCE_WINDOW_DAYS = 365;
/** A weekday needs at least this share of the busiest weekday's sale days to be a market day. */
export const SCHEDULE_WEEKDAY_MIN_SHARE = 0.25;
/** ...and at least this many sale days (unless the file has fewer days than that in all). */
export const SCHEDULE_WEEKDAY_MIN_DAYS = 2;
/** A break of more than this many days between market days, seen over a full year, is off-season. */
export const SCHEDULE_SEASON_MIN_BREAK_DAYS = 42;
/** How far back whole months are read for the weeks of the month a market runs on (two years). */
export const SCHEDULE_WEEKS_WINDOW_DAYS = 730;
/** A weeks-of-the-month pattern needs this many whole months that were not weekly. */
export const SCHEDULE_WEEKS_MIN_MONTHS = 3;
/** A week of the month belongs to the pattern when the market ran on it in this share of them. */
export const SCHEDULE_WEEKS_MIN_SHARE = 0.6;
/** Every other week: this share of a weekday's sale days fall in one two-week beat... */
export const SCHEDULE_EVERY_OTHER_MIN_SHARE = 0.9;
/** ...of at least this many sale days. */
export const SCHEDULE_EVERY_OTHER_MIN_DAYS = 8;

/** One opening the sales suggest: a weekday, its season, and its weeks of the month. */
export interface InferredOpening {
  weekday: number;
  seasonFrom: string | null;
  seasonTo: string | null;
  /** 1-5 = first to fifth, -1 = last; empty for every week. */
  weeksOfMonth: number[];
  /** Every other week: its last sale date on that weekday; null otherwise. */
  everyOtherWeekFrom: string | null;
}

/** What the sales say about a market's weekly schedule. */
export interface InferredSchedule {
  /** Market weekdays, 0 = Monday, ascending. */
  weekdays: number[];
  /** First day of the season `MM-DD` (a month start), or null for all year. */
  seasonFrom: string | null;
  /** Last day of the season `MM-DD` (a month end), or null for all year. */
  seasonTo: string | null;
  /**
   * The openings to suggest, by weekday: one per weekday with the season above, or two for a
   * weekday that runs every week in some months and on some weeks of the month in the others.
   */
  openings: InferredOpening[];
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
  const seasonFrom = season?.from ?? null;
  const seasonTo = season?.to ?? null;
  const recentForWeeks = days.filter((d) => toDayNumber(d) > last - SCHEDULE_WEEKS_WINDOW_DAYS);
  const openings = weekdays.flatMap((weekday): InferredOpening[] => {
    const everyOther = everyOtherWeekOf(weekday, recentForWeeks);
    if (everyOther !== null) {
      return [{ weekday, seasonFrom, seasonTo, weeksOfMonth: [], everyOtherWeekFrom: everyOther }];
    }
    const months = monthsOf(weekday, recentForWeeks, fullYear);
    return (
      months ?? [{ weekday, seasonFrom, seasonTo, weeksOfMonth: [], everyOtherWeekFrom: null }]
    );
  });
  return {
    weekdays,
    seasonFrom,
    seasonTo,
    openings,
    saleDays: recent.length,
    matchedDays: onWeekdays.length,
    strayDates: recent.filter((d) => !weekdays.includes(weekdayOf(d))),
  };
}

/** Month (1-12) of a date. */
const monthOf = (date: string) => Number(date.slice(5, 7));

/** The dates of `weekday` in the month of `date`, in order (its 1st, 2nd, ... of the month). */
function weekdaysOfMonth(weekday: number, date: string): string[] {
  const first = `${date.slice(0, 7)}-01`;
  const dates: string[] = [];
  for (let day = first; day.slice(0, 7) === first.slice(0, 7); day = addDays(day, 1)) {
    if (weekdayOf(day) === weekday) dates.push(day);
  }
  return dates;
}

/** Months of the year from `from` to `to` (1-12), wrapping over New Year. */
function monthRange(from: number, to: number): number[] {
  const months = [from];
  for (let m = from; m !== to; m = (m % 12) + 1) months.push((m % 12) + 1);
  return months;
}

/**
 * The months of the year in `months` as one run over the calendar (wrapping over New Year):
 * `{ from, to }`, or null when they are not one run.
 */
function monthRun(months: ReadonlySet<number>): { from: number; to: number } | null {
  if (months.size === 0 || months.size === 12) return null;
  const starts = [...months].filter((m) => !months.has(m === 1 ? 12 : m - 1));
  const ends = [...months].filter((m) => !months.has((m % 12) + 1));
  if (starts.length !== 1 || ends.length !== 1) return null;
  const run = { from: starts[0] ?? 1, to: ends[0] ?? 12 };
  return monthRange(run.from, run.to).length === months.size ? run : null;
}

const seasonOfRun = (run: { from: number; to: number }) => ({
  seasonFrom: `${pad(run.from)}-01`,
  seasonTo: `${pad(run.to)}-${pad(MONTH_DAYS[run.to - 1] ?? 31)}`,
});

/**
 * The openings of a weekday that does not run every week, from its whole months of sales in the
 * last two years. The weeks of the month are those it ran on in at least
 * {@link SCHEDULE_WEEKS_MIN_SHARE} of the months it skipped two or more of its weekdays in (given
 * {@link SCHEDULE_WEEKS_MIN_MONTHS} such months; the last one when that fits better than a 4th or
 * 5th). Each month of the year then scores how weekly it was (the share of the other weeks it ran
 * on), and the run of months (wrapping over New Year) that best splits the weekly from the rest is
 * the season of those weeks: two seasonal openings (weekly May-Oct, 1st and 3rd Nov-Apr) when the
 * sales span a full year and the weekly months are one run too, else one opening on those weeks all
 * year (or over its months' run, given a full year). Null when the weekday runs every week, or the
 * months do not say.
 */
function monthsOf(
  weekday: number,
  dates: readonly string[],
  fullYear: boolean,
): InferredOpening[] | null {
  const sold = new Set(dates.filter((d) => weekdayOf(d) === weekday));
  const first = dates[0];
  const last = dates.at(-1);
  if (first === undefined || last === undefined) return null;
  const months: { month: number; occurrences: string[]; ran: string[] }[] = [];
  const active = new Set<number>();
  const seen = new Set<string>();
  for (const date of sold) {
    active.add(monthOf(date));
    if (seen.has(date.slice(0, 7))) continue;
    seen.add(date.slice(0, 7));
    const occurrences = weekdaysOfMonth(weekday, date);
    // Whole months only: a month the file starts or ends in would look like a pattern.
    if ((occurrences[0] ?? '') < first || (occurrences.at(-1) ?? '') > last) continue;
    months.push({ month: monthOf(date), occurrences, ran: occurrences.filter((d) => sold.has(d)) });
  }
  const skipping = months.filter((m) => m.ran.length <= m.occurrences.length - 2);
  if (skipping.length < SCHEDULE_WEEKS_MIN_MONTHS) return null;

  const share = (ranOn: (m: (typeof months)[number]) => boolean | null) => {
    const counted = skipping.map(ranOn).filter((r): r is boolean => r !== null);
    return counted.length === 0 ? 0 : counted.filter(Boolean).length / counted.length;
  };
  const nth = (n: number) =>
    share((m) => {
      const day = m.occurrences[n - 1];
      return day === undefined ? null : m.ran.includes(day);
    });
  let weeks = [1, 2, 3, 4, 5].filter((n) => nth(n) >= SCHEDULE_WEEKS_MIN_SHARE);
  const lastShare = share((m) => m.ran.includes(m.occurrences.at(-1) ?? ''));
  if (lastShare >= SCHEDULE_WEEKS_MIN_SHARE && lastShare > nth(4) + 0.2) {
    weeks = [...weeks.filter((n) => n < 4), -1];
  }
  if (weeks.length === 0 || weeks.length >= 4) return null;

  // How weekly each month of the year was: the share of its other weekdays it ran on.
  const scores = new Map<number, number[]>();
  for (const m of months) {
    const others = m.occurrences.filter(
      (d, i) => !weeks.includes(i + 1) && !(weeks.includes(-1) && i === m.occurrences.length - 1),
    );
    if (others.length === 0) continue;
    const score = others.filter((d) => m.ran.includes(d)).length / others.length;
    scores.set(m.month, [...(scores.get(m.month) ?? []), score]);
  }
  const weeklyness = new Map(
    [...scores].map(([month, s]) => [month, s.reduce((a, b) => a + b, 0) / s.length]),
  );
  // The run of months on those weeks that disagrees least with the scores (the shortest of ties).
  let best: { run: Set<number>; cost: number } | null = null;
  for (const from of weeklyness.keys()) {
    for (const to of weeklyness.keys()) {
      const run = new Set(monthRange(from, to));
      let cost = 0;
      for (const [month, w] of weeklyness) cost += run.has(month) ? w : 1 - w;
      if (
        best === null ||
        cost < best.cost - 1e-9 ||
        (Math.abs(cost - best.cost) < 1e-9 && run.size < best.run.size)
      ) {
        best = { run, cost };
      }
    }
  }
  const allWeekly = [...weeklyness.values()].reduce((sum, w) => sum + (1 - w), 0);
  if (best === null || best.cost >= allWeekly) return null;
  const weekly = new Set([...active].filter((month) => !best.run.has(month)));
  if (weekly.size === 0) {
    return [
      {
        weekday,
        ...seasonOfRunOrAllYear(active, fullYear),
        weeksOfMonth: weeks,
        everyOtherWeekFrom: null,
      },
    ];
  }
  const weeklyRun = fullYear ? monthRun(weekly) : null;
  const patternRun = fullYear
    ? monthRun(new Set([...active].filter((m) => best.run.has(m))))
    : null;
  if (weeklyRun === null || patternRun === null) return null;
  return [
    { weekday, ...seasonOfRun(weeklyRun), weeksOfMonth: [], everyOtherWeekFrom: null },
    { weekday, ...seasonOfRun(patternRun), weeksOfMonth: weeks, everyOtherWeekFrom: null },
  ].sort((a, b) => a.seasonFrom.localeCompare(b.seasonFrom));
}

/** The season of a weekday that never ran weekly: its months' run over a full year, else all year. */
function seasonOfRunOrAllYear(months: ReadonlySet<number>, fullYear: boolean) {
  const run = fullYear ? monthRun(months) : null;
  return run === null ? { seasonFrom: null, seasonTo: null } : seasonOfRun(run);
}

/**
 * The last sale day of a weekday that runs every other week: at least
 * {@link SCHEDULE_EVERY_OTHER_MIN_SHARE} of its {@link SCHEDULE_EVERY_OTHER_MIN_DAYS} or more sale
 * days are an even number of weeks from it (a weekly market has about half, one on the 1st and
 * 3rd Saturdays drifts a week at every month with a 5th). Null otherwise.
 */
function everyOtherWeekOf(weekday: number, dates: readonly string[]): string | null {
  const days = dates.filter((d) => weekdayOf(d) === weekday);
  const last = days.at(-1);
  if (last === undefined || days.length < SCHEDULE_EVERY_OTHER_MIN_DAYS) return null;
  const inBeat = days.filter((d) => ((toDayNumber(last) - toDayNumber(d)) / 7) % 2 === 0).length;
  return inBeat / days.length >= SCHEDULE_EVERY_OTHER_MIN_SHARE ? last : null;
}
