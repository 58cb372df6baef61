import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { createApiMetrics } from '../plugins/metrics';

/**
 * Cross-cutting protections (issue 4): rate limits backed by a private Redis that is killed
 * mid-test (the API keeps answering and keeps limiting), body limits, prototype poisoning,
 * malformed URLs, and the per-route metrics.
 */

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

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

async function startRedis(): Promise<{ process: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return { process: child, url };
    } catch {
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start');
}

function apiRedis(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 500,
    retryStrategy: () => 200,
  });
  redis.on('error', () => undefined);
  return redis;
}

async function ready(redis: Redis): Promise<void> {
  for (let i = 0; i < 50 && redis.status !== 'ready'; i += 1)
    await new Promise((r) => setTimeout(r, 50));
  expect(redis.status).toBe('ready');
}

describe('rate limits', () => {
  it('share counters through Redis, answer 429 problem+json with Retry-After, and keep limiting in-process after Redis is killed', async () => {
    const server = await startRedis();
    const redisA = apiRedis(server.url);
    const redisB = apiRedis(server.url);
    const metrics = createApiMetrics();
    const limits = { windowMs: 60_000, anonymousMax: 4, identityMax: 8, ipMax: 100 };
    const appA = await buildApp({ db: db.app, redis: redisA, rateLimit: limits, metrics });
    const appB = await buildApp({ db: db.app, redis: redisB, rateLimit: limits });
    try {
      await ready(redisA);
      await ready(redisB);
      const live = (app: typeof appA) => app.inject({ method: 'GET', url: '/health/live' });

      // Two instances, one budget: 2 + 2 allowed, the fifth refused on either instance.
      expect((await live(appA)).statusCode).toBe(200);
      expect((await live(appB)).statusCode).toBe(200);
      expect((await live(appA)).statusCode).toBe(200);
      expect((await live(appB)).statusCode).toBe(200);
      const refused = await live(appA);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.json()).toMatchObject({ status: 429, title: 'Too many requests' });
      expect(refused.json<{ requestId: string }>().requestId).toBe(refused.headers['x-request-id']);
      expect((await redisA.keys('mp:rl:*')).length).toBeGreaterThan(0);

      // Credentials get their own, larger budget (keyed by a hash of the credential).
      const withCookie = () =>
        appA.inject({
          method: 'GET',
          url: '/health/live',
          headers: { cookie: 'mp_session=mp_s_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
        });
      for (let i = 0; i < 8; i += 1) expect((await withCookie()).statusCode).toBe(200);
      expect((await withCookie()).statusCode).toBe(429);

      // Redis dies: no hang, no 500; the in-process store takes over and still limits.
      server.process.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      const started = performance.now();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await live(appA)).statusCode);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      expect((await metrics.rateLimitFallbacks.get()).values[0]!.value).toBeGreaterThanOrEqual(6);
    } finally {
      server.process.kill('SIGKILL');
      await appA.close();
      await appB.close();
      redisA.disconnect();
      redisB.disconnect();
    }
  });

  it('limits in-process without Redis', async () => {
    const app = await buildApp({
      db: db.app,
      rateLimit: { windowMs: 60_000, anonymousMax: 2, identityMax: 2, ipMax: 2 },
    });
    const codes: number[] = [];
    for (let i = 0; i < 3; i += 1)
      codes.push((await app.inject({ method: 'GET', url: '/health/live' })).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    await app.close();
  });
});

describe('bad input at the edge', () => {
  it('answers 413 problem+json for a body over the limit, writing nothing', async () => {
    const app = await buildApp({ db: db.app, rateLimit: false, bodyLimit: 10_000 });
    const response = await app.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      payload: { email: 'big@example.com', password: 'x'.repeat(20_000), name: 'Big' },
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'big@example.com', password: 'whatever' },
    });
    expect(login.statusCode).toBe(401);
    await app.close();
  });

  it('refuses __proto__ and constructor.prototype keys with 400', async () => {
    const app = await buildApp({ db: db.app, rateLimit: false });
    for (const payload of [
      '{"email":"a@example.com","password":"long enough pw","name":"A","__proto__":{"isAdmin":true}}',
      '{"email":"a@example.com","password":"long enough pw","name":"A","constructor":{"prototype":{"x":1}}}',
    ]) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/auth/signup',
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    await app.close();
  });

  it('answers malformed URLs and over-long path segments with problem+json 400', async () => {
    const app = await buildApp({ db: db.app, rateLimit: false });
    for (const url of ['/v1/markets/%E0%A4%A', `/v1/api-tokens/${'a'.repeat(500)}`]) {
      const response = await app.inject({ method: 'DELETE', url });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json<{ requestId: string }>().requestId).toBe(
        response.headers['x-request-id'],
      );
    }
    await app.close();
  });
});

describe('metrics', () => {
  it('records latency by route template (never raw ids), errors, pool and cache figures', async () => {
    const app = await buildApp({ db: db.app, rateLimit: false });
    await app.inject({ method: 'GET', url: '/health/live' });
    await app.inject({ method: 'GET', url: '/v1/markets' });
    const id = '3f0c8d52-5d0e-4f5e-9a43-1d2b3c4d5e6f';
    await app.inject({ method: 'DELETE', url: `/v1/api-tokens/${id}` });
    app.metrics.cacheHits.inc({ cache: 'prep-list' });
    app.metrics.cacheMisses.inc({ cache: 'prep-list' }, 3);
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_class="2xx"\} 1/,
    );
    expect(text).toMatch(
      /http_errors_total\{method="DELETE",route="\/v1\/api-tokens\/:id",status="401"\} 1/,
    );
    expect(text).not.toContain(id);
    expect(text).toMatch(/db_pool_connections\{state="total"\} \d+/);
    expect(text).toContain('cache_hits_total{cache="prep-list"} 1');
    expect(text).toContain('cache_misses_total{cache="prep-list"} 3');
    await app.close();
  });

  it('keeps /metrics for the scraper token or operators once a token is set, and in production', async () => {
    const token = 'metrics-token-0123456789abcdefghij';
    const app = await buildApp({ db: db.app, rateLimit: false, metricsToken: token });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer wrong-token-0123456789abcdefghijkl' },
    });
    expect(wrong.statusCode).toBe(401);
    const scraped = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toContain('http_request_duration_seconds');
    await app.close();

    const production = await buildApp({ db: db.app, rateLimit: false, production: true });
    expect((await production.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    await production.close();
  });
});
