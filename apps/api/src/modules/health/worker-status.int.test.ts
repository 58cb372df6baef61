import { randomUUID } from 'node:crypto';
import { HealthRepository } from '@marketprep/db';
import { BreakerRegistry } from '@marketprep/integrations';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The worker's own code writes the status the API reads (one channel, one schema in contracts).
import {
  collectWorkerStatus,
  publishWorkerStatus,
  startWorkerStatusLoop,
} from '../../../../worker/src/observability/worker-status';
import { createWorkerMetrics } from '../../../../worker/src/observability/metrics';
import { createHarness, type Agent, type Harness } from '../../testing/harness';

// No Redis anywhere in this file: the status travels through PostgreSQL, as in the embedded
// default (`npm start` without REDIS_URL).
const start = new Date('2026-11-22T12:00:00.000Z');
let clock = start;
let h: Harness;
let operator: Agent;
let admin: pg.Client;

interface Detailed {
  status: string;
  checks: {
    providers: Record<string, { status: string; breaker: string; detail?: string }>;
    worker: {
      status: string;
      reportedAt: string | null;
      ageSeconds: number | null;
      workers: number;
      syncLagSeconds: Record<string, number | null>;
      detail?: string;
    };
  };
}

async function detailed(): Promise<Detailed> {
  const response = await h.call(operator, 'GET', '/health/detailed');
  expect(response.statusCode).toBe(200);
  return response.json<Detailed>();
}

const at = (ms: number) => new Date(start.getTime() + ms);

beforeAll(async () => {
  h = await createHarness({ rateLimit: false, now: () => clock });
  admin = new pg.Client({ connectionString: h.db.adminUrl });
  await admin.connect();
  operator = await h.signup({ vendorName: null });
  await admin.query(`INSERT INTO platform_admins (user_id) VALUES ($1)`, [operator.userId]);
});
afterAll(async () => {
  await admin.end();
  await h.close();
});

