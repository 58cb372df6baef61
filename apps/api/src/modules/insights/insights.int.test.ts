import {
  ForecastVsActualSchema,
  GoNoGoSchema,
  SalesInsightsSchema,
  WasteInsightsSchema,
  WeatherEffectsSchema,
} from '@marketprep/contracts';
import { withTenant } from '@marketprep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { seedShop, type Shop } from '../check-ins/check-ins.fixtures';

// Sunday 2026-11-22, 14:00 in Chicago.
const NOW = new Date('2026-11-22T20:00:00Z');

let h: Harness;
let owner: Agent;
let other: Agent;
let alpha: Shop;
let beta: Shop;
let foreign: Shop;

beforeAll(async () => {
  h = await createHarness({ now: () => NOW });
  owner = await h.signup({ vendorName: 'Insight Bakery' });
  other = await h.signup({ vendorName: 'Other Bakery' });
  alpha = await seedShop(h.db.app, owner.vendorId!, {
    market: {
      name: 'Alpha Market',
      boothFeeMinor: 5000,
      schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
    },
    products: [
      { key: 'bread', name: 'Bread', priceMinor: 800, unitCostMinor: 300, salvageValueMinor: 100 },
      { key: 'jam', name: 'Jam', priceMinor: 600, unitCostMinor: 200, salvageValueMinor: 200 },
    ],
    days: [
      {
        date: '2026-11-07',
        prep: [{ key: 'bread', quantity: 12, q10: 8, q50: 11, q90: 15 }],
        sales: [
          { key: 'bread', quantity: 10, revenueMinor: 8000 },
          { key: 'jam', quantity: 5, revenueMinor: 3000 },
        ],
        feedback: [
          { key: 'bread', brought: 12, sold: 10, leftOver: 2, wasted: 1, donated: 1 },
          { key: 'jam', brought: 5, sold: 5, leftOver: 0, wasted: 0, donated: 0 },
        ],
        weather: { kind: 'OBSERVED', tempMaxC: 30, precipMm: 5 },
      },
      {
        date: '2026-11-14',
        sales: [{ key: 'bread', quantity: 20, revenueMinor: 16_000 }],
        weather: { kind: 'OBSERVED', tempMaxC: 20, precipMm: 0 },
      },
      {
        date: '2026-11-21',
        sales: [
          { key: 'bread', quantity: 30, revenueMinor: 24_000 },
          { key: 'jam', quantity: 7, revenueMinor: 4200 },
        ],
        weather: { kind: 'OBSERVED', tempMaxC: 18, precipMm: 0 },
      },
      {
        date: '2026-11-28',
        prep: [
          { key: 'bread', quantity: 25, q50: 24, expectedRevenueMinor: 20_000 },
          { key: 'jam', quantity: 8, q50: 7, expectedRevenueMinor: 4000 },
        ],
        weather: {
          kind: 'FORECAST',
          tempMaxC: 12,
          precipMm: null,
          precipProb: 0.7,
          summary: 'Rain likely',
        },
      },
      { date: '2026-12-05' },
      { date: '2026-11-29', status: 'CANCELLED' },
    ],
  });
  beta = await seedShop(h.db.app, owner.vendorId!, {
    market: {
      name: 'Beta Market',
      boothFeeMinor: 30_000,
      schedule: [{ weekday: 6, opensAt: '09:00', closesAt: '14:00' }],
    },
    products: [
      { key: 'bread', name: 'Bread B', priceMinor: 800, unitCostMinor: 300, salvageValueMinor: 0 },
    ],
    days: [
      {
        date: '2026-11-22',
        prep: [{ key: 'bread', quantity: 50, q50: 48, expectedRevenueMinor: 45_000 }],
      },
      {
        date: '2026-11-29',
        prep: [{ key: 'bread', quantity: 15, q50: 14, expectedRevenueMinor: 12_000 }],
      },
      { date: '2026-12-06' },
    ],
  });
  foreign = await seedShop(h.db.app, other.vendorId!, {
    market: { name: 'Foreign Market', boothFeeMinor: 100 },
    products: [
      { key: 'pie', name: 'Pie', priceMinor: 1000, unitCostMinor: 100, salvageValueMinor: 0 },
    ],
    days: [{ date: '2026-11-21', sales: [{ key: 'pie', quantity: 99, revenueMinor: 99_000 }] }],
  });
});
afterAll(() => h.close());

