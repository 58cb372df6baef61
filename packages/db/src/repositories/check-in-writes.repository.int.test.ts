import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryLockKey, withTenant } from '../tenant';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  findCheckInContexts,
  submitCheckIns,
  type CheckInContext,
  type CheckInSubmission,
  type CheckInSubmissionInput,
} from './check-in-writes.repository';

// Batched check-in statements (migration 20261204000100): what one batch must do exactly as the
// same submissions one by one would, and what happens when part of a batch cannot go on.

let db: TestDatabase;
interface Shop {
  vendorId: string;
  marketId: string;
  productIds: string[];
}
let alpha: Shop;
let beta: Shop;

async function createShop(name: string): Promise<Shop> {
  const vendorId = randomUUID();
  return withTenant(db.app.prisma, vendorId, async (tx) => {
    await tx.vendor.create({
      data: { id: vendorId, name, slug: `${name}-${vendorId.slice(0, 8)}` },
    });
    const market = await tx.market.create({
      data: {
        vendorId,
        name: `${name} market`,
        latitude: 41.88,
        longitude: -87.63,
        timezone: 'America/Chicago',
        countryCode: 'US',
      },
    });
    const productIds: string[] = [];
    for (const product of ['bread', 'buns']) {
      const created = await tx.product.create({
        data: { vendorId, name: `${name} ${product}`, unit: 'each', priceMinor: 500 },
      });
      productIds.push(created.id);
    }
    return { vendorId, marketId: market.id, productIds };
  });
}

const adminQuery = <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
  db.adminQuery<T>(sql, params);

async function contextOf(shop: Shop, date: string): Promise<CheckInContext> {
  const [context] = await findCheckInContexts(db.app.pool, [
    { vendorId: shop.vendorId, marketId: shop.marketId, date },
  ]);
  if (!context) throw new Error(`no market for ${shop.vendorId}`);
  return context;
}

async function submission(
  shop: Shop,
  date: string,
  options: { id?: string; productIds?: string[]; brought?: number } = {},
): Promise<CheckInSubmissionInput> {
  const id = options.id ?? randomUUID();
  const context = await contextOf(shop, date);
  return {
    vendorId: shop.vendorId,
    submittedByUserId: null,
    lockKey: advisoryLockKey(`check-in-submission:${id}`),
    market: context.market,
    date,
    day: context.day,
    opensAt: null,
    closesAt: null,
    clientSubmissionId: id,
    since: new Date('2026-01-01T00:00:00Z'),
    lines: (options.productIds ?? shop.productIds).map((productId) => ({
      productId,
      brought: options.brought ?? 10,
      sold: null,
      leftOver: 2,
      wasted: 1,
      donated: 0,
      soldOutAt: null,
      rating: null,
      notes: 'a "quoted", {braced} note',
      clientSubmissionId: `${id}:${productId}`,
    })),
    actorType: 'user',
    requestId: null,
    retrain: {
      jobName: 'retrain-vendor',
      payload: { vendorId: shop.vendorId },
      dedupeKey: `retrain:${shop.vendorId}`,
    },
    representation: false,
  };
}

const outcomeOf = (result: CheckInSubmission | undefined) => result?.outcome;

const storedLines = (vendorId: string, date: string) =>
  adminQuery<{ product_id: string; brought: string; notes: string }>(
    `SELECT f.product_id, f.brought::text, f.notes FROM feedback f
       JOIN market_days d ON d.id = f.market_day_id
      WHERE f.vendor_id = $1 AND d.date = $2 ORDER BY f.product_id`,
    [vendorId, date],
  );

beforeAll(async () => {
  db = await createTestDatabase();
  alpha = await createShop('alpha');
  beta = await createShop('beta');
});
afterAll(() => db.drop());

describe('findCheckInContexts', () => {
  it("answers each vendor's own market in order, and null for another vendor's", async () => {
    const contexts = await findCheckInContexts(db.app.pool, [
      { vendorId: alpha.vendorId, marketId: alpha.marketId, date: '2026-06-06' },
      { vendorId: alpha.vendorId, marketId: beta.marketId, date: '2026-06-06' },
      { vendorId: beta.vendorId, marketId: beta.marketId, date: '2026-06-06' },
    ]);
    expect(contexts.map((c) => c?.market.name)).toEqual(['alpha market', undefined, 'beta market']);
  });
});

