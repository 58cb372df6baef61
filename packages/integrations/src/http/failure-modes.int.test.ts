import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from '../fakes/index';
import type { FakeMode } from '../fakes/fake-server';
import { createOpenMeteoClient } from '../weather/open-meteo.client';
import { createNwsClient } from '../weather/nws.client';
import { createTicketmasterClient } from '../events/ticketmaster.client';
import { ProviderBreaker } from './breaker';
import {
  ProviderCircuitOpenError,
  ProviderHttpError,
  ProviderNetworkError,
  ProviderSchemaError,
  ProviderTimeoutError,
  isProviderError,
} from './errors';

// Traffic goes to the local fakes on 127.0.0.1 only.
const now = new Date('2026-06-10T15:00:00Z');
const http = {
  timeoutMs: 250,
  retries: 2,
  backoff: { baseMs: 5, maxMs: 20 },
  maxRetryAfterMs: 2_000,
};
const userAgent = '(marketprep.test, ops@marketprep.test)';
let fakes: FakeProviders;

beforeAll(async () => {
  fakes = await startFakeProviders({ nws: { now: () => now }, openMeteo: { now: () => now } });
});
afterEach(() => {
  fakes.setMode('ok');
  fakes.nws.resetCounters();
  fakes.openMeteo.resetCounters();
  fakes.ticketmaster.resetCounters();
});
afterAll(async () => {
  await fakes.stop();
});

const openMeteoRequest = {
  latitude: 52.37,
  longitude: 4.9,
  timeZone: 'Europe/Amsterdam',
  startDate: '2026-06-10',
  endDate: '2026-06-12',
};

function openMeteo(overrides: Partial<typeof http> = {}) {
  return createOpenMeteoClient({
    forecastBaseUrl: fakes.urls.openMeteoForecast,
    userAgent,
    http: { ...http, ...overrides },
  });
}

const cases: {
  mode: FakeMode;
  error: unknown;
  attempts: number;
  options?: { delayMs?: number; retryAfterSeconds?: number };
}[] = [
  { mode: 'slow', options: { delayMs: 600 }, error: ProviderTimeoutError, attempts: 3 },
  { mode: 'hang', error: ProviderTimeoutError, attempts: 3 },
  { mode: 'error500', error: ProviderHttpError, attempts: 3 },
  { mode: 'rateLimited', options: { retryAfterSeconds: 0 }, error: ProviderHttpError, attempts: 3 },
  { mode: 'reset', error: ProviderNetworkError, attempts: 3 },
  { mode: 'malformed', error: ProviderSchemaError, attempts: 1 }, // a broken body is not retried
];

