import { fromDayNumber, toDayNumber } from './calendar-dates';

/**
 * Flags the engine derives from the date itself, so a holiday is learnt as itself and not only as
 * "a holiday": a shop shut every Christmas Day but trading like a Sunday every Whit Monday, the busy
 * eve before, the quiet bridge day after, New Year's Eve. A calendar feed says only `is_holiday`
 * (or nothing), so the engine names each recurring holiday by the date that recurs: its month and
 * day (`date:12-25`) or its distance from Easter (`date:easter+50`, Whit Monday), and the days
 * either side of a movable one. Year-end days are named even without a calendar. A derived flag enters the
 * model only when the training sales saw it in at least `DATE_FLAG_MIN_YEARS` years: an effect seen
 * in one year is that year's weather as much as the holiday.
 */

export const DATE_FLAG_PREFIX = 'date:';
export const DATE_FLAG_MIN_YEARS = 2;
/** At most this many derived flags (those seen in the most years first): a bound on the fit's size. */
const DATE_FLAG_MAX = 24;
/** Holidays tied to Easter lie within this many days of it (Corpus Christi: +60). */
const EASTER_REACH = 63;
/** Days between Christmas and New Year's Eve: one flag, short weeks of their own. */
const BETWEEN_YEARS = `${DATE_FLAG_PREFIX}12-27..12-30`;
/** Year-end days named from the date alone, with or without a calendar. */
const YEAR_END = [`${DATE_FLAG_PREFIX}12-24`, `${DATE_FLAG_PREFIX}12-31`, BETWEEN_YEARS];

/** Day number of Easter Sunday (Gregorian; anonymous algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return toDayNumber(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

interface Identities {
  readonly monthDay: string;
  readonly easter: string | undefined;
}

function identitiesOf(day: number): Identities {
  const date = fromDayNumber(day);
  const offset = day - easterSunday(Number(date.slice(0, 4)));
  return {
    monthDay: `${DATE_FLAG_PREFIX}${date.slice(5)}`,
    easter:
      Math.abs(offset) <= EASTER_REACH
        ? `${DATE_FLAG_PREFIX}easter${offset >= 0 ? '+' : ''}${offset}`
        : undefined,
  };
}

/** Every derived flag name that a day carries (a candidate; the spec decides which are used). */
export function dateFlagCandidates(day: number): string[] {
  const { monthDay, easter } = identitiesOf(day);
  const names = [monthDay];
  if (easter) names.push(easter);
  const date = fromDayNumber(day);
  const md = date.slice(5);
  if (md >= '12-27' && md <= '12-30') names.push(BETWEEN_YEARS);
  return names;
}

/** The derived flags of `names` (a spec's flags) set on `day`. */
export function dateFlagsOn(day: number, names: readonly string[]): string[] {
  if (!names.some((name) => name.startsWith(DATE_FLAG_PREFIX))) return [];
  const candidates = new Set(dateFlagCandidates(day));
  return names.filter((name) => candidates.has(name));
}

/**
 * The derived flags worth learning from: each holiday that recurs (flagged on the same month-day,
 * or at the same distance from Easter, in two or more years of `holidayDays`), the days before and
 * after a movable one, and the year-end days; of those, the ones set on `salesDays` of at least
 * `DATE_FLAG_MIN_YEARS` years. Sorted.
 */
export function learnDateFlags(
  holidayDays: Iterable<number>,
  salesDays: Iterable<number>,
): string[] {
  const yearsOf = new Map<string, Set<number>>();
  const flagged: number[] = [];
  for (const day of new Set(holidayDays)) {
    flagged.push(day);
    const year = Number(fromDayNumber(day).slice(0, 4));
    const { monthDay, easter } = identitiesOf(day);
    for (const name of easter ? [monthDay, easter] : [monthDay]) {
      let years = yearsOf.get(name);
      if (!years) yearsOf.set(name, (years = new Set()));
      years.add(year);
    }
  }
  const recurs = (name: string | undefined): name is string =>
    name !== undefined && (yearsOf.get(name)?.size ?? 0) >= 2;
  const candidates = new Set<string>(YEAR_END);
  for (const day of flagged) {
    const own = identitiesOf(day);
    // A fixed-date holiday is named by its month-day; a movable one by its distance from Easter.
    const kind: keyof Identities | undefined = recurs(own.monthDay)
      ? 'monthDay'
      : recurs(own.easter)
        ? 'easter'
        : undefined;
    if (!kind) continue;
    // Days around a movable feast fall on the same weekdays every year (Easter Saturday, the
    // bridge Friday after Ascension); around a fixed date they wander, except the year-end ones.
    for (const offset of kind === 'easter' ? [-1, 0, 1] : [0]) {
      const name = identitiesOf(day + offset)[kind];
      if (name) candidates.add(name);
    }
  }
  const seenIn = new Map<string, Set<number>>();
  for (const day of new Set(salesDays)) {
    for (const name of dateFlagCandidates(day)) {
      if (!candidates.has(name)) continue;
      let years = seenIn.get(name);
      if (!years) seenIn.set(name, (years = new Set()));
      years.add(Number(fromDayNumber(day).slice(0, 4)));
    }
  }
  return [...seenIn.entries()]
    .filter(([, years]) => years.size >= DATE_FLAG_MIN_YEARS)
    .sort(([a, x], [b, y]) => y.size - x.size || (a < b ? -1 : 1))
    .slice(0, DATE_FLAG_MAX)
    .map(([name]) => name)
    .sort();
}

const EASTER_DAYS: Readonly<Record<number, string>> = {
  [-2]: 'Good Friday',
  [-1]: 'Easter Saturday',
  0: 'Easter Sunday',
  1: 'Easter Monday',
  39: 'Ascension Day',
  49: 'Whit Sunday',
  50: 'Whit Monday',
  60: 'Corpus Christi',
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A derived flag in words ("Dec 24", "Whit Monday", "Between Christmas and New Year"), or
 * undefined for a flag that is not derived from dates.
 */
export function dateFlagLabel(name: string): { label: string; plural: string } | undefined {
  if (!name.startsWith(DATE_FLAG_PREFIX)) return undefined;
  const rest = name.slice(DATE_FLAG_PREFIX.length);
  if (name === BETWEEN_YEARS) {
    return {
      label: 'Between Christmas and New Year',
      plural: 'years between Christmas and New Year',
    };
  }
  let label: string;
  if (rest.startsWith('easter')) {
    const offset = Number(rest.slice('easter'.length));
    label =
      EASTER_DAYS[offset] ?? `${Math.abs(offset)} days ${offset < 0 ? 'before' : 'after'} Easter`;
  } else {
    const [month, day] = rest.split('-').map(Number);
    label = `${MONTHS[(month ?? 1) - 1] ?? ''} ${day ?? ''}`;
  }
  return { label, plural: /day$/i.test(label) ? `${label}s` : `years' ${label}` };
}
