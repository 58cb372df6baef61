/**
 * Speed bench of the Square sync (issue 5), against the local Square fake and a scratch database
 * on the machine's PostgreSQL (TEST_DATABASE_URL's server, or BENCH_DATABASE_URL):
 *
 * 1. Backfill throughput: the vendor connects through the API (OAuth against the fake), its
 *    locations and variations are mapped, and the `square-sync` backfill requested by the connect
 *    runs on one worker (the real handler, pages of 500): orders per second.
 * 2. Webhook to aggregate: a new sale at Square, its signed `order.updated` webhook POSTed to the
 *    API, the outbox row picked up by the in-process relay (the embedded default, poll 500 ms or
 *    OUTBOX_POLL_MS), the incremental sync run, until `daily_sales` shows the sale.
 *
 * Prints figures; not a timed test.
 *
 *   npx tsx bench/square-sync.ts     # BENCH_ORDERS (default 10000), BENCH_WEBHOOKS (default 10)
 */
import pg from 'pg';
import pino from 'pino';
import { createDatabaseClient, migrate, MIGRATIONS_DIR } from '../packages/db/src/index';
import { buildApp } from '../apps/api/src/app';
import { signUpThroughLink } from '../apps/api/src/testing/harness';
import {
  TEST_SQUARE_SIGNATURE_KEY,
  TEST_SQUARE_WEBHOOK_URL,
  startSquareForTests,
} from '../apps/api/src/modules/square/square-testing';
import { createJobRegistry } from '../apps/worker/src/jobs/registry';
import { createSquareSyncHandler } from '../apps/worker/src/jobs/square-sync.handler';
import { startOutboxRelay } from '../apps/worker/src/outbox/start-relay';
import { adminOn, benchServerUrl, withDatabase } from './lib/database';

const serverUrl = benchServerUrl;
const ORDERS = Number(process.env.BENCH_ORDERS ?? 10_000);
const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 10);
const POLL_MS = Number(process.env.OUTBOX_POLL_MS ?? 500);
const database = `mp_bench_square_${process.pid}`;
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const pct = (values: number[], p: number) =>
  sorted(values)[Math.min(values.length - 1, Math.floor(p * values.length))] ?? 0;

