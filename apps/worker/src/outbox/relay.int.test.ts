import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { OutboxRepository, OutboxRelayRepository, withTenant } from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { Queue, UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JobContext } from '../jobs/job';
import { parsePayload } from '../jobs/job';
import type { RegisteredJob } from '../jobs/registry';
import { startBullmqRuntime } from '../runtime/bullmq-runtime';
import { OutboxRelay } from './relay';
import { startOutboxRelay } from './start-relay';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = pino({ level: 'silent' });
let db: TestDatabase;
const vendorId = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const countJob = {
  name: 'count-me',
  payload: z.object({ n: z.number().int() }).strict(),
  attempts: 3,
};

/** A job that records each run (the effect) with its job id and request id. */
function countingJobs(runs: { jobId: string; n: number; requestId?: string }[]): RegisteredJob[] {
  return [
    {
      definition: countJob,
      handler: (payload: unknown, context: JobContext) => {
        const { n } = parsePayload(countJob, payload);
        runs.push({
          jobId: context.jobId,
          n,
          ...(context.requestId ? { requestId: context.requestId } : {}),
        });
        return Promise.resolve({ n });
      },
    },
  ];
}

async function enqueue(jobName: string, payload: Record<string, unknown>, requestId?: string) {
  return withTenant(db.app.prisma, vendorId, (tx) =>
    new OutboxRepository(tx).enqueue({ jobName, payload, requestId: requestId ?? null }),
  );
}

