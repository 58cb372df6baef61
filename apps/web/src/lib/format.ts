/**
 * Pure formatting helpers for what a vendor reads on screen: weekdays, schedules, money, dates and
 * time zones. No clock and no ambient time zone: `now` and `timeZone` come in as arguments, so the
 * output is the same on a server in UTC and on a phone in Tokyo.
 */

/** The locale every string is formatted in (MarketPrep serves US markets in English for now). */
export const DISPLAY_LOCALE = 'en-US';

const WEEKDAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;

/** A weekday as the contracts count it: 0 = Monday ... 6 = Sunday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** One weekly opening, shaped like `MarketScheduleEntry` from the contracts. */
export interface ScheduleEntry {
  weekday: number;
  opensAt: string;
  closesAt: string;
}

/** The English name of a weekday (0 = Monday); `plural` gives "Saturdays" for recurring events. */
export function formatWeekday(
  weekday: number,
  { plural = false }: { plural?: boolean } = {},
): string {
  const name = WEEKDAY_NAMES[weekday];
  if (name === undefined || !Number.isInteger(weekday)) {
    throw new RangeError(`Weekday must be an integer 0 (Monday) to 6 (Sunday), got ${weekday}`);
  }
  return plural ? `${name}s` : name;
}

/** `"08:00"` -> `"8:00"`: a wall-clock time the way people write it on a market sign. */
export function formatClockTime(time: string): string {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (match === null) {
    throw new RangeError(`Expected a HH:MM time, got "${time}"`);
  }
  const [, hours = '', minutes = ''] = match;
  return `${Number(hours)}:${minutes}`;
}

/** Joins words the English way: "A", "A and B", "A, B and C". */
function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

/**
 * A weekly schedule in words: `"Saturdays 8:00–13:00"`. Days that share their hours are named
 * together (`"Wednesdays and Saturdays 8:00–13:00"`), groups are ordered by their first weekday and
 * joined with `"; "`. An empty schedule reads `"No regular schedule"`.
 */
export function formatSchedule(entries: readonly ScheduleEntry[]): string {
  if (entries.length === 0) return 'No regular schedule';

  const sorted = [...entries].sort(
    (a, b) => a.weekday - b.weekday || a.opensAt.localeCompare(b.opensAt),
  );
  const groups = new Map<string, number[]>();
  for (const entry of sorted) {
    const hours = `${formatClockTime(entry.opensAt)}–${formatClockTime(entry.closesAt)}`;
    const weekdays = groups.get(hours) ?? [];
    if (!weekdays.includes(entry.weekday)) weekdays.push(entry.weekday);
    groups.set(hours, weekdays);
  }
  return [...groups]
    .map(([hours, weekdays]) => {
      const days = joinWords(weekdays.map((weekday) => formatWeekday(weekday, { plural: true })));
      return `${days} ${hours}`;
    })
    .join('; ');
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * An amount in minor units (cents for USD) as money: `formatMoney(4500)` -> `"$45.00"`. The number of
 * minor digits comes from the currency itself (JPY has none), so `formatMoney(500, 'JPY')` -> `"¥500"`.
 */
export function formatMoney(amountMinor: number, currency = 'USD'): string {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`Money amounts are whole minor units, got ${amountMinor}`);
  }
  let format = moneyFormats.get(currency);
  if (format === undefined) {
    format = new Intl.NumberFormat(DISPLAY_LOCALE, { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  const minorDigits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** minorDigits);
}

const validTimeZones = new Map<string, boolean>();

/** Whether `timeZone` is an IANA zone this runtime knows (the contracts only promise a string). */
export function isValidTimeZone(timeZone: string): boolean {
  let valid = validTimeZones.get(timeZone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat(DISPLAY_LOCALE, { timeZone });
      valid = true;
    } catch {
      valid = false;
    }
    validTimeZones.set(timeZone, valid);
  }
  return valid;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` calendar date. */
function toEpochDay(localDate: string): number {
  const match = LOCAL_DATE.exec(localDate);
  if (match === null) throw new RangeError(`Expected a YYYY-MM-DD date, got "${localDate}"`);
  const [, year = '', month = '', day = ''] = match;
  return Date.UTC(Number(year), Number(month) - 1, Number(day)) / 86_400_000;
}

const shortDate = new Intl.DateTimeFormat(DISPLAY_LOCALE, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

/**
 * A market's calendar date (`YYYY-MM-DD`, already the date where the market is) as `"Sat, Nov 28"`.
 *
 * The date is not an instant: it is formatted as-is, never shifted through the viewer's zone (doing
 * so is the classic bug that shows a Saturday market as Friday to a vendor west of UTC).
 */
export function formatLocalDate(localDate: string): string {
  return shortDate.format(toEpochDay(localDate) * 86_400_000);
}

/** The calendar date (`YYYY-MM-DD`) that `instant` falls on in `timeZone`. */
export function toLocalDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat(DISPLAY_LOCALE, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone,
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** An instant as `"Sat, Nov 28"` on the calendar of `timeZone` (e.g. the market's own zone). */
export function formatDateInTimeZone(instant: Date, timeZone: string): string {
  return formatLocalDate(toLocalDate(instant, timeZone));
}

/**
 * How far away a market date is, from the market's point of view: `"Today"`, `"Tomorrow"`,
 * `"In 3 days"` (up to a week), otherwise `null`. "Today" is the date `now` has in `timeZone`,
 * so at 9 pm Friday in Chicago (already Saturday in UTC) a Saturday market is still "Tomorrow".
 */
export function describeDaysUntil(localDate: string, now: Date, timeZone: string): string | null {
  const days = toEpochDay(localDate) - toEpochDay(toLocalDate(now, timeZone));
  if (days === 0) return 'Today';
  if (days === 1) return 'Tomorrow';
  if (days > 1 && days < 7) return `In ${days} days`;
  return null;
}

/**
 * A zone's everyday name, `"America/Chicago"` -> `"Central Time"`, as of `at` (names can change with
 * the rules). Falls back to the IANA id when the runtime has no generic name or does not know the zone.
 */
export function formatTimeZoneName(timeZone: string, at: Date): string {
  if (!isValidTimeZone(timeZone)) return timeZone;
  const name = new Intl.DateTimeFormat(DISPLAY_LOCALE, { timeZone, timeZoneName: 'longGeneric' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;
  // ICU answers "GMT+09:00"-style offsets for zones without a generic name; the id reads better.
  return name === undefined || /^GMT/.test(name) ? timeZone : name;
}
