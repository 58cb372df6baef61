import {
  PrepListPageSchema,
  PrepListSchema,
  WeekPlanSchema,
  type PrepList,
} from '@marketprep/contracts';
import { withTenant } from '@marketprep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { getPrepList, weeksBefore } from './prep-list-test-helpers';
import { seedShop, type Shop } from '../check-ins/check-ins.fixtures';
import { CSV_COLUMNS } from './prep-list-export';

// Sales imported without prices: each line (and each product of the week's plan) says whether its
// product has a price now, from the product's price, never from a revenue of 0.

// Sunday 2026-11-22, 14:00 in Chicago; the next market day is Saturday 2026-11-28.
const NOW = new Date('2026-11-22T20:00:00Z');
const DATE = '2026-11-28';

let h: Harness;
let owner: Agent;
let shop: Shop;
let url: string;

/** Twenty Saturdays of history before the market day. */
const pastSaturdays = () => weeksBefore(DATE, 20);

const getList = () => getPrepList(h, owner, url);

const lineOf = (list: PrepList, key: 'bread' | 'jam') => {
  const line = list.lines.find((l) => l.productId === shop.productIds[key]);
  expect(line).toBeDefined();
  return line!;
};

const setPrice = (key: 'bread' | 'jam', priceMinor: number, unitCostMinor?: number) =>
  withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
    tx.product.update({
      where: { id: shop.productIds[key]! },
      data: { priceMinor, ...(unitCostMinor !== undefined ? { unitCostMinor } : {}) },
    }),
  );

beforeAll(async () => {
  h = await createHarness({ now: () => NOW });
  owner = await h.signup({ vendorName: 'Half Priced Farm' });
  shop = await seedShop(h.db.app, owner.vendorId!, {
    market: {
      name: 'Priced Market',
      schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
    },
    products: [
      { key: 'bread', name: 'Bread', priceMinor: 800, unitCostMinor: 300, salvageValueMinor: 100 },
      // Imported from a CSV without unit_price: no price, no cost.
      { key: 'jam', name: 'Jam', priceMinor: 0, unitCostMinor: 0, salvageValueMinor: 0 },
    ],
    days: [
      ...pastSaturdays().map((date, i) => ({
        date,
        sales: [
          { key: 'bread', quantity: 20 + (i % 5) * 2, revenueMinor: (20 + (i % 5) * 2) * 800 },
          { key: 'jam', quantity: 6 + (i % 3), revenueMinor: 0 },
        ],
      })),
      { date: DATE },
    ],
  });
  url = `/v1/markets/${shop.marketId}/prep-lists/${DATE}`;
}, 180_000);
afterAll(() => h.close());