async function statuses(ids: string[]) {
  const rows = await db.app.prisma.outboxMessage.findMany({
    where: { id: { in: ids } },
    select: { id: true, status: true, attempts: true, lastError: true },
  });
  return new Map(rows.map((r) => [r.id, r]));
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

async function clearOutbox() {
  await db.app.prisma.outboxMessage.deleteMany();
}

describe('outbox relay with BullMQ', () => {
  it('dispatches each row once, with the outbox id as job id and the request id in context', async () => {
    await clearOutbox();
    const prefix = `{mptest-${randomUUID().slice(0, 8)}}`;
    const runs: { jobId: string; n: number; requestId?: string }[] = [];
    const jobs = countingJobs(runs);
    const runtime = await startBullmqRuntime({ redisUrl: REDIS_URL, prefix, jobs, logger });
    const ids: string[] = [];
    for (let n = 0; n < 20; n++) ids.push((await enqueue('count-me', { n }, `req-${n}`)).id);
    const unknown = (await enqueue('no-such-job', {})).id;
    const relay = startOutboxRelay({
      db: db.app,
      jobs,
      logger,
      redisUrl: REDIS_URL,
      prefix,
      pollMs: 50,
    });
    try {
      await waitFor(() => runs.length >= 20, 15_000);
      // A second relay pass over the same ids (as after a crash between add and mark) runs nothing.
      const queue = new Queue('maintenance', { connection: new Redis(REDIS_URL), prefix });
      await queue.add('count-me', { n: 0 }, { jobId: ids[0] });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await queue.close();

      expect(runs.map((r) => r.jobId).sort()).toEqual([...ids].sort());
      expect(runs.find((r) => r.jobId === ids[3])).toEqual({
        jobId: ids[3],
        n: 3,
        requestId: 'req-3',
      });
      const rows = await statuses([...ids, unknown]);
      expect(ids.every((id) => rows.get(id)?.status === 'DISPATCHED')).toBe(true);
      expect(rows.get(unknown)).toMatchObject({
        status: 'FAILED',
        lastError: expect.stringMatching(/No handler/) as string,
      });
    } finally {
      await relay.close();
      await runtime.close();
      const cleanup = new Queue('maintenance', { connection: new Redis(REDIS_URL), prefix });
      await cleanup.obliterate({ force: true });
      await cleanup.close();
    }
  });

  it('keeps work in the outbox while Redis is down (kill -9) and drains it once Redis returns, each job once', async () => {
    await clearOutbox();
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    let redis = await startRedis(port);
    const prefix = `{mpkill-${randomUUID().slice(0, 8)}}`;
    const runs: { jobId: string; n: number }[] = [];
    const jobs = countingJobs(runs);
    const runtime = await startBullmqRuntime({ redisUrl: url, prefix, jobs, logger });
    const relay = startOutboxRelay({
      db: db.app,
      jobs,
      logger,
      redisUrl: url,
      prefix,
      pollMs: 50,
      backoff: { baseMs: 100, maxMs: 1_000 },
    });
    try {
      const before: string[] = [];
      for (let n = 0; n < 10; n++) before.push((await enqueue('count-me', { n })).id);
      await waitFor(() => runs.length >= 10, 15_000);

      redis.kill('SIGKILL');
      await new Promise((resolve) => redis.once('exit', resolve));
      // Requests keep coming while Redis is gone: enqueueing never touches Redis, so it does not hang.
      const during: string[] = [];
      const started = Date.now();
      for (let n = 10; n < 30; n++) during.push((await enqueue('count-me', { n })).id);
      expect(Date.now() - started).toBeLessThan(5_000);
      await waitFor(async () => {
        const rows = await statuses(during);
        return during.some((id) => (rows.get(id)?.attempts ?? 0) > 0);
      }, 10_000);
      const waiting = await statuses(during);
      expect(during.every((id) => waiting.get(id)?.status === 'PENDING')).toBe(true);
      expect([...waiting.values()].some((r) => r.lastError?.startsWith('dispatch:'))).toBe(true);

      redis = await startRedis(port);
      const back = Date.now();
      await waitFor(() => runs.length >= 30, 60_000);
      expect(Date.now() - back).toBeLessThan(60_000);
      await new Promise((resolve) => setTimeout(resolve, 500));

      const ids = [...before, ...during];
      expect(runs.length).toBe(30);
      expect(new Set(runs.map((r) => r.jobId)).size).toBe(30);
      expect(runs.map((r) => r.jobId).sort()).toEqual([...ids].sort());
      const rows = await statuses(ids);
      expect(ids.every((id) => rows.get(id)?.status === 'DISPATCHED')).toBe(true);
    } finally {
      await relay.close();
      await runtime.close();
      redis.kill('SIGKILL');
    }
  }, 120_000);
});

describe('outbox relay in-process (no REDIS_URL)', () => {
  it('runs handlers from the outbox, retries with backoff, and keeps a FAILED row after N attempts', async () => {
    await clearOutbox();
    let clock = new Date('2026-11-22T12:00:00Z');
    const calls: Record<string, number> = {};
    const flaky = {
      name: 'flaky',
      payload: z.object({ key: z.string(), failTimes: z.number().int() }).strict(),
      attempts: 3,
    };
    const jobs: RegisteredJob[] = [
      {
        definition: flaky,
        handler: (payload: unknown) => {
          const { key, failTimes } = parsePayload(flaky, payload);
          calls[key] = (calls[key] ?? 0) + 1;
          if (calls[key] <= failTimes) return Promise.reject(new Error(`boom ${calls[key]}`));
          return Promise.resolve('ok');
        },
      },
      {
        definition: { ...flaky, name: 'fatal' },
        handler: () => Promise.reject(new UnrecoverableError('bad provider answer')),
      },
    ];
    const relay = new OutboxRelay({
      db: db.app,
      jobs,
      logger,
      mode: { kind: 'in-process' },
      now: () => clock,
      backoff: { baseMs: 1_000, maxMs: 10_000 },
    });
    const ok = (await enqueue('flaky', { key: 'ok', failTimes: 0 })).id;
    const once = (await enqueue('flaky', { key: 'once', failTimes: 1 })).id;
    const never = (await enqueue('flaky', { key: 'never', failTimes: 99 })).id;
    const fatal = (await enqueue('fatal', { key: 'f', failTimes: 0 })).id;
    const bad = (await enqueue('flaky', { wrong: true })).id;
    // The rows were created on the database clock (now); run the fake clock from there.
    clock = new Date(Date.now() + 1_000);

    expect(await relay.tick()).toBe(5);
    let rows = await statuses([ok, once, never, fatal, bad]);
    expect(rows.get(ok)?.status).toBe('DISPATCHED');
    expect(rows.get(fatal)).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(rows.get(bad)).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(rows.get(bad)?.lastError).toMatch(/Invalid payload/);
    expect(rows.get(once)).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'boom 1' });

    // Backoff: nothing is due until the delay passed.
    expect(await relay.tick()).toBe(0);
    clock = new Date(clock.getTime() + 1_100);
    expect(await relay.tick()).toBe(2);
    rows = await statuses([once, never]);
    expect(rows.get(once)).toMatchObject({ status: 'DISPATCHED', attempts: 2 });
    expect(rows.get(never)).toMatchObject({ status: 'PENDING', attempts: 2 });

    clock = new Date(clock.getTime() + 2_100);
    expect(await relay.tick()).toBe(1);
    rows = await statuses([never]);
    expect(rows.get(never)).toMatchObject({ status: 'FAILED', attempts: 3, lastError: 'boom 3' });
    expect(calls).toEqual({ ok: 1, once: 2, never: 3 });

    const failed = await new OutboxRelayRepository(db.app.prisma).listFailed();
    expect(failed.map((f) => f.id).sort()).toEqual([never, fatal, bad].sort());
  });

  it('close() waits for the job that is running', async () => {
    await clearOutbox();
    let finished = false;
    const slow = { name: 'slow', payload: z.object({}).strict(), attempts: 1 };
    const jobs: RegisteredJob[] = [
      {
        definition: slow,
        handler: async () => {
          await new Promise((resolve) => setTimeout(resolve, 400));
          finished = true;
          return 'done';
        },
      },
    ];
    const id = (await enqueue('slow', {})).id;
    const relay = startOutboxRelay({ db: db.app, jobs, logger, pollMs: 20 });
    await waitFor(async () => ((await statuses([id])).get(id)?.attempts ?? 0) > 0, 5_000);
    await relay.close();
    expect(finished).toBe(true);
    expect((await statuses([id])).get(id)?.status).toBe('DISPATCHED');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const probe = new Redis(`redis://127.0.0.1:${port}`, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  await waitFor(async () => {
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      probe.disconnect();
      return false;
    }
  }, 10_000);
  probe.disconnect();
  return child;
}
