import { z } from 'zod';
import type { AnswerCache } from '../cache/fail-open-redis';
import type { NwsClient } from './nws.client';
import type { OpenMeteoClient } from './open-meteo.client';
import type { DailyWeather } from './types';

/**
 * How long a provider's daily forecast is reused. The worker refreshes every vendor's weather
 * hourly, and several vendors trade at the same market (the same point): within half an hour
 * they share one provider call, and each hourly refresh still sees a forecast fetched within the
 * last 30 minutes (both providers update hourly at most).
 */
export const WEATHER_ANSWER_TTL_MS = { nws: 30 * 60_000, openMeteo: 30 * 60_000 } as const;

const number = z.number().nullable();
/** A cached answer is validated on the way out like a provider's, a bad one is a miss. */
const CachedDaysSchema = z.array(
  z.object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    values: z.object({
      tempMaxC: number,
      tempMinC: number,
      tempMeanC: number,
      precipMm: number,
      precipProb: number,
      sunshineHours: number,
      windKph: number,
      cloudCoverPct: number,
      humidityPct: number,
      summary: z.string().nullable(),
    }),
  }),
);

/** A point to 4 decimals (about 11 m): the same market's coordinates give the same key. */
const point = (latitude: number, longitude: number) =>
  `${latitude.toFixed(4)},${longitude.toFixed(4)}`;

async function cachedDays(
  cache: AnswerCache,
  key: string,
  ttlMs: number,
  fetch: () => Promise<DailyWeather[]>,
): Promise<DailyWeather[]> {
  const held = await cache.get(key);
  if (held !== undefined) {
    try {
      const parsed = CachedDaysSchema.safeParse(JSON.parse(held));
      if (parsed.success) return parsed.data;
    } catch {
      // Not JSON: fetched again below and overwritten.
    }
  }
  const days = await fetch();
  // Only answers are kept: a provider error is thrown as before and tried again next time.
  await cache.set(key, JSON.stringify(days), ttlMs);
  return days;
}

/** `client` with its daily forecasts kept in `cache` for `ttlMs`, keyed by point and zone. */
export function withCachedNwsForecasts(
  client: NwsClient,
  cache: AnswerCache,
  ttlMs: number = WEATHER_ANSWER_TTL_MS.nws,
): NwsClient {
  return {
    getDailyForecast: (request) =>
      cachedDays(
        cache,
        `nws:${point(request.latitude, request.longitude)}:${request.timeZone ?? ''}`,
        ttlMs,
        () => client.getDailyForecast(request),
      ),
  };
}

/**
 * `client` with its daily forecasts kept in `cache` for `ttlMs`, keyed by point, zone and dates.
 * Archive reads (history backfills, asked once per market) go straight to the provider.
 */
export function withCachedOpenMeteoForecasts(
  client: OpenMeteoClient,
  cache: AnswerCache,
  ttlMs: number = WEATHER_ANSWER_TTL_MS.openMeteo,
): OpenMeteoClient {
  return {
    getDailyForecast: (request) =>
      cachedDays(
        cache,
        `open-meteo:${point(request.latitude, request.longitude)}:${request.timeZone}:` +
          `${request.startDate}:${request.endDate}`,
        ttlMs,
        () => client.getDailyForecast(request),
      ),
    getDailyArchive: (request) => client.getDailyArchive(request),
  };
}
