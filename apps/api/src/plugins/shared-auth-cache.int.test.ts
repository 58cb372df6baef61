import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { createHarness, type Agent, type Harness } from '../testing/harness';

// Issue 21: sessions, roles and API tokens cached in Redis for every replica, invalidated for all
// of them at once, failing open to PostgreSQL. A private redis-server (own port) is started here
// and killed here; the shared one on 6379 is never touched.

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function startRedis(port: number): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
}

/** A client as server.ts makes it: no offline queue, so commands fail fast while Redis is away. */
function apiRedis(port: number): Redis {
  const redis = new Redis(`redis://127.0.0.1:${port}`, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 500,
    retryStrategy: () => 100,
  });
  redis.on('error', () => undefined);
  return redis;
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `cache_<kind>_total{cache="<name>"}` of an app's /metrics registry. */
async function counter(app: FastifyInstance, kind: string, name: string): Promise<number> {
  const metric = await app.metrics.registry.getSingleMetric(`cache_${kind}_total`)?.get();
  return metric?.values.find((v) => v.labels.cache === name)?.value ?? 0;
}

let port: number;
let redisProcess: ChildProcess;
let redisA: Redis;
let redisB: Redis;
let h: Harness;
/** A second API process on the same database and Redis (another replica). */
let replica: FastifyInstance;
/** A third one with only the in-process cache, as before issue 21 (the control). */
let loner: FastifyInstance;
let owner: Agent;

beforeAll(async () => {
  port = await freePort();
  redisProcess = startRedis(port);
  redisA = apiRedis(port);
  redisB = apiRedis(port);
  await until(() => redisA.status === 'ready' && redisB.status === 'ready', 'private Redis');
  h = await createHarness({ redis: redisA, rateLimit: false });
  const sessionSecret = 'test-session-secret-0123456789abcdef';
  replica = await buildApp({ db: h.db.app, sessionSecret, redis: redisB, rateLimit: false });
  loner = await buildApp({ db: h.db.app, sessionSecret, rateLimit: false });
  owner = await h.signup({ vendorName: 'Shared Cache Bakery' });
}, 60_000);

afterAll(async () => {
  await replica.close();
  await loner.close();
  await h.close();
  redisA.disconnect();
  redisB.disconnect();
  redisProcess.kill('SIGKILL');
});

const asBearer = (app: FastifyInstance, secret: string) =>
  app.inject({ method: 'GET', url: '/v1/markets', headers: { authorization: `Bearer ${secret}` } });
const asSession = (app: FastifyInstance, agent: Agent) =>
  app.inject({ method: 'GET', url: '/v1/markets', headers: { cookie: agent.cookie } });

describe('auth lookups shared by replicas through Redis', () => {
  it('refuses on another replica at once a token revoked on one', async () => {
    const created = await h.call(owner, 'POST', '/v1/api-tokens', {
      name: 'sync',
      scopes: ['read'],
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json<{ token: string; id: string }>();

    const hitsBefore = await counter(replica, 'hits', 'auth-token');
    for (const app of [replica, replica, loner, loner]) {
      expect((await asBearer(app, token)).statusCode).toBe(200);
    }
    // The replica's second call was answered from Redis (filled by its first).
    expect(await counter(replica, 'hits', 'auth-token')).toBe(hitsBefore + 1);

    const revoked = await h.call(owner, 'DELETE', `/v1/api-tokens/${id}`);
    expect(revoked.statusCode).toBe(204);
    // Right after the answer, no wait: the replica sharing Redis refuses it...
    expect((await asBearer(replica, token)).statusCode).toBe(401);
    expect((await asBearer(h.app, token)).statusCode).toBe(401);
    // ...while a process with only its own cache still takes it for up to 5 s (the old bound).
    expect((await asBearer(loner, token)).statusCode).toBe(200);
  });

  it('signs a session out on every replica at once', async () => {
    const agent = await h.signup({ vendorName: 'Logout Bakery' });
    expect((await asSession(replica, agent)).statusCode).toBe(200);
    expect((await asSession(replica, agent)).statusCode).toBe(200);
    const out = await h.call(agent, 'POST', '/v1/auth/logout');
    expect(out.statusCode).toBeLessThan(300);
    expect((await asSession(replica, agent)).statusCode).toBe(401);
  });

  it('keeps answering from PostgreSQL with Redis killed, and uses Redis again when it returns', async () => {
    const agent = await h.signup({ vendorName: 'Outage Bakery' });
    expect((await asSession(replica, agent)).statusCode).toBe(200);
    redisProcess.kill('SIGKILL');
    await until(() => redisB.status !== 'ready', 'the replica to see Redis gone');

    const fallbacksBefore = await counter(replica, 'fallbacks', 'auth-session');
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => asSession(replica, agent).then((r) => r.statusCode)),
    );
    expect(answers.every((status) => status === 200)).toBe(true);
    expect(await counter(replica, 'fallbacks', 'auth-session')).toBeGreaterThan(fallbacksBefore);

    redisProcess = startRedis(port);
    await until(() => redisA.status === 'ready' && redisB.status === 'ready', 'Redis back');
    // Past the 1 s pause after a failure, the cache fills and answers again.
    await new Promise((r) => setTimeout(r, 1_100));
    const hitsBefore = await counter(replica, 'hits', 'auth-session');
    for (let i = 0; i < 3; i += 1) expect((await asSession(replica, agent)).statusCode).toBe(200);
    expect(await counter(replica, 'hits', 'auth-session')).toBeGreaterThan(hitsBefore);
  });

  it('does not serve, after Redis returns, entries made before a change made while it was away', async () => {
    const agent = await h.signup({ vendorName: 'Owed Bakery' });
    const created = await h.call(agent, 'POST', '/v1/api-tokens', { name: 't', scopes: ['read'] });
    const { token, id } = created.json<{ token: string; id: string }>();
    expect((await asBearer(replica, token)).statusCode).toBe(200);
    expect((await asBearer(replica, token)).statusCode).toBe(200); // cached in Redis
    // Redis unreachable for this process only (the entry stays in Redis): revoke meanwhile.
    redisA.disconnect();
    expect((await h.call(agent, 'DELETE', `/v1/api-tokens/${id}`)).statusCode).toBe(204);
    redisA.connect().catch(() => undefined);
    await until(() => redisA.status === 'ready', 'Redis back for the first process');
    await new Promise((r) => setTimeout(r, 1_100));
    // The first process owes an invalidation and pays it before serving from Redis again.
    expect((await asBearer(h.app, token)).statusCode).toBe(401);
    expect((await asBearer(replica, token)).statusCode).toBe(401);
  });
});
