/**
 * Market-local calendar arithmetic, the one module for it (API, worker and planning): market days
 * are local dates, opening times local wall-clock times in the market's IANA zone. The clock comes
 * in as an argument; zone readings are remembered (see partsAt).
 */
import { inSeason, opensOn, type OpeningDates } from '@marketprep/contracts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Wall-clock parts read so far, by zone and instant (oldest dropped past MAX_READ_PARTS). */
const readParts = new Map<string, Readonly<Record<string, string>>>();
const MAX_READ_PARTS = 20_000;

/**
 * The wall-clock parts (year ... second) in `timeZone` at `instant`. Remembered: a list of market
 * days reads the same opening times on every request, and formatToParts costs microseconds per
 * call (a fifth of the market-days list's CPU before).
 */
function partsAt(instant: number, timeZone: string): Readonly<Record<string, string>> {
  const key = `${timeZone}|${instant}`;
  let parts = readParts.get(key);
  if (!parts) {
    const read: Record<string, string> = {};
    for (const part of partsFormatter(timeZone).formatToParts(instant))
      read[part.type] = part.value;
    parts = Object.freeze(read);
    if (readParts.size >= MAX_READ_PARTS) readParts.delete(readParts.keys().next().value!);
    readParts.set(key, parts);
  }
  return parts;
}

/** The wall clock in `timeZone` at `instant`: 'YYYY-MM-DD' and 'HH:MM'. */
export function wallClock(instant: Date, timeZone: string): { date: string; time: string } {
  const parts = partsAt(instant.getTime(), timeZone);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
  };
}

/** Today's calendar date in `timeZone`, `YYYY-MM-DD`. */
export function localDate(now: Date, timeZone: string): string {
  // Read at the start of the minute (zone offsets are whole minutes), so each request's own
  // instant does not crowd the remembered parts out.
  const parts = partsAt(Math.floor(now.getTime() / 60_000) * 60_000, timeZone);
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Local 'HH:MM' of an instant in `timeZone`. */
export function localTime(instant: Date, timeZone: string): string {
  return wallClock(instant, timeZone).time;
}

function offsetMs(instant: number, timeZone: string): number {
  const parts = partsAt(instant, timeZone);
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of local `date` `time` in `timeZone`. A time skipped by a DST jump resolves to the
 * instant just after the jump (as clocks read then); a repeated one to its first occurrence.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  const guess = wall - offsetMs(wall, timeZone);
  const offset = offsetMs(guess, timeZone);
  const candidate = wall - offset;
  const offsetThere = offsetMs(candidate, timeZone);
  if (offsetThere === offset) return new Date(candidate);
  // In a DST gap: read the wall time with the offset from before the jump (the smaller one).
  return new Date(wall - Math.min(offset, offsetThere));
}

/** Weekday of a calendar date, 0 = Monday ... 6 = Sunday. */
export function weekdayOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// Whether a date is in a season, and whether an opening runs on a date: one rule, in contracts.
export { inSeason, opensOn };

/** A date the schedule opens, with that day's local times. */
export interface ScheduledDate {
  date: string;
  opensAt: string;
  closesAt: string;
}

/**
 * The dates in [`from`, `from` + `days`) on which `schedule` opens (weekday, season and weeks of
 * the month: {@link opensOn}). When several openings match one date, the earliest opening wins
 * (one market day per market and date).
 */
export function scheduledDates(
  schedule: readonly (OpeningDates & { opensAt: string; closesAt: string })[],
  from: string,
  days: number,
): ScheduledDate[] {
  const result: ScheduledDate[] = [];
  for (let i = 0; i < days; i += 1) {
    const date = addDays(from, i);
    const matches = schedule
      .filter((s) => opensOn(s, date))
      .sort((a, b) => a.opensAt.localeCompare(b.opensAt));
    const opening = matches[0];
    if (opening) result.push({ date, opensAt: opening.opensAt, closesAt: opening.closesAt });
  }
  return result;
}
