/**
 * Overload knee (issue 16): one API process (buildApp with the production load-shedding
 * thresholds of server.ts: mean event-loop delay 200 ms, utilization 0.98) on a fresh database
 * with the demo vendor. For the prep-list read and the check-in write it ramps autocannon's
 * concurrency (1, 2, 4, ... connections, one step of `--step` seconds each) until p99 passes
 * `--p99` ms or more than 1% of answers are errors or timeouts, and prints each step (req/s, p50,
 * p99, 2xx, 503 shed, other errors, timeouts) and the knee: the last step before it broke. Then
 * one burst far past the knee shows what a client gets: 503 problem+json with Retry-After (shed
 * by @fastify/under-pressure) or a slow answer, and how many timed out. Not a timed test.
 *
 *   npx tsx bench/overload.ts                    # 10 s steps up to 512 connections
 *   npx tsx bench/overload.ts --step 5 --max 256 --p99 1000
 *
 * autocannon runs in a worker thread, so it shares the machine's cores but not the API's event
 * loop. Uses BENCH_DATABASE_URL / TEST_DATABASE_URL (a superuser URL; default the loopback
 * PostgreSQL); the database is dropped at the end.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import {
  DEMO_LOGIN,
  MIGRATIONS_DIR,
  createDatabaseClient,
  migrate,
  seedDemoVendor,
} from '../packages/db/src';
import { buildApp } from '../apps/api/src/app';
import { adminOn, benchServerUrl, withDatabase } from './lib/database';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const STEP_S = arg('step', 10);
const MAX_CONNECTIONS = arg('max', 512);
const P99_LIMIT_MS = arg('p99', 2_000);
const BURST_CONNECTIONS = arg('burst', MAX_CONNECTIONS * 2);
const POOL = arg('pool', 10);
const CHECK_IN_REQUEST = fileURLToPath(new URL('./api-load-check-in-request.cjs', import.meta.url));
const ROTATE_REQUEST = fileURLToPath(new URL('./api-load-rotate-request.cjs', import.meta.url));

/**
 * A setup request, retried while the API sheds it (503: the machine itself may be busy enough
 * for the event loop to lag before the bench starts).
 */
