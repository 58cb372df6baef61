import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { createMarket } from '../markets/catalog-test-helpers';

// Sunday 2026-12-06 09:00 in Chicago: sales up to "tomorrow" anywhere on Earth are accepted.
const NOW = new Date('2026-12-06T15:00:00Z');

let h: Harness;
let admin: pg.Pool;
let owner: Agent;
let stranger: Agent;
let marketId: string;
let sourdough: string;
let baguette: string;
let strangersProduct: string;

async function createProduct(agent: Agent, name: string): Promise<string> {
  const response = await h.call(agent, 'POST', '/v1/products', { name, priceMinor: 800 });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

const line = (over: Record<string, unknown> = {}) => ({
  lineId: `L-${randomUUID().slice(0, 8)}`,
  marketId,
  productId: sourdough,
  date: '2026-11-28',
  quantity: 3,
  unitPriceMinor: 800,
  ...over,
});

const post = (body: unknown, headers: Record<string, string> = {}, agent: Agent = owner) =>
  h.call(agent, 'POST', '/v1/sales', body, headers);

async function salesCount(): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(
    `SELECT count(*) AS n FROM sales WHERE vendor_id = $1 AND source = 'API'`,
    [owner.vendorId],
  );
  return Number(rows[0]?.n);
}

async function daily(productId: string, date: string) {
  const { rows } = await admin.query<{ quantity: string; revenue_minor: string }>(
    `SELECT quantity::text, revenue_minor::text FROM daily_sales
      WHERE market_id = $1 AND product_id = $2 AND date = $3`,
    [marketId, productId, date],
  );
  return rows[0]
    ? { quantity: Number(rows[0].quantity), revenue: Number(rows[0].revenue_minor) }
    : null;
}

beforeAll(async () => {
  h = await createHarness({ now: () => NOW, rateLimit: false });
  admin = new pg.Pool({ connectionString: h.db.adminUrl, max: 2 });
  owner = await h.signup();
  stranger = await h.signup({ vendorName: 'Other Farm' });
  marketId = (await createMarket(h, owner, { name: 'Riverside' })).id;
  sourdough = await createProduct(owner, 'Sourdough');
  baguette = await createProduct(owner, 'Baguette');
  strangersProduct = await createProduct(stranger, 'Their loaf');
});
afterAll(async () => {
  await admin.end();
  await h.close();
});

