/**
 * Processes of a MarketPrep stack on this machine, for benches and the tests that need real
 * processes (bench/soak.ts, bench/scale-out.int.test.ts): a private Redis, API and worker
 * processes started from the sources with tsx, each on a port found with listen(0), all on
 * 127.0.0.1. Nothing here touches the machine's own Redis or any non-loopback address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { freePort } from '@marketprep/db/ports';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/lib/../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Polls `check` every 100 ms until it is true, or throws after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A started child process with its output kept (the last 200 lines) for error messages. */
export interface StackProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The last lines the process wrote (stdout and stderr). */
  output(): string;
  /** The last 20 pino lines at level error or fatal (kept apart: warnings would push them out). */
  errorLines(): string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL now; resolves when it has exited. */
  kill(): Promise<void>;
  /**
   * Heap in use right after a full collection (bytes), for processes started with `gcProbe`
   * (bench/gc-probe.cjs); null when the process did not answer within 5 s.
   */
  heapAfterGc(): Promise<number | null>;
}

function track(name: string, child: ChildProcess): StackProcess {
  const lines: string[] = [];
  const errors: string[] = [];
  const probes: ((heapUsed: number) => void)[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      const probe = /^gc-probe heapUsed=(\d+)/.exec(line);
      if (probe) probes.shift()?.(Number(probe[1]));
      else lines.push(line);
      if (/"level":(50|60)/.test(line)) errors.push(line);
    }
    if (errors.length > 20) errors.splice(0, errors.length - 20);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const signal = async (sig: NodeJS.Signals, graceMs: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(sig);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    name,
    child,
    pid: child.pid ?? -1,
    output: () => lines.join('\n'),
    errorLines: () => [...errors],
    stop: (graceMs = 15_000) => signal('SIGTERM', graceMs),
    kill: () => signal('SIGKILL', 0),
    heapAfterGc: () =>
      new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => {
          const i = probes.indexOf(answer);
          if (i >= 0) probes.splice(i, 1);
          resolve(null);
        }, 5_000);
        const answer = (heapUsed: number) => {
          clearTimeout(timer);
          resolve(heapUsed);
        };
        probes.push(answer);
        child.kill('SIGUSR2');
      }),
  };
}

/**
 * Starts a private `redis-server` on `port` and waits until it answers. Without `dataDir` it
 * keeps nothing on disk; with it, it persists every write to an append-only file there
 * (`appendfsync always`, as production should), so a kill -9 and a restart on the same
 * directory lose nothing that was acknowledged.
 */