describe('GET /v1/insights/sales', () => {
  it('gives units and revenue per market day, per product and in total', async () => {
    const response = await h.call(owner, 'GET', '/v1/insights/sales?from=2026-11-01&to=2026-11-30');
    expect(response.statusCode).toBe(200);
    const body = SalesInsightsSchema.parse(response.json());
    expect(body.from).toBe('2026-11-01');
    expect(body.data.map((d) => [d.date, d.units, d.revenueMinor])).toEqual([
      ['2026-11-07', 15, 11_000],
      ['2026-11-14', 20, 16_000],
      ['2026-11-21', 37, 28_200],
    ]);
    expect(body.data[0]?.products).toEqual([
      { productId: alpha.productIds.bread, productName: 'Bread', units: 10, revenueMinor: 8000 },
      { productId: alpha.productIds.jam, productName: 'Jam', units: 5, revenueMinor: 3000 },
    ]);
    expect(body.data.every((d) => d.marketName === 'Alpha Market')).toBe(true);
  });

  it('defaults to the last 8 weeks and filters by market', async () => {
    const all = SalesInsightsSchema.parse(
      (await h.call(owner, 'GET', '/v1/insights/sales')).json(),
    );
    expect(all.to).toBe('2026-11-23');
    expect(all.from).toBe('2026-09-29');
    expect(all.data).toHaveLength(3);
    const b = SalesInsightsSchema.parse(
      (await h.call(owner, 'GET', `/v1/insights/sales?marketId=${beta.marketId}`)).json(),
    );
    expect(b.data).toEqual([]);
  });

  it('400 for a reversed or over-long range; 404 foreign market; 401 anonymous', async () => {
    const reversed = await h.call(owner, 'GET', '/v1/insights/sales?from=2026-11-30&to=2026-11-01');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.headers['content-type']).toContain('application/problem+json');
    expect(
      (await h.call(owner, 'GET', '/v1/insights/sales?from=2024-01-01&to=2026-11-01')).statusCode,
    ).toBe(400);
    expect((await h.call(owner, 'GET', '/v1/insights/sales?from=yesterday')).statusCode).toBe(400);
    expect(
      (await h.call(owner, 'GET', `/v1/insights/sales?marketId=${foreign.marketId}`)).statusCode,
    ).toBe(404);
    expect((await h.call(null, 'GET', '/v1/insights/sales')).statusCode).toBe(401);
  });
});

describe('GET /v1/insights/forecast-vs-actual', () => {
  it('pairs the prep list with the outcome per market day', async () => {
    const response = await h.call(
      owner,
      'GET',
      `/v1/insights/forecast-vs-actual?marketId=${alpha.marketId}&productId=${alpha.productIds.bread}&from=2026-11-01&to=2026-11-30`,
    );
    expect(response.statusCode).toBe(200);
    const body = ForecastVsActualSchema.parse(response.json());
    expect(body.data).toEqual([
      { date: '2026-11-07', q10: 8, q50: 11, q90: 15, recommended: 12, sold: 10, soldOut: false },
      {
        date: '2026-11-14',
        q10: null,
        q50: null,
        q90: null,
        recommended: null,
        sold: 20,
        soldOut: null,
      },
      {
        date: '2026-11-21',
        q10: null,
        q50: null,
        q90: null,
        recommended: null,
        sold: 30,
        soldOut: null,
      },
      { date: '2026-11-28', q10: 19, q50: 24, q90: 29, recommended: 25, sold: null, soldOut: null },
    ]);
    const jam = ForecastVsActualSchema.parse(
      (
        await h.call(
          owner,
          'GET',
          `/v1/insights/forecast-vs-actual?marketId=${alpha.marketId}&productId=${alpha.productIds.jam}&from=2026-11-01&to=2026-11-10`,
        )
      ).json(),
    );
    expect(jam.data).toEqual([
      {
        date: '2026-11-07',
        q10: null,
        q50: null,
        q90: null,
        recommended: null,
        sold: 5,
        soldOut: true,
      },
    ]);
  });

  it('400 without productId; 404 for a foreign product or market', async () => {
    expect(
      (await h.call(owner, 'GET', `/v1/insights/forecast-vs-actual?marketId=${alpha.marketId}`))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await h.call(
          owner,
          'GET',
          `/v1/insights/forecast-vs-actual?marketId=${alpha.marketId}&productId=${foreign.productIds.pie}`,
        )
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await h.call(
          owner,
          'GET',
          `/v1/insights/forecast-vs-actual?marketId=${foreign.marketId}&productId=${alpha.productIds.bread}`,
        )
      ).statusCode,
    ).toBe(404);
  });
});

