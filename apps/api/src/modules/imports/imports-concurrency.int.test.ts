import { ImportReportSchema } from '@marketprep/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness';

/**
 * Imports committed while other writes of the same business are in flight (issue 16: the soak saw
 * CSV imports answer 500 at 20-40 requests/s). Every commit asks for a retrain through the outbox,
 * keyed `retrain:<vendorId>`, at most one PENDING per key (a unique index): a commit racing another
 * writer's pending retrain must collapse into it, not fail on the index.
 */

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ rateLimit: false });
});
afterAll(() => h.close());

const CSV = { 'content-type': 'text/csv' };
const file = (date: string, quantity: number) =>
  `date,market,product,quantity\n${date},Race Market,Race Loaf,${quantity}\n`;

async function lockWaiters(): Promise<number> {
  const rows = await h.db.adminQuery<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows[0]!.n;
}

async function pendingRetrains(vendorId: string) {
  return h.db.adminQuery<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox WHERE dedupe_key = $1 AND status = 'PENDING'`,
    [`retrain:${vendorId}`],
  );
}

describe('concurrent imports for one vendor', () => {
  it('commits (201) while another transaction holds an uncommitted pending retrain for the vendor', async () => {
    const owner = await h.signup();
    const vendorId = owner.vendorId!;
    // Another writer (a check-in, a concurrent import) has enqueued the vendor's retrain and not
    // committed yet: the import's enqueue waits on the unique index, then finds the key taken.
    const other = new pg.Client({ connectionString: h.db.adminUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO outbox (job_name, payload, dedupe_key) VALUES ('retrain-vendor', $1, $2)`,
        [JSON.stringify({ vendorId }), `retrain:${vendorId}`],
      );
      const committing = h.call(
        owner,
        'POST',
        '/v1/imports?fileName=race.csv',
        file('2025-06-07', 3),
        CSV,
      );
      // The import is now blocked on the other transaction's index entry.
      await expect.poll(lockWaiters, { timeout: 20_000, interval: 50 }).toBeGreaterThan(0);
      await other.query('COMMIT');
      const response = await committing;
      expect(response.statusCode).toBe(201);
      expect(ImportReportSchema.parse(response.json())).toMatchObject({ status: 'COMMITTED' });
    } finally {
      await other.end();
    }
    expect(await pendingRetrains(vendorId)).toEqual([{ n: 1 }]);
  });

  it('runs again when PostgreSQL breaks a deadlock by aborting it, and commits (201)', async () => {
    const owner = await h.signup();
    const vendorId = owner.vendorId!;
    const csv = (rows: [string, number][]) =>
      `date,market,product,quantity\n${rows.map(([p, q]) => `2025-09-06,Race Market,${p},${q}\n`).join('')}`;
    const first = await h.call(
      owner,
      'POST',
      '/v1/imports?fileName=a.csv',
      csv([
        ['Loaf A', 1],
        ['Loaf B', 2],
      ]),
      CSV,
    );
    expect(first.statusCode).toBe(201);
    // The import upserts its sale lines in key order: k1, then k2 (the file lists them so too).
    const [line1, line2] = (
      await h.db.adminQuery<{ id: string; product: string }>(
        `SELECT s.provider_line_id AS id, p.name AS product
           FROM sales s JOIN products p ON p.id = s.product_id WHERE s.vendor_id = $1`,
        [vendorId],
      )
    ).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    const [k1, k2] = [line1!.id, line2!.id];
    const lockRow = (client: pg.Client, id: string) =>
      client.query(`UPDATE sales SET updated_at = now() WHERE provider_line_id = $1`, [id]);
    const [a, b] = [0, 1].map(() => new pg.Client({ connectionString: h.db.adminUrl }));
    await Promise.all([a!.connect(), b!.connect()]);
    try {
      // A holds k2 and will wait for k1 (never detecting the deadlock itself); B holds k1.
      await a!.query(`BEGIN; SET LOCAL deadlock_timeout = '1h'`);
      await lockRow(a!, k2);
      await b!.query('BEGIN');
      await lockRow(b!, k1);
      const committing = h.call(
        owner,
        'POST',
        '/v1/imports?fileName=b.csv',
        csv([
          [line1!.product, 5],
          [line2!.product, 6],
        ]),
        CSV,
      );
      await expect.poll(lockWaiters, { timeout: 20_000, interval: 50 }).toBe(1); // import on k1
      const aWaits = lockRow(a!, k1);
      await expect.poll(lockWaiters, { timeout: 20_000, interval: 50 }).toBe(2); // A queued too
      // B lets go: the import (first in line) takes k1 and asks for k2 while A, holding k2, waits
      // for k1: a deadlock, which the import's backend detects and breaks by aborting the import.
      await b!.query('COMMIT');
      await aWaits;
      await a!.query('COMMIT');
      const response = await committing;
      expect(response.statusCode).toBe(201);
    } finally {
      await Promise.all([a!.end(), b!.end()]);
    }
    const quantities = await h.db.adminQuery<{ q: string }>(
      `SELECT quantity::int::text AS q FROM sales WHERE vendor_id = $1 ORDER BY quantity`,
      [vendorId],
    );
    expect(quantities.map((r) => r.q)).toEqual(['5', '6']);
  });

  it('commits several different files sent at once: every one 201, one pending retrain', async () => {
    const owner = await h.signup();
    const dates = ['2025-07-05', '2025-07-12', '2025-07-19', '2025-07-26', '2025-08-02'];
    const responses = await Promise.all(
      dates.map((date, i) =>
        h.call(owner, 'POST', `/v1/imports?fileName=${date}.csv`, file(date, i + 1), CSV),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(dates.map(() => 201));
    const committed = await h.db.adminQuery<{ n: number }>(
      `SELECT count(*)::int AS n FROM sales_imports WHERE vendor_id = $1 AND status = 'COMMITTED'`,
      [owner.vendorId],
    );
    expect(committed).toEqual([{ n: dates.length }]);
    expect(await pendingRetrains(owner.vendorId!)).toEqual([{ n: 1 }]);
  });
});
