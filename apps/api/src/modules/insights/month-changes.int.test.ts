// "What MarketPrep changed this month" (issue 22) on the real database: the month's prep lists,
// check-ins and sales of a small bakery, hand-computed (the same case as month-changes.test.ts):
// check-in days against what was brought, the day without a check-in against the rule of thumb
// only, next Saturday's list not counted, the list regenerated after a check-in (it knew the
// day's sales) never scored, another business's December never seen.
import { MonthChangesSchema } from '@marketprep/contracts';
import { withTenant } from '@marketprep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { seedShop, type Shop } from '../check-ins/check-ins.fixtures';

// Sunday 2026-12-13, 14:00 in Chicago.
const NOW = new Date('2026-12-13T20:00:00Z');

let h: Harness;
let owner: Agent;
let other: Agent;

const bread = {
  key: 'bread',
  name: 'Bread',
  priceMinor: 500,
  unitCostMinor: 200,
  salvageValueMinor: 0,
};
const scones = {
  key: 'scones',
  name: 'Scones',
  priceMinor: 300,
  unitCostMinor: 100,
  salvageValueMinor: 50,
};
const november = ['2026-11-07', '2026-11-14', '2026-11-21', '2026-11-28'].map((date) => ({
  date,
  sales: [
    { key: 'bread', quantity: 12, revenueMinor: 6000 },
    { key: 'scones', quantity: 20, revenueMinor: 6000 },
  ],
}));

beforeAll(async () => {
  h = await createHarness({ now: () => NOW });
  owner = await h.signup({ vendorName: 'Month Bakery' });
  other = await h.signup({ vendorName: 'Other Month Bakery' });
  const shop: Shop = await seedShop(h.db.app, owner.vendorId!, {
    market: {
      name: 'Saturday Market',
      timezone: 'America/Chicago',
      schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
    },
    products: [bread, scones],
    days: [
      ...november,
      {
        date: '2026-12-05',
        prep: [
          { key: 'bread', quantity: 14, q10: 12, q50: 14, q90: 16 },
          { key: 'scones', quantity: 24, q10: 18, q50: 22, q90: 26 },
        ],
        sales: [
          { key: 'bread', quantity: 12, revenueMinor: 6000 },
          { key: 'scones', quantity: 20, revenueMinor: 6000 },
        ],
        feedback: [
          { key: 'bread', brought: 15, sold: 12, leftOver: 3, wasted: 3, donated: 0 },
          { key: 'scones', brought: 20, sold: 20, leftOver: 0, wasted: 0, donated: 0 },
        ],
      },
      {
        date: '2026-12-12',
        prep: [{ key: 'bread', quantity: 10, q10: 8, q50: 10, q90: 12 }],
        sales: [{ key: 'bread', quantity: 9, revenueMinor: 4500 }],
      },
      { date: '2026-12-19', prep: [{ key: 'bread', quantity: 12, q10: 10, q50: 12, q90: 14 }] },
    ],
  });
  // The Dec 5 list was made the evening before (the fixture's 02:00 UTC) and the check-in sent
  // at 14:00 that day; the check-in's retrain then regenerated the list with the day's own
  // sales in it (12 breads, 20 scones: what sold). That later list must not be the one scored.
  await withTenant(h.db.app.prisma, owner.vendorId!, async (tx) => {
    const day = shop.dayIds['2026-12-05']!;
    await tx.feedback.updateMany({
      where: { marketDayId: day },
      data: { createdAt: new Date('2026-12-05T20:00:00Z') },
    });
    await tx.recommendation.updateMany({
      where: { marketDayId: day },
      data: { status: 'SUPERSEDED' },
    });
    const hindsight = await tx.recommendation.create({
      data: {
        vendorId: owner.vendorId!,
        marketId: shop.marketId,
        marketDayId: day,
        status: 'CURRENT',
        trigger: 'inputs-changed',
        inputsHash: 'after-check-in',
        generatedAt: new Date('2026-12-05T20:05:00Z'),
      },
    });
    for (const [key, quantity] of [
      ['bread', 12],
      ['scones', 20],
    ] as const) {
      await tx.recommendationLine.create({
        data: {
          vendorId: owner.vendorId!,
          recommendationId: hindsight.id,
          productId: shop.productIds[key]!,
          q10: quantity,
          q50: quantity,
          q90: quantity,
          criticalRatio: 0.6,
          qCritical: quantity,
          quantity,
          expectedSold: quantity,
          expectedRevenueMinor: 0,
          modelRung: 'pooled',
          dataSufficiency: 'rich',
          explanation: {},
        },
      });
    }
  });
  await seedShop(h.db.app, other.vendorId!, {
    market: { name: 'Foreign Market', timezone: 'America/Chicago' },
    products: [bread],
    days: [
      {
        date: '2026-12-05',
        prep: [{ key: 'bread', quantity: 50, q50: 40 }],
        sales: [{ key: 'bread', quantity: 10, revenueMinor: 5000 }],
      },
    ],
  });
}, 240_000);
afterAll(() => h.close());