describe('GET /v1/insights/waste', () => {
  it('sums the check-ins per market day with waste cost', async () => {
    const response = await h.call(owner, 'GET', '/v1/insights/waste?from=2026-11-01&to=2026-11-30');
    expect(response.statusCode).toBe(200);
    expect(WasteInsightsSchema.parse(response.json()).data).toEqual([
      {
        marketId: alpha.marketId,
        marketName: 'Alpha Market',
        date: '2026-11-07',
        brought: 17,
        sold: 15,
        wasted: 1,
        donated: 1,
        sellOuts: 1,
        wasteCostMinor: 200,
      },
    ]);
    expect(
      (await h.call(owner, 'GET', '/v1/insights/waste?to=2026-11-01&from=2026-11-30')).statusCode,
    ).toBe(400);
  });
});

describe('GET /v1/insights/weather-effects', () => {
  it('compares mean sales on rainy vs dry and hot vs mild days', async () => {
    const response = await h.call(owner, 'GET', '/v1/insights/weather-effects');
    expect(response.statusCode).toBe(200);
    const body = WeatherEffectsSchema.parse(response.json());
    expect(body.thresholds).toEqual({ rainyPrecipMm: 1, hotTempMaxC: 27 });
    expect(body.data.find((d) => d.productName === 'Bread')).toEqual({
      productId: alpha.productIds.bread,
      productName: 'Bread',
      rainy: { days: 1, meanUnits: 10 },
      dry: { days: 2, meanUnits: 25 },
      hot: { days: 1, meanUnits: 10 },
      mild: { days: 2, meanUnits: 25 },
      rainEffect: -0.6,
      heatEffect: -0.6,
    });
    expect(body.data.find((d) => d.productName === 'Jam')).toMatchObject({
      rainy: { days: 1, meanUnits: 5 },
      dry: { days: 1, meanUnits: 7 },
      rainEffect: -0.2857,
    });
    const one = WeatherEffectsSchema.parse(
      (
        await h.call(
          owner,
          'GET',
          `/v1/insights/weather-effects?productId=${beta.productIds.bread}`,
        )
      ).json(),
    );
    expect(one.data).toEqual([
      expect.objectContaining({
        productName: 'Bread B',
        rainy: { days: 0, meanUnits: null },
        rainEffect: null,
      }),
    ]);
    expect(
      (
        await h.call(
          owner,
          'GET',
          `/v1/insights/weather-effects?productId=${foreign.productIds.pie}`,
        )
      ).statusCode,
    ).toBe(404);
  });
});

