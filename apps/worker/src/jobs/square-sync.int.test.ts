import { randomBytes, randomUUID } from 'node:crypto';
import { withTenant } from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import {
  ProviderBreaker,
  TokenCipher,
  createSquareClient,
  createSquareFake,
  parseTokenKeyRing,
  type SquareApi,
  type SquareFake,
} from '@marketprep/integrations';
import { loadPlansConfig } from '@marketprep/planning';
import { UnrecoverableError } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidPayloadError } from './job';
import { createSquareSyncHandler, type SquareSyncCheckpoint } from './square-sync.handler';

// The backfill the issue asks for: 10,000 orders across pages from the Square fake, a 429 in the
// middle, the worker "killed" once mid-way; after the resume, totals per product and day equal
// the fake's exactly and no sale line exists twice. Then an incremental run picks up a new sale
// and a refund.
const now = new Date('2026-11-22T12:00:00Z');
const cipher = new TokenCipher(parseTokenKeyRing(`k1:${randomBytes(32).toString('base64')}`, 'k1'));
let db: TestDatabase;
let admin: pg.Client;
let fake: SquareFake;
let square: SquareApi;

async function connectVendor(options: { mapVariations: number }) {
  const vendorId = randomUUID();
  const authorize = await fetch(
    square.authorizeUrl({ state: 's', redirectUri: 'http://127.0.0.1:9/cb' }),
    { redirect: 'manual' },
  );
  const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
  const tokens = await square.exchangeCode({ code });
  const ids = await withTenant(db.app.prisma, vendorId, async (tx) => {
    await tx.vendor.create({ data: { id: vendorId, name: 'Bakery', slug: `v-${vendorId}` } });
    for (const location of fake.locations) {
      await tx.market.create({
        data: {
          vendorId,
          name: location.name,
          latitude: location.latitude,
          longitude: location.longitude,
          timezone: location.timezone,
          countryCode: 'US',
          squareLocationId: location.id,
        },
      });
    }
    for (const [index, variation] of fake.variations.entries()) {
      await tx.product.create({
        data: {
          vendorId,
          name: `${variation.itemName} (${variation.name})`,
          priceMinor: variation.priceMinor,
          squareVariationId: index < options.mapVariations ? variation.id : null,
        },
      });
    }
    const connection = await tx.providerConnection.create({
      data: {
        vendorId,
        provider: 'SQUARE',
        externalAccountId: `${fake.merchantId}-${vendorId.slice(0, 8)}`,
        scopes: ['ORDERS_READ'],
        accessTokenEncrypted: new Uint8Array(cipher.encrypt(tokens.accessToken)),
        encryptionKeyId: 'k1',
      },
    });
    return { connectionId: connection.id };
  });
  return { vendorId, connectionId: ids.connectionId, accessToken: tokens.accessToken };
}

async function dailyTotals(vendorId: string): Promise<Map<string, number>> {
  const { rows } = await admin.query<{ loc: string; variation: string; date: string; q: string }>(
    `SELECT m.square_location_id AS loc, p.square_variation_id AS variation,
            d.date::text AS date, d.quantity::text AS q
     FROM daily_sales d JOIN markets m ON m.id = d.market_id JOIN products p ON p.id = d.product_id
     WHERE d.vendor_id = $1`,
    [vendorId],
  );
  return new Map(rows.map((r) => [`${r.loc}|${r.variation}|${r.date}`, Number(r.q)]));
}

function expectedTotals(mapped: Set<string>): Map<string, number> {
  return new Map([...fake.totals()].filter(([key]) => mapped.has(key.split('|')[1]!)));
}

beforeAll(async () => {
  db = await createTestDatabase();
  admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  fake = createSquareFake({
    orders: { count: 10_000, from: '2026-01-05', to: '2026-10-31' },
    now: () => now,
  });
  await fake.start();
  square = createSquareClient({
    baseUrl: fake.baseUrl,
    applicationId: fake.applicationId,
    applicationSecret: fake.applicationSecret,
    breaker: new ProviderBreaker('square'),
    backoff: { baseMs: 1, maxMs: 10 },
  });
});
afterAll(async () => {
  await fake.stop();
  await admin.end();
  await db.drop();
});