await adminOn(serverUrl, `CREATE DATABASE ${database}`);
const url = withDatabase(serverUrl, database);
const db = createDatabaseClient({ connectionString: url });
const square = await startSquareForTests({
  orders: { count: ORDERS, from: '2026-01-05', to: '2026-10-31' },
});
const sql = new pg.Client({ connectionString: url });
try {
  await migrate({ connectionString: url, migrationsDir: MIGRATIONS_DIR });
  await sql.connect();
  const app = await buildApp({
    db,
    sessionSecret: 'bench-session-secret-0123456789',
    square: square.config,
    rateLimit: false,
    // Sign-up finishes through the mailed link, read from the in-memory dev outbox.
    devOutbox: true,
  });
  const signup = await signUpThroughLink(app, {
    email: 'bench@example.com',
    password: 'a long enough password',
    name: 'Bench',
    vendorName: 'Bench Bakery',
  });
  const vendorId = signup.json<{ activeVendorId: string }>().activeVendorId;
  const cookie = `mp_session=${signup.cookies.find((c) => c.name === 'mp_session')!.value}`;

  // Connect through the API and the fake's consent page.
  const started = await app.inject({
    method: 'GET',
    url: '/v1/integrations/square/connect',
    headers: { cookie },
  });
  const consent = await fetch(started.json<{ authorizeUrl: string }>().authorizeUrl, {
    redirect: 'manual',
  });
  const back = new URL(consent.headers.get('location')!);
  const callback = await app.inject({
    method: 'GET',
    url: `${back.pathname}${back.search}`,
    headers: { cookie },
  });
  if (callback.statusCode !== 302) throw new Error(`callback: ${callback.statusCode}`);

  // Map every location and variation.
  const fake = square.fake;
  const markets = new Map<string, string>();
  for (const location of fake.locations) {
    const [row] = (
      await sql.query<{ id: string }>(
        `INSERT INTO markets (vendor_id, name, latitude, longitude, timezone, country_code,
         square_location_id) VALUES ($1, $2, $3, $4, $5, 'US', $6) RETURNING id`,
        [
          vendorId,
          location.name,
          location.latitude,
          location.longitude,
          location.timezone,
          location.id,
        ],
      )
    ).rows;
    markets.set(location.id, row!.id);
  }
  const products = new Map<string, string>();
  for (const variation of fake.variations) {
    const [row] = (
      await sql.query<{ id: string }>(
        `INSERT INTO products (vendor_id, name, price_minor, square_variation_id)
       VALUES ($1, $2, $3, $4) RETURNING id`,
        [vendorId, `${variation.itemName} ${variation.name}`, variation.priceMinor, variation.id],
      )
    ).rows;
    products.set(variation.id, row!.id);
  }

  // 1. The backfill the connect requested, on one worker.
  const [request] = (
    await sql.query<{ id: string; payload: Record<string, unknown> }>(
      `SELECT id, payload FROM outbox WHERE job_name = 'square-sync'`,
    )
  ).rows;
  if (!request) throw new Error('connect requested no backfill');
  const now = () => new Date();
  const sync = createSquareSyncHandler({
    db,
    square: square.config.client,
    cipher: square.config.cipher,
    now,
    pageSize: 500,
  });
  const t0 = performance.now();
  const result = (await sync(request.payload, { jobId: request.id })) as {
    orders: number;
    pages: number;
    lines: number;
  };
  const seconds = (performance.now() - t0) / 1000;
  await sql.query(`UPDATE outbox SET status = 'DISPATCHED' WHERE id = $1`, [request.id]);
  console.log(
    `backfill: ${result.orders.toLocaleString('en-US')} orders (${result.lines.toLocaleString('en-US')} lines, ${result.pages} pages of 500) in ${seconds.toFixed(2)} s on one worker = ${Math.round(result.orders / seconds).toLocaleString('en-US')} orders/s`,
  );

  // 2. Webhook → outbox → in-process relay → incremental sync → daily_sales.
  const logger = pino({ level: 'warn' });
  const jobs = createJobRegistry({
    db,
    now,
    square: { square: square.config.client, cipher: square.config.cipher },
  });
  const relay = startOutboxRelay({ db, jobs, logger, pollMs: POLL_MS });
  const location = fake.locations[0]!;
  const variation = fake.variations[0]!;
  const localDate = () =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: location.timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date());
  const quantity = async (date: string) =>
    Number(
      (
        await sql.query<{ q: string }>(
          `SELECT quantity::text AS q FROM daily_sales
            WHERE market_id = $1 AND product_id = $2 AND date = $3`,
          [markets.get(location.id), products.get(variation.id), date],
        )
      ).rows[0]?.q ?? 0,
    );
  const latencies: number[] = [];
  const answers: number[] = [];
  try {
    for (let i = 0; i < WEBHOOKS; i++) {
      const date = localDate();
      const before = await quantity(date);
      const order = fake.addOrder({
        locationId: location.id,
        closedAt: new Date(),
        lines: [{ variationId: variation.id, quantity: 3 }],
      });
      const event = fake.buildWebhook({
        signatureKey: TEST_SQUARE_SIGNATURE_KEY,
        notificationUrl: TEST_SQUARE_WEBHOOK_URL,
        type: 'order.updated',
        orderId: order.id,
      });
      const arrived = performance.now();
      const response = await app.inject({
        method: 'POST',
        url: '/v1/webhooks/square',
        payload: event.rawBody,
        headers: {
          'content-type': 'application/json',
          'x-square-hmacsha256-signature': event.signature,
        },
      });
      answers.push(performance.now() - arrived);
      if (response.statusCode !== 200) throw new Error(`webhook: ${response.statusCode}`);
      const deadline = arrived + 30_000;
      while ((await quantity(date)) < before + 3) {
        if (performance.now() > deadline) throw new Error('the sale never reached daily_sales');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      latencies.push(performance.now() - arrived);
      // Spread the arrivals over the relay's poll cycle.
      await new Promise((resolve) => setTimeout(resolve, 137));
    }
  } finally {
    await relay.close();
  }
  console.log(
    `webhook answered: median ${pct(answers, 0.5).toFixed(0)} ms, worst ${Math.max(...answers).toFixed(0)} ms`,
  );
  console.log(
    `webhook arrival → sale in daily_sales (in-process relay, poll ${POLL_MS} ms, ${WEBHOOKS} webhooks): median ${pct(latencies, 0.5).toFixed(0)} ms, p90 ${pct(latencies, 0.9).toFixed(0)} ms, worst ${Math.max(...latencies).toFixed(0)} ms`,
  );
  await app.close();
} finally {
  await sql.end().catch(() => undefined);
  await db.close();
  await square.stop();
  await adminOn(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}
