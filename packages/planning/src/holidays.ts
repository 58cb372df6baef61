import Holidays from 'date-holidays';

/** Calendar flags the demand engine learns from, by `date-holidays` type. */
const FLAG_BY_TYPE: Readonly<Record<string, string>> = {
  public: 'is_holiday',
  bank: 'is_holiday',
  school: 'is_school_holiday',
};

const calendars = new Map<string, Holidays>();
const years = new Map<string, ReadonlyMap<string, readonly string[]>>();

function calendarOf(countryCode: string, regionCode: string | null): Holidays {
  const key = `${countryCode}|${regionCode ?? ''}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    // An unknown region falls back to the country; an unknown country has no holidays.
    calendar = regionCode ? new Holidays(countryCode, regionCode) : new Holidays(countryCode);
    calendars.set(key, calendar);
  }
  return calendar;
}

function flagsOfYear(
  countryCode: string,
  regionCode: string | null,
  year: number,
): ReadonlyMap<string, readonly string[]> {
  const key = `${countryCode}|${regionCode ?? ''}|${year}`;
  let byDate = years.get(key);
  if (!byDate) {
    const map = new Map<string, string[]>();
    for (const holiday of calendarOf(countryCode, regionCode).getHolidays(year)) {
      const flag = FLAG_BY_TYPE[holiday.type];
      // `date` is the local start 'YYYY-MM-DD hh:mm:ss'; a multi-day holiday covers each day.
      if (!flag) continue;
      const first = Date.parse(`${holiday.date.slice(0, 10)}T00:00:00Z`);
      const span = Math.max(
        1,
        Math.round((holiday.end.getTime() - holiday.start.getTime()) / 86_400_000),
      );
      for (let d = 0; d < Math.min(span, 62); d++) {
        const date = new Date(first + d * 86_400_000).toISOString().slice(0, 10);
        const list = map.get(date) ?? [];
        if (!list.includes(flag)) list.push(flag);
        map.set(date, list);
      }
    }
    byDate = map;
    years.set(key, byDate);
  }
  return byDate;
}

/**
 * Public and school holiday flags (`is_holiday`, `is_school_holiday`) of local `YYYY-MM-DD` dates
 * in a country and region (ISO 3166 codes as `date-holidays` knows them). Only flags that are set
 * are returned; an unknown country gives none. Calendars are cached per year.
 */
export function holidayFlagsOn(options: {
  countryCode: string;
  regionCode: string | null;
  date: string;
}): Record<string, boolean> {
  const year = Number(options.date.slice(0, 4));
  const flags: Record<string, boolean> = {};
  const country = options.countryCode.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country) || !Number.isInteger(year)) return flags;
  // Regions may be stored as ISO 3166-2 ('US-IL') or bare ('IL').
  const region =
    options.regionCode
      ?.trim()
      .toUpperCase()
      .replace(/^[A-Z]{2}-/, '') || null;
  for (const flag of flagsOfYear(country, region, year).get(options.date) ?? []) {
    flags[flag] = true;
  }
  return flags;
}