describe('priced on a prep list', () => {
  it('is false for a product without a price and true for one with, computed and read back', async () => {
    const computed = await getList();
    expect(lineOf(computed, 'bread')).toMatchObject({ priced: true });
    expect(lineOf(computed, 'bread').expectedRevenueMinor).toBeGreaterThan(0);
    const jam = lineOf(computed, 'jam');
    expect(jam.priced).toBe(false);
    expect(jam.expectedSold).toBeGreaterThan(0);
    expect(jam.expectedRevenueMinor).toBe(0);

    // The stored list read back (the read fast path's SQL), and the range route's copy of it.
    const stored = await getList();
    expect(stored.id).toBe(computed.id);
    expect(stored.lines.map((l) => [l.productName, l.priced])).toEqual([
      ['Bread', true],
      ['Jam', false],
    ]);
    const range = await h.call(owner, 'GET', `/v1/prep-lists?from=${DATE}&to=${DATE}`);
    expect(range.statusCode, range.body).toBe(200);
    const [inRange] = PrepListPageSchema.parse(range.json()).data;
    expect(inRange?.lines.map((l) => l.priced)).toEqual([true, false]);
  });

  it('stays true for a priced product expected to earn 0 (left at home), in the answer and stored', async () => {
    const patched = await h.call(owner, 'PATCH', `${url}/lines/${shop.productIds.bread}`, {
      overrideQuantity: 0,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const none = lineOf(PrepListSchema.parse(patched.json()), 'bread');
    expect(none).toMatchObject({ expectedSold: 0, expectedRevenueMinor: 0, priced: true });
    expect(lineOf(await getList(), 'bread')).toMatchObject({
      expectedRevenueMinor: 0,
      priced: true,
    });
    const cleared = await h.call(owner, 'PATCH', `${url}/lines/${shop.productIds.bread}`, {
      overrideQuantity: null,
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
  });

  it("follows the product's price now: priced once the price is entered, not before", async () => {
    await setPrice('jam', 600);
    try {
      const list = await getList();
      expect(lineOf(list, 'jam').priced).toBe(true);
      expect(lineOf(list, 'jam').expectedRevenueMinor).toBeGreaterThan(0);
    } finally {
      await setPrice('jam', 0);
    }
    expect(lineOf(await getList(), 'jam').priced).toBe(false);
  });
});

describe('costed on a prep list', () => {
  it("packs a product without a cost like the vendor's products with one, and says so", async () => {
    const computed = await getList();
    // Bread: (8.00 - 3.00) / (8.00 - 1.00). Jam, with no cost (or price) entered, takes the
    // median of the products that have both (bread alone), not the 0.95 a cost of 0 would give.
    const breadRatio = 500 / 700;
    expect(lineOf(computed, 'bread')).toMatchObject({ costed: true });
    expect(lineOf(computed, 'bread').criticalRatio).toBeCloseTo(breadRatio, 4);
    expect(lineOf(computed, 'jam')).toMatchObject({ costed: false });
    expect(lineOf(computed, 'jam').criticalRatio).toBeCloseTo(breadRatio, 4);
    // Read back through the stored list's SQL.
    const stored = await getList();
    expect(stored.id).toBe(computed.id);
    expect(stored.lines.map((l) => [l.productName, l.costed])).toEqual([
      ['Bread', true],
      ['Jam', false],
    ]);
  });

  it('follows the cost once it is entered: its own ratio', async () => {
    await setPrice('jam', 600, 300);
    try {
      const jam = lineOf(await getList(), 'jam');
      expect(jam.costed).toBe(true);
      expect(jam.criticalRatio).toBeCloseTo(0.5, 4);
    } finally {
      await setPrice('jam', 0, 0);
    }
    expect(lineOf(await getList(), 'jam').costed).toBe(false);
  });
});

describe('exports of a list with a product without a price', () => {
  it('leaves the CSV revenue cell of that product empty (unknown, not 0)', async () => {
    const list = await getList();
    const response = await h.call(owner, 'GET', `${url}/export.csv`);
    expect(response.statusCode, response.body).toBe(200);
    const [header, ...rows] = response.body.trimEnd().split('\r\n');
    const columns = header!.split(',');
    expect(columns).toEqual([...CSV_COLUMNS]);
    const revenueAt = columns.indexOf('expected_revenue_minor');
    const revenueOf = (productId: string) =>
      rows.find((row) => row.startsWith(`${productId},`))?.split(',')[revenueAt];
    expect(revenueOf(shop.productIds.jam!)).toBe('');
    expect(revenueOf(shop.productIds.bread!)).toBe(
      String(lineOf(list, 'bread').expectedRevenueMinor),
    );
  });
});

describe("priced and costed on the week's plan", () => {
  it('says per product whether it has a price and a cost', async () => {
    const response = await h.call(owner, 'GET', '/v1/plans/week?from=2026-11-23');
    expect(response.statusCode, response.body).toBe(200);
    const plan = WeekPlanSchema.parse(response.json());
    const productOf = (key: 'bread' | 'jam') =>
      plan.products.find((p) => p.productId === shop.productIds[key]);
    expect(productOf('bread')).toMatchObject({ priced: true, costed: true });
    expect(productOf('jam')).toMatchObject({ priced: false, costed: false });
    const jamDays = plan.products.find((p) => p.productId === shop.productIds.jam)?.days ?? [];
    expect(jamDays.some((d) => d.expectedSold > 0)).toBe(true);
  });
});