export async function startRedis(
  port: number,
  options: { dataDir?: string } = {},
): Promise<StackProcess> {
  const persistence = options.dataDir
    ? ['--dir', options.dataDir, '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const redis = track(`redis:${port}`, child);
  await waitUntil(`redis-server on ${port}`, () => redisPing(port), 10_000);
  return redis;
}

/** PING over a raw socket: true when Redis on `port` answers PONG. */
function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      resolve(ok);
      socket.destroy();
    };
    socket.setTimeout(1_000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** The settings every API and worker of one stack share. */
export interface StackSettings {
  /** Owner URL of the database (migrations applied). */
  databaseUrl: string;
  /** `redis://127.0.0.1:<port>` of the private Redis. */
  redisUrl: string;
  /** BullMQ key prefix shared by the stack's processes. */
  queuePrefix: string;
  /** Shared secrets: the same in every API so a session works on each. */
  sessionSecret: string;
  tokenKeys: string;
  /** Square webhook signature key and registered URL (no call leaves the machine). */
  squareSignatureKey: string;
  squareWebhookUrl: string;
  /** Extra environment for the APIs (rate limits...). */
  apiEnv?: Record<string, string>;
  /** Extra environment for the workers. */
  workerEnv?: Record<string, string>;
  /** Preload bench/gc-probe.cjs (and --expose-gc) so `heapAfterGc()` works. */
  gcProbe?: boolean;
}

/** Fresh settings for a stack on `databaseUrl` and `redisUrl`. */
export function stackSettings(
  databaseUrl: string,
  redisUrl: string,
  extra: Pick<StackSettings, 'apiEnv' | 'workerEnv' | 'gcProbe'> = {},
): StackSettings {
  return {
    databaseUrl,
    redisUrl,
    queuePrefix: `{mp-${randomBytes(3).toString('hex')}}`,
    sessionSecret: randomBytes(24).toString('hex'),
    tokenKeys: `k1:${randomBytes(32).toString('base64')}`,
    squareSignatureKey: randomBytes(16).toString('hex'),
    squareWebhookUrl: 'https://api.marketprep.test/v1/webhooks/square',
    ...extra,
  };
}

// Nothing leaves the machine: provider URLs point at a closed loopback port, and the worker's
// weather and events providers are its in-process fakes.
const CLOSED = 'http://127.0.0.1:9';

function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR'];
  const env: Record<string, string> = {};
  for (const name of keep) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

const GC_PROBE = path.join(REPO_ROOT, 'bench', 'gc-probe.cjs');

function startTsx(
  name: string,
  entry: string,
  env: Record<string, string>,
  gcProbe = false,
): StackProcess {
  const probe = gcProbe ? ['--expose-gc', '--require', GC_PROBE] : [];
  const child = spawn(process.execPath, [...probe, '--import', 'tsx', entry], {
    cwd: REPO_ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(name, child);
}

/** A started API process. */
export interface ApiProcess extends StackProcess {
  url: string;
}

/** Starts `apps/api/src/server.ts` on a free port; resolves once `/health/ready` answers 200. */
export async function startApi(settings: StackSettings, name = 'api'): Promise<ApiProcess> {
  const port = await freePort();
  const proc = startTsx(
    name,
    'apps/api/src/server.ts',
    {
      NODE_ENV: 'development',
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      DATABASE_URL: settings.databaseUrl,
      REDIS_URL: settings.redisUrl,
      QUEUE_PREFIX: settings.queuePrefix,
      LOG_LEVEL: 'warn',
      LOG_REQUESTS: 'false',
      SESSION_SECRET: settings.sessionSecret,
      SQUARE_APPLICATION_ID: 'sq0idp-bench',
      SQUARE_APPLICATION_SECRET: randomBytes(16).toString('hex'),
      SQUARE_BASE_URL: CLOSED,
      SQUARE_WEBHOOK_SIGNATURE_KEY: settings.squareSignatureKey,
      SQUARE_WEBHOOK_URL: settings.squareWebhookUrl,
      TOKEN_ENCRYPTION_KEYS: settings.tokenKeys,
      TOKEN_ENCRYPTION_KEY_ID: 'k1',
      ...settings.apiEnv,
    },
    settings.gcProbe,
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(
      `${name} ready`,
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`${name} exited:\n${proc.output()}`);
        return (await fetch(`${url}/health/ready`)).status === 200;
      },
      60_000,
    );
  } catch (error) {
    await proc.kill();
    throw new Error(`${(error as Error).message}\n${proc.output()}`);
  }
  return { ...proc, url };
}

/**
 * Signs up on a bench API as a person does: the sign-up (202), then the emailed link. The bench
 * API has no SMTP and no demo outbox, so the mail is in its log (LogMailer, level warn); the link
 * is read from there. Resolves to the confirmation's response (201, session cookie and body).
 */
export async function signUpThroughLog(
  api: ApiProcess,
  body: { email: string; password: string; name: string; vendorName?: string },
): Promise<Response> {
  const started = await fetch(`${api.url}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (started.status !== 202) throw new Error(`signup: ${started.status} ${await started.text()}`);
  const email = body.email.toLowerCase();
  let token: string | undefined;
  await waitUntil(
    `the sign-up mail to ${email} in ${api.name}'s log`,
    () => {
      const line = api
        .output()
        .split('\n')
        .find((l) => l.includes(`"to":"${email}"`) && l.includes('/signup/confirm?token='));
      token = line ? /\/signup\/confirm\?token=([A-Za-z0-9_-]+)/.exec(line)?.[1] : undefined;
      return Promise.resolve(token !== undefined);
    },
    10_000,
  );
  return fetch(`${api.url}/v1/auth/signup/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
}

/** A started worker process. */
export interface WorkerProcess extends StackProcess {
  metricsUrl: string;
  /** Its Prometheus text (`GET /metrics`). */
  metrics(): Promise<string>;
}

/** Starts `apps/worker/src/main.ts`; resolves once its `/metrics` answers (runtime ready). */
export async function startWorker(
  settings: StackSettings,
  name = 'worker',
): Promise<WorkerProcess> {
  const port = await freePort();
  const proc = startTsx(
    name,
    'apps/worker/src/main.ts',
    {
      NODE_ENV: 'development',
      DATABASE_URL: settings.databaseUrl,
      REDIS_URL: settings.redisUrl,
      QUEUE_PREFIX: settings.queuePrefix,
      LOG_LEVEL: 'warn',
      WORKER_METRICS_PORT: String(port),
      OUTBOX_POLL_MS: '200',
      PROVIDER_FAKES: 'true',
      SQUARE_BASE_URL: CLOSED,
      ...settings.workerEnv,
    },
    settings.gcProbe,
  );
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;
  try {
    await waitUntil(
      `${name} ready`,
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`${name} exited:\n${proc.output()}`);
        return (await fetch(metricsUrl)).status === 200;
      },
      60_000,
    );
  } catch (error) {
    await proc.kill();
    throw new Error(`${(error as Error).message}\n${proc.output()}`);
  }
  return {
    ...proc,
    metricsUrl,
    metrics: async () => (await fetch(metricsUrl)).text(),
  };
}

/**
 * The value of one sample in Prometheus text: `metric{a="x",b="y"}` with every given label
 * matching (other labels ignored); the sum when several series match, 0 when none.
 */
export function sampleValue(text: string, metric: string, labels: Record<string, string> = {}) {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== metric) continue;
    const set = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) {
      sum += Number(match[3]);
    }
  }
  return sum;
}