describe('GET /v1/insights/month-changes', () => {
  it('this month, in money: check-in days against brought, the others against the rule only', async () => {
    const response = await h.call(owner, 'GET', '/v1/insights/month-changes');
    expect(response.statusCode, response.body).toBe(200);
    const body = MonthChangesSchema.parse(response.json());
    // Dec 5, bread vs brought 15: 1 fewer left x 200 = 200. Scones vs brought 20 (sold out):
    // demand best guess E[D | D >= 20] of N(22, 8 / 2.5631) = 23.372, so -31 of waste and
    // 3.372 x 200 = 674 recovered; net -200 (demand 20) to +800 (24 to the P90 26).
    // Dec 12, no check-in: bread's list 10 vs the rule's 12 (four Saturdays of 12) with 9 sold:
    // 2 fewer left x 200 = 400. Dec 19 is still to come.
    expect(body).toEqual({
      month: '2026-12',
      from: '2026-12-01',
      to: '2026-12-13',
      currency: 'USD',
      marketDays: 2,
      vsBrought: {
        wasteAvoidedMinor: 169,
        salesRecoveredMinor: 674,
        netMinor: 843,
        netLowMinor: 0,
        netHighMinor: 1000,
        productDays: 2,
      },
      vsRuleOnly: {
        wasteAvoidedMinor: 400,
        salesRecoveredMinor: 0,
        netMinor: 400,
        netLowMinor: 400,
        netHighMinor: 400,
        productDays: 1,
      },
      total: {
        wasteAvoidedMinor: 569,
        salesRecoveredMinor: 674,
        netMinor: 1243,
        netLowMinor: 400,
        netHighMinor: 1400,
        productDays: 3,
      },
      soldOutProductDays: 1,
      productsLeftOut: [],
    });
  });

  it('another month, and a month with nothing in it', async () => {
    const november = MonthChangesSchema.parse(
      (await h.call(owner, 'GET', '/v1/insights/month-changes?month=2026-11')).json(),
    );
    // November had sales but no prep lists: nothing MarketPrep said to compare.
    expect(november).toMatchObject({ month: '2026-11', to: '2026-11-30', marketDays: 0 });
    expect(november.total.productDays).toBe(0);
    const foreign = MonthChangesSchema.parse(
      (await h.call(other, 'GET', '/v1/insights/month-changes')).json(),
    );
    expect(foreign.vsRuleOnly.productDays).toBe(1);
    expect(foreign.vsBrought.productDays).toBe(0);
  });

  it('a malformed month is a 400 and an anonymous caller a 401', async () => {
    for (const month of ['2026-13', '2026-1', '0000-01', '9999-12']) {
      const bad = await h.call(owner, 'GET', `/v1/insights/month-changes?month=${month}`);
      expect(bad.statusCode, month).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
    }
    // The window's edges are months like any other.
    const edge = await h.call(owner, 'GET', '/v1/insights/month-changes?month=1900-01');
    expect(edge.statusCode, edge.body).toBe(200);
    const anonymous = await h.app.inject({ method: 'GET', url: '/v1/insights/month-changes' });
    expect(anonymous.statusCode).toBe(401);
  });
});
