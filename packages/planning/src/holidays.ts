import { dateFlagLabel } from '@marketprep/forecast';
import Holidays from 'date-holidays';

/** Calendar flags of the holiday itself, by `date-holidays` type. */
const FLAG_BY_TYPE: Readonly<Record<string, string>> = {
  public: 'is_holiday',
  bank: 'is_holiday',
  school: 'is_school_holiday',
};

/**
 * The holidays and observances vendors live by, each a window of days around it (`from`..`to`
 * days from the holiday, inclusive) with its own flag, so the engine learns its own effect per
 * vendor, market and product: a florist's Mother's Day weekend, a baker's Thanksgiving week, a
 * market that shuts on the Fourth of July. Matched on the English `date-holidays` name, so a
 * country whose calendar has the holiday (on its own date: Mothering Sunday in the UK) gets it.
 */
interface HolidayWindow {
  readonly flag: string;
  readonly label: string;
  /** Plural for "from your last 2 ..." */
  readonly plural: string;
  readonly match: RegExp;
  readonly from: number;
  readonly to: number;
}

const WINDOWS: readonly HolidayWindow[] = [
  {
    flag: 'valentines_day',
    label: "Valentine's Day",
    plural: "Valentine's Days",
    match: /^valentine'?s day$/i,
    from: -3,
    to: 0,
  },
  {
    flag: 'easter',
    label: 'Easter weekend',
    plural: 'Easter weekends',
    match: /^easter sunday$/i,
    from: -2,
    to: 1,
  },
  {
    flag: 'mothers_day',
    label: "Mother's Day weekend",
    plural: "Mother's Days",
    match: /^mother'?s day$/i,
    from: -2,
    to: 0,
  },
  {
    flag: 'fathers_day',
    label: "Father's Day weekend",
    plural: "Father's Days",
    match: /^father'?s day$/i,
    from: -2,
    to: 0,
  },
  {
    flag: 'memorial_day',
    label: 'Memorial Day weekend',
    plural: 'Memorial Day weekends',
    match: /^memorial day$/i,
    from: -2,
    to: 0,
  },
  {
    flag: 'independence_day',
    label: 'Fourth of July',
    plural: 'Fourths of July',
    match: /^independence day$/i,
    from: -3,
    to: 3,
  },
  {
    flag: 'labor_day',
    label: 'Labor Day weekend',
    plural: 'Labor Day weekends',
    match: /^labou?r day$/i,
    from: -2,
    to: 0,
  },
  {
    flag: 'halloween',
    label: 'Halloween',
    plural: 'Halloweens',
    match: /^halloween$/i,
    from: -6,
    to: 0,
  },
  {
    flag: 'thanksgiving_week',
    label: 'Thanksgiving week',
    plural: 'Thanksgiving weeks',
    match: /^thanksgiving( day)?$/i,
    from: -6,
    to: -1,
  },
  {
    flag: 'thanksgiving_day',
    label: 'Thanksgiving Day',
    plural: 'Thanksgiving Days',
    match: /^thanksgiving( day)?$/i,
    from: 0,
    to: 0,
  },
  {
    flag: 'thanksgiving_weekend',
    label: 'Thanksgiving weekend',
    plural: 'Thanksgiving weekends',
    match: /^thanksgiving( day)?$/i,
    from: 1,
    to: 3,
  },
  {
    flag: 'christmas_week',
    label: 'Christmas week',
    plural: 'Christmas weeks',
    match: /^christmas day$/i,
    from: -7,
    to: -1,
  },
  {
    flag: 'christmas_day',
    label: 'Christmas Day',
    plural: 'Christmas Days',
    match: /^christmas day$/i,
    from: 0,
    to: 0,
  },
  {
    flag: 'new_year_week',
    label: 'New Year week',
    plural: 'New Year weeks',
    match: /^christmas day$/i,
    from: 1,
    to: 7,
  },
];

const LABELS: Readonly<Record<string, { label: string; plural: string }>> = {
  is_holiday: { label: 'Public holiday', plural: 'public holidays' },
  is_school_holiday: { label: 'School holidays', plural: 'school holiday days' },
  ...Object.fromEntries(WINDOWS.map((w) => [w.flag, { label: w.label, plural: w.plural }])),
};

/**
 * The vendor's name of a calendar flag ("Christmas week", or "Whit Monday" for one the engine
 * derived from dates), or the flag itself when unknown.
 */
export function holidayLabel(flag: string): { label: string; plural: string } {
  return (
    LABELS[flag] ??
    dateFlagLabel(flag) ?? { label: flag.replaceAll('_', ' '), plural: flag.replaceAll('_', ' ') }
  );
}

const DAY_MS = 86_400_000;
const calendars = new Map<string, Holidays>();
const years = new Map<string, ReadonlyMap<string, readonly string[]>>();