async function served(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(url, init);
    if (response.status !== 503 || attempt >= 60) return response;
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

interface Step {
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  shed: number;
  otherErrors: number;
  timeouts: number;
}

async function step(connections: number, options: autocannon.Options, seconds = STEP_S) {
  const result = await autocannon({ ...options, connections, duration: seconds, workers: 1 });
  const byStatus = result.statusCodeStats ?? {};
  const count = (match: (status: number) => boolean) =>
    Object.entries(byStatus)
      .filter(([status]) => match(Number(status)))
      .reduce((sum, [, s]) => sum + s.count, 0);
  return {
    connections,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: count((s) => s >= 200 && s < 300),
    shed: count((s) => s === 503),
    otherErrors: count((s) => s >= 400 && s !== 503) + result.errors - result.timeouts,
    timeouts: result.timeouts,
  } satisfies Step;
}

const row = (s: Step) =>
  `  ${String(s.connections).padStart(5)} conn  ${String(s.rps).padStart(6)} req/s  p50 ${String(s.p50).padStart(5)} ms  p99 ${String(s.p99).padStart(6)} ms  2xx ${s.ok}  503 ${s.shed}  other ${s.otherErrors}  timeouts ${s.timeouts}`;

/** Ramps until p99 or errors break; returns every step and the knee (the last good step). */
async function ramp(name: string, options: autocannon.Options) {
  console.log(`\n${name}`);
  await step(8, options, 3); // warm-up (caches, JIT, pool)
  const steps: Step[] = [];
  let knee: Step | null = null;
  for (let connections = 1; connections <= MAX_CONNECTIONS; connections *= 2) {
    const s = await step(connections, options);
    steps.push(s);
    console.log(row(s));
    const answered = s.ok + s.shed + s.otherErrors + s.timeouts;
    const bad = (s.shed + s.otherErrors + s.timeouts) / Math.max(1, answered);
    // No answer within the step at all is broken too (requests still queued when it ended).
    if (answered === 0 || s.p99 > P99_LIMIT_MS || bad > 0.01) {
      console.log(
        `  broke at ${connections} connections:${answered === 0 ? ' no answer within the step' : ''} ${s.p99 > P99_LIMIT_MS ? `p99 ${s.p99} ms > ${P99_LIMIT_MS} ms` : ''}${bad > 0.01 ? ` ${(bad * 100).toFixed(1)}% not 2xx (503 shed ${s.shed})` : ''}`,
      );
      break;
    }
    knee = s;
  }
  console.log(
    knee
      ? `  knee: ${knee.rps} req/s at ${knee.connections} connections, p99 ${knee.p99} ms`
      : '  knee: below 1 connection',
  );
  return { steps, knee };
}

async function main(): Promise<void> {
  const name = `mp_overload_${randomBytes(4).toString('hex')}`;
  await adminOn(benchServerUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(benchServerUrl, name);
  const db = createDatabaseClient({ connectionString: url, maxConnections: POOL });
  try {
    await migrate({ connectionString: url, migrationsDir: MIGRATIONS_DIR });
    await seedDemoVendor({
      prisma: db.prisma,
      today: new Date().toISOString().slice(0, 10),
      now: new Date(),
    });
    // The production shedding thresholds (apps/api/src/env.ts defaults, as server.ts passes them).
    const app = await buildApp({
      db,
      overload: { maxEventLoopDelayMs: 200, maxEventLoopUtilization: 0.98 },
      rateLimit: { windowMs: 60_000, anonymousMax: 1e9, identityMax: 1e9, ipMax: 1e9 },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const apiUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const login = await served(`${apiUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO_LOGIN),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const headers = { cookie, 'x-csrf-token': csrfToken };

    const future = await adminOn<{ market_id: string; date: string }>(
      url,
      `SELECT market_id, to_char(date, 'YYYY-MM-DD') AS date FROM market_days
        WHERE date >= current_date AND status = 'SCHEDULED' ORDER BY date, market_id LIMIT 20`,
    );
    const past = await adminOn<{ market_id: string; date: string }>(
      url,
      `SELECT market_id, to_char(date, 'YYYY-MM-DD') AS date FROM market_days
        WHERE date < current_date AND status = 'SCHEDULED' ORDER BY date DESC LIMIT 100`,
    );
    const products = await adminOn<{ id: string }>(
      url,
      'SELECT id FROM products WHERE active ORDER BY name LIMIT 5',
    );
    if (future.length === 0 || past.length === 0) throw new Error('demo seed has no market days');

    // Every upcoming list computed once first, as a vendor's would be; reads rotate over them.
    const prepPaths = future.map((d) => `/v1/markets/${d.market_id}/prep-lists/${d.date}`);
    for (const p of prepPaths) await served(`${apiUrl}${p}`, { headers });
    process.env.BENCH_ROTATE_PATHS = prepPaths.join(',');
    const prep = {
      url: `${apiUrl}${prepPaths[0]}`,
      headers,
      requests: [{ setupRequest: ROTATE_REQUEST as unknown as autocannon.Request['setupRequest'] }],
    };
    process.env.BENCH_CHECK_IN_PRODUCTS = products.map((p) => p.id).join(',');
    process.env.BENCH_CHECK_IN_PATHS = past
      .map((d) => `/v1/markets/${d.market_id}/check-ins/${d.date}`)
      .join(',');
    const checkIn = {
      url: `${apiUrl}/v1/markets/${past[0]!.market_id}/check-ins/${past[0]!.date}`,
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      requests: [
        {
          method: 'PUT',
          setupRequest: CHECK_IN_REQUEST as unknown as autocannon.Request['setupRequest'],
        },
      ],
    };
    const probe = await served(
      `${apiUrl}/v1/markets/${past[0]!.market_id}/check-ins/${past[0]!.date}`,
      {
        method: 'PUT',
        headers: checkIn.headers,
        body: JSON.stringify({
          clientSubmissionId: randomUUID(),
          lines: products.map((p) => ({
            productId: p.id,
            brought: 10,
            sold: 8,
            leftOver: 2,
            wasted: 0,
            donated: 0,
          })),
        }),
      },
    );
    if (probe.status >= 300)
      throw new Error(`check-in probe: ${probe.status} ${await probe.text()}`);

    console.log(
      `Overload knee: one API process, pool ${POOL}, ${STEP_S} s per step up to ${MAX_CONNECTIONS} connections, broken at p99 > ${P99_LIMIT_MS} ms or > 1% not 2xx`,
    );
    const knees = {
      prep: await ramp('GET prep list (rotating over upcoming market days)', prep),
      checkIn: await ramp('PUT check-in (rotating over past market days)', checkIn),
    };

    // Far past the knee: does a client get 503 + Retry-After at once, or wait and time out?
    console.log(`\nBurst: ${BURST_CONNECTIONS} connections on the prep-list read, ${STEP_S} s`);
    const burstRun = step(BURST_CONNECTIONS, prep);
    // Mid-burst, one request of our own shows the shed answer's headers.
    await new Promise((resolve) => setTimeout(resolve, (STEP_S * 1000) / 2));
    const started = Date.now();
    const sample = await fetch(`${apiUrl}${prepPaths[0]}`, { headers });
    const sampleMs = Date.now() - started;
    const burst = await burstRun;
    console.log(row(burst));
    console.log(
      `  one request mid-burst: ${sample.status} in ${sampleMs} ms` +
        (sample.status === 503
          ? `, Retry-After ${sample.headers.get('retry-after')}, ${sample.headers.get('content-type')}`
          : ''),
    );
    console.log(
      `\nSummary: prep-list knee ${knees.prep.knee?.rps ?? 0} req/s at ${knees.prep.knee?.connections ?? 0} connections (p99 ${knees.prep.knee?.p99 ?? '-'} ms); ` +
        `check-in knee ${knees.checkIn.knee?.rps ?? 0} req/s at ${knees.checkIn.knee?.connections ?? 0} connections (p99 ${knees.checkIn.knee?.p99 ?? '-'} ms); ` +
        `burst: ${burst.shed} shed with 503, ${burst.timeouts} timed out of ${burst.ok + burst.shed + burst.otherErrors + burst.timeouts}`,
    );
    await app.close();
  } finally {
    await db.close();
    await adminOn(benchServerUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

await main();
