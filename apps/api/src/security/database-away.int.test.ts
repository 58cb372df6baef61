import { createServer, connect, type Server, type Socket } from 'node:net';
import { createDatabaseClient, type DatabaseClient } from '@marketprep/db';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import {
  createHarness,
  sessionCookieOf,
  signUpThroughLink,
  type Harness,
} from '../testing/harness';

/**
 * PostgreSQL away or frozen (issue 16, RELIABILITY.md "Faults"): the API talks to the test
 * database through a TCP proxy on a listen(0) port that can freeze (stop forwarding, as
 * `kill -STOP` would) or cut (close every connection and refuse new ones, as a stopped server).
 * Every route that needs the database must answer 503 problem+json with Retry-After while it is
 * away (not hang, not 500), and serve again once it is back, without a restart.
 */

type Mode = 'pass' | 'freeze' | 'down';

/** A ~50-line stand-in for toxiproxy. */
class PgProxy {
  private mode: Mode = 'pass';
  private readonly pairs = new Set<{ client: Socket; upstream: Socket | null }>();
  private readonly held: Socket[] = [];
  readonly server: Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      client.on('error', () => undefined);
      if (this.mode === 'down') return void client.destroy();
      if (this.mode === 'freeze') {
        client.pause();
        this.held.push(client);
        return;
      }
      this.pipe(client);
    });
  }

  private pipe(client: Socket) {
    const upstream = connect(this.target.port, this.target.host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    upstream.on('close', drop);
    client.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  set(mode: Mode) {
    this.mode = mode;
    for (const pair of this.pairs) {
      if (mode === 'freeze') {
        pair.client.pause();
        pair.upstream?.pause();
      } else if (mode === 'down') {
        pair.client.destroy();
        pair.upstream?.destroy();
      } else {
        pair.client.resume();
        pair.upstream?.resume();
      }
    }
    if (mode !== 'freeze') for (const client of this.held.splice(0)) this.pipe(client);
  }

  async close() {
    this.set('down');
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let h: Harness;
let proxy: PgProxy;
let db: DatabaseClient;
let app: FastifyInstance;
let cookie: string;

beforeAll(async () => {
  h = await createHarness({ rateLimit: false });
  const url = new URL(h.db.adminUrl);
  proxy = new PgProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.port = String(await proxy.listen());
  url.hostname = '127.0.0.1';
  db = createDatabaseClient({
    connectionString: url.toString(),
    maxConnections: 4,
    connectionTimeoutMs: 1_500,
  });
  app = await buildApp({ db, rateLimit: false, devOutbox: true, databaseWatch: {} });
  const signup = await signUpThroughLink(app, {
    email: 'frozen@example.com',
    password: 'a long enough password',
    name: 'Frozen',
    vendorName: 'Frozen Bakery',
  });
  cookie = sessionCookieOf(signup);
});
afterAll(async () => {
  await app.close();
  await db.close();
  await proxy.close();
  await h.close();
});

/** The requests a vendor's app makes: reads, a session check, a write, a sign-in. */
function sendAll(): Promise<{ what: string; response: LightMyRequestResponse; ms: number }[]> {
  const requests = [
    { what: 'GET /v1/markets', method: 'GET' as const, url: '/v1/markets' },
    { what: 'GET /v1/products', method: 'GET' as const, url: '/v1/products' },
    { what: 'GET /v1/auth/session', method: 'GET' as const, url: '/v1/auth/session' },
    {
      what: 'POST /v1/auth/login',
      method: 'POST' as const,
      url: '/v1/auth/login',
      payload: { email: 'frozen@example.com', password: 'a long enough password' },
    },
  ];
  return Promise.all(
    requests.map(async ({ what, ...request }) => {
      const started = performance.now();
      // Sign-in is anonymous (a cookie would make it a CSRF-checked write).
      const headers = request.url === '/v1/auth/login' ? {} : { cookie };
      const response = await app.inject({ ...request, headers });
      return { what, response, ms: Math.round(performance.now() - started) };
    }),
  );
}

/** Fails the test if the answers do not come while the database is still away. */
async function whileAway<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stillWaiting = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer while the database was away')), 8_000);
  });
  try {
    return await Promise.race([work, stillWaiting]);
  } finally {
    clearTimeout(timer);
  }
}

function expectUnavailable(answers: { what: string; response: LightMyRequestResponse }[]) {
  for (const { what, response } of answers) {
    expect(response.statusCode, `${what}: ${response.body}`).toBe(503);
    expect(response.headers['content-type'], what).toContain('application/problem+json');
    expect(Number(response.headers['retry-after']), what).toBeGreaterThan(0);
  }
}

async function expectRecovered() {
  await expect
    .poll(
      async () =>
        (await app.inject({ method: 'GET', url: '/v1/markets', headers: { cookie } })).statusCode,
      {
        timeout: 10_000,
        interval: 100,
      },
    )
    .toBe(200);
}

describe('PostgreSQL away', () => {
  it('serves normally through the proxy', async () => {
    for (const { what, response } of await sendAll()) expect(response.statusCode, what).toBe(200);
  });

  it('frozen (no bytes move): every route answers 503 with Retry-After, then recovers', async () => {
    proxy.set('freeze');
    const answers = await whileAway(sendAll());
    console.info(
      `database frozen: ${answers.map((a) => `${a.what} ${a.response.statusCode} in ${a.ms} ms`).join('; ')}`,
    );
    expectUnavailable(answers);
    // Requests after the watch noticed answer at once.
    expectUnavailable(await whileAway(sendAll()));
    proxy.set('pass');
    const started = performance.now();
    await expectRecovered();
    console.info(
      `database unfrozen: serving again after ${Math.round(performance.now() - started)} ms`,
    );
  }, 30_000);

  it('stopped (connections cut, new ones refused): 503 with Retry-After, then recovers', async () => {
    proxy.set('down');
    const answers = await whileAway(sendAll());
    console.info(
      `database stopped: ${answers.map((a) => `${a.what} ${a.response.statusCode} in ${a.ms} ms`).join('; ')}`,
    );
    expectUnavailable(answers);
    proxy.set('pass');
    const started = performance.now();
    await expectRecovered();
    console.info(
      `database back: serving again after ${Math.round(performance.now() - started)} ms`,
    );
  }, 30_000);
});
