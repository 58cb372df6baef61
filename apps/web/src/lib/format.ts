/**
 * Pure formatting helpers for what a vendor reads on screen: weekdays, schedules, money, dates and
 * time zones. No clock and no ambient time zone: `now` and `timeZone` come in as arguments, so the
 * output is the same on a server in UTC and on a phone in Tokyo.
 */

import {
  formatLocalDate,
  pluralizeUnit,
  toEpochDay,
  type TemperatureUnitPreference,
} from '@marketprep/contracts';

// The words and the market-day date the PDF prints too live in the contracts (one source for the
// screen and the paper); they are re-exported here so screens import every formatter from one place.
export {
  EXPECTED_CARRY_NOTE,
  SHORT_MONTHS,
  formatCarried,
  formatClockRange,
  formatClockTime,
  formatLocalDate,
  formatNameWithUnit,
  pluralizeUnit,
  weekdayClockParts,
} from '@marketprep/contracts';

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
 * The year it is at `now` on the calendar of `timeZone`: what `formatLocalDate` compares a date
 * with, so only a market day of another year carries its year (`"Sat, Jan 2, 2027"`).
 */
export function currentYearIn(now: Date, timeZone: string): number {
  return Number(toLocalDate(now, isValidTimeZone(timeZone) ? timeZone : 'UTC').slice(0, 4));
}

/** A true minus sign reads better than a hyphen next to a number. */
const MINUS = '\u2212';
/** Units a vendor weighs or measures (a decimal means something); anything else is counted. */
const MEASURED_UNITS = new Set(['lb', 'lbs', 'oz', 'kg', 'g', 'l', 'ml', 'gal', 'qt']);

/**
 * A change in units as a vendor says it, signed and pluralized after rounding: whole units for what
 * is counted (`+8.4` loaves -> `"+8 loaves"`, `-1.2` -> `"−1 loaf"`), one decimal below 10 for what
 * is weighed (`"+2.5 lb"`). A change too small to show is `"less than 1 loaf"` (the sign of a
 * percent beside it tells the direction).
 */
export function formatSignedQuantity(quantity: number, unit: string): string {
  const measured = MEASURED_UNITS.has(unit.trim().toLowerCase());
  const rounded =
    measured && Math.abs(quantity) < 10
      ? Math.round(Math.abs(quantity) * 10) / 10
      : Math.round(Math.abs(quantity));
  if (rounded === 0) {
    return measured ? `less than 0.1 ${unit}` : `less than 1 ${unit}`;
  }
  const sign = quantity < 0 ? MINUS : '+';
  return `${sign}${rounded} ${pluralizeUnit(unit, rounded)}`;
}

/** A temperature unit to show: degrees Fahrenheit or Celsius. */
export type TemperatureUnit = 'F' | 'C';

/**
 * Countries (ISO 3166-1 alpha-2) whose people read the weather in °F: the United States and its
 * territories, and the few others that kept Fahrenheit.
 */
const FAHRENHEIT_COUNTRIES: ReadonlySet<string> = new Set([
  'US',
  'PR',
  'GU',
  'VI',
  'AS',
  'MP',
  'UM',
  'BS',
  'BZ',
  'KY',
  'LR',
  'PW',
  'FM',
  'MH',
]);

/**
 * The unit a market's temperatures are shown in: the business's choice (`fahrenheit`, `celsius`),
 * or with `auto` (and before the setting is known) the market's country's habit, °F for a US
 * market and °C for a Canadian one. An unknown country reads °C, as most of the world does.
 */
export function resolveTemperatureUnit(
  preference: TemperatureUnitPreference | undefined,
  countryCode: string | null | undefined,
): TemperatureUnit {
  if (preference === 'fahrenheit') return 'F';
  if (preference === 'celsius') return 'C';
  return FAHRENHEIT_COUNTRIES.has((countryCode ?? '').trim().toUpperCase()) ? 'F' : 'C';
}

/**
 * A temperature stored in °C as a vendor reads it in `unit`, whole degrees: `formatTemperature(22,
 * 'F')` -> `"72°F"`, `formatTemperature(-3.4, 'C')` -> `"−3°C"`.
 */
export function formatTemperature(celsius: number, unit: TemperatureUnit): string {
  const value = Math.round(unit === 'F' ? (celsius * 9) / 5 + 32 : celsius);
  // Math.round(-0.4) is -0: no "−0°C".
  return `${value < 0 ? MINUS : ''}${Math.abs(value)}°${unit}`;
}
