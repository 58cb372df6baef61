/**
 * The market days a picker offers: the dates of a window that are market days of a market, by the
 * same rule as the API (a stored SCHEDULED day, or a date its weekly schedule runs on: weekday,
 * season and weeks of the month, the contracts' `opensOn`; a CANCELLED day is none). Pure: the
 * window's dates come in.
 */
import { opensOn, type Market } from '@marketprep/contracts';

/** How far ahead the prep list picker lists market days (the API plans 8 weeks ahead). */
export const PREP_LIST_DAYS_AHEAD = 56;
/** How far back the check-in picker lists market days. */
export const CHECK_IN_DAYS_BACK = 56;
/** How far past the window the next market day is looked for (a season may be months away). */
export const NEXT_MARKET_DAY_SEARCH_DAYS = 366;

/** A stored market day as the picker needs it. */
export interface StoredMarketDay {
  date: string;
  status: 'SCHEDULED' | 'CANCELLED';
}

/** `'2026-12-05'` plus `days` (may be negative), as a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const [year = 1970, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Whether `date` is a market day: its stored day decides, else the weekly schedule. */
export function isMarketDay(
  date: string,
  schedule: Market['schedule'],
  stored: ReadonlyMap<string, StoredMarketDay['status']>,
): boolean {
  const status = stored.get(date);
  if (status !== undefined) return status === 'SCHEDULED';
  return schedule.some((entry) => opensOn(entry, date));
}

/**
 * The market days from `from` to `to` (inclusive) in date order: the weekly schedule's in-season
 * weekdays and stored one-off days, without cancelled ones.
 */
export function listMarketDays(options: {
  schedule: Market['schedule'];
  storedDays: readonly StoredMarketDay[];
  from: string;
  to: string;
}): string[] {
  const stored = new Map(options.storedDays.map((day) => [day.date, day.status]));
  const dates: string[] = [];
  for (let date = options.from; date <= options.to; date = addDays(date, 1)) {
    if (isMarketDay(date, options.schedule, stored)) dates.push(date);
  }
  return dates;
}

/** The window a picker lists, around the market's `today`: ahead for a prep list, back for a check-in. */
export function pickerWindow(
  target: 'prep-list' | 'check-in',
  today: string,
): { from: string; to: string } {
  return target === 'prep-list'
    ? { from: today, to: addDays(today, PREP_LIST_DAYS_AHEAD) }
    : { from: addDays(today, -CHECK_IN_DAYS_BACK), to: today };
}

/**
 * The one-tap shortcuts of a picker, each market at its own default day (`null`: none): the
 * soonest first for a prep list; for a check-in the newest first, the market day just packed up.
 */
export function orderShortcuts<M>(
  target: 'prep-list' | 'check-in',
  entries: readonly { market: M; date: string | null }[],
): { market: M; date: string }[] {
  const dated = entries.filter(
    (entry): entry is { market: M; date: string } => entry.date !== null,
  );
  return dated.sort((a, b) =>
    target === 'prep-list' ? a.date.localeCompare(b.date) : b.date.localeCompare(a.date),
  );
}
