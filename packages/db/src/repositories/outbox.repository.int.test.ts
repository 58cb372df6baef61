import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../tenant';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { OutboxRepository } from './outbox.repository';

// One PENDING row per dedupe key, held by the partial unique index (migration 20261122008700),
// whatever the interleaving of the transactions asking for the same work.
let db: TestDatabase;
let admin: pg.Client;
const vendorId = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase();
  admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await db.drop();
});

const pendingOf = async (key: string) =>
  (
    await admin.query<{ id: string }>(
      `SELECT id FROM outbox WHERE dedupe_key = $1 AND status = 'PENDING'`,
      [key],
    )
  ).rows.map((r) => r.id);

describe('OutboxRepository.enqueue with a dedupe key', () => {
  it('collapses 12 concurrent requests into one pending row that all of them name', async () => {
    const key = `retrain:${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        withTenant(db.app.prisma, vendorId, async (tx) => {
          const result = await new OutboxRepository(tx).enqueue({
            jobName: 'retrain-vendor',
            payload: { vendorId, n },
            dedupeKey: key,
          });
          // Hold the transaction open a little so the others meet the uncommitted row.
          await tx.$executeRaw`SELECT pg_sleep(0.02)`;
          return result;
        }),
      ),
    );
    const pending = await pendingOf(key);
    expect(pending).toHaveLength(1);
    expect(new Set(results.map((r) => r.id))).toEqual(new Set(pending));
    expect(results.filter((r) => !r.deduplicated)).toHaveLength(1);
  });

  it('adds new work once the pending row was dispatched, and never dedupes rows without a key', async () => {
    const key = `retrain:${randomUUID()}`;
    const enqueue = (dedupeKey: string | null) =>
      withTenant(db.app.prisma, vendorId, (tx) =>
        new OutboxRepository(tx).enqueue({ jobName: 'retrain-vendor', payload: {}, dedupeKey }),
      );
    const first = await enqueue(key);
    await admin.query(`UPDATE outbox SET status = 'DISPATCHED' WHERE id = $1`, [first.id]);
    const second = await enqueue(key);
    expect(second.deduplicated).toBe(false);
    expect(second.id).not.toBe(first.id);
    const a = await enqueue(null);
    const b = await enqueue(null);
    expect(a.id).not.toBe(b.id);
    expect([a.deduplicated, b.deduplicated]).toEqual([false, false]);
  });

  it('refuses a second PENDING row for a key at the database', async () => {
    const key = `retrain:${randomUUID()}`;
    await admin.query(`INSERT INTO outbox (job_name, payload, dedupe_key) VALUES ('x', '{}', $1)`, [
      key,
    ]);
    await expect(
      admin.query(`INSERT INTO outbox (job_name, payload, dedupe_key) VALUES ('x', '{}', $1)`, [
        key,
      ]),
    ).rejects.toThrow(/outbox_pending_dedupe_key_key/);
  });
});
