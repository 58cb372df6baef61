// `npm run smoke:prod` (run by .ci/run after the tests): the production build, started the way
// DEPLOYMENT.md starts it but without Docker. It builds (`npm run build`; `--no-build` reuses the
// last build), assembles the image's file tree by replaying the Dockerfile's later stages
// (scripts/lib/image-layout.ts: production dependencies only, no sources) and runs every process
// from there, migrates a fresh database with the compiled runner, starts the compiled API and
// worker and the standalone web server with NODE_ENV=production and generated secrets, then walks
// a vendor's first evening through the web origin: sign up, import a sales CSV, open a prep list,
// submit a check-in, and sees the retrain run in the worker. Last, SIGTERM: every process exits
// cleanly and no job is lost (work requested just before the worker stops runs after it
// restarts). Machine's PostgreSQL (a fresh database, dropped after) and Redis (a private key
// prefix, deleted after); weather and events come from the local fakes; nothing leaves 127.0.0.1.
// Prints the figures: build time, smoke duration, the compiled API's cold start and memory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createMailCatcher, startFakeProviders } from '@marketprep/integrations';
import { freePorts } from '@marketprep/db/ports';
import { waitUntil } from '../bench/lib/stack';
import { assembleImageLayout } from './lib/image-layout';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVER_URL =
  process.env.SMOKE_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL =
  process.env.SMOKE_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BUILD = !process.argv.includes('--no-build');
/** The image's /app, assembled from the Dockerfile after the build (see main). */
let APP = ROOT;
// Nothing leaves the machine: Square points at a closed loopback port (the walk calls no Square
// API); SMTP is a mail catcher on loopback, where the sign-up link arrives.
const CLOSED = '127.0.0.1:9';

