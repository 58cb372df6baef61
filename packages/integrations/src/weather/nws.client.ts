import { z } from 'zod';
import { ProviderSchemaError, isProviderError, type ProviderError } from '../http/errors';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../http/http-client';
import {
  emptyWeatherValues,
  fahrenheitToCelsius,
  localDateOf,
  roundOrNull,
  type DailyWeather,
} from './types';

/** NWS `{unitCode, value}`; `value` is null when the forecast has none (see contracts quirks). */
const QuantitativeValueSchema = z.object({
  unitCode: z.string().optional(),
  value: z.number().nullable().optional(),
});

/** The part of `GET /points/{lat},{lon}` we use; other fields pass unchecked. */
export const NwsPointSchema = z.object({
  properties: z.object({
    forecast: z.string().min(1),
    timeZone: z.string().optional(),
    gridId: z.string().optional(),
    gridX: z.number().int().optional(),
    gridY: z.number().int().optional(),
  }),
});

/** One period of `GET /gridpoints/{wfo}/{x},{y}/forecast`, tolerant of the live API's extra fields. */
export const NwsForecastPeriodSchema = z.object({
  startTime: z.string().min(10),
  endTime: z.string().min(10).optional(),
  isDaytime: z.boolean(),
  temperature: z.union([z.number(), QuantitativeValueSchema]),
  temperatureUnit: z.enum(['F', 'C']).optional(),
  probabilityOfPrecipitation: QuantitativeValueSchema.nullable().optional(),
  relativeHumidity: QuantitativeValueSchema.nullable().optional(),
  windSpeed: z.union([z.string(), QuantitativeValueSchema]).nullable().optional(),
  shortForecast: z.string().nullable().optional(),
});

/** `GET /gridpoints/{wfo}/{x},{y}/forecast` (GeoJSON). */
export const NwsForecastSchema = z.object({
  properties: z.object({ periods: z.array(NwsForecastPeriodSchema) }),
});

/** A parsed NWS forecast period. */
export type NwsForecastPeriod = z.output<typeof NwsForecastPeriodSchema>;

/** Configuration for the NWS client; `userAgent` must identify the app and a contact. */
export interface NwsClientOptions {
  /** Default `https://api.weather.gov`; the fake's URL in demo mode and tests. */
  baseUrl?: string;
  userAgent: string;
  http?: Omit<HttpClientOptions, 'provider' | 'userAgent'>;
}

/** Request for a daily forecast at a US point. */
export interface NwsForecastRequest {
  latitude: number;
  longitude: number;
  /** The market's IANA zone; periods are grouped by local date in it. Default: the point's zone. */
  timeZone?: string;
  signal?: AbortSignal;
}

/** National Weather Service client (US points only). */
export interface NwsClient {
  getDailyForecast(request: NwsForecastRequest): Promise<DailyWeather[]>;
}

/** Countries and territories NWS forecasts cover. */
const NWS_COUNTRIES = new Set(['US', 'PR', 'GU', 'VI', 'AS', 'MP']);

/** True when NWS covers a market in `countryCode` (ISO 3166-1 alpha-2). */
export function isNwsCountry(countryCode: string): boolean {
  return NWS_COUNTRIES.has(countryCode.toUpperCase());
}

/** True for an error raised by the NWS client. */
export function isNwsError(error: unknown): error is ProviderError {
  return isProviderError(error) && error.provider === 'nws';
}

/** NWS wants at most 4 decimals (more gets a redirect); trailing zeros dropped. */
function formatCoordinate(value: number): string {
  return String(Number(value.toFixed(4)));
}

/** Builds the NWS client. */
export function createNwsClient(options: NwsClientOptions): NwsClient {
  const baseUrl = new URL(options.baseUrl ?? 'https://api.weather.gov');
  const http: HttpClient = createHttpClient({
    ...options.http,
    provider: 'nws',
    userAgent: options.userAgent,
  });
  const headers = { accept: 'application/geo+json' };

  return {
    async getDailyForecast(request) {
      const pointUrl = new URL(
        `points/${formatCoordinate(request.latitude)},${formatCoordinate(request.longitude)}`,
        withTrailingSlash(baseUrl),
      );
      const point = await http.getJson({
        url: pointUrl,
        schema: NwsPointSchema,
        headers,
        signal: request.signal,
      });
      const forecastUrl = new URL(point.properties.forecast, baseUrl);
      // Only follow links to the configured host (no SSRF through a provider's answer).
      if (forecastUrl.origin !== baseUrl.origin) {
        throw new ProviderSchemaError({
          provider: 'nws',
          message: `forecast link points outside ${baseUrl.origin}`,
          url: pointUrl.toString(),
        });
      }
      const forecast = await http.getJson({
        url: forecastUrl,
        schema: NwsForecastSchema,
        headers,
        signal: request.signal,
      });
      const timeZone = request.timeZone ?? point.properties.timeZone;
      return toDailyWeather(forecast.properties.periods, timeZone);
    },
  };
}