describe('square-sync', () => {
  it('backfills 10,000 orders through a 429 and a crash; totals equal the fake, no duplicates', async () => {
    const { vendorId, connectionId } = await connectVendor({ mapVariations: 7 });
    const mapped = new Set(fake.variations.slice(0, 7).map((v) => v.id));
    const progress: SquareSyncCheckpoint[] = [];
    let crashed = false;
    const handler = createSquareSyncHandler({
      db: db.app,
      square,
      cipher,
      now: () => now,
      pageSize: 500,
      afterPage: (checkpoint) => {
        progress.push(checkpoint);
        if (checkpoint.pagesDone === 4)
          fake.setMode('rateLimited', { times: 2, retryAfterSeconds: 0 });
        if (checkpoint.pagesDone === 9 && !crashed) {
          crashed = true;
          throw new Error('worker killed');
        }
      },
    });
    const started = Date.now();
    fake.resetCounters();
    await expect(
      handler({ vendorId, connectionId, mode: 'backfill' }, { jobId: 'a' }),
    ).rejects.toThrow('worker killed');
    const saved = await admin.query<{ sync_cursor: SquareSyncCheckpoint }>(
      'SELECT sync_cursor FROM provider_connections WHERE id = $1',
      [connectionId],
    );
    expect(saved.rows[0]!.sync_cursor).toMatchObject({
      pagesDone: 9,
      done: false,
      ordersSoFar: 4_500,
    });
    expect(fake.requests.filter((r) => r.mode === 'rateLimited')).toHaveLength(2);

    const result = (await handler(
      { vendorId, connectionId, mode: 'backfill' },
      { jobId: 'a' },
    )) as {
      pages: number;
      orders: number;
      returns: number;
      unmappedLines: number;
    };
    const elapsed = Date.now() - started;
    const allOrders = fake.countOrders(fake.locations.map((l) => l.id));
    expect(allOrders).toBeGreaterThan(10_000); // plus the return orders
    expect(result.orders).toBe(allOrders);
    expect(result.pages).toBe(Math.ceil(allOrders / 500));
    // Page 10 onwards only: the resume did not start over.
    expect(progress.map((p) => p.pagesDone)).toEqual(
      Array.from({ length: result.pages }, (_, i) => i + 1),
    );
    const unmappedLines = fake.orders
      .flatMap((o) => o.line_items ?? [])
      .filter((l) => !mapped.has(l.catalog_object_id)).length;
    expect(result.unmappedLines).toBe(unmappedLines);
    expect(result.returns).toBeGreaterThan(100);

    const expected = expectedTotals(mapped);
    const actual = await dailyTotals(vendorId);
    expect(actual.size).toBe(expected.size);
    for (const [key, quantity] of expected) expect(actual.get(key), key).toBe(quantity);

    const lines = await admin.query<{ n: string; distinct_lines: string; canceled: string }>(
      `SELECT count(*) AS n, count(DISTINCT provider_line_id) AS distinct_lines,
              count(*) FILTER (WHERE state = 'CANCELED') AS canceled
       FROM sales WHERE vendor_id = $1 AND source = 'SQUARE'`,
      [vendorId],
    );
    const mappedLines = fake.orders
      .flatMap((o) => o.line_items ?? [])
      .filter((l) => mapped.has(l.catalog_object_id)).length;
    expect(Number(lines.rows[0]!.n)).toBe(Number(lines.rows[0]!.distinct_lines));
    expect(Number(lines.rows[0]!.n)).toBe(mappedLines + result.returns);
    expect(Number(lines.rows[0]!.canceled)).toBeGreaterThan(0);

    const connection = await admin.query<{
      backfill_completed_at: Date | null;
      last_error: string | null;
      sync_cursor: SquareSyncCheckpoint;
    }>(
      'SELECT backfill_completed_at, last_error, sync_cursor FROM provider_connections WHERE id = $1',
      [connectionId],
    );
    expect(connection.rows[0]!.backfill_completed_at).not.toBeNull();
    expect(connection.rows[0]!.last_error).toBeNull();
    expect(connection.rows[0]!.sync_cursor.done).toBe(true);
    expect(elapsed).toBeLessThan(60_000);
    console.log(
      `square-sync backfill: ${result.orders} orders, ${result.pages} pages in ${elapsed} ms (${Math.round((result.orders / elapsed) * 1000)} orders/s incl. the crash)`,
    );

    // Incremental: a new sale and a refund of an old line arrive; a re-run changes nothing more.
    const market = fake.locations[0]!;
    const newOrder = fake.addOrder({
      locationId: market.id,
      closedAt: new Date('2026-11-21T15:00:00Z'),
      lines: [{ variationId: 'VFAKE0001', quantity: 5 }],
    });
    const old = fake.orders.find(
      (o) =>
        o.state === 'COMPLETED' &&
        !o.refunds &&
        o.line_items?.[0] &&
        mapped.has(o.line_items[0].catalog_object_id) &&
        Number(o.line_items[0].quantity) >= 2,
    )!;
    fake.refundLine(old.id, 0, 2, new Date('2026-11-21T16:00:00Z'));
    const incremental = (await handler(
      { vendorId, connectionId, mode: 'incremental' },
      { jobId: 'b' },
    )) as {
      mode: string;
      orders: number;
    };
    expect(incremental.mode).toBe('incremental');
    expect(incremental.orders).toBeLessThan(50);
    await handler({ vendorId, connectionId, mode: 'incremental' }, { jobId: 'c' });
    const after = await dailyTotals(vendorId);
    const expectedAfter = expectedTotals(mapped);
    expect(after.size).toBe(expectedAfter.size);
    for (const [key, quantity] of expectedAfter) expect(after.get(key), key).toBe(quantity);
    expect(after.get(`${market.id}|VFAKE0001|2026-11-21`)).toBe(5);
    expect(newOrder.id).toMatch(/^ORDNEW/);
  }, 90_000);

  it('does not retry a revoked token (401) and records the error; skips a disconnected vendor', async () => {
    const { vendorId, connectionId, accessToken } = await connectVendor({ mapVariations: 1 });
    await square.revokeToken(accessToken);
    const handler = createSquareSyncHandler({ db: db.app, square, cipher, now: () => now });
    await expect(
      handler({ vendorId, connectionId, mode: 'backfill' }, { jobId: 'x' }),
    ).rejects.toBeInstanceOf(UnrecoverableError);
    const row = await admin.query<{ status: string; last_error: string }>(
      'SELECT status, last_error FROM provider_connections WHERE id = $1',
      [connectionId],
    );
    expect(row.rows[0]).toMatchObject({ status: 'ERROR' });
    expect(row.rows[0]!.last_error).toMatch(/401/);

    await admin.query(
      `UPDATE provider_connections SET status = 'REVOKED', access_token_encrypted = NULL WHERE id = $1`,
      [connectionId],
    );
    expect(await handler({ vendorId, connectionId, mode: 'incremental' }, { jobId: 'y' })).toEqual({
      skipped: 'not-connected',
    });
    expect(
      await handler({ vendorId, connectionId: randomUUID(), mode: 'incremental' }, { jobId: 'z' }),
    ).toEqual({ skipped: 'not-connected' });
  });

  it('reads nothing from Square for a business whose plan lacks Square sync, or that is read-only', async () => {
    const plans = loadPlansConfig();
    const handler = createSquareSyncHandler({ db: db.app, square, cipher, now: () => now, plans });
    const subscribe = async (vendorId: string, plan: string, status: 'ACTIVE' | 'CANCELED') =>
      withTenant(db.app.prisma, vendorId, (tx) =>
        tx.subscription.upsert({
          where: { vendorId },
          create: {
            vendorId,
            plan,
            status,
            stripeCustomerId: `cus_${randomUUID()}`,
            stripeSubscriptionId: `sub_${randomUUID()}`,
          },
          update: { plan, status },
        }),
      );
    const lines = async (vendorId: string) =>
      Number(
        (
          await admin.query<{ n: string }>('SELECT count(*) AS n FROM sales WHERE vendor_id = $1', [
            vendorId,
          ])
        ).rows[0]!.n,
      );

    const starter = await connectVendor({ mapVariations: 2 });
    await subscribe(starter.vendorId, 'starter', 'ACTIVE');
    fake.resetCounters();
    const job = { vendorId: starter.vendorId, connectionId: starter.connectionId };
    expect(await handler({ ...job, mode: 'backfill' }, { jobId: 'p1' })).toEqual({
      skipped: 'plan',
    });
    expect(fake.requestCount).toBe(0);
    expect(await lines(starter.vendorId)).toBe(0);

    // Market includes it; the same business canceled is read-only and is not synced again.
    const market = await connectVendor({ mapVariations: 2 });
    await subscribe(market.vendorId, 'market', 'CANCELED');
    expect(
      await handler(
        { vendorId: market.vendorId, connectionId: market.connectionId, mode: 'backfill' },
        { jobId: 'p2' },
      ),
    ).toEqual({ skipped: 'plan' });
    await subscribe(market.vendorId, 'market', 'ACTIVE');
    await handler(
      { vendorId: market.vendorId, connectionId: market.connectionId, mode: 'backfill' },
      { jobId: 'p3' },
    );
    expect(await lines(market.vendorId)).toBeGreaterThan(0);
  }, 90_000);

  it('rejects bad payloads without touching anything', async () => {
    const handler = createSquareSyncHandler({ db: db.app, square, cipher, now: () => now });
    for (const payload of [
      {},
      { vendorId: 'x', connectionId: randomUUID(), mode: 'backfill' },
      { vendorId: randomUUID(), connectionId: randomUUID(), mode: 'everything' },
      { vendorId: randomUUID(), connectionId: randomUUID(), mode: 'backfill', token: 'secret' },
    ]) {
      await expect(handler(payload, { jobId: 'p' })).rejects.toBeInstanceOf(InvalidPayloadError);
    }
  });
});
