/**
 * API load bench (issue 4, RELIABILITY.md "Load"): the real API (buildApp: session auth, RLS
 * transaction per request, rate limits on with a high ceiling) beside a bare Fastify "hello"
 * route, measured in the same run with autocannon at 50 connections: a warm-up, then the median
 * of 3 runs per target. Prints req/s, p50, p99, errors and the ratio to the bare route. Not a
 * timed test.
 *
 *   npx tsx bench/api-load.ts                 # 3 x 30 s per target
 *   npx tsx bench/api-load.ts --duration 10   # shorter runs
 *   npx tsx bench/api-load.ts --in-process    # autocannon on the server's own event loop (old way)
 *   npx tsx bench/api-load.ts --pool 20       # PostgreSQL pool size of the API (default 10)
 *   npx tsx bench/api-load.ts --only prep,check-in   # only these targets (and the bare route)
 *   npx tsx bench/api-load.ts --connections 1  # no concurrency: cost per request without contention
 *
 * Besides req/s and latency it prints CPU ms per request of the API's own threads and of the
 * pool's PostgreSQL backends (from /proc): figures that hold when other work shares the machine;
 * and what the busy backends were waiting on, sampled from pg_stat_activity (a lock, the WAL
 * flush of a commit, or nothing: "CPU").
 *
 * By default autocannon runs in a worker thread (`workers: 1`), so the load generator shares the
 * machine's 2 cores with the server (and PostgreSQL) but not the server's event loop. Set
 * LOG_LEVEL (e.g. `info`) to run with request logging on; off by default, as in the tests.
 *
 * Uses TEST_DATABASE_URL (a superuser URL; default postgresql://postgres@127.0.0.1:5432/postgres):
 * creates a fresh database, migrates it, seeds the demo vendor, and drops it at the end. Runs
 * VACUUM (ANALYZE) before each target's runs, as autovacuum would (see `vacuum` below).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import {
  DEMO_LOGIN,
  MIGRATIONS_DIR,
  createDatabaseClient,
  migrate,
  seedDemoVendor,
} from '../packages/db/src';
import { buildApp } from '../apps/api/src/app';

const args = process.argv.slice(2);
const durationArg = args.indexOf('--duration');
const DURATION = durationArg >= 0 ? Number(args[durationArg + 1]) : 30;
const connectionsArg = args.indexOf('--connections');
const CONNECTIONS = connectionsArg >= 0 ? Number(args[connectionsArg + 1]) : 50;
const IN_PROCESS = args.includes('--in-process');
const poolArg = args.indexOf('--pool');
const POOL = poolArg >= 0 ? Number(args[poolArg + 1]) : Number(process.env.DATABASE_POOL_MAX ?? 10);
const CHECK_IN_REQUEST = fileURLToPath(new URL('./api-load-check-in-request.cjs', import.meta.url));
const ROTATE_REQUEST = fileURLToPath(new URL('./api-load-rotate-request.cjs', import.meta.url));
const onlyArg = args.indexOf('--only');
const ONLY = onlyArg >= 0 ? (args[onlyArg + 1] ?? '').split(',') : null;
/** Whether a target was asked for (`--only markets,prep,check-in`; all by default). */
const wanted = (key: string): boolean => ONLY === null || ONLY.includes(key);
const RUNS = 3;
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** CPU ms per request: the API's threads (not autocannon's) and the pool's PostgreSQL backends. */
  apiCpuMs: number;
  pgCpuMs: number;
  /** What the pool's busy backends were doing, sampled during the run: "62% LWLock:WALWrite, …". */
  pgWaits: string;
}

