import { AppError } from '../../errors';
import { addDays, daysBetween } from '@marketprep/planning';

const min = (a: string, b: string) => (a < b ? a : b);
const max = (a: string, b: string) => (a > b ? a : b);

/** Longest range a query may span, in days (two years, a leap day included). */
export const MAX_RANGE_DAYS = 731;

/** The latest calendar date anywhere on Earth at `now` (UTC+14): "today" for every market. */
export function latestToday(now: Date): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * A checked, inclusive date range: `to` defaults to today, `from` to `defaultDays - 1` days before
 * `to`. From after to, or a span over two years, is a 400.
 */
export function resolveRange(
  query: { from?: string; to?: string },
  now: Date,
  defaultDays = 56,
): { from: string; to: string } {
  // Defaults stay inside the dates the API accepts (1970..2999).
  const to =
    query.to ??
    (query.from ? min(addDays(query.from, defaultDays - 1), '2999-12-31') : latestToday(now));
  const from = query.from ?? max(addDays(to, -(defaultDays - 1)), '1970-01-01');
  if (from > to) {
    throw new AppError('BAD_REQUEST', `"from" (${from}) must not be after "to" (${to}).`, [
      { path: 'from', message: 'Must be on or before "to"' },
    ]);
  }
  if (daysBetween(from, to) > MAX_RANGE_DAYS) {
    throw new AppError('BAD_REQUEST', 'A date range may span at most two years (731 days).', [
      { path: 'to', message: 'At most 731 days after "from"' },
    ]);
  }
  return { from, to };
}