describe('clients against each failure mode', () => {
  for (const { mode, error, attempts, options } of cases) {
    it(`${mode}: ${attempts === 1 ? 'no retry' : 'retries'}, then ${(error as { name: string }).name}`, async () => {
      fakes.openMeteo.setMode(mode, options);
      const caught: unknown = await openMeteo()
        .getDailyForecast(openMeteoRequest)
        .catch((e: unknown) => e);
      expect(caught).toBeInstanceOf(error);
      expect(isProviderError(caught) && caught.provider).toBe('open-meteo');
      expect(fakes.openMeteo.requestCount).toBe(attempts);
    });
  }

  it('recovers within its retries when the failure is brief', async () => {
    fakes.openMeteo.setMode('error500', { times: 2 });
    const days = await openMeteo().getDailyForecast(openMeteoRequest);
    expect(days.map((day) => day.date)).toEqual(['2026-06-10', '2026-06-11', '2026-06-12']);
    expect(fakes.openMeteo.requests.map((request) => request.mode)).toEqual([
      'error500',
      'error500',
      'ok',
    ]);
  });

  it('honours Retry-After on 429', async () => {
    fakes.ticketmaster.setMode('rateLimited', { retryAfterSeconds: 1, times: 1 });
    const client = createTicketmasterClient({
      apiKey: fakes.ticketmasterApiKey,
      baseUrl: fakes.urls.ticketmaster,
      userAgent,
      maxPages: 1,
      http,
    });
    const started = performance.now();
    const events = await client.searchEvents({
      latitude: 40.71,
      longitude: -74,
      radiusKm: 40,
      startDate: '2026-06-10',
      endDate: '2026-06-20',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(events.length).toBeGreaterThan(0);
    expect(fakes.ticketmaster.requestCount).toBe(2);
  });

  it('does not retry a 400 and sends its User-Agent', async () => {
    const caught: unknown = await openMeteo()
      .getDailyForecast({ ...openMeteoRequest, latitude: 999 })
      .catch((e: unknown) => e);
    expect(caught instanceof ProviderHttpError && [caught.status, caught.retryable]).toEqual([
      400,
      false,
    ]);
    expect(fakes.openMeteo.requestCount).toBe(1);
    expect(fakes.openMeteo.requests[0]?.userAgent).toBe(userAgent);
  });

  it('a wrong Ticketmaster key is a non-retryable 401 whose message and URL hide the key', async () => {
    const client = createTicketmasterClient({
      apiKey: 'canary-key-123',
      baseUrl: fakes.urls.ticketmaster,
      userAgent,
      http,
    });
    const caught: unknown = await client
      .searchEvents({
        latitude: 40.71,
        longitude: -74,
        radiusKm: 10,
        startDate: '2026-06-10',
        endDate: '2026-06-11',
      })
      .catch((e: unknown) => e);
    expect(caught instanceof ProviderHttpError && caught.status).toBe(401);
    expect(`${String(caught)} ${JSON.stringify(caught)}`).not.toContain('canary-key-123');
    expect(fakes.ticketmaster.requestCount).toBe(1);
  });
});

describe('circuit breaker around a provider', () => {
  const breakerOptions = {
    windowMs: 5_000,
    volumeThreshold: 3,
    errorThresholdPercentage: 50,
    resetTimeoutMs: 300,
  };

  it('is not tripped by 400s', async () => {
    const breaker = new ProviderBreaker('open-meteo', breakerOptions);
    const client = openMeteo({ retries: 0 });
    for (let i = 0; i < 10; i += 1) {
      await expect(
        breaker.run(() => client.getDailyForecast({ ...openMeteoRequest, latitude: 999 })),
      ).rejects.toBeInstanceOf(ProviderHttpError);
    }
    expect(breaker.state).toBe('closed');
    expect(fakes.openMeteo.requestCount).toBe(10);
    breaker.shutdown();
  });

  for (const mode of ['error500', 'rateLimited', 'reset', 'hang', 'malformed', 'slow'] as const) {
    it(`opens on ${mode} within one window, then fails fast without calling`, async () => {
      fakes.nws.setMode(mode, { delayMs: 600, retryAfterSeconds: 0 });
      const breaker = new ProviderBreaker('nws', breakerOptions);
      const opened: string[] = [];
      breaker.on('open', (provider) => opened.push(provider));
      const client = createNwsClient({
        baseUrl: fakes.urls.nws,
        userAgent,
        http: { ...http, retries: 0 },
      });
      const call = () =>
        breaker.run(() => client.getDailyForecast({ latitude: 40.71, longitude: -74 }));
      for (let i = 0; i < 3; i += 1) await call().catch(() => undefined);
      expect(breaker.state).toBe('open');
      expect(opened).toEqual(['nws']);
      const served = fakes.nws.requestCount;
      const started = performance.now();
      await expect(call()).rejects.toBeInstanceOf(ProviderCircuitOpenError);
      expect(performance.now() - started).toBeLessThan(50); // no network: well under the 20 ms p99 bar, slack for a loaded CI box
      expect(fakes.nws.requestCount).toBe(served);
      breaker.shutdown();
    });
  }

  it('lets one trial call through after resetTimeout and closes when the provider is back', async () => {
    const breaker = new ProviderBreaker('nws', breakerOptions);
    const states: string[] = [];
    for (const event of ['open', 'halfOpen', 'close'] as const)
      breaker.on(event, () => states.push(event));
    const client = createNwsClient({
      baseUrl: fakes.urls.nws,
      userAgent,
      http: { ...http, retries: 0 },
    });
    const call = () =>
      breaker.run(() => client.getDailyForecast({ latitude: 40.71, longitude: -74 }));

    fakes.nws.setMode('error500');
    for (let i = 0; i < 3; i += 1) await call().catch(() => undefined);
    expect(breaker.state).toBe('open');

    // Still failing at the trial: the breaker opens again.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(breaker.state).toBe('halfOpen');
    await expect(call()).rejects.toBeInstanceOf(ProviderHttpError);
    expect(breaker.state).toBe('open');

    fakes.nws.setMode('ok');
    await new Promise((resolve) => setTimeout(resolve, 350));
    const days = await call();
    expect(days).toHaveLength(7);
    expect(breaker.state).toBe('closed');
    expect(states).toEqual(['open', 'halfOpen', 'open', 'halfOpen', 'close']);
    breaker.shutdown();
  });
});
