import { randomUUID } from 'node:crypto';
import { createDatabaseClient, withTenant } from '@marketprep/db';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { enqueueWork } from '../../lib/outbox';
import { createHarness } from '../../testing/harness';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('health', () => {
  it('answers live without touching dependencies', async () => {
    const app = await buildApp({ db: db.app });
    const response = await app.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await app.close();
  });

  it('answers ready when the database answers as the app role', async () => {
    const app = await buildApp({ db: db.app });
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', checks: { database: { status: 'ok' } } });
    await app.close();
  });

  it('answers 503 with Retry-After, not 500, when the database is unreachable', async () => {
    // A port nobody listens on: the pool cannot connect.
    const unreachable = createDatabaseClient({
      connectionString: 'postgresql://postgres@127.0.0.1:9/none',
      connectionTimeoutMs: 500,
    });
    const app = await buildApp({ db: unreachable });
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 503, check: 'database' });
    expect(response.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    await app.close();
    await unreachable.close();
  });

  it('keeps a well-formed caller request id and replaces a malformed one', async () => {
    const app = await buildApp({ db: db.app });
    const kept = await app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'abc-12345678' },
    });
    const replaced = await app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'bad id\n' },
    });
    expect(kept.headers['x-request-id']).toBe('abc-12345678');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await app.close();
  });

  it('answers unknown routes with problem+json 404', async () => {
    const app = await buildApp({ db: db.app });
    const response = await app.inject({ method: 'GET', url: '/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 404, title: 'Not found' });
    await app.close();
  });

  it('serves the OpenAPI 3.1 document generated from the zod schemas', async () => {
    const app = await buildApp({ db: db.app });
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/health/live', '/health/ready', '/v1/markets']),
    );
    await app.close();
  });
});

describe('health: detailed (operators)', () => {
  const token = 'detail-token-0123456789abcdefghijkl';

  it('is for operators: 401 anonymous, 403 for a vendor, answered for the scraper token', async () => {
    const h = await createHarness({ metricsToken: token, rateLimit: false });
    try {
      expect((await h.call(null, 'GET', '/health/detailed')).statusCode).toBe(401);
      const owner = await h.signup();
      expect((await h.call(owner, 'GET', '/health/detailed')).statusCode).toBe(403);
      const scraped = await h.call(null, 'GET', '/health/detailed', undefined, {
        authorization: `Bearer ${token}`,
      });
      expect(scraped.statusCode).toBe(200);
      expect(scraped.json()).toMatchObject({
        status: 'ok',
        checks: {
          database: { status: 'ok' },
          redis: { status: 'ok', configured: false },
          queue: { status: 'ok', outboxPending: 0, bullmqWaiting: null },
          providers: {},
          data: {
            sales: { status: 'ok', newestAt: null, ageSeconds: null },
            weather: { status: 'ok', newestAt: null, ageSeconds: null },
          },
        },
      });
    } finally {
      await h.close();
    }
  });

  it('reports outbox backlog (with the request id carried by enqueueWork), Redis and data ages', async () => {
    const now = new Date('2026-11-22T12:00:00.000Z');
    const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
      maxRetriesPerRequest: 1,
    });
    const prefix = `{mp-test-${randomUUID().slice(0, 8)}}`;
    const h = await createHarness({
      metricsToken: token,
      rateLimit: false,
      redis,
      queuePrefix: prefix,
      now: () => now,
    });
    try {
      const owner = await h.signup();
      const vendorId = owner.vendorId!;
      // Work requested inside a tenant transaction carries the request id; a dedupe key collapses
      // a repeated request while the first is pending.
      const first = await withTenant(h.db.app.prisma, vendorId, (tx) =>
        enqueueWork(tx, {
          jobName: 'retrain',
          payload: { vendorId },
          dedupeKey: `retrain-${vendorId}`,
          requestId: 'req-abc-12345678',
        }),
      );
      const again = await withTenant(h.db.app.prisma, vendorId, (tx) =>
        enqueueWork(tx, {
          jobName: 'retrain',
          payload: { vendorId },
          dedupeKey: `retrain-${vendorId}`,
          requestId: 'req-other-1234567',
        }),
      );
      expect(first.deduplicated).toBe(false);
      expect(again).toEqual({ id: first.id, deduplicated: true });
      // Rolled back with its transaction: no work without the change that caused it.
      await expect(
        withTenant(h.db.app.prisma, vendorId, async (tx) => {
          await enqueueWork(tx, {
            jobName: 'recommend',
            payload: { vendorId },
            requestId: 'r-12345678',
          });
          throw new Error('change failed');
        }),
      ).rejects.toThrow('change failed');

      const admin = new pg.Client({ connectionString: h.db.adminUrl });
      await admin.connect();
      try {
        const rows = await admin.query<{ job_name: string; request_id: string; status: string }>(
          'SELECT job_name, request_id, status FROM outbox ORDER BY created_at',
        );
        expect(rows.rows).toEqual([
          { job_name: 'retrain', request_id: 'req-abc-12345678', status: 'PENDING' },
        ]);
        await admin.query(`UPDATE outbox SET created_at = $1`, [new Date(now.getTime() - 600_000)]);
        const [market] = (
          await admin.query<{ id: string }>(
            `INSERT INTO markets (vendor_id, name, latitude, longitude, timezone, country_code)
             VALUES ($1, 'M', 1, 1, 'UTC', 'US') RETURNING id`,
            [vendorId],
          )
        ).rows;
        const [product] = (
          await admin.query<{ id: string }>(
            `INSERT INTO products (vendor_id, name, price_minor) VALUES ($1, 'P', 100) RETURNING id`,
            [vendorId],
          )
        ).rows;
        await admin.query(
          `INSERT INTO daily_sales (vendor_id, market_id, product_id, date, quantity, updated_at)
           VALUES ($1, $2, $3, '2026-11-21', 5, $4)`,
          [vendorId, market!.id, product!.id, new Date(now.getTime() - 3_600_000)],
        );
        await admin.query(
          `INSERT INTO weather (vendor_id, market_id, date, provider, kind, fetched_at)
           VALUES ($1, $2, '2026-11-23', 'DEMO', 'FORECAST', $3)`,
          [vendorId, market!.id, new Date(now.getTime() - 20 * 3_600_000)],
        );
      } finally {
        await admin.end();
      }
      await redis.rpush(`${prefix}:maintenance:wait`, 'job-1', 'job-2');

      const response = await h.call(null, 'GET', '/health/detailed', undefined, {
        authorization: `Bearer ${token}`,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        status: 'degraded',
        checks: {
          redis: { status: 'ok', configured: true },
          queue: {
            status: 'degraded',
            outboxPending: 1,
            oldestPendingAgeSeconds: 600,
            bullmqWaiting: { maintenance: 2 },
          },
          data: {
            sales: { status: 'ok', ageSeconds: 3_600, newestAt: '2026-11-22T11:00:00.000Z' },
            weather: { status: 'degraded', ageSeconds: 72_000 },
          },
        },
      });
      // The app role itself still cannot read the tenant tables it summarized.
      const visible = await h.db.app.prisma.dailySales.count();
      expect(visible).toBe(0);
    } finally {
      await redis.del(`${prefix}:maintenance:wait`);
      await h.close();
      redis.disconnect();
    }
  });
});