// CPU time per request, which (unlike req/s) hardly moves when other work shares the machine:
// utime + stime of /proc/<pid>/task/<tid>/stat, in clock ticks (USER_HZ, 100 on Linux).
const TICK_MS = 10;
function ticksOf(statPath: string): number {
  try {
    const stat = readFileSync(statPath, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // the thread or process has gone
  }
}
const ownThreads = (): string[] => readdirSync('/proc/self/task');
const threadTicks = (tids: readonly string[]): number =>
  tids.reduce((sum, tid) => sum + ticksOf(`/proc/self/task/${tid}/stat`), 0);
const processTicks = (pids: readonly number[]): number =>
  pids.reduce((sum, pid) => sum + ticksOf(`/proc/${pid}/stat`), 0);

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** PostgreSQL backend pids of the bench database (the API's pool), set once it is connected. */
let backendPids: () => Promise<number[]> = () => Promise.resolve([]);

/**
 * Samples pg_stat_activity every 20 ms on its own connection while a run lasts: what the API's
 * busy backends wait on (a lock, the WAL flush, the client) or "CPU" when they wait on nothing.
 * CPU ms per request says how much work a request is; this says why it waits. Stop it to get
 * the shares of the samples, largest first.
 */
async function sampleWaits(pids: readonly number[]): Promise<{ stop(): Promise<string> }> {
  const monitor = new pg.Client({ connectionString: serverUrl });
  await monitor.connect();
  const counts = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await monitor.query<{ wait: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS wait
           FROM pg_stat_activity WHERE pid = ANY($1) AND state = 'active'`,
        [pids],
      );
      for (const { wait } of rows) counts.set(wait, (counts.get(wait) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await monitor.end();
      const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
      if (total === 0) return '-';
      return [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([wait, n]) => `${Math.round((100 * n) / total)}% ${wait}`)
        .join(', ');
    },
  };
}

async function run(
  name: string,
  options: autocannon.Options,
  duration: number,
): Promise<Omit<Figures, 'name'>> {
  // Threads alive before autocannon starts are the server's (main, libuv pool, V8 platform).
  const serverThreads = ownThreads();
  const pids = await backendPids();
  const apiBefore = threadTicks(serverThreads);
  const pgBefore = processTicks(pids);
  const waits = await sampleWaits(pids);
  const result = await autocannon({
    connections: CONNECTIONS,
    duration,
    ...(IN_PROCESS ? {} : { workers: 1 }),
    ...options,
  });
  const pgWaits = await waits.stop();
  const requests = Math.max(1, result.requests.total);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    apiCpuMs: ((threadTicks(serverThreads) - apiBefore) * TICK_MS) / requests,
    pgCpuMs: (Math.max(0, processTicks(pids) - pgBefore) * TICK_MS) / requests,
    pgWaits,
  };
}

/**
 * VACUUM (ANALYZE) of the bench database, as autovacuum would do in any real deployment. This
 * machine's PostgreSQL runs with `autovacuum = off`: without it the planner has no statistics
 * after the seed (and ANDs the vendor index into every feedback read), and the check-in runs,
 * which rewrite the same few hundred rows tens of thousands of times, pile up dead tuples that
 * no real vendor's history would. Run before each target's runs, outside the measured time.
 */
let vacuum: () => Promise<void> = () => Promise.resolve();

async function measure(name: string, options: autocannon.Options): Promise<Figures> {
  await vacuum();
  await run(name, options, Math.min(5, DURATION)); // warm-up
  const runs: Omit<Figures, 'name'>[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    await vacuum();
    runs.push(await run(name, options, DURATION));
  }
  runs.sort((a, b) => a.rps - b.rps);
  const median = runs[Math.floor(runs.length / 2)]!;
  console.log(
    `  ${name}: runs ${runs.map((r) => Math.round(r.rps)).join(' / ')} req/s -> median ${Math.round(median.rps)}`,
  );
  return { name, ...median };
}

async function main(): Promise<void> {
  const name = `mp_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  await migrate({ connectionString: url, migrationsDir: MIGRATIONS_DIR });
  const db = createDatabaseClient({ connectionString: url, maxConnections: POOL });
  const today = new Date().toISOString().slice(0, 10);
  await seedDemoVendor({ prisma: db.prisma, today, now: new Date() });

  const app = await buildApp({
    db,
    ...(process.env.LOG_LEVEL ? { logger: { level: process.env.LOG_LEVEL } } : {}),
    // Limits on (the code path runs), ceiling above what one client can send in a run.
    rateLimit: { windowMs: 60_000, anonymousMax: 1e9, identityMax: 1e9, ipMax: 1e9 },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const apiUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  const bare = Fastify({ logger: false });
  bare.get('/hello', () => ({ hello: 'world' }));
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

  const login = await fetch(`${apiUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_LOGIN),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const auth = { cookie, 'x-csrf-token': csrfToken };

  // A market with an upcoming market day (prep list) and a past one (check-in), and products.
  const pgApp = new pg.Client({ connectionString: url });
  await pgApp.connect();
  // Upcoming market days (the next one is the hot prep list; the spread read rotates over all).
  const future = await pgApp.query<{ market_id: string; date: string }>(
    `SELECT market_id, to_char(date, 'YYYY-MM-DD') AS date FROM market_days
     WHERE date >= current_date AND status = 'SCHEDULED' ORDER BY date, market_id LIMIT 50`,
  );
  // The 100 latest held market days: the spread check-in target rotates over them.
  const past = await pgApp.query<{ market_id: string; date: string }>(
    `SELECT market_id, to_char(date, 'YYYY-MM-DD') AS date FROM market_days
     WHERE date < current_date AND status = 'SCHEDULED' ORDER BY date DESC LIMIT 100`,
  );
  const products = await pgApp.query<{ id: string }>(
    `SELECT id FROM products WHERE active ORDER BY name LIMIT 5`,
  );
  await pgApp.end();

  vacuum = async () => {
    const maintenance = new pg.Client({ connectionString: url });
    await maintenance.connect();
    await maintenance.query('VACUUM (ANALYZE)');
    await maintenance.end();
  };

  backendPids = async () => {
    const monitor = new pg.Client({ connectionString: serverUrl });
    await monitor.connect();
    const rows = await monitor.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    await monitor.end();
    return rows.rows.map((r) => r.pid);
  };

  const routes = app.printRoutes({ commonPrefix: false });
  const hasPrepList = routes.includes('/prep-lists/:date');
  const hasCheckIn = routes.includes('/check-ins/:date');

  console.log(
    `API load bench: ${CONNECTIONS} connections, warm-up + ${RUNS} x ${DURATION} s per target (median), ` +
      `autocannon ${IN_PROCESS ? 'in the server process' : 'in a worker thread'}, pool ${POOL}`,
  );
  const results: Figures[] = [];
  results.push(await measure('bare Fastify hello', { url: `${bareUrl}/hello` }));
  if (wanted('markets')) {
    results.push(
      await measure('GET /v1/markets (session)', { url: `${apiUrl}/v1/markets`, headers: auth }),
    );
  }
  const target = future.rows[0];
  if (!wanted('prep')) {
    // not asked for
  } else if (hasPrepList && target) {
    const prepUrl = `${apiUrl}/v1/markets/${target.market_id}/prep-lists/${target.date}`;
    const first = await fetch(prepUrl, { headers: auth });
    console.log(`  (prep list ${target.date}: first read ${first.status})`);
    results.push(await measure('GET prep list (session)', { url: prepUrl, headers: auth }));
    // Every upcoming market day's list, in turn (computed once first, as a vendor's would be).
    const paths = future.rows.map((d) => `/v1/markets/${d.market_id}/prep-lists/${d.date}`);
    for (const p of paths) await fetch(`${apiUrl}${p}`, { headers: auth });
    process.env.BENCH_ROTATE_PATHS = paths.join(',');
    let next = 0;
    results.push(
      await measure(`GET prep list (session, spread over ${paths.length} market days)`, {
        url: prepUrl,
        headers: auth,
        requests: [
          IN_PROCESS
            ? { setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }
            : { setupRequest: ROTATE_REQUEST as unknown as autocannon.Request['setupRequest'] },
        ],
      }),
    );
  } else {
    console.log('  prep-list read: route or upcoming market day missing, skipped');
  }
  const day = past.rows[0];
  process.env.BENCH_CHECK_IN_PRODUCTS = products.rows.map((p) => p.id).join(',');
  const checkInPath = (d: { market_id: string; date: string }) =>
    `/v1/markets/${d.market_id}/check-ins/${d.date}`;
  const checkIn = (label: string, paths: string[], minimal: boolean) => {
    // The worker thread's setupRequest reads the paths from the environment (see the .cjs file).
    process.env.BENCH_CHECK_IN_PATHS = paths.join(',');
    let next = 0;
    const body = () =>
      JSON.stringify({
        clientSubmissionId: randomUUID(),
        lines: products.rows.map((p, i) => ({
          productId: p.id,
          brought: 20 + i,
          sold: 15 + i,
          leftOver: 5,
          wasted: 1,
          donated: 2,
          rating: 4,
        })),
      });
    return measure(label, {
      url: `${apiUrl}${paths[0]}`,
      method: 'PUT',
      headers: {
        ...auth,
        'content-type': 'application/json',
        ...(minimal ? { prefer: 'return=minimal' } : {}),
      },
      requests: [
        IN_PROCESS
          ? {
              setupRequest: (request) => ({
                ...request,
                path: paths[next++ % paths.length],
                body: body(),
              }),
            }
          : { setupRequest: CHECK_IN_REQUEST as unknown as autocannon.Request['setupRequest'] },
      ],
    });
  };
  if (!wanted('check-in')) {
    // not asked for
  } else if (hasCheckIn && day && products.rows.length > 0) {
    // Every request a new submission (new clientSubmissionId), so each one writes. Spread: the
    // next of the 100 latest market days each time, as check-ins arrive in real life. Same day:
    // all 50 connections rewrite the same 5 rows, which serializes them on row locks (worst case).
    // With `Prefer: return=minimal`, as the web app's offline queue sends them (it does not read
    // the answer), and once with the whole form as the answer, as an integrator may ask.
    const spread = past.rows.map(checkInPath);
    results.push(
      await checkIn('PUT check-in (session, write, spread over 100 market days)', spread, true),
    );
    results.push(
      await checkIn(
        'PUT check-in (session, write, same day and products)',
        [checkInPath(day)],
        true,
      ),
    );
    results.push(
      await checkIn('PUT check-in (session, write, spread, whole form answered)', spread, false),
    );
  } else {
    console.log('  check-in write: route or past market day missing, skipped');
  }

  const bareRps = results[0]!.rps;
  console.log('');
  console.log(
    '| target | req/s | p50 ms | p99 ms | errors | non-2xx | ratio to bare | CPU ms/req API | CPU ms/req PostgreSQL |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${(r.rps / bareRps).toFixed(3)} | ${r.apiCpuMs.toFixed(2)} | ${r.pgCpuMs.toFixed(2)} |`,
    );
  }
  console.log('\nWhat the busy PostgreSQL backends were doing (share of 20 ms samples):');
  for (const r of results.slice(1)) console.log(`  ${r.name}: ${r.pgWaits}`);

  await app.close();
  await bare.close();
  await db.close();
  const drop = new pg.Client({ connectionString: serverUrl });
  await drop.connect();
  await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await drop.end();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