describe('POST /v1/sales', () => {
  it('stores a batch, totals each day, and a resent batch changes nothing', async () => {
    const batch = {
      source: 'clover',
      lines: [
        line({ lineId: 'A-1', orderId: 'A', quantity: 3 }),
        line({
          lineId: 'A-2',
          orderId: 'A',
          productId: baguette,
          quantity: 2,
          unitPriceMinor: 450,
        }),
        line({ lineId: 'B-1', orderId: 'B', quantity: 1.5, grossMinor: 1200 }),
        // Another day of the year: the Saturday before Mother's Day and a New Year's Eve sale.
        line({ lineId: 'C-1', date: '2026-05-09', quantity: 40 }),
        line({ lineId: 'D-1', date: '2025-12-31', quantity: 7, refundedQuantity: 1 }),
      ],
    };
    const first = await post(batch);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({
      source: 'clover',
      received: 5,
      created: 5,
      updated: 0,
      days: 4,
      dateRange: { from: '2025-12-31', to: '2026-11-28' },
    });
    expect(await daily(sourdough, '2026-11-28')).toEqual({ quantity: 4.5, revenue: 2400 + 1200 });
    expect(await daily(baguette, '2026-11-28')).toEqual({ quantity: 2, revenue: 900 });
    expect(await daily(sourdough, '2026-05-09')).toEqual({ quantity: 40, revenue: 32000 });
    expect(await daily(sourdough, '2025-12-31')).toEqual({ quantity: 6, revenue: 4800 });
    const count = await salesCount();

    const again = await post(batch);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ received: 5, created: 0, updated: 5 });
    expect(await salesCount()).toBe(count);
    expect(await daily(sourdough, '2026-11-28')).toEqual({ quantity: 4.5, revenue: 3600 });

    // The same line ids from another source are other lines.
    const other = await post({ ...batch, source: 'shopify-pos', lines: batch.lines.slice(0, 1) });
    expect(other.json()).toMatchObject({ created: 1, updated: 0 });
    expect(await daily(sourdough, '2026-11-28')).toEqual({ quantity: 7.5, revenue: 6000 });

    // A retrain is requested, as after a CSV import.
    const { rows } = await admin.query(
      `SELECT 1 FROM outbox WHERE job_name = 'retrain-vendor' AND payload->>'vendorId' = $1`,
      [owner.vendorId],
    );
    expect(rows.length).toBeGreaterThan(0);
  });

  it('moves a corrected line: the old day loses it', async () => {
    const id = `M-${randomUUID().slice(0, 6)}`;
    await post({
      source: 'square-two',
      lines: [line({ lineId: id, date: '2026-10-03', quantity: 5 })],
    });
    expect(await daily(sourdough, '2026-10-03')).toEqual({ quantity: 5, revenue: 4000 });
    const moved = await post({
      source: 'square-two',
      lines: [line({ lineId: id, date: '2026-10-10', quantity: 5 })],
    });
    expect(moved.json()).toMatchObject({ created: 0, updated: 1, days: 2 });
    expect(await daily(sourdough, '2026-10-03')).toBeNull();
    expect(await daily(sourdough, '2026-10-10')).toEqual({ quantity: 5, revenue: 4000 });
  });

  it('refuses a batch with any bad line, naming each, and writes nothing of it', async () => {
    const before = await salesCount();
    const bad = await post({
      source: 'clover',
      lines: [
        line({ lineId: 'ok-1' }),
        line({ lineId: 'neg', quantity: -2 }),
        line({ lineId: 'future', date: '2026-12-09' }),
        line({ lineId: 'feb30', date: '2026-02-30' }),
        line({ lineId: 'huge', quantity: 250_000 }),
        line({ lineId: 'refund', quantity: 1, refundedQuantity: 2 }),
        line({ lineId: 'price', unitPriceMinor: 20_000_000 }),
        line({ lineId: 'ok-1' }),
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const problem = bad.json<{ code: string; errors: { path: string; message: string }[] }>();
    expect(problem.code).toBe('sales-batch-invalid');
    expect(problem.errors.map((e) => e.path)).toEqual([
      'lines.1.quantity',
      'lines.2.date',
      'lines.3.date',
      'lines.4.quantity',
      'lines.5.refundedQuantity',
      'lines.6.unitPriceMinor',
      'lines.7.lineId',
    ]);
    expect(problem.errors[0]?.message).toContain('negative');
    expect(problem.errors[2]?.message).toContain('not a real calendar date');
    expect(await salesCount()).toBe(before);
  });

  it("refuses another business's product or an unknown market, writing nothing", async () => {
    const before = await salesCount();
    const foreign = await post({
      source: 'clover',
      lines: [line({ lineId: 'fine' }), line({ lineId: 'theirs', productId: strangersProduct })],
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({
      code: 'sales-batch-invalid',
      errors: [{ path: 'lines.1.productId', message: 'No such product' }],
    });
    const unknownMarket = await post({
      source: 'clover',
      lines: [line({ lineId: 'nowhere', marketId: randomUUID() })],
    });
    expect(unknownMarket.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'lines.0.marketId',
    );
    expect(await salesCount()).toBe(before);
  });

  it('refuses malformed bodies with validation-failed', async () => {
    for (const body of [
      {},
      { source: 'clover', lines: [] },
      { source: 'Not Valid!', lines: [line()] },
      { source: 'clover', lines: [{ ...line(), extra: 1 }] },
      { source: 'clover', lines: [line({ quantity: '3' })] },
      { source: 'clover', lines: Array.from({ length: 1001 }, () => line()) },
    ]) {
      const response = await post(body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.json<{ code: string }>().code).toBe('validation-failed');
    }
  });

  it('replays the answer with an Idempotency-Key, and works with an API token', async () => {
    const created = await h.call(owner, 'POST', '/v1/api-tokens', {
      name: `pos ${randomUUID().slice(0, 4)}`,
      scopes: ['write'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const token = created.json<{ token: string }>().token;
    const key = randomUUID();
    const batch = { source: 'toast', lines: [line({ lineId: 'T-1' })] };
    const bearer = { authorization: `Bearer ${token}`, 'idempotency-key': key };
    const first = await h.call(null, 'POST', '/v1/sales', batch, bearer);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ created: 1 });
    const retry = await h.call(null, 'POST', '/v1/sales', batch, bearer);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const reused = await h.call(null, 'POST', '/v1/sales', { ...batch, source: 'toast-2' }, bearer);
    expect(reused.json<{ code: string }>().code).toBe('idempotency-key-reused');
  });
});
