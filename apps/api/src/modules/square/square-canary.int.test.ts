import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real worker pieces: job registry, outbox relay to BullMQ, BullMQ runtime.
import { createJobRegistry } from '../../../../worker/src/jobs/registry';
import { startOutboxRelay } from '../../../../worker/src/outbox/start-relay';
import { startBullmqRuntime } from '../../../../worker/src/runtime/bullmq-runtime';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { startSquareForTests } from './square-testing';

// The canary (issue 5, "Tests that must be in npm test"): the access and refresh tokens Square
// issues on connect go through connect (API), the outbox, BullMQ on a real Redis and a full sync
// (worker), with every log line of both captured at trace level. Neither token may appear in
// clear in the logs, in any Redis key (BullMQ job data included), or in any column of any table.
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `{mp-canary-${randomUUID().slice(0, 8)}}`;
const logLines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    logLines.push(chunk.toString('utf8'));
    callback();
  },
});

let square: Awaited<ReturnType<typeof startSquareForTests>>;
let h: Harness;
let admin: pg.Client;
let redis: Redis;
let owner: Agent;

beforeAll(async () => {
  square = await startSquareForTests({
    orders: { count: 60, from: '2026-09-01', to: '2026-10-31' },
  });
  h = await createHarness({
    square: square.config,
    rateLimit: false,
    logger: { level: 'trace', stream: capture },
  });
  admin = new pg.Client({ connectionString: h.db.adminUrl });
  await admin.connect();
  redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  owner = await h.signup({ vendorName: 'Canary Bakery' });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await admin.end();
  await h.close();
  await square.stop();
});

/** Everything stored under the test's BullMQ prefix, as one string. */
async function redisDump(): Promise<{ keys: string[]; text: string }> {
  const keys = await redis.keys(`${prefix}*`);
  const parts: string[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    if (type === 'string') parts.push((await redis.get(key)) ?? '');
    else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') parts.push(...(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(...(await redis.smembers(key)));
    else if (type === 'zset') parts.push(...(await redis.zrange(key, '0', '-1')));
    else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
  }
  return { keys, text: parts.join('\n') };
}

async function waitFor(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Square canary token', () => {
  it('appears nowhere in clear: logs (API and worker), Redis (BullMQ job data), any database column', async () => {
    const fake = square.fake;
    // Connect through the API: consent at the fake, then the callback stores the tokens.
    const started = await h.call(owner, 'GET', '/v1/integrations/square/connect');
    expect(started.statusCode, started.body).toBe(200);
    const consent = await fetch(started.json<{ authorizeUrl: string }>().authorizeUrl, {
      redirect: 'manual',
    });
    const back = new URL(consent.headers.get('location')!);
    const callback = await h.call(owner, 'GET', `${back.pathname}${back.search}`);
    expect(callback.statusCode, callback.body).toBe(302);
    const canaries = [fake.issuedAccessTokens.at(-1)!, fake.issuedRefreshTokens.at(-1)!];
    expect(canaries.every((c) => c.length > 20)).toBe(true);

    // Map Square's locations and variations, so the sync writes sales.
    for (const location of fake.locations) {
      await admin.query(
        `INSERT INTO markets (vendor_id, name, latitude, longitude, timezone, country_code,
           square_location_id) VALUES ($1, $2, $3, $4, $5, 'US', $6)`,
        [
          owner.vendorId,
          location.name,
          location.latitude,
          location.longitude,
          location.timezone,
          location.id,
        ],
      );
    }
    for (const variation of fake.variations) {
      await admin.query(
        `INSERT INTO products (vendor_id, name, price_minor, square_variation_id)
         VALUES ($1, $2, $3, $4)`,
        [
          owner.vendorId,
          `${variation.itemName} ${variation.name}`,
          variation.priceMinor,
          variation.id,
        ],
      );
    }

    // The worker: outbox relay → BullMQ on Redis → square-sync, logging at trace level.
    const logger = pino({ level: 'trace', base: { service: 'worker' } }, capture);
    const now = () => new Date();
    const jobs = createJobRegistry({
      db: h.db.app,
      now,
      square: { square: square.config.client, cipher: square.config.cipher },
    });
    const runtime = await startBullmqRuntime({ redisUrl, prefix, jobs, logger });
    const relay = startOutboxRelay({ db: h.db.app, jobs, logger, redisUrl, prefix, pollMs: 100 });
    try {
      await waitFor(async () => {
        const { rows } = await admin.query<{ n: string }>(
          `SELECT count(*) AS n FROM provider_connections
            WHERE vendor_id = $1 AND last_synced_at IS NOT NULL`,
          [owner.vendorId],
        );
        return rows[0]!.n === '1';
      });
    } finally {
      await relay.close();
      await runtime.close();
    }
    const { rows: sales } = await admin.query<{ n: string }>(
      'SELECT count(*) AS n FROM sales WHERE vendor_id = $1',
      [owner.vendorId],
    );
    expect(Number(sales[0]!.n)).toBeGreaterThan(0);
    const { rows: connection } = await admin.query<{ id: string }>(
      'SELECT id FROM provider_connections WHERE vendor_id = $1',
      [owner.vendorId],
    );

    // Logs: both processes logged (the scan is not vacuous), no token.
    const logs = logLines.join('');
    expect(logs).toContain('/v1/integrations/square/callback');
    expect(logs).toContain('square-sync');
    // Redis: the job (ids only) is there; no token.
    const dump = await redisDump();
    expect(dump.keys.length).toBeGreaterThan(0);
    expect(dump.text).toContain(connection[0]!.id);
    // Database: every base table, every column, as the row's text (bytea shows as hex, so the
    // token's bytes in clear would show as its hex).
    const { rows: tables } = await admin.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['provider_connections', 'outbox', 'sales', 'audit_log']),
    );
    for (const canary of canaries) {
      expect(logs.includes(canary), 'a token in the logs').toBe(false);
      expect(dump.text.includes(canary), 'a token in Redis').toBe(false);
      const hex = Buffer.from(canary, 'utf8').toString('hex');
      for (const { table_name: table } of tables) {
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${table}" t
            WHERE position($1 in t::text) > 0 OR position($2 in t::text) > 0`,
          [canary, hex],
        );
        expect(rows[0]!.n, `${table} holds a token in clear`).toBe(0);
      }
    }
  });
});