const say = (message: string) => console.log(`[smoke] ${message}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Proc {
  name: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM; resolves with the exit code (or the signal's name) once it has exited. */
  stop(graceMs?: number): Promise<number | string>;
}

const procs: Proc[] = [];

/** Starts `node <args>` in the image's /app with exactly `env` (plus PATH and HOME). */
function startNode(name: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, args, {
    cwd: APP,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 300) lines.splice(0, lines.length - 300);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const proc: Proc = {
    name,
    child,
    output: () => lines.join('\n'),
    stop: async (graceMs = 40_000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  procs.push(proc);
  return proc;
}

async function waitReady(proc: Proc, url: string, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  await waitUntil(
    `${proc.name} answering ${url}`,
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited`);
      return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
    },
    timeoutMs,
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\n--- ${proc.name} output ---\n${proc.output()}`);
  });
  return Date.now() - started;
}

/** Resident memory of a process in MB (Linux /proc). */
function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** Disk use of a directory tree in MB (du). */
function duMb(dir: string): number {
  return Number(spawnSync('du', ['-sm', dir], { encoding: 'utf8' }).stdout.split('\t')[0]);
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}

async function adminQuery<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A plain-layout sales CSV: one Saturday market, three products, the last ten Saturdays. */
function salesCsv(today: Date): { csv: string; lastDate: string } {
  const rows = ['date,market,product,quantity,brought,unit_price'];
  const saturday = new Date(today);
  saturday.setUTCDate(saturday.getUTCDate() - ((saturday.getUTCDay() + 1) % 7 || 7));
  let lastDate = '';
  for (let week = 9; week >= 0; week -= 1) {
    const day = new Date(saturday);
    day.setUTCDate(day.getUTCDate() - week * 7);
    const date = day.toISOString().slice(0, 10);
    lastDate = date;
    rows.push(`${date},Smoke Saturday,Sourdough loaf,${20 + (week % 4)},26,7.50`);
    rows.push(`${date},Smoke Saturday,Rye bread,${9 + (week % 3)},14,6.00`);
    rows.push(`${date},Smoke Saturday,Cinnamon roll,${30 - week},36,3.25`);
  }
  return { csv: `${rows.join('\n')}\n`, lastDate };
}

interface Session {
  cookie: string;
  csrf: string;
  vendorId: string;
}

async function call<T>(
  base: string,
  session: Session | undefined,
  method: string,
  route: string,
  body?: { json?: unknown; csv?: string },
  expected: number[] = [200],
): Promise<T> {
  const headers: Record<string, string> = {};
  if (session) {
    headers.cookie = session.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = session.csrf;
  }
  let payload: string | undefined;
  if (body?.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body?.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    payload = body.csv;
  }
  const response = await fetch(`${base}${route}`, { method, headers, body: payload });
  const text = await response.text();
  assert(
    expected.includes(response.status),
    `${method} ${route} answered ${response.status}, expected ${expected.join(' or ')}: ${text.slice(0, 500)}`,
  );
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? JSON.parse(text) : text) as T;
}

async function main(): Promise<void> {
  const smokeStarted = Date.now();
  const figures: string[] = [];
  if (BUILD) {
    say('npm run build (API, worker, migration runner, standalone web)…');
    const started = Date.now();
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    assert(build.status === 0, 'npm run build succeeds');
    figures.push(`build: ${seconds(Date.now() - started)} (npm run build)`);
  }
  // Every process below runs from the tree the Dockerfile's later stages make of the build:
  // production dependencies only, compiled output, no sources.
  const layoutStarted = Date.now();
  const imageDir = path.join(tmpdir(), `marketprep-image-${randomBytes(4).toString('hex')}`);
  const image = assembleImageLayout({
    dockerfile: path.join(ROOT, 'Dockerfile'),
    buildDir: ROOT,
    outDir: imageDir,
    log: say,
  });
  APP = image.appDir;
  for (const absent of [
    'apps/api/src',
    'node_modules/tsx',
    'node_modules/vitest',
    'node_modules/prisma',
  ]) {
    assert(!existsSync(path.join(APP, absent)), `the image holds no ${absent}`);
  }
  figures.push(
    `image tree: ${seconds(Date.now() - layoutStarted)} to assemble (${APP}), ${duMb(APP)} MB`,
  );
  const flowStarted = Date.now();

  // A fresh database migrated by the compiled runner, as the compose file's migrate service does.
  const database = `mp_smoke_${randomBytes(5).toString('hex')}`;
  await adminQuery(SERVER_URL, `CREATE DATABASE ${database}`);
  const databaseUrl = withDatabase(SERVER_URL, database);
  const prefix = `{mp-smoke-${randomBytes(4).toString('hex')}}`;
  const fakes = await startFakeProviders();
  const mail = createMailCatcher();
  await mail.start();
  try {
    const migrate = spawnSync(process.execPath, ['packages/db/dist/migrate.js'], {
      cwd: APP,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
      encoding: 'utf8',
    });
    assert(migrate.status === 0, `the compiled migration runner succeeds: ${migrate.stderr}`);
    say(migrate.stdout.trim().split('\n').at(-1) ?? '');

    const [apiPort, webPort, metricsPort] = await freePorts(3);
    const webUrl = `http://127.0.0.1:${webPort}`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const tokenKeys = `k1:${randomBytes(32).toString('base64')}`;
    const shared = {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'info',
      LOG_REQUESTS: 'false',
      SQUARE_APPLICATION_ID: 'sq0idp-smoke',
      SQUARE_APPLICATION_SECRET: randomBytes(24).toString('base64url'),
      SQUARE_BASE_URL: `http://${CLOSED}`,
      TOKEN_ENCRYPTION_KEYS: tokenKeys,
      TOKEN_ENCRYPTION_KEY_ID: 'k1',
    };
    const apiStarted = Date.now();
    const api = startNode('api', image.cmd.slice(1), {
      ...shared,
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      SESSION_SECRET: randomBytes(32).toString('base64'),
      PUBLIC_URL: webUrl,
      SMTP_URL: mail.smtpUrl,
      SQUARE_WEBHOOK_SIGNATURE_KEY: randomBytes(24).toString('base64url'),
      SQUARE_WEBHOOK_URL: `${webUrl}/v1/webhooks/square`,
      METRICS_TOKEN: randomBytes(24).toString('base64url'),
    });
    await waitReady(api, `${apiUrl}/health/ready`);
    const coldStart = Date.now() - apiStarted;
    figures.push(
      `compiled API cold start: ${coldStart} ms to /health/ready; RSS ${rssMb(api.child.pid)} MB when ready`,
    );
    const workerEnv = {
      ...shared,
      AUDIT_PSEUDONYM_KEY: randomBytes(32).toString('base64'),
      WORKER_METRICS_PORT: String(metricsPort),
      OUTBOX_POLL_MS: '200',
      // Account emails (the sign-up link) go out from the worker's account-email job.
      SMTP_URL: mail.smtpUrl,
      PUBLIC_URL: webUrl,
      NWS_BASE_URL: fakes.urls.nws,
      OPEN_METEO_BASE_URL: fakes.urls.openMeteoForecast,
      OPEN_METEO_ARCHIVE_URL: fakes.urls.openMeteoArchive,
      TICKETMASTER_BASE_URL: fakes.urls.ticketmaster,
      TICKETMASTER_API_KEY: fakes.ticketmasterApiKey,
    };
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const startWorker = async (name: string) => {
      const proc = startNode(name, ['--enable-source-maps', 'apps/worker/dist/main.js'], workerEnv);
      await waitReady(proc, metricsUrl);
      return proc;
    };
    let worker = await startWorker('worker');
    const web = startNode('web', ['apps/web/server.js'], {
      NODE_ENV: 'production',
      HOSTNAME: '127.0.0.1',
      PORT: String(webPort),
      API_URL: apiUrl,
      NEXT_TELEMETRY_DISABLED: '1',
    });
    await waitReady(web, `${webUrl}/login`);
    say(`api ${apiUrl}, web ${webUrl}, worker metrics ${metricsUrl}: all up`);

    // A vendor's first evening, through the web origin (its proxy forwards /v1 to the API).
    // Sign-up by emailed link: API -> PostgreSQL outbox -> worker (account-email) -> SMTP.
    const email = `smoke-${randomUUID().slice(0, 8)}@example.com`;
    const started = await fetch(`${webUrl}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email,
        password: 'a long enough smoke password',
        name: 'Smoke Baker',
        vendorName: 'Smoke Bakery',
      }),
    });
    assert(started.status === 202, `sign-up answers 202 (got ${started.status})`);
    let link: string | undefined;
    await waitUntil(
      'the sign-up link mailed by the worker',
      () => {
        link = /\/signup\/confirm\?token=([A-Za-z0-9_-]+)/.exec(
          mail.messages(email)[0]?.text ?? '',
        )?.[1];
        return link !== undefined;
      },
      30_000,
    );
    say('the worker mailed the sign-up link (SMTP)');
    const signupResponse = await fetch(`${webUrl}/v1/auth/signup/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: link }),
    });
    assert(signupResponse.status === 201, `the link signs up (got ${signupResponse.status})`);
    const signup = (await signupResponse.json()) as { csrfToken: string; activeVendorId: string };
    const cookie = (signupResponse.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const session: Session = { cookie, csrf: signup.csrfToken, vendorId: signup.activeVendorId };
    say(`signed up: vendor ${session.vendorId}`);

    const { csv, lastDate } = salesCsv(new Date());
    const imported = await call<{ rowsImported?: number; validRows?: number }>(
      webUrl,
      session,
      'POST',
      '/v1/imports?fileName=smoke-sales.csv',
      { csv },
      [201],
    );
    say(`imported a CSV: ${JSON.stringify(imported).slice(0, 160)}…`);

    const markets = await call<{ data: { id: string; name: string }[] }>(
      webUrl,
      session,
      'GET',
      '/v1/markets',
    );
    const market = markets.data.find((m) => m.name === 'Smoke Saturday');
    assert(market, 'the import created the market');
    const prepList = await call<{ lines: { productId: string }[] }>(
      webUrl,
      session,
      'GET',
      `/v1/markets/${market.id}/prep-lists/${lastDate}`,
    );
    assert(
      prepList.lines.length === 3,
      `the prep list has the 3 products (${prepList.lines.length})`,
    );
    const page = await call<string>(webUrl, session, 'GET', `/prep-list/${market.id}/${lastDate}`);
    assert(page.includes('Sourdough loaf'), 'the prep list page renders the products');
    say(`opened the prep list of ${lastDate} (API and page)`);
    // The accuracy backtest runs on a worker thread that loads the compiled task module.
    const accuracy = await call<{ markets: { marketId: string; marketDays: number }[] }>(
      webUrl,
      session,
      'GET',
      `/v1/insights/accuracy?marketId=${market.id}&days=84`,
    );
    const backtested = accuracy.markets.find((m) => m.marketId === market.id);
    assert(backtested && backtested.marketDays > 0, 'the off-thread accuracy backtest answers');
    say(`accuracy backtest on a worker thread: ${backtested.marketDays} market days`);

    const submitCheckIn = async () => {
      const form = await call<{ lines: { productId: string }[] }>(
        webUrl,
        session,
        'GET',
        `/v1/markets/${market.id}/check-ins/${lastDate}`,
      );
      return call<{ replayed?: boolean }>(
        webUrl,
        session,
        'PUT',
        `/v1/markets/${market.id}/check-ins/${lastDate}`,
        {
          json: {
            clientSubmissionId: randomUUID(),
            lines: form.lines.map((line) => ({
              productId: line.productId,
              brought: 30,
              sold: 24,
              leftOver: 6,
              wasted: 1,
              donated: 2,
            })),
          },
        },
        [200, 201],
      );
    };
    await submitCheckIn();
    say('submitted a check-in');

    const modelVersions = async () =>
      Number(
        (
          await adminQuery<{ n: string }>(
            databaseUrl,
            'SELECT count(*) AS n FROM model_versions WHERE vendor_id = $1',
            [session.vendorId],
          )
        )[0]?.n,
      );
    const retrainsCompleted = async () => {
      const text = await (await fetch(metricsUrl)).text();
      return text
        .split('\n')
        .filter(
          (line) =>
            line.startsWith('marketprep_job_duration_seconds_count{') &&
            /\bjob(_name)?="retrain-vendor"/.test(line) &&
            line.includes('outcome="completed"'),
        )
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    };
    await waitUntil(
      'the worker retrains the vendor',
      async () => (await modelVersions()) >= 1 && (await retrainsCompleted()) >= 1,
      60_000,
    ).catch(async (error: unknown) => {
      const outbox = await adminQuery(
        databaseUrl,
        'SELECT job_name, status, attempts, last_error FROM outbox ORDER BY created_at',
      );
      throw new Error(
        `${(error as Error).message}; model versions ${await modelVersions()}, retrains completed ${await retrainsCompleted()}, outbox ${JSON.stringify(outbox)}`,
      );
    });
    const versionsBefore = await modelVersions();
    say(`the worker ran the retrain (${versionsBefore} model version(s) stored)`);

    // SIGTERM with work just requested: the worker finishes what it runs, and what it had not
    // taken yet stays queued (outbox or BullMQ) and runs after a restart. Nothing is lost.
    await submitCheckIn();
    const workerExit = await worker.stop();
    assert(workerExit === 0, `the worker exits 0 on SIGTERM (got ${workerExit})`);
    say('worker stopped with SIGTERM (exit 0) right after a check-in requested a retrain');
    worker = await startWorker('worker (restarted)');
    await waitUntil(
      'the retrain requested before SIGTERM runs',
      async () => {
        const pending = await adminQuery<{ n: string }>(
          databaseUrl,
          `SELECT count(*) AS n FROM outbox WHERE status <> 'DISPATCHED'`,
        );
        return Number(pending[0]?.n) === 0 && (await modelVersions()) > versionsBefore;
      },
      60_000,
    );
    const failed = await adminQuery<{ n: string }>(
      databaseUrl,
      `SELECT count(*) AS n FROM outbox WHERE status = 'FAILED'`,
    );
    assert(Number(failed[0]?.n) === 0, 'no outbox row failed');
    say(`no job lost: ${await modelVersions()} model versions, every outbox row dispatched`);

    const exits = await Promise.all([web.stop(), worker.stop(), api.stop()]);
    say(`SIGTERM: web ${exits[0]}, worker ${exits[1]}, api ${exits[2]}`);
    assert(exits[1] === 0 && exits[2] === 0, 'api and worker exit 0 on SIGTERM');
    // Next's standalone server exits 128 + SIGTERM after closing.
    assert([0, 143, 'SIGTERM'].includes(exits[0]), 'web stops on SIGTERM');
    figures.push(`smoke without the build: ${seconds(Date.now() - flowStarted)}`);
  } finally {
    await Promise.all(procs.map((proc) => proc.stop(5_000)));
    await fakes.stop();
    await mail.stop();
    await adminQuery(SERVER_URL, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(imageDir, { recursive: true, force: true });
  }
  say(`passed in ${seconds(Date.now() - smokeStarted)}`);
  for (const figure of figures) say(`  ${figure}`);
}

main().catch((error: unknown) => {
  console.error(`[smoke] FAILED: ${error instanceof Error ? error.message : String(error)}`);
  for (const proc of procs) {
    console.error(
      `--- last output of ${proc.name} ---\n${proc.output().split('\n').slice(-40).join('\n')}`,
    );
  }
  process.exit(1);
});