describe('/health/detailed: the worker status, through PostgreSQL (no Redis)', () => {
  it('is unknown while no worker has reported, without degrading the overall status', async () => {
    const body = await detailed();
    expect(body.checks.providers).toEqual({});
    expect(body.checks.worker).toEqual({
      status: 'unknown',
      reportedAt: null,
      ageSeconds: null,
      workers: 0,
      syncLagSeconds: {},
      detail: 'no worker has reported yet',
    });
  });

  it('shows the breakers and sync lag the worker reported, the same in metrics, then stale', async () => {
    // A vendor with an active market and an ACTIVE Square connection synced 10 minutes ago,
    // and one that never synced.
    const owner = await h.signup();
    const never = await h.signup();
    const connections: string[] = [];
    for (const [vendorId, syncedAt] of [
      [owner.vendorId!, new Date(start.getTime() - 600_000)],
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

    const workerId = `test-worker-${randomUUID()}`;
    const loop = startWorkerStatusLoop({
      collect: () => collectWorkerStatus({ db: h.db.app, breakers, now: () => start }),
      publish: (status) => publishWorkerStatus(h.db.app, workerId, status),
      logger: pino({ level: 'silent' }),
    });
    try {
      await loop.refresh();
      const { rows } = await admin.query<{ worker_id: string; reported_at: Date }>(
        'SELECT worker_id, reported_at FROM monitoring.worker_status',
      );
      expect(rows).toEqual([{ worker_id: workerId, reported_at: start }]);

      clock = at(5_000);
      const response = await h.call(operator, 'GET', '/health/detailed');
      const body = response.json<Detailed>();
      expect(body.checks.providers).toEqual({
        nws: { status: 'ok', breaker: 'closed' },
        square: { status: 'down', breaker: 'open' },
      });
      expect(body.checks.worker).toEqual({
        status: 'ok',
        reportedAt: start.toISOString(),
        ageSeconds: 5,
        workers: 1,
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

    // The worker gone: 60 s after its last report it is stale, which degrades the platform, and
    // its breakers are shown as of that report.
    clock = at(60_000);
    expect((await detailed()).checks.worker.status).toBe('ok');
    clock = at(61_000);
    const stale = await detailed();
    expect(stale.checks.worker).toMatchObject({
      status: 'stale',
      reportedAt: start.toISOString(),
      ageSeconds: 61,
      workers: 0,
      detail: 'no worker has reported for over 60 s',
    });
    expect(stale.checks.providers.nws).toEqual({
      status: 'ok',
      breaker: 'closed',
      detail: `as of ${start.toISOString()} (worker not reporting)`,
    });
    expect(stale.status).toBe('degraded');
  });

  it('merges the workers reporting now (worst breaker wins) and ignores stale and malformed rows', async () => {
    await admin.query('DELETE FROM monitoring.worker_status');
    const report = (reportedAt: Date, breakers: Record<string, string>) => ({
      version: 1,
      reportedAt: reportedAt.toISOString(),
      breakers,
      syncLagSeconds: {},
    });
    clock = at(3_600_000);
    const repository = new HealthRepository(h.db.app.prisma);
    // An old worker that saw NWS open an hour ago (stale: ignored while others report).
    await repository.reportWorkerStatus({
      workerId: 'old',
      reportedAt: start,
      status: report(start, { nws: 'open' }),
    });
    await repository.reportWorkerStatus({
      workerId: 'a',
      reportedAt: at(3_590_000),
      status: report(at(3_590_000), { nws: 'closed', 'open-meteo': 'halfOpen' }),
    });
    await repository.reportWorkerStatus({
      workerId: 'b',
      reportedAt: at(3_595_000),
      status: report(at(3_595_000), { nws: 'closed', 'open-meteo': 'open' }),
    });
    // Written by something else, in a shape the API does not know: skipped, not a 500.
    await repository.reportWorkerStatus({
      workerId: 'broken',
      reportedAt: at(3_599_000),
      status: { version: 2, breakers: 'all good' },
    });

    const body = await detailed();
    expect(body.checks.providers).toEqual({
      nws: { status: 'ok', breaker: 'closed' },
      'open-meteo': { status: 'down', breaker: 'open' },
    });
    expect(body.checks.worker).toMatchObject({
      status: 'ok',
      workers: 2,
      reportedAt: at(3_595_000).toISOString(),
      ageSeconds: 5,
    });

    // A day later the next report removes the rows nobody refreshed.
    await repository.reportWorkerStatus({
      workerId: 'a',
      reportedAt: at(86_400_000 + 3_592_000),
      status: report(at(86_400_000 + 3_592_000), { nws: 'closed' }),
    });
    const { rows } = await admin.query<{ worker_id: string }>(
      'SELECT worker_id FROM monitoring.worker_status ORDER BY worker_id',
    );
    expect(rows.map((r) => r.worker_id)).toEqual(['a', 'b', 'broken']);
  });

  it('publishes a breaker state change at once, not at the next interval', async () => {
    await admin.query('DELETE FROM monitoring.worker_status');
    const breakers = new BreakerRegistry({ volumeThreshold: 1, resetTimeoutMs: 60_000 });
    const nws = breakers.get('nws');
    let now = start;
    const loop = startWorkerStatusLoop({
      collect: () => collectWorkerStatus({ db: h.db.app, breakers, now: () => now }),
      publish: (status) => publishWorkerStatus(h.db.app, 'watcher', status),
      breakers: () => breakers.states(),
      logger: pino({ level: 'silent' }),
      intervalMs: 3_600_000,
      watchIntervalMs: 20,
    });
    const stored = async () =>
      (
        await admin.query<{ state: string | null }>(
          `SELECT status->'breakers'->>'nws' AS state FROM monitoring.worker_status
            WHERE worker_id = 'watcher'`,
        )
      ).rows[0]?.state ?? null;
    try {
      await expect.poll(stored, { timeout: 5_000 }).toBe('closed');
      now = at(1_000);
      await nws.run(() => Promise.reject(new Error('down'))).catch(() => undefined);
      expect(nws.state).toBe('open');
      await expect.poll(stored, { timeout: 5_000 }).toBe('open');
    } finally {
      await loop.close();
      breakers.shutdown();
    }
  });

  it('gives the app role the two functions only, not the table', async () => {
    await expect(h.db.app.prisma.$queryRaw`SELECT * FROM monitoring.worker_status`).rejects.toThrow(
      /permission denied/,
    );
    await expect(h.db.app.prisma.$executeRaw`DELETE FROM monitoring.worker_status`).rejects.toThrow(
      /permission denied/,
    );
    const { rows } = await admin.query<{ owner: string }>(
      `SELECT r.rolname AS owner FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
        WHERE c.oid = 'monitoring.worker_status'::regclass`,
    );
    expect(rows).toEqual([{ owner: 'marketprep_monitor' }]);
  });
});
