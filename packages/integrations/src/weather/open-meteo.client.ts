import { z } from 'zod';
import { isProviderError, type ProviderError } from '../http/errors';
import { createHttpClient, type HttpClientOptions } from '../http/http-client';
import { emptyWeatherValues, roundOrNull, type DailyWeather } from './types';

/** Daily variables requested from the forecast API. */
export const OPEN_METEO_FORECAST_DAILY = [
  'temperature_2m_max',
  'temperature_2m_min',
  'temperature_2m_mean',
  'precipitation_sum',
  'precipitation_probability_max',
  'sunshine_duration',
  'wind_speed_10m_max',
  'cloud_cover_mean',
  'relative_humidity_2m_mean',
] as const;

/** Daily variables requested from the archive (it has no precipitation probability). */
export const OPEN_METEO_ARCHIVE_DAILY = OPEN_METEO_FORECAST_DAILY.filter(
  (name) => name !== 'precipitation_probability_max',
);

const DailyValueSchema = z.union([z.number(), z.string(), z.null()]);

/**
 * An Open-Meteo `/v1/forecast` or `/v1/archive` answer: `daily` holds parallel arrays keyed by
 * variable plus `time` (local dates). Every array must be as long as `time`; values may be null.
 */
export const OpenMeteoResponseSchema = z.object({
  timezone: z.string().optional(),
  utc_offset_seconds: z.number().optional(),
  daily_units: z.record(z.string(), z.string()).optional(),
  daily: z
    .object({ time: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}/)) })
    .catchall(z.array(DailyValueSchema))
    .superRefine((daily, context) => {
      for (const [name, values] of Object.entries(daily)) {
        if (Array.isArray(values) && values.length !== daily.time.length) {
          context.addIssue({
            code: 'custom',
            path: [name],
            message: `${name} has ${values.length} values for ${daily.time.length} dates`,
          });
        }
      }
    }),
});

/** A parsed Open-Meteo answer. */
export type OpenMeteoResponse = z.output<typeof OpenMeteoResponseSchema>;

/** Configuration for the Open-Meteo client. */
export interface OpenMeteoClientOptions {
  /** Default `https://api.open-meteo.com` (`https://customer-api.open-meteo.com` with a key). */
  forecastBaseUrl?: string;
  /** Default `https://archive-api.open-meteo.com` (`https://customer-archive-api...` with a key). */
  archiveBaseUrl?: string;
  userAgent: string;
  /** For the commercial endpoints; the free tier is non-commercial only. */
  apiKey?: string;
  http?: Omit<HttpClientOptions, 'provider' | 'userAgent'>;
}

/** A daily request for one point; dates are market-local `YYYY-MM-DD`. */
export interface OpenMeteoDailyRequest {
  latitude: number;
  longitude: number;
  /** The market's IANA zone: days are cut at its midnight. */
  timeZone: string;
  startDate: string;
  endDate: string;
  signal?: AbortSignal;
}

/** Open-Meteo client: forecast and archive (observed history for training). */
export interface OpenMeteoClient {
  getDailyForecast(request: OpenMeteoDailyRequest): Promise<DailyWeather[]>;
  getDailyArchive(request: OpenMeteoDailyRequest): Promise<DailyWeather[]>;
}

/** True for an error raised by the Open-Meteo client (forecast or archive). */
export function isOpenMeteoError(error: unknown): error is ProviderError {
  return (
    isProviderError(error) &&
    (error.provider === 'open-meteo' || error.provider === 'open-meteo-archive')
  );
}

/** Builds the Open-Meteo client. */
export function createOpenMeteoClient(options: OpenMeteoClientOptions): OpenMeteoClient {
  const forecastHttp = createHttpClient({
    ...options.http,
    provider: 'open-meteo',
    userAgent: options.userAgent,
  });
  const archiveHttp = createHttpClient({
    ...options.http,
    provider: 'open-meteo-archive',
    userAgent: options.userAgent,
  });
  const forecastBase = options.forecastBaseUrl ?? 'https://api.open-meteo.com';
  const archiveBase = options.archiveBaseUrl ?? 'https://archive-api.open-meteo.com';

  function buildUrl(
    base: string,
    path: string,
    request: OpenMeteoDailyRequest,
    daily: readonly string[],
  ): URL {
    const url = new URL(path, base);
    url.searchParams.set('latitude', String(request.latitude));
    url.searchParams.set('longitude', String(request.longitude));
    url.searchParams.set('daily', daily.join(','));
    url.searchParams.set('timezone', request.timeZone);
    url.searchParams.set('start_date', request.startDate);
    url.searchParams.set('end_date', request.endDate);
    if (options.apiKey) url.searchParams.set('apikey', options.apiKey);
    return url;
  }

  return {
    async getDailyForecast(request) {
      const body = await forecastHttp.getJson({
        url: buildUrl(forecastBase, '/v1/forecast', request, OPEN_METEO_FORECAST_DAILY),
        schema: OpenMeteoResponseSchema,
        signal: request.signal,
      });
      return toDailyWeather(body);
    },
    async getDailyArchive(request) {
      const body = await archiveHttp.getJson({
        url: buildUrl(archiveBase, '/v1/archive', request, OPEN_METEO_ARCHIVE_DAILY),
        schema: OpenMeteoResponseSchema,
        signal: request.signal,
      });
      return toDailyWeather(body);
    },
  };
}

/** Turns Open-Meteo's parallel daily arrays into one record per date; missing variables are null. */
export function toDailyWeather(body: OpenMeteoResponse): DailyWeather[] {
  const daily = body.daily;
  const numberAt = (name: string, index: number): number | null => {
    const series = daily[name];
    const value = Array.isArray(series) ? series[index] : undefined;
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };
  return daily.time.map((time, index) => {
    const values = emptyWeatherValues();
    values.tempMaxC = roundOrNull(numberAt('temperature_2m_max', index));
    values.tempMinC = roundOrNull(numberAt('temperature_2m_min', index));
    values.tempMeanC = roundOrNull(numberAt('temperature_2m_mean', index));
    values.precipMm = roundOrNull(numberAt('precipitation_sum', index), 2);
    const probability = numberAt('precipitation_probability_max', index);
    values.precipProb = probability === null ? null : roundOrNull(probability / 100, 3);
    const sunshine = numberAt('sunshine_duration', index);
    values.sunshineHours = sunshine === null ? null : roundOrNull(sunshine / 3600, 2);
    values.windKph = roundOrNull(numberAt('wind_speed_10m_max', index));
    values.cloudCoverPct = roundOrNull(numberAt('cloud_cover_mean', index));
    values.humidityPct = roundOrNull(numberAt('relative_humidity_2m_mean', index));
    return { date: time.slice(0, 10), values };
  });
}