describe('submitCheckIns', () => {
  it('checks expectedUpdatedAt in a batch as alone: a second first-save of a line in the same batch conflicts', async () => {
    const date = '2026-08-01';
    const [bread] = alpha.productIds;
    const expectNone = async () => {
      const input = await submission(alpha, date, { productIds: [bread!] });
      return { ...input, lines: input.lines.map((l) => ({ ...l, expectedUpdatedAt: null })) };
    };
    const results = await submitCheckIns(db.app.pool, [await expectNone(), await expectNone()]);
    expect(results.map(outcomeOf)).toEqual(['written', 'conflict']);
    const conflict = results[1];
    const conflicts = conflict?.outcome === 'conflict' ? conflict.conflicts : [];
    expect(conflicts.map((c) => [c.productId, c.name, c.updatedAt instanceof Date])).toEqual([
      [bread, 'alpha bread', true],
    ]);
    expect(await storedLines(alpha.vendorId, date)).toHaveLength(1);
  });

  it('writes the submissions of several vendors in one batch, each under its own tenant', async () => {
    const inputs = [
      await submission(beta, '2026-06-06'),
      await submission(alpha, '2026-06-06'),
      // Alpha naming beta's product: unknown to alpha, even beside beta's own submission.
      await submission(alpha, '2026-06-13', { productIds: [beta.productIds[0]!] }),
    ];
    // One connection, so the check below reads the very session the batch ran on.
    const single = db.createAppClient({ maxConnections: 1 });
    let leftover: string | undefined;
    let results: CheckInSubmission[];
    try {
      results = await submitCheckIns(single.pool, inputs);
      leftover =
        (
          await single.pool.query<{ vendor: string | null }>(
            "SELECT current_setting('app.vendor_id', true) AS vendor",
          )
        ).rows[0]?.vendor ?? '';
    } finally {
      await single.close();
    }
    expect(results.map(outcomeOf)).toEqual(['written', 'written', 'unknown_products']);
    // No tenant outlives the batch's transaction on the pooled connection.
    expect(leftover).toBe('');
    expect(await storedLines(alpha.vendorId, '2026-06-06')).toEqual(
      [...alpha.productIds].sort().map((product_id) => ({
        product_id,
        brought: '10.000',
        notes: 'a "quoted", {braced} note',
      })),
    );
    expect(await storedLines(beta.vendorId, '2026-06-06')).toHaveLength(2);
    expect(await storedLines(alpha.vendorId, '2026-06-13')).toEqual([]);
  });

  it('applies a submission delivered twice in one batch once', async () => {
    const id = randomUUID();
    const first = await submission(alpha, '2026-06-20', { id, brought: 7 });
    const results = await submitCheckIns(db.app.pool, [first, { ...first }]);
    expect(results.map(outcomeOf).sort()).toEqual(['replayed', 'written']);
    expect(await storedLines(alpha.vendorId, '2026-06-20')).toHaveLength(2);
    const audits = await adminQuery('SELECT 1 FROM audit_log WHERE target_id = $1', [id]);
    expect(audits).toHaveLength(1);
  });

  it('commits nothing of a batch in which one submission fails', async () => {
    const good = await submission(beta, '2026-06-27');
    // brought is numeric(12,3): this overflows inside the database.
    const bad = await submission(alpha, '2026-06-27', { brought: 1e15 });
    await expect(submitCheckIns(db.app.pool, [good, bad])).rejects.toThrow(/overflow/);
    expect(await storedLines(beta.vendorId, '2026-06-27')).toEqual([]);
    expect(await storedLines(alpha.vendorId, '2026-06-27')).toEqual([]);
    const audits = await adminQuery('SELECT 1 FROM audit_log WHERE target_id = ANY($1)', [
      [good.clientSubmissionId, bad.clientSubmissionId],
    ]);
    expect(audits).toHaveLength(0);
  });

  it('gives up within lock_timeout on a row lock held elsewhere, committing nothing', async () => {
    // A stored check-in whose lines another transaction then holds.
    await submitCheckIns(db.app.pool, [await submission(alpha, '2026-07-04')]);
    const blocked = await submission(alpha, '2026-07-04');
    const free = await submission(beta, '2026-07-04');
    const blocker = new pg.Client({ connectionString: db.adminUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        `SELECT 1 FROM feedback f JOIN market_days d ON d.id = f.market_day_id
          WHERE d.market_id = $1 AND d.date = '2026-07-04' FOR UPDATE OF f`,
        [alpha.marketId],
      );
      // Answered while the lock is still held: lock_not_available, not a wait for the blocker.
      const failed = await submitCheckIns(db.app.pool, [blocked, free]).then(
        () => null,
        (error: unknown) => error as { code?: string },
      );
      expect(failed?.code).toBe('55P03');
      expect(await storedLines(beta.vendorId, '2026-07-04')).toEqual([]);
      await blocker.query('COMMIT');
    } finally {
      await blocker.end();
    }
    // The lock gone, the same batch goes through.
    expect((await submitCheckIns(db.app.pool, [blocked, free])).map(outcomeOf)).toEqual([
      'written',
      'written',
    ]);
  });
});