describe('GET /v1/insights/go-no-go', () => {
  /** Alpha Market's Nov 28: where its expectation comes from, the figure and the call. */
  const alphaOn28 = async () => {
    const body = GoNoGoSchema.parse(
      (await h.call(owner, 'GET', `/v1/insights/go-no-go?marketId=${alpha.marketId}`)).json(),
    );
    const day = body.data.find((d) => d.date === '2026-11-28');
    return [day?.basis, day?.expectedRevenueMinor, day?.recommendation];
  };

  it('nets expected revenue against the booth fee per upcoming market day', async () => {
    const response = await h.call(owner, 'GET', '/v1/insights/go-no-go');
    expect(response.statusCode).toBe(200);
    const body = GoNoGoSchema.parse(response.json());
    expect(body.thresholds.goRevenueToFeeRatio).toBe(2);
    const rows = body.data.map((d) => [
      d.marketName,
      d.date,
      d.basis,
      d.expectedRevenueMinor,
      d.netMinor,
      d.recommendation,
    ]);
    expect(rows).toEqual([
      ['Beta Market', '2026-11-22', 'recommendation', 45_000, 15_000, 'marginal'],
      ['Alpha Market', '2026-11-28', 'recommendation', 24_000, 19_000, 'go'],
      ['Beta Market', '2026-11-29', 'recommendation', 12_000, -18_000, 'skip'],
      // Mean of Alpha's last 6 days with sales: (11,000 + 16,000 + 28,200) / 3.
      ['Alpha Market', '2026-12-05', 'history', 18_400, 13_400, 'go'],
    ]);
    expect(body.data[1]?.weather).toMatchObject({
      summary: 'Rain likely',
      precipProb: 0.7,
      tempMaxC: 12,
      provider: 'DEMO',
    });
    expect(body.data[0]?.weather).toBeNull();
  });

  it('shows a day with nothing to go on as marginal; filters by market', async () => {
    const body = GoNoGoSchema.parse(
      (
        await h.call(owner, 'GET', `/v1/insights/go-no-go?days=15&marketId=${beta.marketId}`)
      ).json(),
    );
    expect(
      body.data.map((d) => [d.date, d.basis, d.expectedRevenueMinor, d.recommendation]),
    ).toEqual([
      ['2026-11-22', 'recommendation', 45_000, 'marginal'],
      ['2026-11-29', 'recommendation', 12_000, 'skip'],
      ['2026-12-06', 'none', null, 'marginal'],
    ]);
  });

  it("follows the vendor's overrides and leaves out out-of-season products", async () => {
    const setLine = (
      key: 'bread' | 'jam',
      data: {
        overrideQuantity?: number | null;
        demandQuantiles?: number[];
        modelRung?: string;
        explanation?: { availability?: Record<string, string | boolean | number[] | null> };
      },
    ) =>
      withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
        tx.recommendationLine.updateMany({
          where: {
            productId: alpha.productIds[key],
            recommendation: { marketDayId: alpha.dayIds['2026-11-28'], status: 'CURRENT' },
          },
          data,
        }),
      );
    expect(await alphaOn28()).toEqual(['recommendation', 24_000, 'go']);
    try {
      // Bread (20,000 expected) left at home: jam's 4,000 is below the 5,000 booth fee.
      await setLine('bread', { overrideQuantity: 0 });
      expect(await alphaOn28()).toEqual(['recommendation', 4000, 'skip']);
      // Plenty of bread sells its expected demand: 24 (q50 of a symmetric 19-29 range) x 800.
      await setLine('bread', { overrideQuantity: 1000 });
      expect(await alphaOn28()).toEqual(['recommendation', 19_200 + 4000, 'go']);
      // With the distribution stored (demand always 10), bringing 5 sells 5.
      await setLine('bread', {
        overrideQuantity: 5,
        demandQuantiles: Array.from({ length: 21 }, () => 10),
      });
      expect(await alphaOn28()).toEqual(['recommendation', 4000 + 4000, 'marginal']);
      // Jam out of season (and not brought by hand): its revenue does not count.
      await setLine('jam', {
        modelRung: 'out-of-season',
        explanation: {
          availability: {
            inSeason: false,
            source: 'learned',
            lastSoldOn: '2026-09-12',
            usualMonths: [7, 8, 9],
            note: null,
          },
        },
      });
      expect(await alphaOn28()).toEqual(['recommendation', 4000, 'skip']);
    } finally {
      await setLine('bread', { overrideQuantity: null, demandQuantiles: [] });
      await setLine('jam', { modelRung: 'test', explanation: {} });
    }
    expect(await alphaOn28()).toEqual(['recommendation', 24_000, 'go']);
  });

  it('says nothing of revenue for products without a price (not "skip": an import without prices)', async () => {
    const ids = [alpha.productIds.bread!, alpha.productIds.jam!];
    const db = h.db.app.prisma;
    const prices = await withTenant(db, owner.vendorId!, (tx) =>
      tx.product.findMany({ where: { id: { in: ids } }, select: { id: true, priceMinor: true } }),
    );
    const onList = { marketDayId: alpha.dayIds['2026-11-28'], status: 'CURRENT' as const };
    const lines = await withTenant(db, owner.vendorId!, (tx) =>
      tx.recommendationLine.findMany({
        where: { recommendation: onList },
        select: { id: true, expectedRevenueMinor: true },
      }),
    );
    const revenues = await withTenant(db, owner.vendorId!, (tx) =>
      tx.dailySales.findMany({
        where: { marketId: alpha.marketId },
        select: { id: true, revenueMinor: true },
      }),
    );
    try {
      await withTenant(db, owner.vendorId!, async (tx) => {
        await tx.product.updateMany({ where: { id: { in: ids } }, data: { priceMinor: 0 } });
        // The list as made without prices: every line's revenue 0.
        await tx.recommendationLine.updateMany({
          where: { recommendation: { marketDayId: alpha.dayIds['2026-11-28'], status: 'CURRENT' } },
          data: { expectedRevenueMinor: 0 },
        });
      });
      // The list's $0 is left out: the market's past days say what it takes.
      expect(await alphaOn28()).toEqual(['history', 18_400, 'go']);
      // Its past days had no prices either: nothing to go on, not "skip".
      await withTenant(db, owner.vendorId!, (tx) =>
        tx.dailySales.updateMany({
          where: { marketId: alpha.marketId },
          data: { revenueMinor: 0 },
        }),
      );
      expect(await alphaOn28()).toEqual(['unpriced', null, 'marginal']);
    } finally {
      await withTenant(db, owner.vendorId!, async (tx) => {
        for (const p of prices) {
          await tx.product.update({ where: { id: p.id }, data: { priceMinor: p.priceMinor } });
        }
        for (const l of lines) {
          await tx.recommendationLine.update({
            where: { id: l.id },
            data: { expectedRevenueMinor: l.expectedRevenueMinor },
          });
        }
        for (const r of revenues) {
          await tx.dailySales.update({
            where: { id: r.id },
            data: { revenueMinor: r.revenueMinor },
          });
        }
      });
    }
  });

  it('400 for days out of range; 404 foreign market; 401 anonymous', async () => {
    expect((await h.call(owner, 'GET', '/v1/insights/go-no-go?days=0')).statusCode).toBe(400);
    expect((await h.call(owner, 'GET', '/v1/insights/go-no-go?days=61')).statusCode).toBe(400);
    expect(
      (await h.call(owner, 'GET', `/v1/insights/go-no-go?marketId=${foreign.marketId}`)).statusCode,
    ).toBe(404);
    expect((await h.call(null, 'GET', '/v1/insights/go-no-go')).statusCode).toBe(401);
    const theirs = GoNoGoSchema.parse((await h.call(other, 'GET', '/v1/insights/go-no-go')).json());
    expect(theirs.data).toEqual([]);
  });

  it('names the holiday of a day most markets do not open (Thanksgiving Day), and no other', async () => {
    const holidayOwner = await h.signup({ vendorName: 'Holiday Bakery' });
    const thursday = await seedShop(h.db.app, holidayOwner.vendorId!, {
      market: {
        name: 'Thursday Market',
        schedule: [{ weekday: 3, opensAt: '15:00', closesAt: '19:00' }],
      },
      products: [
        { key: 'pie', name: 'Pie', priceMinor: 2400, unitCostMinor: 800, salvageValueMinor: 0 },
      ],
      days: [{ date: '2026-11-26' }, { date: '2026-12-03' }],
    });
    const body = GoNoGoSchema.parse(
      (
        await h.call(holidayOwner, 'GET', `/v1/insights/go-no-go?marketId=${thursday.marketId}`)
      ).json(),
    );
    expect(body.data.map((d) => [d.date, d.closingHoliday])).toEqual([
      ['2026-11-26', 'Thanksgiving Day'],
      ['2026-12-03', null],
    ]);
  });

  it('leaves out an archived market: the vendor no longer goes there', async () => {
    const created = await h.call(owner, 'POST', '/v1/markets', {
      name: 'Gamma Market',
      latitude: 41.9,
      longitude: -87.7,
      timezone: 'America/Chicago',
      countryCode: 'US',
      schedule: [{ weekday: 1, opensAt: '15:00', closesAt: '19:00' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const gammaId = created.json<{ id: string }>().id;
    const names = async (query = '') =>
      GoNoGoSchema.parse(
        (await h.call(owner, 'GET', `/v1/insights/go-no-go${query}`)).json(),
      ).data.map((d) => d.marketName);
    expect(await names()).toContain('Gamma Market');

    expect((await h.call(owner, 'DELETE', `/v1/markets/${gammaId}`)).statusCode).toBe(204);
    expect(await names()).not.toContain('Gamma Market');
    expect(await names(`?marketId=${gammaId}`)).toEqual([]);
    expect(await names()).toContain('Alpha Market');
  });
});
