import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DEMO_VENDOR_ID, withTenant } from '@marketprep/db';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { createApiMetrics, type ApiMetrics } from '../../plugins/metrics';
import { createHarness, seedAndSignInDemo, type Agent, type Harness } from '../../testing/harness';

// Issue 21: serialized prep lists shared by every API replica through Redis, failing open to
// PostgreSQL. A private redis-server (own port) is started and killed here; 6379 is not touched.
const NOW = new Date('2026-11-22T12:00:00Z');
const TODAY = '2026-11-22';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function startRedis(port: number): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
}

/** A client as server.ts makes it: no offline queue, so commands fail fast while Redis is away. */
function apiRedis(port: number): Redis {
  const redis = new Redis(`redis://127.0.0.1:${port}`, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 500,
    retryStrategy: () => 100,
  });
  redis.on('error', () => undefined);
  return redis;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let port: number;
let redisProcess: ChildProcess;
let redisA: Redis;
let redisB: Redis;
let h: Harness;
let metricsA: ApiMetrics;
let metricsB: ApiMetrics;
/** A second API process on the same database and Redis (another replica). */
let replica: FastifyInstance;
let demo: Agent;
/** Prep-list URLs of the demo's next scheduled market days. */
let urls: string[];

/** `cache_<kind>_total{cache="prep-list-json"}` of one process. */
async function count(metrics: ApiMetrics, kind: 'hits' | 'misses' | 'fallbacks'): Promise<number> {
  const metric = {
    hits: metrics.cacheHits,
    misses: metrics.cacheMisses,
    fallbacks: metrics.cacheFallbacks,
  }[kind];
  return (await metric.get()).values.find((v) => v.labels.cache === 'prep-list-json')?.value ?? 0;
}

const readOn = (app: FastifyInstance, url: string) =>
  app.inject({ method: 'GET', url, headers: { cookie: demo.cookie } });

/** Reads `url` on `app` until its list is stored and served by the fast path (200 each time). */
async function warm(app: FastifyInstance, url: string): Promise<string> {
  const first = await readOn(app, url);
  expect(first.statusCode, first.body).toBe(200);
  const second = await readOn(app, url);
  expect(second.statusCode, second.body).toBe(200);
  return second.body;
}

beforeAll(async () => {
  port = await freePort();
  redisProcess = startRedis(port);
  redisA = apiRedis(port);
  redisB = apiRedis(port);
  await until(() => redisA.status === 'ready' && redisB.status === 'ready', 'private Redis');
  metricsA = createApiMetrics();
  metricsB = createApiMetrics();
  h = await createHarness({ now: () => NOW, metrics: metricsA, redis: redisA, rateLimit: false });
  demo = await seedAndSignInDemo(h, { today: TODAY, now: NOW });
  replica = await buildApp({
    db: h.db.app,
    sessionSecret: 'test-session-secret-0123456789abcdef',
    now: () => NOW,
    metrics: metricsB,
    redis: redisB,
    rateLimit: false,
  });
  const days = await withTenant(h.db.app.prisma, DEMO_VENDOR_ID, (tx) =>
    tx.marketDay.findMany({
      where: { date: { gt: new Date(`${TODAY}T00:00:00Z`) }, status: 'SCHEDULED' },
      orderBy: [{ date: 'asc' }, { marketId: 'asc' }],
      select: { date: true, marketId: true },
      take: 3,
    }),
  );
  expect(days).toHaveLength(3);
  urls = days.map(
    (d) => `/v1/markets/${d.marketId}/prep-lists/${d.date.toISOString().slice(0, 10)}`,
  );
}, 180_000);

afterAll(async () => {
  await replica.close();
  await h.close();
  redisA.disconnect();
  redisB.disconnect();
  redisProcess.kill('SIGKILL');
});

describe('prep lists shared by replicas through Redis', () => {
  it('serves on a second replica the list the first one serialized', async () => {
    const body = await warm(h.app, urls[0]!);
    expect(await count(metricsA, 'misses')).toBe(1); // serialized once, stored in Redis
    const before = { hits: await count(metricsB, 'hits'), misses: await count(metricsB, 'misses') };
    const onReplica = await readOn(replica, urls[0]!);
    expect(onReplica.statusCode).toBe(200);
    expect(onReplica.body).toBe(body);
    // Found in Redis, not read from PostgreSQL: a hit and no miss on the replica.
    expect(await count(metricsB, 'hits')).toBe(before.hits + 1);
    expect(await count(metricsB, 'misses')).toBe(before.misses);
  });

  it('answers from PostgreSQL with Redis killed, and shares again when it returns', async () => {
    redisProcess.kill('SIGKILL');
    await until(() => redisA.status !== 'ready', 'the API to see Redis gone');
    const fallbacks = await count(metricsA, 'fallbacks');
    const body = await warm(h.app, urls[1]!);
    const answers = await Promise.all(Array.from({ length: 20 }, () => readOn(replica, urls[1]!)));
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 200));
    expect(answers.every((a) => a.body === body)).toBe(true);
    expect(await count(metricsA, 'fallbacks')).toBeGreaterThan(fallbacks);
    expect(await count(metricsB, 'fallbacks')).toBeGreaterThan(0);

    redisProcess = startRedis(port);
    await until(() => redisA.status === 'ready' && redisB.status === 'ready', 'Redis back');
    // Past the 1 s pause after a failure, each process uses Redis again.
    await new Promise((r) => setTimeout(r, 1_100));
    const fresh = await warm(replica, urls[2]!);
    const hits = await count(metricsA, 'hits');
    const onFirst = await readOn(h.app, urls[2]!);
    expect(onFirst.body).toBe(fresh);
    expect(await count(metricsA, 'hits')).toBe(hits + 1);
  });
});