function withTrailingSlash(url: URL): URL {
  const copy = new URL(url.toString());
  if (!copy.pathname.endsWith('/')) copy.pathname += '/';
  return copy;
}

function temperatureCelsius(period: NwsForecastPeriod): number | null {
  const { temperature } = period;
  if (typeof temperature === 'number') {
    return period.temperatureUnit === 'C' ? temperature : fahrenheitToCelsius(temperature);
  }
  if (temperature.value === null || temperature.value === undefined) return null;
  return /degF$/i.test(temperature.unitCode ?? '')
    ? fahrenheitToCelsius(temperature.value)
    : roundOrNull(temperature.value);
}

/** "10 mph", "5 to 10 mph", "15 km/h" or a QuantitativeValue → km/h (the highest figure). */
function windKph(windSpeed: NwsForecastPeriod['windSpeed']): number | null {
  if (windSpeed === null || windSpeed === undefined) return null;
  if (typeof windSpeed !== 'string') {
    if (windSpeed.value === null || windSpeed.value === undefined) return null;
    const unit = windSpeed.unitCode ?? '';
    if (/m_s/.test(unit)) return roundOrNull(windSpeed.value * 3.6);
    if (/mi_h|mph/.test(unit)) return roundOrNull(windSpeed.value * 1.609344);
    return roundOrNull(windSpeed.value);
  }
  const numbers = [...windSpeed.matchAll(/\d+(\.\d+)?/g)].map((match) => Number(match[0]));
  if (numbers.length === 0) return null;
  const max = Math.max(...numbers);
  return roundOrNull(/mph/i.test(windSpeed) ? max * 1.609344 : max);
}

/**
 * Groups 12-hour periods by local date: the day period gives the high, the night period starting
 * that evening gives the low (NWS's own "Tuesday / Tuesday Night"), precipitation chance is the
 * largest of the date's periods, and the text is the day period's.
 */
export function toDailyWeather(
  periods: readonly NwsForecastPeriod[],
  timeZone: string | undefined,
): DailyWeather[] {
  const byDate = new Map<string, DailyWeather>();
  const humidity = new Map<string, number[]>();
  for (const period of periods) {
    const date = timeZone
      ? localDateOf(new Date(period.startTime), timeZone)
      : period.startTime.slice(0, 10);
    let day = byDate.get(date);
    if (!day) {
      day = { date, values: emptyWeatherValues() };
      byDate.set(date, day);
    }
    const values = day.values;
    const temperature = temperatureCelsius(period);
    if (temperature !== null) {
      if (period.isDaytime) values.tempMaxC = Math.max(values.tempMaxC ?? -Infinity, temperature);
      else values.tempMinC = Math.min(values.tempMinC ?? Infinity, temperature);
    }
    const pop = period.probabilityOfPrecipitation?.value;
    if (pop !== null && pop !== undefined) {
      values.precipProb = Math.max(values.precipProb ?? 0, roundOrNull(pop / 100, 2) ?? 0);
    }
    const wind = windKph(period.windSpeed);
    if (wind !== null) values.windKph = Math.max(values.windKph ?? 0, wind);
    const rh = period.relativeHumidity?.value;
    if (rh !== null && rh !== undefined) humidity.set(date, [...(humidity.get(date) ?? []), rh]);
    const text = period.shortForecast?.trim();
    if (text && (period.isDaytime || values.summary === null)) values.summary = text;
  }
  for (const [date, readings] of humidity) {
    const day = byDate.get(date);
    if (day && readings.length > 0) {
      day.values.humidityPct = roundOrNull(readings.reduce((a, b) => a + b, 0) / readings.length);
    }
  }
  // The mean of high and low: the usual daily-mean convention when hourly data is not fetched.
  for (const day of byDate.values()) {
    const { tempMaxC, tempMinC } = day.values;
    if (tempMaxC !== null && tempMinC !== null)
      day.values.tempMeanC = roundOrNull((tempMaxC + tempMinC) / 2);
  }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}
