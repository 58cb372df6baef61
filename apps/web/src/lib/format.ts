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

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Groups whole units in threes: `1234567` -> `"1,234,567"`. */
function groupThousands(whole: number): string {
  return String(whole).replace(/\B(?=(\d{3})+$)/g, ',');
}

/**
 * An amount in minor units (cents for USD) as money: `formatMoney(4500)` -> `"$45.00"`. The number of
 * minor digits comes from the currency itself (JPY has none), so `formatMoney(500, 'JPY')` -> `"¥500"`.
 * Dollars are spelled out (exactly what Intl says, the tests check): the first currency formatter a
 * page builds costs a phone tens of milliseconds of start-up; other currencies go through Intl.
 */
export function formatMoney(amountMinor: number, currency = 'USD'): string {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`Money amounts are whole minor units, got ${amountMinor}`);
  }
  if (currency === 'USD') {
    const negative = amountMinor < 0 || Object.is(amountMinor, -0);
    const minor = Math.abs(amountMinor);
    const cents = minor % 100;
    return `${negative ? '-' : ''}$${groupThousands((minor - cents) / 100)}.${String(cents).padStart(2, '0')}`;
  }
  let format = moneyFormats.get(currency);
  if (format === undefined) {
    format = new Intl.NumberFormat(DISPLAY_LOCALE, { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  const minorDigits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** minorDigits);
}

// Intl formatters are built once per time zone: constructing one costs far more than formatting
// with it (on a phone, the first few cost tens of milliseconds of start-up).
const localDateFormats = new Map<string, Intl.DateTimeFormat | null>();

/** The `YYYY-MM-DD` parts formatter of `timeZone`, or null when the runtime does not know it. */
function localDateFormat(timeZone: string): Intl.DateTimeFormat | null {
  let format = localDateFormats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat(DISPLAY_LOCALE, {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        timeZone,
      });
    } catch {
      format = null;
    }
    localDateFormats.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` is an IANA zone this runtime knows (the contracts only promise a string). */
export function isValidTimeZone(timeZone: string): boolean {
  return localDateFormat(timeZone) !== null;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` calendar date. */
function toEpochDay(localDate: string): number {
  const match = LOCAL_DATE.exec(localDate);
  if (match === null) throw new RangeError(`Expected a YYYY-MM-DD date, got "${localDate}"`);
  const [, year = '', month = '', day = ''] = match;
  return Date.UTC(Number(year), Number(month) - 1, Number(day)) / 86_400_000;
}

const SHORT_WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const SHORT_MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/**
 * A market's calendar date (`YYYY-MM-DD`, already the date where the market is) as `"Sat, Nov 28"`.
 *
 * The date is not an instant: it is formatted as-is, never shifted through the viewer's zone (doing
 * so is the classic bug that shows a Saturday market as Friday to a vendor west of UTC). Spelled
 * out rather than with Intl (the same words as en-US `{ weekday: 'short', month: 'short' }`, which
 * the tests check): most screens show such dates, and an Intl formatter built while a page starts
 * costs a phone more than the whole formatting.
 */
export function formatLocalDate(localDate: string): string {
  const day = new Date(toEpochDay(localDate) * 86_400_000);
  return `${SHORT_WEEKDAYS[day.getUTCDay()] ?? ''}, ${SHORT_MONTHS[day.getUTCMonth()] ?? ''} ${day.getUTCDate()}`;
}

/** The calendar date (`YYYY-MM-DD`) that `instant` falls on in `timeZone`. */
export function toLocalDate(instant: Date, timeZone: string): string {
  const format = localDateFormat(timeZone);
  if (format === null) throw new RangeError(`Invalid time zone specified: ${timeZone}`);
  const parts = format.formatToParts(instant);
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

const zoneNameFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A zone's everyday name, `"America/Chicago"` -> `"Central Time"`, as of `at` (names can change with
 * the rules). Falls back to the IANA id when the runtime has no generic name or does not know the zone.
 */
export function formatTimeZoneName(timeZone: string, at: Date): string {
  if (!isValidTimeZone(timeZone)) return timeZone;
  let format = zoneNameFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(DISPLAY_LOCALE, { timeZone, timeZoneName: 'longGeneric' });
    zoneNameFormats.set(timeZone, format);
  }
  const name = format.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value;
  // ICU answers "GMT+09:00"-style offsets for zones without a generic name; the id reads better.
  return name === undefined || /^GMT/.test(name) ? timeZone : name;
}
