import { localDateOf } from '../weather/types';
import { FakeHttpServer, type FakeResponse } from './fake-server';
import {
  addDays,
  hash01,
  offsetMinutes,
  offsetOf,
  syntheticDay,
  usTimeZoneFor,
  type SyntheticDay,
} from './synthetic-weather';

/** Options for the Open-Meteo fake. */
export interface OpenMeteoFakeOptions {
  /** The fake's clock ("today", and the archive's ~5-day delay). Default: the real clock. */
  now?: () => Date;
}

type DailyVariable = { unit: string; value: (day: SyntheticDay) => number | null };

const DAILY: Record<string, DailyVariable> = {
  temperature_2m_max: { unit: '°C', value: (d) => d.tempMaxC },
  temperature_2m_min: { unit: '°C', value: (d) => d.tempMinC },
  temperature_2m_mean: { unit: '°C', value: (d) => d.tempMeanC },
  precipitation_sum: { unit: 'mm', value: (d) => d.precipMm },
  precipitation_probability_max: { unit: '%', value: (d) => d.precipProbPct },
  sunshine_duration: { unit: 's', value: (d) => d.sunshineSeconds },
  wind_speed_10m_max: { unit: 'km/h', value: (d) => d.windMaxKmh },
  cloud_cover_mean: { unit: '%', value: (d) => d.cloudCoverPct },
  relative_humidity_2m_mean: { unit: '%', value: (d) => d.humidityPct },
};

/** The archive has no probabilities; the real API rejects the variable there. */
const ARCHIVE_EXCLUDED = new Set(['precipitation_probability_max']);
/** ERA5 lags real time by about five days; later archive dates come back as null. */
const ARCHIVE_DELAY_DAYS = 5;

function badRequest(reason: string): FakeResponse {
  return { status: 400, body: { error: true, reason } };
}

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A fake of api.open-meteo.com `/v1/forecast` and archive-api.open-meteo.com `/v1/archive` (one
 * server serves both paths). Daily variables come back as parallel arrays beside `time`, in the
 * requested zone; bad coordinates, zones, dates or variables get Open-Meteo's 400 body.
 */
export function createOpenMeteoFake(options: OpenMeteoFakeOptions = {}): FakeHttpServer {
  const now = options.now ?? (() => new Date());
  return new FakeHttpServer(
    'open-meteo',
    ({ url }) => {
      const archive = url.pathname === '/v1/archive';
      if (url.pathname !== '/v1/forecast' && !archive) {
        return { status: 404, body: { error: true, reason: 'Not Found' } };
      }
      const params = url.searchParams;
      const latitude = Number(params.get('latitude'));
      const longitude = Number(params.get('longitude'));
      if (
        !params.has('latitude') ||
        !Number.isFinite(latitude) ||
        latitude < -90 ||
        latitude > 90
      ) {
        return badRequest(
          `Latitude must be in range of -90 to 90°. Given: ${params.get('latitude')}.`,
        );
      }
      if (
        !params.has('longitude') ||
        !Number.isFinite(longitude) ||
        longitude < -180 ||
        longitude > 180
      ) {
        return badRequest(
          `Longitude must be in range of -180 to 180°. Given: ${params.get('longitude')}.`,
        );
      }
      let timeZone = params.get('timezone') ?? 'GMT';
      if (timeZone === 'auto') timeZone = usTimeZoneFor(latitude, longitude);
      if (!isValidZone(timeZone)) return badRequest(`Invalid timezone ${timeZone}`);
      const variables = (params.get('daily') ?? '').split(',').filter((name) => name !== '');
      for (const name of variables) {
        if (!DAILY[name] || (archive && ARCHIVE_EXCLUDED.has(name))) {
          return badRequest(`Cannot initialize WeatherVariable from invalid String value ${name}.`);
        }
      }
      const today = localDateOf(now(), timeZone);
      let start = params.get('start_date');
      let end = params.get('end_date');
      if (archive && (!start || !end))
        return badRequest('Parameter start_date and end_date required');
      if (!start || !end) {
        const forecastDays = Number(params.get('forecast_days') ?? 7);
        start = today;
        end = addDays(today, Math.max(1, forecastDays) - 1);
      }
      if (!DATE.test(start) || !DATE.test(end) || end < start) {
        return badRequest(`Invalid date range ${start} to ${end}`);
      }
      if (!archive && (start < addDays(today, -92) || end > addDays(today, 15))) {
        return badRequest(
          `Parameter 'start_date' is out of allowed range from ${addDays(today, -92)} to ${addDays(today, 15)}`,
        );
      }
      const dates: string[] = [];
      for (let date = start; date <= end && dates.length < 400; date = addDays(date, 1))
        dates.push(date);
      const lastObserved = addDays(today, -ARCHIVE_DELAY_DAYS);
      const daily: Record<string, (number | string | null)[]> = { time: dates };
      const dailyUnits: Record<string, string> = { time: 'iso8601' };
      const days = dates.map((date) => syntheticDay(latitude, longitude, date));
      for (const name of variables) {
        const variable = DAILY[name];
        if (!variable) continue;
        dailyUnits[name] = variable.unit;
        daily[name] = days.map((day, index) =>
          archive && (dates[index] ?? '') > lastObserved ? null : variable.value(day),
        );
      }
      const offset = offsetOf(new Date(`${start}T12:00:00Z`), timeZone);
      const offsetHours = offsetMinutes(offset) / 60;
      return {
        status: 200,
        body: {
          latitude: Math.round(latitude * 1000) / 1000,
          longitude: Math.round(longitude * 1000) / 1000,
          generationtime_ms: Math.round(hash01(latitude, longitude, start) * 1000) / 100,
          utc_offset_seconds: offsetMinutes(offset) * 60,
          timezone: timeZone,
          timezone_abbreviation:
            offsetHours === 0 ? 'GMT' : `GMT${offsetHours > 0 ? '+' : ''}${offsetHours}`,
          elevation: Math.round(hash01(latitude, longitude, 'elevation') * 300),
          ...(variables.length > 0 ? { daily_units: dailyUnits, daily } : {}),
        },
      };
    },
    (status) => ({
      status,
      body: { error: true, reason: status === 429 ? 'Too many requests' : 'Internal Server Error' },
    }),
  );
}
