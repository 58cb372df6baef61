import Holidays from 'date-holidays';

/** Holiday kinds the prep list cares about (`date-holidays` also has optional and observance). */
export type MarketHolidayType = 'public' | 'bank' | 'school';

/** One holiday on one local date (multi-day holidays appear once per day). */
export interface MarketHoliday {
  date: string;
  name: string;
  type: MarketHolidayType;
  /** A day off given in place of a holiday that fell on a weekend. */
  substitute: boolean;
}

/** Which holidays to list. */
export interface ListHolidaysRequest {
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
  /** Subdivision: `CA` or `US-CA` (ISO 3166-2); null for country-wide only. */
  regionCode?: string | null;
  /** The market's IANA zone. */
  timeZone?: string;
  /** Inclusive local dates `YYYY-MM-DD`. */
  from: string;
  to: string;
  types?: readonly MarketHolidayType[];
  /** Language of the names. Default `en`. */
  language?: string;
}

const DEFAULT_TYPES: readonly MarketHolidayType[] = ['public', 'bank', 'school'];
const DAY_MS = 86_400_000;
const calendars = new Map<string, Holidays>();

function calendarFor(request: ListHolidaysRequest): Holidays {
  const country = request.countryCode.toUpperCase();
  const region = request.regionCode?.toUpperCase().replace(new RegExp(`^${country}-`), '') || '';
  const language = request.language ?? 'en';
  const key = `${country}|${region}|${request.timeZone ?? ''}|${language}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    const options = {
      languages: [language],
      ...(request.timeZone ? { timezone: request.timeZone } : {}),
    };
    calendar = region ? new Holidays(country, region, options) : new Holidays(country, options);
    calendars.set(key, calendar);
  }
  return calendar;
}

function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/**
 * Public, bank and school holidays between two local dates for a market's country and region,
 * from `date-holidays` (offline, no provider). An unknown country yields an empty list; an unknown
 * region falls back to the country. Note: `date-holidays` knows few school holidays (single days
 * in some countries, no school terms), so an empty school list does not mean "no school break".
 */
export function listHolidays(request: ListHolidaysRequest): MarketHoliday[] {
  const calendar = calendarFor(request);
  const types = new Set<string>(request.types ?? DEFAULT_TYPES);
  const firstYear = Number(request.from.slice(0, 4));
  const lastYear = Number(request.to.slice(0, 4));
  const result: MarketHoliday[] = [];
  const seen = new Set<string>();
  for (let year = firstYear - 1; year <= lastYear; year += 1) {
    for (const holiday of calendar.getHolidays(year, request.language ?? 'en')) {
      if (!types.has(holiday.type)) continue;
      const start = holiday.date.slice(0, 10);
      const days = Math.max(
        1,
        Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS),
      );
      for (let offset = 0; offset < days; offset += 1) {
        const date = addDays(start, offset);
        if (date < request.from || date > request.to) continue;
        const key = `${date}|${holiday.name}|${holiday.type}`;
        if (seen.has(key)) continue;
        seen.add(key);
        result.push({
          date,
          name: holiday.name,
          type: holiday.type as MarketHolidayType,
          substitute: holiday.substitute === true,
        });
      }
    }
  }
  return result.sort((a, b) => a.date.localeCompare(b.date) || a.name.localeCompare(b.name));
}
