/**
 * Route bench (issue 21): every authenticated GET of the API's route table (and the main writes)
 * against the seeded demo vendor, one after the other in one run, beside a bare Fastify "hello"
 * route measured in the same run: req/s, p50, p99, errors, non-2xx, the ratio to the bare route and
 * CPU ms per request of the API's own threads (from /proc, a figure that holds when other work
 * shares the machine). Then the Redis rows: GET /v1/markets while the API's Redis (a private
 * redis-server started here) is killed mid-run, and again after it returns. Not a timed test.
 *
 *   npx tsx bench/api-routes.ts                   # warm-up 2 s + 5 s per route, 50 connections
 *   npx tsx bench/api-routes.ts --duration 10     # longer runs
 *   npx tsx bench/api-routes.ts --only markets,prep-lists   # routes whose URL contains any of these
 *   npx tsx bench/api-routes.ts --no-redis        # in-process auth cache, no Redis rows
 *   npx tsx bench/api-routes.ts --no-answer-cache # every GET runs its handler (the miss path)
 *
 * Uses TEST_DATABASE_URL (a superuser URL; default postgresql://postgres@127.0.0.1:5432/postgres):
 * a fresh database, migrated, demo seeded, VACUUM (ANALYZE) once (this machine runs with
 * autovacuum off), dropped at the end. autocannon runs in a worker thread.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { TokenCipher, parseTokenKeyRing } from '@marketprep/integrations';
import {
  DEMO_LOGIN,
  MIGRATIONS_DIR,
  createDatabaseClient,
  migrate,
  seedDemoVendor,
} from '../packages/db/src';
import { freePort } from '@marketprep/db/ports';
import { buildApp } from '../apps/api/src/app';
import { routeTableOf } from '../apps/api/src/testing/route-table';
import { adminOn, benchServerUrl, withDatabase } from './lib/database';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const DURATION = Number(option('--duration') ?? 5);
const WARM_UP = Math.min(2, DURATION);
const CONNECTIONS = Number(option('--connections') ?? 50);
const ONLY = option('--only')?.split(',') ?? null;
const WITH_REDIS = !args.includes('--no-redis');
/** Every request runs its handler (the answer cache off): what a read costs when data changed. */
const ANSWER_CACHE = !args.includes('--no-answer-cache');
/** autocannon's worker thread (the load generator off the server's event loop; untyped option). */
const IN_WORKER = { workers: 1 } as Partial<autocannon.Options>;
const CHECK_IN_REQUEST = fileURLToPath(new URL('./api-load-check-in-request.cjs', import.meta.url));

