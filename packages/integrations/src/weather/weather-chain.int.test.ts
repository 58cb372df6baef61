import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from '../fakes/index';
import { createTicketmasterClient } from '../events/ticketmaster.client';
import { BreakerRegistry } from '../http/breaker';
import { createNwsClient } from './nws.client';
import { createOpenMeteoClient } from './open-meteo.client';
import { emptyWeatherValues } from './types';
import { resolveWeather, type CachedWeather, type WeatherChainDeps } from './weather-chain';

// The real clients and breakers against the local fakes, falling through as providers fail.
const now = new Date('2026-06-10T15:00:00Z');
const userAgent = '(marketprep.test, ops@marketprep.test)';
const http = { timeoutMs: 200, retries: 1, backoff: { baseMs: 5, maxMs: 10 } };
const market = {
  latitude: 40.7128,
  longitude: -74.006,
  timeZone: 'America/New_York',
  countryCode: 'US',
};
const dates = ['2026-06-13', '2026-06-20'];
let fakes: FakeProviders;
let breakers: BreakerRegistry;

beforeAll(async () => {
  fakes = await startFakeProviders({ nws: { now: () => now }, openMeteo: { now: () => now } });
});
afterEach(() => {
  fakes.setMode('ok');
  fakes.nws.resetCounters();
  fakes.openMeteo.resetCounters();
  breakers.shutdown();
});
afterAll(async () => {
  await fakes.stop();
});

function chainDeps(cache: Record<string, CachedWeather> = {}): WeatherChainDeps {
  breakers = new BreakerRegistry({ volumeThreshold: 2, windowMs: 5_000, resetTimeoutMs: 60_000 });
  return {
    nws: {
      client: createNwsClient({ baseUrl: fakes.urls.nws, userAgent, http }),
      breaker: breakers.get('nws'),
    },
    openMeteo: {
      client: createOpenMeteoClient({
        forecastBaseUrl: fakes.urls.openMeteoForecast,
        userAgent,
        http,
      }),
      breaker: breakers.get('open-meteo'),
    },
    lastCached: (date) => Promise.resolve(cache[date] ?? null),
    climatology: () => Promise.resolve({ ...emptyWeatherValues(), tempMaxC: 24, precipProb: 0.3 }),
  };
}

const cachedValue: CachedWeather = {
  source: 'open-meteo',
  fetchedAt: new Date('2026-06-10T12:30:00Z'),
  values: { ...emptyWeatherValues(), tempMaxC: 27.5 },
};

describe('weather chain over the fakes', () => {
  it('uses NWS inside its 7 days and Open-Meteo beyond', async () => {
    const result = await resolveWeather({ market, dates, now, deps: chainDeps() });
    expect(result.map((entry) => [entry.date, entry.source, entry.stale])).toEqual([
      ['2026-06-13', 'nws', false],
      ['2026-06-20', 'open-meteo', false],
    ]);
    expect(result[0]?.values.tempMaxC).toEqual(expect.any(Number));
    expect(result[1]?.values.precipMm).toEqual(expect.any(Number));
  });

  it('NWS down: Open-Meteo answers every date', async () => {
    fakes.nws.setMode('error500');
    const result = await resolveWeather({ market, dates, now, deps: chainDeps() });
    expect(result.map((entry) => entry.source)).toEqual(['open-meteo', 'open-meteo']);
  });

  it('both down: cached (stale with its age), then climatology; open breakers answer fast', async () => {
    fakes.nws.setMode('reset');
    fakes.openMeteo.setMode('hang');
    const deps = chainDeps({ '2026-06-13': cachedValue });
    const failures: string[] = [];
    deps.onProviderError = (source) => failures.push(source);
    const first = await resolveWeather({ market, dates, now, deps });
    expect(
      first.map(({ date, source, stale, ageMinutes }) => ({ date, source, stale, ageMinutes })),
    ).toEqual([
      { date: '2026-06-13', source: 'open-meteo', stale: true, ageMinutes: 150 },
      { date: '2026-06-20', source: 'climatology', stale: false, ageMinutes: undefined },
    ]);
    expect(first[0]?.values.tempMaxC).toBe(27.5);
    expect(failures).toEqual(['nws', 'open-meteo']);

    // A second failing round opens both breakers (volume 2); from then on nothing is called.
    await resolveWeather({ market, dates, now, deps });
    expect(breakers.states()).toEqual({ nws: 'open', 'open-meteo': 'open' });
    const served = fakes.nws.requestCount + fakes.openMeteo.requestCount;
    const started = performance.now();
    const third = await resolveWeather({ market, dates, now, deps });
    expect(performance.now() - started).toBeLessThan(50); // no network: well under the 20 ms p99 bar, slack for a loaded CI box
    expect(fakes.nws.requestCount + fakes.openMeteo.requestCount).toBe(served);
    expect(third.map((entry) => entry.source)).toEqual(['open-meteo', 'climatology']);
  });

  it('never asks NWS for a market outside the US', async () => {
    const result = await resolveWeather({
      market: { latitude: 48.85, longitude: 2.35, timeZone: 'Europe/Paris', countryCode: 'FR' },
      dates,
      now,
      deps: chainDeps(),
    });
    expect(result.map((entry) => entry.source)).toEqual(['open-meteo', 'open-meteo']);
    expect(fakes.nws.requestCount).toBe(0);
  });
});

describe('Ticketmaster client over the fake', () => {
  it('pages through the results up to the cap, each event once and in the window', async () => {
    const request = {
      latitude: 40.7128,
      longitude: -74.006,
      radiusKm: 40,
      startDate: '2026-06-01',
      endDate: '2026-06-30',
    };
    const options = {
      apiKey: fakes.ticketmasterApiKey,
      baseUrl: fakes.urls.ticketmaster,
      userAgent,
      http,
    };
    const all = await createTicketmasterClient({ ...options, pageSize: 200 }).searchEvents(request);
    fakes.ticketmaster.resetCounters();
    const capped = await createTicketmasterClient({
      ...options,
      pageSize: 5,
      maxPages: 3,
    }).searchEvents(request);
    expect(all.length).toBeGreaterThan(15);
    expect(fakes.ticketmaster.requestCount).toBe(3);
    expect(capped.length).toBeLessThanOrEqual(15);
    expect(new Set(capped.map((event) => event.externalId)).size).toBe(capped.length);
    for (const event of all) {
      expect(event.date >= request.startDate && event.date <= request.endDate).toBe(true);
      expect(event.expectedAttendance).toBeNull();
      expect(event.distanceKm).toBeLessThanOrEqual(40);
    }
  });
});
