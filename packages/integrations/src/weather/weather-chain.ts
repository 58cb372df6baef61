import type { CircuitBreakerLike } from '../http/breaker';
import type { NwsClient } from './nws.client';
import { isNwsCountry } from './nws.client';
import type { OpenMeteoClient } from './open-meteo.client';
import {
  emptyWeatherValues,
  localDateOf,
  type DailyWeather,
  type WeatherSource,
  type WeatherValues,
} from './types';

/** The market facts the chain needs. */
export interface WeatherChainMarket {
  latitude: number;
  longitude: number;
  /** IANA zone; dates are local dates in it. */
  timeZone: string;
  /** ISO 3166-1 alpha-2; NWS is asked only for US markets. */
  countryCode: string;
}

/** A previously stored value, as the database side returns it. */
export interface CachedWeather {
  source: WeatherSource;
  fetchedAt: Date;
  values: WeatherValues;
}

/** Everything the chain calls, injected (no database or clock in here). */
export interface WeatherChainDeps {
  nws?: { client: NwsClient; breaker: CircuitBreakerLike };
  openMeteo?: { client: OpenMeteoClient; breaker: CircuitBreakerLike };
  /** The newest stored forecast for the market and date, or null. */
  lastCached: (date: string) => Promise<CachedWeather | null>;
  /** Typical values for the date from the market's own history, or null. */
  climatology: (date: string) => Promise<WeatherValues | null>;
  /** Told about each provider that failed (for logs and metrics); the chain carries on. */
  onProviderError?: (source: 'nws' | 'open-meteo', error: unknown) => void;
}

/** Where a chained value came from: a provider, the cache (stale) or climatology; `none` if nothing. */
export type ChainedWeatherSource = WeatherSource | 'none';

/** One date's answer. */
export interface ChainedWeather {
  date: string;
  source: ChainedWeatherSource;
  /** True when the value is a cached one rather than fetched now. */
  stale: boolean;
  /** Age of a stale value in minutes. */
  ageMinutes?: number;
  values: WeatherValues;
}

/** Request for the chain. */
export interface ResolveWeatherRequest {
  market: WeatherChainMarket;
  /** Market-local dates `YYYY-MM-DD`. */
  dates: readonly string[];
  now: Date;
  deps: WeatherChainDeps;
  signal?: AbortSignal;
}

/** Open-Meteo's forecast endpoint serves 92 past days to 16 days ahead. */
const OPEN_METEO_PAST_DAYS = 92;
const OPEN_METEO_FORECAST_DAYS = 16;

function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

function hasAnyValue(values: WeatherValues): boolean {
  return Object.values(values).some((value) => value !== null);
}

/**
 * Weather for each date through the fallback chain: NWS (US markets) → Open-Meteo → the last cached
 * value (stale, with its age) → climatology. Each provider call runs through its breaker, so an
 * open breaker costs nothing and the chain answers from the cache at once. A provider failure is
 * reported through `onProviderError` and never thrown.
 */
export async function resolveWeather(request: ResolveWeatherRequest): Promise<ChainedWeather[]> {
  const { market, deps, now } = request;
  const dates = [...new Set(request.dates)].sort();
  const found = new Map<string, ChainedWeather>();
  const missing = (): string[] => dates.filter((date) => !found.has(date));

  const take = (days: readonly DailyWeather[], source: WeatherSource): void => {
    const wanted = new Set(missing());
    for (const day of days) {
      if (wanted.has(day.date) && hasAnyValue(day.values)) {
        found.set(day.date, { date: day.date, source, stale: false, values: day.values });
      }
    }
  };

  if (deps.nws && isNwsCountry(market.countryCode) && missing().length > 0) {
    const { client, breaker } = deps.nws;
    try {
      const days = await breaker.run(() =>
        client.getDailyForecast({
          latitude: market.latitude,
          longitude: market.longitude,
          timeZone: market.timeZone,
          signal: request.signal,
        }),
      );
      take(days, 'nws');
    } catch (error) {
      deps.onProviderError?.('nws', error);
    }
  }

  if (deps.openMeteo) {
    const today = localDateOf(now, market.timeZone);
    const first = addDays(today, -OPEN_METEO_PAST_DAYS);
    const last = addDays(today, OPEN_METEO_FORECAST_DAYS - 1);
    const inRange = missing().filter((date) => date >= first && date <= last);
    const startDate = inRange[0];
    const endDate = inRange.at(-1);
    if (startDate !== undefined && endDate !== undefined) {
      const { client, breaker } = deps.openMeteo;
      try {
        const days = await breaker.run(() =>
          client.getDailyForecast({
            latitude: market.latitude,
            longitude: market.longitude,
            timeZone: market.timeZone,
            startDate,
            endDate,
            signal: request.signal,
          }),
        );
        take(days, 'open-meteo');
      } catch (error) {
        deps.onProviderError?.('open-meteo', error);
      }
    }
  }

  for (const date of missing()) {
    const cached = await deps.lastCached(date);
    if (cached) {
      const ageMinutes = Math.max(
        0,
        Math.floor((now.getTime() - cached.fetchedAt.getTime()) / 60_000),
      );
      found.set(date, {
        date,
        source: cached.source,
        stale: true,
        ageMinutes,
        values: cached.values,
      });
    }
  }

  for (const date of missing()) {
    const values = await deps.climatology(date);
    if (values) found.set(date, { date, source: 'climatology', stale: false, values });
  }

  return dates.map(
    (date) =>
      found.get(date) ?? {
        date,
        source: 'none',
        stale: false,
        values: emptyWeatherValues(),
      },
  );
}
