import { describe, expect, it } from 'vitest';
import type { CircuitBreakerLike } from '../http/breaker';
import { ProviderHttpError } from '../http/errors';
import type { NwsClient } from './nws.client';
import type { OpenMeteoClient } from './open-meteo.client';
import { emptyWeatherValues, type DailyWeather, type WeatherValues } from './types';
import { resolveWeather, type WeatherChainMarket } from './weather-chain';

const passThrough = (provider: 'nws' | 'open-meteo'): CircuitBreakerLike => ({
  provider,
  state: 'closed',
  run: (task) => task(),
});

const values = (tempMaxC: number): WeatherValues => ({ ...emptyWeatherValues(), tempMaxC });
const day = (date: string, tempMaxC: number): DailyWeather => ({ date, values: values(tempMaxC) });
const failing = (): Promise<never> =>
  Promise.reject(new ProviderHttpError({ provider: 'nws', status: 503 }));

const us: WeatherChainMarket = {
  latitude: 40.7,
  longitude: -74,
  timeZone: 'America/New_York',
  countryCode: 'US',
};
const now = new Date('2026-06-10T12:00:00Z');

function deps(options: {
  nws?: NwsClient;
  openMeteo?: OpenMeteoClient;
  cached?: Record<string, number>;
}) {
  const errors: string[] = [];
  return {
    errors,
    deps: {
      ...(options.nws ? { nws: { client: options.nws, breaker: passThrough('nws') } } : {}),
      ...(options.openMeteo
        ? { openMeteo: { client: options.openMeteo, breaker: passThrough('open-meteo') } }
        : {}),
      lastCached: (date: string) => {
        const minutesOld = options.cached?.[date];
        return Promise.resolve(
          minutesOld === undefined
            ? null
            : {
                source: 'open-meteo' as const,
                fetchedAt: new Date(now.getTime() - minutesOld * 60_000),
                values: values(1),
              },
        );
      },
      climatology: (date: string) => Promise.resolve(date === '2026-06-30' ? null : values(99)),
      onProviderError: (source: 'nws' | 'open-meteo') => {
        errors.push(source);
      },
    },
  };
}

describe('weather chain', () => {
  it('takes NWS first and fills what it lacks from Open-Meteo', async () => {
    const { deps: chain } = deps({
      nws: { getDailyForecast: () => Promise.resolve([day('2026-06-11', 25)]) },
      openMeteo: {
        getDailyForecast: (request) =>
          Promise.resolve([day(request.startDate, 20), day(request.endDate, 21)]),
        getDailyArchive: failing,
      },
    });
    const result = await resolveWeather({
      market: us,
      dates: ['2026-06-12', '2026-06-11'],
      now,
      deps: chain,
    });
    expect(
      result.map((entry) => [entry.date, entry.source, entry.stale, entry.values.tempMaxC]),
    ).toEqual([
      ['2026-06-11', 'nws', false, 25],
      ['2026-06-12', 'open-meteo', false, 21],
    ]);
  });

  it('skips NWS outside the US', async () => {
    let nwsCalls = 0;
    const { deps: chain } = deps({
      nws: {
        getDailyForecast: () => {
          nwsCalls += 1;
          return Promise.resolve([day('2026-06-11', 25)]);
        },
      },
      openMeteo: {
        getDailyForecast: () => Promise.resolve([day('2026-06-11', 18)]),
        getDailyArchive: failing,
      },
    });
    const result = await resolveWeather({
      market: { ...us, countryCode: 'FR', timeZone: 'Europe/Paris' },
      dates: ['2026-06-11'],
      now,
      deps: chain,
    });
    expect(result[0]?.source).toBe('open-meteo');
    expect(nwsCalls).toBe(0);
  });

  it('falls to the cache (stale, with its age), then climatology, then none', async () => {
    const { deps: chain, errors } = deps({
      nws: { getDailyForecast: failing },
      openMeteo: { getDailyForecast: failing, getDailyArchive: failing },
      cached: { '2026-06-11': 95 },
    });
    const result = await resolveWeather({
      market: us,
      dates: ['2026-06-11', '2026-06-12', '2026-06-30'],
      now,
      deps: chain,
    });
    expect(
      result.map(({ date, source, stale, ageMinutes }) => ({ date, source, stale, ageMinutes })),
    ).toEqual([
      { date: '2026-06-11', source: 'open-meteo', stale: true, ageMinutes: 95 },
      { date: '2026-06-12', source: 'climatology', stale: false, ageMinutes: undefined },
      { date: '2026-06-30', source: 'none', stale: false, ageMinutes: undefined },
    ]);
    expect(result[1]?.values.tempMaxC).toBe(99);
    expect(errors).toEqual(['nws', 'open-meteo']);
  });

  it('asks Open-Meteo only for dates its forecast endpoint serves', async () => {
    const asked: string[] = [];
    const { deps: chain } = deps({
      openMeteo: {
        getDailyForecast: (request) => {
          asked.push(`${request.startDate}..${request.endDate}`);
          return Promise.resolve([day(request.startDate, 22)]);
        },
        getDailyArchive: failing,
      },
    });
    const result = await resolveWeather({
      market: us,
      dates: ['2026-06-20', '2026-08-01'],
      now,
      deps: chain,
    });
    expect(asked).toEqual(['2026-06-20..2026-06-20']);
    expect(result.map((entry) => entry.source)).toEqual(['open-meteo', 'climatology']);
  });
});
