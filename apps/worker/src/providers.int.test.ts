import { BreakerRegistry, startFakeProviders, type FakeProviders } from '@marketprep/integrations';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from './env';
import { createWorkerMetrics } from './observability/metrics';
import { createProviders } from './providers';

// Issue 21: the worker's weather answers are shared through Redis, and /metrics counts what the
// cache did (the API's cache_* names, label cache="weather"). Real Redis, the NWS fake.
let db: TestDatabase;
let fakes: FakeProviders;
beforeAll(async () => {
  db = await createTestDatabase();
  fakes = await startFakeProviders();
});
afterAll(async () => {
  await fakes.stop();
  await db.drop();
});

describe('the worker’s weather cache in /metrics', () => {
  it('counts a miss, then a hit from Redis, and a fallback when Redis is away', async () => {
    const metrics = createWorkerMetrics({ db: db.app, breakers: new BreakerRegistry() });
    const providersWith = (redisUrl: string) =>
      createProviders(
        loadEnv({
          DATABASE_URL: db.adminUrl,
          REDIS_URL: redisUrl,
          NWS_BASE_URL: fakes.urls.nws,
          PROVIDER_FAKES: 'false',
        }),
        new BreakerRegistry(),
        metrics.caches,
      );
    // A point of this test's own, so no other run's cached answer is met.
    const market = {
      latitude: 40 + Math.round(Math.random() * 9000) / 10_000,
      longitude: -88.5,
      timeZone: 'America/Chicago',
    };
    const count = async (name: string) =>
      (await metrics.registry.getSingleMetricAsString(name)).match(/cache="weather"} (\d+)/)?.[1] ??
      '0';

    const up = await providersWith('redis://127.0.0.1:6379');
    try {
      // The worker's Redis connects in the background; a call before it is ready falls back.
      await expect
        .poll(
          async () => {
            await up.providers.nws!.getDailyForecast(market);
            return Number(await count('cache_hits_total'));
          },
          { timeout: 10_000, interval: 200 },
        )
        .toBeGreaterThan(0);
      // Stored once by a miss, then served from Redis.
      expect(await count('cache_misses_total')).toBe('1');
      const hits = Number(await count('cache_hits_total'));
      await up.providers.nws!.getDailyForecast(market);
      expect(Number(await count('cache_hits_total'))).toBe(hits + 1);
      expect(await count('cache_misses_total')).toBe('1');
    } finally {
      await up.stop();
      const redis = new Redis('redis://127.0.0.1:6379');
      const keys = await redis.keys(`mp:cache:weather:nws:${market.latitude.toFixed(4)}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }

    // Port 9 (discard) on loopback: nothing answers, the provider is asked and it is counted.
    const away = await providersWith('redis://127.0.0.1:9');
    try {
      const before = Number(await count('cache_fallbacks_total'));
      expect((await away.providers.nws!.getDailyForecast(market)).length).toBeGreaterThan(0);
      expect(Number(await count('cache_fallbacks_total'))).toBe(before + 1);
    } finally {
      await away.stop();
    }
  });
});