const TICK_MS = 10;
function ticksOf(statPath: string): number {
  try {
    const stat = readFileSync(statPath, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}
const threadTicks = (tids: readonly string[]): number =>
  tids.reduce((sum, tid) => sum + ticksOf(`/proc/self/task/${tid}/stat`), 0);

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  /** Errors and timeouts, or "no answer" when nothing came back within the run. */
  errors: number | 'no answer';
  non2xx: number;
  cpuMs: number;
}

async function measure(
  name: string,
  options: autocannon.Options,
  during?: (durationS: number) => void,
): Promise<Row> {
  await autocannon({ connections: CONNECTIONS, duration: WARM_UP, ...IN_WORKER, ...options });
  // Threads alive before autocannon starts are the server's (main, libuv pool, V8 platform).
  const serverThreads = readdirSync('/proc/self/task');
  const before = threadTicks(serverThreads);
  during?.(DURATION);
  const result = await autocannon({
    connections: CONNECTIONS,
    duration: DURATION,
    ...IN_WORKER,
    ...options,
  });
  const requests = Math.max(1, result.requests.total);
  const row: Row = {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // A run in which nothing came back is not "0 errors": its requests were all still waiting.
    errors: result.requests.total === 0 ? 'no answer' : result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuMs: ((threadTicks(serverThreads) - before) * TICK_MS) / requests,
  };
  console.log(
    `  ${name}: ${Math.round(row.rps)} req/s, p99 ${row.p99} ms, errors ${row.errors}, non-2xx ${row.non2xx}`,
  );
  return row;
}

function startRedis(port: number): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main(): Promise<void> {
  const name = `mp_routes_${randomBytes(4).toString('hex')}`;
  await adminOn(benchServerUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(benchServerUrl, name);
  let redisProcess: ChildProcess | undefined;
  let redis: Redis | undefined;
  try {
    await migrate({ connectionString: url, migrationsDir: MIGRATIONS_DIR });
    const db = createDatabaseClient({ connectionString: url, maxConnections: 10 });
    const now = new Date();
    await seedDemoVendor({ prisma: db.prisma, today: now.toISOString().slice(0, 10), now });
    await adminOn(url, 'VACUUM (ANALYZE)');

    const redisPort = await freePort();
    if (WITH_REDIS) {
      redisProcess = startRedis(redisPort);
      // As server.ts makes it: commands fail fast while Redis is away.
      redis = new Redis(`redis://127.0.0.1:${redisPort}`, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 500,
        retryStrategy: () => 100,
      });
      redis.on('error', () => undefined);
      const client = redis;
      await until(() => client.status === 'ready', 'the private redis-server');
    }

    const app = await buildApp({
      db,
      ...(redis ? { redis } : {}),
      ...(ANSWER_CACHE ? {} : { responseCache: false as const }),
      // The bench's webhook endpoint points at loopback (no DNS here); nothing is delivered.
      webhookTargets: { allowLoopback: true, requireHttps: false },
      tokenCipher: new TokenCipher(
        parseTokenKeyRing(`t1:${randomBytes(32).toString('base64')}`, 't1'),
      ),
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

    // Rows the demo has none of, made through the API so their GETs are measured too: a data
    // export request, a sales import, a webhook endpoint. One that is refused stays unmeasured.
    const made = async (path: string, body: string, contentType: string) => {
      const response = await fetch(`${apiUrl}${path}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': contentType },
        body,
      });
      await response.arrayBuffer();
      if (response.status >= 300)
        console.log(`  (setup: POST ${path} answered ${response.status})`);
    };
    await made('/v1/data-exports', '{}', 'application/json');
    await made(
      '/v1/imports?fileName=bench.csv',
      'date,market,product,quantity\n2024-06-01,Bench Market,Bench Bread,3\n',
      'text/csv',
    );
    await made(
      '/v1/webhook-endpoints',
      JSON.stringify({ url: 'http://127.0.0.1:9/marketprep', events: ['check_in.submitted'] }),
      'application/json',
    );

    // Path parameters from the demo vendor: its first market, the next market day, a product...
    const one = async (sql: string) =>
      (await adminOn<{ v: string }>(url, sql).catch(() => []))[0]?.v ?? undefined;
    const upcoming = await adminOn<{ market_id: string; date: string }>(
      url,
      `SELECT market_id, to_char(date, 'YYYY-MM-DD') AS date FROM market_days
        WHERE date >= current_date AND status = 'SCHEDULED' ORDER BY date, market_id LIMIT 1`,
    );
    const past = await adminOn<{ market_id: string; date: string }>(
      url,
      `SELECT market_id, to_char(date, 'YYYY-MM-DD') AS date FROM market_days
        WHERE date < current_date AND status = 'SCHEDULED' ORDER BY date DESC LIMIT 100`,
    );
    const params: Record<string, string | undefined> = {
      marketId: upcoming[0]?.market_id,
      date: upcoming[0]?.date,
      productId: await one('SELECT id::text AS v FROM products WHERE active ORDER BY name LIMIT 1'),
      marketDayId: await one(
        `SELECT id::text AS v FROM market_days WHERE date >= current_date ORDER BY date LIMIT 1`,
      ),
      eventId: await one('SELECT id::text AS v FROM events ORDER BY id LIMIT 1'),
      exportId: await one('SELECT id::text AS v FROM data_export_requests ORDER BY id LIMIT 1'),
      endpointId: await one('SELECT id::text AS v FROM webhook_endpoints ORDER BY id LIMIT 1'),
      importId: await one('SELECT id::text AS v FROM sales_imports ORDER BY id LIMIT 1'),
      notificationId: await one('SELECT id::text AS v FROM notifications ORDER BY id LIMIT 1'),
      preOrderId: await one('SELECT id::text AS v FROM pre_orders ORDER BY id LIMIT 1'),
    };

    // Required query strings, from the same demo values.
    const today = await one("SELECT to_char(current_date, 'YYYY-MM-DD') AS v");
    const weekOn = await one("SELECT to_char(current_date + 6, 'YYYY-MM-DD') AS v");
    const queries: Record<string, string | undefined> = {
      '/v1/geo/lookup': 'q=60614',
      '/v1/insights/forecast-vs-actual':
        params.marketId && params.productId
          ? `marketId=${params.marketId}&productId=${params.productId}`
          : undefined,
      '/v1/plans/week': today && `from=${today}`,
      '/v1/plans/week/export.pdf': today && `from=${today}`,
      '/v1/prep-lists': today && weekOn && `from=${today}&to=${weekOn}`,
    };

    const routes = routeTableOf(app).filter(
      (r) =>
        r.method === 'GET' &&
        r.access !== undefined &&
        r.access.kind !== 'public' &&
        r.access.kind !== 'admin' &&
        (ONLY === null || ONLY.some((part) => r.url.includes(part))),
    );
    console.log(
      `Route bench: ${CONNECTIONS} connections, warm-up ${WARM_UP} s + ${DURATION} s per route, ` +
        `autocannon in a worker thread, pool 10, auth cache ${redis ? 'in Redis' : 'in-process'}, answer cache ${ANSWER_CACHE ? 'on' : 'off'}; ` +
        `load average before: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    const rows: Row[] = [await measure('bare Fastify hello', { url: `${bareUrl}/hello` })];
    const skipped: string[] = [];
    for (const route of routes) {
      let path = route.url;
      const missing = route.params.filter((p) => params[p] === undefined);
      if (missing.length > 0) {
        skipped.push(`${route.url} (no demo ${missing.join(', ')})`);
        continue;
      }
      for (const p of route.params) path = path.replace(`:${p}`, params[p]!);
      const query = queries[route.url];
      if (query) path = `${path}?${query}`;
      const probe = await fetch(`${apiUrl}${path}`, { headers: auth });
      if (probe.status >= 400) {
        skipped.push(`${route.url} (answers ${probe.status} on the demo)`);
        continue;
      }
      await probe.arrayBuffer();
      rows.push(await measure(`GET ${route.url}`, { url: `${apiUrl}${path}`, headers: auth }));
    }

    // The main write: the pack-up check-in, spread over the 100 latest market days.
    const products = await adminOn<{ id: string }>(
      url,
      'SELECT id FROM products WHERE active ORDER BY name LIMIT 5',
    );
    if (past.length > 0 && (ONLY === null || ONLY.includes('check-ins'))) {
      process.env.BENCH_CHECK_IN_PRODUCTS = products.map((p) => p.id).join(',');
      const paths = past.map((d) => `/v1/markets/${d.market_id}/check-ins/${d.date}`);
      process.env.BENCH_CHECK_IN_PATHS = paths.join(',');
      rows.push(
        await measure('PUT check-in (write, spread over 100 market days)', {
          url: `${apiUrl}${paths[0]}`,
          method: 'PUT',
          headers: { ...auth, 'content-type': 'application/json', prefer: 'return=minimal' },
          requests: [
            { setupRequest: CHECK_IN_REQUEST as unknown as autocannon.Request['setupRequest'] },
          ],
        }),
      );
    }

    if (redis && redisProcess) {
      // Redis killed mid-run and back, on the route every screen calls first and on the prep-list
      // read (its serialized list is shared through Redis too): both must keep answering.
      const prepList =
        params.marketId && params.date
          ? `/v1/markets/${params.marketId}/prep-lists/${params.date}`
          : undefined;
      const targets = [
        ['GET /v1/markets', '/v1/markets'],
        ...(prepList ? [['GET prep list', prepList]] : []),
      ] as const;
      const fallbacks = async () => {
        const metric = await app.metrics.registry.getSingleMetric('cache_fallbacks_total')?.get();
        return (metric?.values ?? []).map((v) => `${String(v.labels.cache)} ${v.value}`).join(', ');
      };
      for (const [label, path] of targets) {
        const target = { url: `${apiUrl}${path}`, headers: auth };
        const killed = redisProcess;
        rows.push(
          await measure(`${label}, Redis killed (kill -9) mid-run`, target, (seconds) => {
            setTimeout(() => killed.kill('SIGKILL'), (seconds * 1000) / 2);
          }),
        );
        console.log(`  lookups that fell back to PostgreSQL so far: ${await fallbacks()}`);
        redisProcess = startRedis(redisPort);
        const client = redis;
        await until(() => client.status === 'ready', 'Redis back');
        await new Promise((r) => setTimeout(r, 1_100)); // the caches' pause after a failure
        rows.push(await measure(`${label}, Redis back`, target));
      }
    }

    const bareRps = rows[0]!.rps;
    console.log('');
    console.log(
      '| route | req/s | p50 ms | p99 ms | errors | non-2xx | ratio to bare | CPU ms/req API |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
      console.log(
        `| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${(r.rps / bareRps).toFixed(3)} | ${r.cpuMs.toFixed(2)} |`,
      );
    }
    if (skipped.length > 0) console.log(`\nNot measured: ${skipped.join('; ')}`);
    console.log(
      `Load average after: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    await app.close();
    await bare.close();
    await db.close();
  } finally {
    redis?.disconnect();
    redisProcess?.kill('SIGKILL');
    await adminOn(benchServerUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
