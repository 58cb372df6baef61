/**
 * The few words, dates and times a vendor reads both on screen (apps/web) and on paper (the API's
 * PDF), written once here so the two always agree. Pure: no clock, and a time zone only as an
 * argument.
 */

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

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` calendar date. */
export function toEpochDay(localDate: string): number {
  const match = LOCAL_DATE.exec(localDate);
  if (match === null) throw new RangeError(`Expected a YYYY-MM-DD date, got "${localDate}"`);
  const [, year = '', month = '', day = ''] = match;
  return Date.UTC(Number(year), Number(month) - 1, Number(day)) / 86_400_000;
}

/**
 * A market's calendar date (`YYYY-MM-DD`, already the date where the market is) as `"Sat, Nov 28"`,
 * the one way a market day is written wherever a vendor reads it. With `currentYear` (the year it
 * is now where the reader is) a date of another year says so: `"Sat, Jan 2, 2027"`.
 *
 * The date is not an instant: it is formatted as-is, never shifted through the viewer's zone (doing
 * so is the classic bug that shows a Saturday market as Friday to a vendor west of UTC). Spelled
 * out rather than with Intl (the same words as en-US `{ weekday: 'short', month: 'short' }`, which
 * the web's tests check): most screens show such dates, and an Intl formatter built while a page
 * starts costs a phone more than the whole formatting.
 */
export function formatLocalDate(
  localDate: string,
  { currentYear }: { currentYear?: number } = {},
): string {
  const day = new Date(toEpochDay(localDate) * 86_400_000);
  const text = `${SHORT_WEEKDAYS[day.getUTCDay()] ?? ''}, ${SHORT_MONTHS[day.getUTCMonth()] ?? ''} ${day.getUTCDate()}`;
  const year = day.getUTCFullYear();
  return currentYear === undefined || currentYear === year ? text : `${text}, ${year}`;
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

/** Lower-case words and numbers of `text`: `"Eggs (6-pack)"` -> `["eggs", "6", "pack"]`. */
const tokens = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** Whether `needle` appears in `haystack` as consecutive tokens. */
function containsTokens(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0) return false;
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    if (needle.every((token, i) => haystack[start + i] === token)) return true;
  }
  return false;
}

/**
 * A product's name with its unit in brackets, unless the name already says it (in the singular or
 * the plural): `"Eggs (6-pack)"` with `"pack"` or `"6-pack"` stays `"Eggs (6-pack)"`, `"Honey"` and
 * `"jar"` give `"Honey (jar)"`, and "each" adds nothing.
 */
export function formatNameWithUnit(name: string, unit: string): string {
  const trimmed = unit.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'each') return name;
  const words = tokens(name);
  const said =
    containsTokens(words, tokens(trimmed)) ||
    containsTokens(words, tokens(pluralizeUnit(trimmed, 2)));
  return said ? name : `${name} (${trimmed})`;
}

/** Where a line's revenue would be, for a product without a price (sales imported without). */
export const NO_PRICE_YET = 'no price yet';

/**
 * Whether none of `products` has a price (and there is at least one): the total they add up is not
 * "$0.00" but "no prices yet". Reads each product's `priced` flag from the API, not its revenue.
 */
export function noneHasPrice(products: readonly { priced: boolean }[]): boolean {
  return products.length > 0 && products.every((product) => !product.priced);
}

/**
 * The expected revenue of `products` as a vendor reads it, on screen and on paper: `money` (the
 * formatted total, to which a product without a price adds 0), "no prices yet" when none of them
 * has a price, and `money` with the rest counted when only some have one:
 * `"$48.00 (2 products have no price yet)"`.
 */
export function expectedRevenueWords(
  money: string,
  products: readonly { priced: boolean }[],
): string {
  if (noneHasPrice(products)) return 'no prices yet';
  const unpriced = products.filter((product) => !product.priced).length;
  if (unpriced === 0) return money;
  return `${money} (${unpriced === 1 ? '1 product has' : `${unpriced} products have`} no price yet)`;
}

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `"HH:MM"` as hours and minutes; a RangeError for anything else. */
function clockParts(time: string): { hours: number; minutes: string } {
  const match = CLOCK_TIME.exec(time);
  if (match === null) {
    throw new RangeError(`Expected a HH:MM time, got "${time}"`);
  }
  return { hours: Number(match[1]), minutes: match[2] ?? '00' };
}

/**
 * `"08:00"` -> `"8:00 AM"`, `"13:30"` -> `"1:30 PM"`: a wall-clock time on the 12-hour clock, as
 * the rest of the app (DISPLAY_LOCALE, en-US) writes instants. Written out rather than through
 * Intl, whose spacing before AM/PM differs between ICU versions (server and browser).
 */
export function formatClockTime(time: string): string {
  const { hours, minutes } = clockParts(time);
  return `${hours % 12 === 0 ? 12 : hours % 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
}

/**
 * Opening hours as a market sign gives them: `"3:00–7:00 PM"` when both fall in the same half of
 * the day, else `"7:30 AM–12:30 PM"`.
 */
export function formatClockRange(opensAt: string, closesAt: string): string {
  const opens = formatClockTime(opensAt);
  const closes = formatClockTime(closesAt);
  const sameHalf = clockParts(opensAt).hours < 12 === clockParts(closesAt).hours < 12;
  return `${sameHalf ? opens.slice(0, -3) : opens}–${closes}`;
}

/** One formatter per zone (building one costs far more than formatting with it). */
const weekdayClockFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant's weekday and time in `timeZone`: `{ weekday: "Fri", time: "6:00 PM" }`. */
export function weekdayClockParts(
  instant: string,
  timeZone: string,
): { weekday: string; time: string } {
  let format = weekdayClockFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    weekdayClockFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((entry) => entry.type === type)?.value ?? '';
  return { weekday: part('weekday'), time: formatClockTime(`${part('hour')}:${part('minute')}`) };
}

/** An instant as its weekday and time in `timeZone`: `"Fri 6:00 PM"` (a week plan's deadline). */
export function formatWeekdayClock(instant: string, timeZone: string): string {
  const { weekday, time } = weekdayClockParts(instant, timeZone);
  return `${weekday} ${time}`;
}

/**
 * A week-plan day's carried-over units, `"~7"` when some of them are what an earlier market day
 * of the week is expected to leave (not yet counted); null when none.
 */
export function formatCarried(day: {
  carriedOver: number;
  carriedExpected: number;
}): string | null {
  if (day.carriedOver <= 0) return null;
  return day.carriedExpected > 0 ? `~${day.carriedOver}` : String(day.carriedOver);
}

/** What the `~` of {@link formatCarried} means, said once under the table. */
export const EXPECTED_CARRY_NOTE =
  "~ in Carried: what an earlier market day this week is expected to leave, so you make that much less; that day's check-in counts the real number.";
