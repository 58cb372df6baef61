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
/** Month abbreviations, January first, as vendors read them on a sign. */
export const SHORT_MONTHS = [
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

/** Units written the same for one and for many: abbreviations and counting words. */
const INVARIANT_UNITS = new Set(['each', 'dozen', 'lb', 'lbs', 'oz', 'kg', 'g', 'l', 'ml', 'pcs']);
/** English plurals the suffix rules get wrong. */
const IRREGULAR_PLURALS: Record<string, string> = {
  loaf: 'loaves',
  half: 'halves',
  knife: 'knives',
};

/**
 * A unit as it reads after `quantity`: `"loaf"` for 1, `"loaves"` for 8.4 (and for 0). The last
 * word carries the plural ("half loaf" -> "half loaves"); "each", "dozen" and "lb" stay as they are.
 */
export function pluralizeUnit(unit: string, quantity: number): string {
  if (Math.abs(quantity) === 1) return unit;
  const match = /^(.*?)([A-Za-z]+)$/.exec(unit);
  if (match === null) return unit;
  const [, head = '', word = ''] = match;
  const lower = word.toLowerCase();
  if (INVARIANT_UNITS.has(lower) || word.length < 2) return unit;
  const irregular = IRREGULAR_PLURALS[lower];
  if (irregular !== undefined) return `${head}${irregular}`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${head}${word}es`;
  if (/[^aeiou]y$/i.test(word)) return `${head}${word.slice(0, -1)}ies`;
  return `${head}${word}s`;
}

/** `"+8.4"` and `"loaf"` -> `"+8.4 loaves"`: a quantity (already formatted) with its unit. */
export function formatQuantity(quantity: number, unit: string, text = String(quantity)): string {
  return `${text} ${pluralizeUnit(unit, quantity)}`;
}

/**
 * A price for one unit: `"$4.50 each"` when the unit is "each" (never "per each"), otherwise
 * `"$9.00 per loaf"`.
 */
export function formatUnitPrice(amountMinor: number, unit: string, currency = 'USD'): string {
  const price = formatMoney(amountMinor, currency);
  return unit.trim().toLowerCase() === 'each' ? `${price} each` : `${price} per ${unit}`;
}

/**
 * A product's name with its unit in brackets, unless the name already says it: `"Eggs (6-pack)"`
 * and `"pack"` stay `"Eggs (6-pack)"`, `"Honey"` and `"jar"` give `"Honey (jar)"`.
 */
export function formatNameWithUnit(name: string, unit: string): string {
  const word = unit.trim().toLowerCase();
  if (word === '' || word === 'each') return name;
  const words = name.toLowerCase().split(/[^a-z]+/);
  const plural = pluralizeUnit(word, 2);
  return words.includes(word) || words.includes(plural) ? name : `${name} (${unit})`;
}
