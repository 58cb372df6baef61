import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBullmqRuntime } from '../runtime/bullmq-runtime';
import { createExpireSessionsHandler } from './expire-sessions.handler';
import { InvalidPayloadError } from './job';
import { createJobRegistry } from './registry';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const now = new Date('2026-11-22T12:00:00Z');
const day = 24 * 3_600_000;
let db: TestDatabase;

async function seedSessions() {
  const user = await db.app.prisma.user.create({
    data: { email: `u-${randomUUID()}@example.com`, name: 'U', passwordHash: 'x' },
  });
  const make = (expiresAt: Date, revokedAt?: Date) =>
    db.app.prisma.session.create({
      data: { userId: user.id, tokenHash: randomUUID(), expiresAt, revokedAt },
      select: { id: true },
    });
  return {
    longExpired: await make(new Date(now.getTime() - 3 * day)),
    justExpired: await make(new Date(now.getTime() - 1_000)),
    revokedLongAgo: await make(
      new Date(now.getTime() + 10 * day),
      new Date(now.getTime() - 2 * day),
    ),
    live: await make(new Date(now.getTime() + 10 * day)),
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('expire-sessions', () => {
  it('deletes sessions expired or revoked more than a day ago, and is safe to run twice', async () => {
    const s = await seedSessions();
    const handler = createExpireSessionsHandler({ db: db.app, now: () => now });

    expect(await handler({}, { jobId: '1' })).toEqual({ deleted: 2 });
    expect(await handler({}, { jobId: '2' })).toEqual({ deleted: 0 });

    const left = (await db.app.prisma.session.findMany({ select: { id: true } }))
      .map((r) => r.id)
      .sort();
    expect(left).toEqual([s.justExpired.id, s.live.id].sort());
  });

  it('rejects a bad payload without touching anything', async () => {
    const handler = createExpireSessionsHandler({ db: db.app, now: () => now });
    await expect(handler({ unexpected: true }, { jobId: '3' })).rejects.toThrow(
      InvalidPayloadError,
    );
  });

  it('runs through BullMQ on the real Redis', async () => {
    await db.app.prisma.session.deleteMany();
    await seedSessions();
    const prefix = `{mptest-${randomUUID().slice(0, 8)}}`;
    const queueName = 'maintenance';
    const runtime = await startBullmqRuntime({
      redisUrl: REDIS_URL,
      prefix,
      queueName,
      jobs: createJobRegistry({ db: db.app, now: () => now }),
      logger: pino({ level: 'silent' }),
    });
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(queueName, { connection, prefix });
    const events = new QueueEvents(queueName, { connection: connection.duplicate(), prefix });
    try {
      await events.waitUntilReady();
      const job = await queue.add('expire-sessions', {}, { jobId: 'manual-run' });
      const result: unknown = await job.waitUntilFinished(events, 10_000);
      // The scheduler's own first run may have gone first; together they delete the two.
      expect(await db.app.prisma.session.count()).toBe(2);
      expect(result).toMatchObject({ deleted: expect.any(Number) as number });

      const bad = await queue.add(
        'expire-sessions',
        { nope: 1 },
        { jobId: 'bad-payload', attempts: 3 },
      );
      await expect(bad.waitUntilFinished(events, 10_000)).rejects.toThrow(/Invalid payload/);
      const failed = await queue.getJob('bad-payload');
      expect(failed?.attemptsMade).toBe(1);
    } finally {
      await runtime.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});