function calendarOf(countryCode: string, regionCode: string | null): Holidays {
  const key = `${countryCode}|${regionCode ?? ''}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    // An unknown region falls back to the country; an unknown country has no holidays. The
    // library throws for some unknown regions of countries it knows (a TypeError in its rules
    // lookup), so a region it cannot read also falls back to the country.
    calendar = regionCode ? regionalCalendar(countryCode, regionCode) : new Holidays(countryCode);
    calendars.set(key, calendar);
  }
  return calendar;
}

function regionalCalendar(countryCode: string, regionCode: string): Holidays {
  try {
    return new Holidays(countryCode, regionCode);
  } catch {
    return new Holidays(countryCode);
  }
}

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function flagsOfYear(
  countryCode: string,
  regionCode: string | null,
  year: number,
): ReadonlyMap<string, readonly string[]> {
  const key = `${countryCode}|${regionCode ?? ''}|${year}`;
  let byDate = years.get(key);
  if (!byDate) {
    const map = new Map<string, string[]>();
    const add = (date: string, flag: string) => {
      const list = map.get(date) ?? [];
      if (!list.includes(flag)) list.push(flag);
      map.set(date, list);
    };
    // Windows reach into the next and previous year (New Year week, a Christmas on Jan 7).
    const calendar = calendarOf(countryCode, regionCode);
    for (const y of [year - 1, year, year + 1]) {
      for (const holiday of calendar.getHolidays(y, 'en')) {
        // `date` is the local start 'YYYY-MM-DD hh:mm:ss'; a multi-day holiday covers each day.
        const first = Date.parse(`${holiday.date.slice(0, 10)}T00:00:00Z`);
        const flag = FLAG_BY_TYPE[holiday.type];
        if (flag && y === year) {
          const span = Math.max(
            1,
            Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS),
          );
          for (let d = 0; d < Math.min(span, 62); d++) add(dateOf(first + d * DAY_MS), flag);
        }
        for (const window of WINDOWS) {
          if (!window.match.test(holiday.name)) continue;
          for (let d = window.from; d <= window.to; d++) {
            const date = dateOf(first + d * DAY_MS);
            if (Number(date.slice(0, 4)) === year) add(date, window.flag);
          }
        }
      }
    }
    byDate = map;
    years.set(key, byDate);
  }
  return byDate;
}

/**
 * The country and region as `date-holidays` reads them, and the date's year; null for a country
 * code that is not two letters. Regions may be stored as ISO 3166-2 ('US-IL') or bare ('IL').
 */
function placeOf(options: {
  countryCode: string;
  regionCode: string | null;
  date: string;
}): { country: string; region: string | null; year: number } | null {
  const year = Number(options.date.slice(0, 4));
  const country = options.countryCode.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country) || !Number.isInteger(year)) return null;
  const region =
    options.regionCode
      ?.trim()
      .toUpperCase()
      .replace(/^[A-Z]{2}-/, '') || null;
  return { country, region, year };
}

/**
 * Holiday flags of a local `YYYY-MM-DD` date in a country and region (ISO 3166 codes as
 * `date-holidays` knows them): `is_holiday` / `is_school_holiday` on the day itself, and the
 * named windows vendors live by (`christmas_week`, `mothers_day`, ...). Only flags that are set
 * are returned; an unknown country gives none. Calendars are cached per year.
 */
export function holidayFlagsOn(options: {
  countryCode: string;
  regionCode: string | null;
  date: string;
}): Record<string, boolean> {
  const flags: Record<string, boolean> = {};
  const place = placeOf(options);
  if (!place) return flags;
  const { country, region, year } = place;
  for (const flag of flagsOfYear(country, region, year).get(options.date) ?? []) {
    flags[flag] = true;
  }
  return flags;
}

/**
 * Public holidays on which most markets do not open: a market day on one is worth a question to
 * the vendor before a prep list is packed. Matched on the English name of the day itself (not a
 * substitute day: a Christmas Eve market on the observed Friday is a busy one).
 */
const CLOSING_HOLIDAY = /^(christmas day|new year'?s day|thanksgiving( day)?)$/i;
const closingHolidays = new Map<string, ReadonlyMap<string, string>>();

/**
 * The name of the holiday on a local `YYYY-MM-DD` date on which most markets close ("Christmas
 * Day", "New Year's Day", "Thanksgiving Day"), in the market's country and region (as
 * `holidayFlagsOn` reads them); null on any other day or in a country `date-holidays` does not know.
 */
export function closingHolidayOn(
  market: { countryCode: string; regionCode: string | null },
  date: string,
): string | null {
  const place = placeOf({ ...market, date });
  if (!place) return null;
  const { country, region, year } = place;
  const key = `${country}|${region ?? ''}|${year}`;
  let byDate = closingHolidays.get(key);
  if (!byDate) {
    const map = new Map<string, string>();
    for (const holiday of calendarOf(country, region).getHolidays(year, 'en')) {
      if (holiday.type === 'public' && CLOSING_HOLIDAY.test(holiday.name)) {
        map.set(holiday.date.slice(0, 10), holiday.name);
      }
    }
    closingHolidays.set(key, (byDate = map));
  }
  return byDate.get(date) ?? null;
}
