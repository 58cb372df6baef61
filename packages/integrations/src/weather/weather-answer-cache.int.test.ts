import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { FailOpenRedis, redisAnswerCache, type RedisTextCommands } from '../cache/fail-open-redis';
import type { NwsClient } from './nws.client';
import { emptyWeatherValues, type DailyWeather } from './types';
import { withCachedNwsForecasts } from './weather-answer-cache';

// Issue 21: provider forecasts shared through the real Redis (127.0.0.1:6379, a prefix of this
// test's own) and failing open when Redis is unreachable (a closed port).
const prefix = `mp:test:${randomUUID()}:`;
const clients: Redis[] = [];

function redisAt(port: number): Redis {
  const redis = new Redis(`redis://127.0.0.1:${port}`, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 300,
    retryStrategy: () => 100,
  });
  redis.on('error', () => undefined);
  clients.push(redis);
  return redis;
}

async function ready(redis: Redis): Promise<void> {
  for (let i = 0; i < 100 && redis.status !== 'ready'; i += 1) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An NWS client that counts its calls and answers one day per point. */
function countingNws(): NwsClient & { calls: number; fail: boolean } {
  const client = {
    calls: 0,
    fail: false,
    getDailyForecast: (request: { latitude: number }): Promise<DailyWeather[]> => {
      client.calls += 1;
      if (client.fail) return Promise.reject(new Error('NWS down'));
      const values = { ...emptyWeatherValues(), tempMaxC: request.latitude, summary: 'Sunny' };
      return Promise.resolve([{ date: '2026-12-12', values }]);
    },
  };
  return client;
}

function counted() {
  const counts = { hits: 0, misses: 0, fallbacks: 0 };
  return {
    counts,
    counters: {
      hit: () => void (counts.hits += 1),
      miss: () => void (counts.misses += 1),
      fallback: () => void (counts.fallbacks += 1),
    },
  };
}

const market = { latitude: 41.88, longitude: -87.63, timeZone: 'America/Chicago' };

afterAll(async () => {
  const redis = redisAt(6379);
  await ready(redis);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  for (const client of clients) client.disconnect();
});

describe('weather forecasts shared through Redis', () => {
  it('answers a second worker from the first one’s call, per point', async () => {
    const provider = countingNws();
    const [a, b] = [redisAt(6379), redisAt(6379)];
    await Promise.all([ready(a), ready(b)]);
    const { counts, counters } = counted();
    const cacheOf = (redis: Redis) =>
      redisAnswerCache(new FailOpenRedis<RedisTextCommands>({ redis, counters, timeoutMs: 500 }), {
        name: 'weather',
        prefix,
      });
    const first = withCachedNwsForecasts(provider, cacheOf(a));
    const second = withCachedNwsForecasts(provider, cacheOf(b));

    const fetched = await first.getDailyForecast(market);
    const shared = await second.getDailyForecast(market);
    expect(shared).toEqual(fetched);
    expect(fetched[0]?.values.tempMaxC).toBe(41.88);
    expect(provider.calls).toBe(1);
    expect(counts).toEqual({ hits: 1, misses: 1, fallbacks: 0 });
    // The entry lives for the TTL in Redis.
    const ttl = await a.pttl(`${prefix}nws:41.8800,-87.6300:America/Chicago`);
    expect(ttl).toBeGreaterThan(29 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);

    // Another point is another call; a failed call is not kept.
    const elsewhere = { ...market, latitude: 40.71 };
    provider.fail = true;
    await expect(second.getDailyForecast(elsewhere)).rejects.toThrow('NWS down');
    provider.fail = false;
    expect((await second.getDailyForecast(elsewhere))[0]?.values.tempMaxC).toBe(40.71);
    expect(provider.calls).toBe(3);
  });

  it('treats an entry that fails its schema as a miss', async () => {
    const provider = countingNws();
    const redis = redisAt(6379);
    await ready(redis);
    const cache = redisAnswerCache(
      new FailOpenRedis<RedisTextCommands>({ redis, timeoutMs: 500 }),
      {
        name: 'weather',
        prefix,
      },
    );
    const point = { ...market, latitude: 10.5 };
    await redis.set(`${prefix}nws:10.5000,-87.6300:America/Chicago`, '[{"date":"bad"}]');
    const days = await withCachedNwsForecasts(provider, cache).getDailyForecast(point);
    expect(days[0]?.values.tempMaxC).toBe(10.5);
    expect(provider.calls).toBe(1);
  });

  it('calls the provider every time, without errors, when Redis is unreachable', async () => {
    const provider = countingNws();
    const { counts, counters } = counted();
    // Port 1 on loopback: nothing listens there.
    const cache = redisAnswerCache(
      new FailOpenRedis<RedisTextCommands>({ redis: redisAt(1), counters, retryAfterMs: 0 }),
      { name: 'weather', prefix },
    );
    const client = withCachedNwsForecasts(provider, cache);
    for (let i = 0; i < 3; i += 1) {
      expect((await client.getDailyForecast(market))[0]?.values.tempMaxC).toBe(41.88);
    }
    expect(provider.calls).toBe(3);
    expect(counts.hits).toBe(0);
    expect(counts.fallbacks).toBeGreaterThanOrEqual(3);
  });
});
