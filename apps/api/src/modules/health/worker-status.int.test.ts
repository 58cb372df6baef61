import { randomUUID } from 'node:crypto';
import { workerStatusKey } from '@marketprep/contracts';
import { BreakerRegistry } from '@marketprep/integrations';
import { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The worker's own code writes the status the API reads (one channel, one schema in contracts).
import {
  collectWorkerStatus,
  startWorkerStatusLoop,
} from '../../../../worker/src/observability/worker-status';
import { createWorkerMetrics } from '../../../../worker/src/observability/metrics';
import { createHarness, type Agent, type Harness } from '../../testing/harness';

const now = new Date('2026-11-22T12:00:00.000Z');
const prefix = `{mp-status-${randomUUID().slice(0, 8)}}`;
let redis: Redis;
let h: Harness;
let operator: Agent;
let admin: pg.Client;

beforeAll(async () => {
  redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: 1,
  });
  h = await createHarness({ rateLimit: false, redis, queuePrefix: prefix, now: () => now });
  admin = new pg.Client({ connectionString: h.db.adminUrl });
  await admin.connect();
  operator = await h.signup({ vendorName: null });
  await admin.query(`INSERT INTO platform_admins (user_id) VALUES ($1)`, [operator.userId]);
});
afterAll(async () => {
  await redis.del(workerStatusKey(prefix));
  redis.disconnect();
  await admin.end();
  await h.close();
});

describe('/health/detailed: the worker status', () => {
  it('is unknown while no worker has reported', async () => {
    const response = await h.call(operator, 'GET', '/health/detailed');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      checks: {
        providers: {},
        worker: { status: 'unknown', reportedAt: null, syncLagSeconds: {} },
      },
    });
  });

  it('shows the breakers and sync lag the worker published (60 s TTL), and the same in metrics', async () => {
    // A vendor with an active market and an ACTIVE Square connection synced 10 minutes ago,
    // and one that never synced.
    const owner = await h.signup();
    const never = await h.signup();
    const connections: string[] = [];
    for (const [vendorId, syncedAt] of [
      [owner.vendorId!, new Date(now.getTime() - 600_000)],
      [never.vendorId!, null],
    ] as const) {
      await admin.query(
        `INSERT INTO markets (vendor_id, name, latitude, longitude, timezone, country_code)
         VALUES ($1, 'Market', 40.7, -74, 'America/New_York', 'US')`,
        [vendorId],
      );
      const { rows } = await admin.query<{ id: string }>(
        `INSERT INTO provider_connections (vendor_id, provider, status, external_account_id,
           scopes, access_token_encrypted, encryption_key_id, last_synced_at)
         VALUES ($1, 'SQUARE', 'ACTIVE', $2, ARRAY['ORDERS_READ'], '\\x01'::bytea, 'k1', $3)
         RETURNING id`,
        [vendorId, `merchant-${randomUUID()}`, syncedAt],
      );
      connections.push(rows[0]!.id);
    }
    const breakers = new BreakerRegistry({ volumeThreshold: 1, resetTimeoutMs: 60_000 });
    breakers.get('nws');
    const square = breakers.get('square');
    await square.run(() => Promise.reject(new Error('down'))).catch(() => undefined);
    expect(square.state).toBe('open');

    const loop = startWorkerStatusLoop({
      collect: () => collectWorkerStatus({ db: h.db.app, breakers, now: () => now }),
      redis,
      prefix,
      logger: pino({ level: 'silent' }),
    });
    try {
      await loop.refresh();
      const ttl = await redis.ttl(workerStatusKey(prefix));
      expect(ttl).toBeGreaterThan(50);
      expect(ttl).toBeLessThanOrEqual(60);

      const response = await h.call(operator, 'GET', '/health/detailed');
      expect(response.statusCode).toBe(200);
      const body = response.json<{
        status: string;
        checks: { providers: unknown; worker: unknown };
      }>();
      expect(body.checks.providers).toEqual({
        nws: { status: 'ok', breaker: 'closed' },
        square: { status: 'down', breaker: 'open' },
      });
      expect(body.checks.worker).toEqual({
        status: 'ok',
        reportedAt: now.toISOString(),
        syncLagSeconds: { [connections[0]!]: 600, [connections[1]!]: null },
      });
      expect(body.status).toBe('degraded');
      // Ids and numbers only: no token, no merchant id.
      expect(response.body).not.toMatch(/merchant-|k1/);

      const metrics = await createWorkerMetrics({
        db: h.db.app,
        breakers,
        status: () => loop.latest(),
      }).registry.metrics();
      expect(metrics).toContain('marketprep_breaker_state{provider="square"} 2');
      expect(metrics).toContain('marketprep_breaker_state{provider="nws"} 0');
      expect(metrics).toContain(`marketprep_sync_lag_seconds{connection="${connections[0]}"} 600`);
      expect(metrics).toContain(`marketprep_sync_lag_seconds{connection="${connections[1]}"} -1`);
    } finally {
      await loop.close();
      breakers.shutdown();
    }

    // The worker gone: once the key expires the status is unknown again.
    await redis.del(workerStatusKey(prefix));
    const after = await h.call(operator, 'GET', '/health/detailed');
    expect(after.json()).toMatchObject({ checks: { worker: { status: 'unknown' } } });
  });
});
