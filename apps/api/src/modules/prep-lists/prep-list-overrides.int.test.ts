import { GoNoGoSchema, PrepListSchema, type PrepList } from '@marketprep/contracts';
import { PrepListsRepository, withTenant, type NewPrepListLine } from '@marketprep/db';
import { QUANTILE_LEVELS } from '@marketprep/forecast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { getPrepList, weeksBefore } from './prep-list-test-helpers';
import { seedShop, type Shop } from '../check-ins/check-ins.fixtures';

// Issue 13, item 6: the quantity the vendor will bring moves the line's expected sales and
// revenue, the list's totals and the go/no-go view; out-of-season products left at home move none.

// Sunday 2026-11-22, 14:00 in Chicago; the next market day is Saturday 2026-11-28.
const NOW = new Date('2026-11-22T20:00:00Z');
const DATE = '2026-11-28';
const PRICES = { bread: 800, jam: 600, berries: 500 };

let h: Harness;
let owner: Agent;
let shop: Shop;
let url: string;

/** Twenty Saturdays of history before the market day. */
const pastSaturdays = () => weeksBefore(DATE, 20);

const getList = () => getPrepList(h, owner, url);

async function override(productId: string, overrideQuantity: number | null): Promise<PrepList> {
  const response = await h.call(owner, 'PATCH', `${url}/lines/${productId}`, { overrideQuantity });
  expect(response.statusCode, response.body).toBe(200);
  return PrepListSchema.parse(response.json());
}

/** The go/no-go view's expected revenue of the market day. */
async function goNoGoRevenue(): Promise<{ basis: string; expected: number | null }> {
  const response = await h.call(owner, 'GET', `/v1/insights/go-no-go?marketId=${shop.marketId}`);
  expect(response.statusCode, response.body).toBe(200);
  const day = GoNoGoSchema.parse(response.json()).data.find((d) => d.date === DATE);
  expect(day).toBeDefined();
  return { basis: day!.basis, expected: day!.expectedRevenueMinor };
}

const lineOf = (list: PrepList, productId: string) => {
  const line = list.lines.find((l) => l.productId === productId);
  expect(line).toBeDefined();
  return line!;
};

/** What a list's totals must be: the lines in season or set by hand. */
function expectedTotals(list: PrepList): PrepList['totals'] {
  const counted = list.lines.filter(
    (l) =>
      (l.modelRung !== 'out-of-season' && l.availability.inSeason) || l.overrideQuantity !== null,
  );
  return {
    effectiveQuantity: counted.reduce((sum, l) => sum + l.effectiveQuantity, 0),
    expectedRevenueMinor: counted.reduce((sum, l) => sum + l.expectedRevenueMinor, 0),
  };
}

beforeAll(async () => {
  h = await createHarness({ now: () => NOW });
  owner = await h.signup({ vendorName: 'Override Bakery' });
  shop = await seedShop(h.db.app, owner.vendorId!, {
    market: {
      name: 'Override Market',
      boothFeeMinor: 5000,
      schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
    },
    products: [
      {
        key: 'bread',
        name: 'Bread',
        priceMinor: PRICES.bread,
        unitCostMinor: 300,
        salvageValueMinor: 100,
      },
      {
        key: 'jam',
        name: 'Jam',
        priceMinor: PRICES.jam,
        unitCostMinor: 200,
        salvageValueMinor: 200,
      },
      {
        key: 'berries',
        name: 'Berries',
        priceMinor: PRICES.berries,
        unitCostMinor: 200,
        salvageValueMinor: 0,
      },
    ],
    days: [
      ...pastSaturdays().map((date, i) => ({
        date,
        sales: [
          {
            key: 'bread',
            quantity: 20 + (i % 5) * 2,
            revenueMinor: (20 + (i % 5) * 2) * PRICES.bread,
          },
          { key: 'jam', quantity: 6 + (i % 3), revenueMinor: (6 + (i % 3)) * PRICES.jam },
          { key: 'berries', quantity: 10 + (i % 4), revenueMinor: (10 + (i % 4)) * PRICES.berries },
        ],
      })),
      { date: DATE },
    ],
  });
  url = `/v1/markets/${shop.marketId}/prep-lists/${DATE}`;
}, 180_000);
afterAll(() => h.close());

describe('overrides move the numbers', () => {
  it("moves a line's expected sales and revenue, the totals and go/no-go, and back", async () => {
    const before = await getList();
    expect(before.totals).toEqual(expectedTotals(before));
    expect(before.totals.expectedRevenueMinor).toBeGreaterThan(0);
    expect(await goNoGoRevenue()).toEqual({
      basis: 'recommendation',
      expected: before.totals.expectedRevenueMinor,
    });
    const bread = lineOf(before, shop.productIds.bread!);
    expect(bread.expectedSold).toBeGreaterThan(0);

    // Bring more: more expected sales (never more than brought), revenue = expected x price.
    const more = bread.recommendedQuantity + 15;
    const raised = await override(bread.productId, more);
    const up = lineOf(raised, bread.productId);
    expect(up.effectiveQuantity).toBe(more);
    expect(up.expectedSold).toBeGreaterThan(bread.expectedSold);
    expect(up.expectedSold).toBeLessThanOrEqual(more);
    expect(Math.abs(up.expectedRevenueMinor - up.expectedSold * PRICES.bread)).toBeLessThanOrEqual(
      1,
    );
    expect(raised.totals).toEqual(expectedTotals(raised));
    expect(raised.totals.effectiveQuantity).toBe(before.totals.effectiveQuantity + 15);
    expect(raised.totals.expectedRevenueMinor).toBe(
      before.totals.expectedRevenueMinor - bread.expectedRevenueMinor + up.expectedRevenueMinor,
    );
    // The stored list (read fast path) says the same, and go/no-go follows it.
    const reread = await getList();
    expect(reread.lines).toEqual(raised.lines);
    expect(reread.totals).toEqual(raised.totals);
    expect((await goNoGoRevenue()).expected).toBe(raised.totals.expectedRevenueMinor);

    // Bring fewer: fewer expected sales, capped at the quantity.
    const lowered = lineOf(await override(bread.productId, 3), bread.productId);
    expect(lowered.expectedSold).toBeLessThanOrEqual(3);
    expect(lowered.expectedSold).toBeGreaterThan(2.5);

    // Bring none: the line's revenue leaves the totals and go/no-go.
    const none = await override(bread.productId, 0);
    expect(lineOf(none, bread.productId)).toMatchObject({
      effectiveQuantity: 0,
      expectedSold: 0,
      expectedRevenueMinor: 0,
    });
    expect(none.totals.expectedRevenueMinor).toBe(
      before.totals.expectedRevenueMinor - bread.expectedRevenueMinor,
    );
    expect((await goNoGoRevenue()).expected).toBe(none.totals.expectedRevenueMinor);

    // Cleared: the engine's own numbers again.
    const cleared = await override(bread.productId, null);
    expect(lineOf(cleared, bread.productId)).toEqual(bread);
    expect(cleared.totals).toEqual(before.totals);
    expect((await getList()).totals).toEqual(before.totals);
    expect((await goNoGoRevenue()).expected).toBe(before.totals.expectedRevenueMinor);
  });

  it('uses the stored distribution, leaves out-of-season products out, and says when it is a guess', async () => {
    const current = await getList();
    // Store a list as the engine will (availability, distribution, rungs) under the same inputs,
    // so it is the CURRENT list the read serves.
    const row = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      tx.recommendation.findUniqueOrThrow({
        where: { id: current.id },
        select: { inputsHash: true, modelVersionId: true, generatedAt: true },
      }),
    );
    const always = (units: number) => QUANTILE_LEVELS.map(() => units);
    const inSeason = {
      inSeason: true,
      source: 'learned',
      lastSoldOn: '2026-11-21',
      usualMonths: [5, 6, 7, 8, 9, 10, 11],
      note: null,
    };
    const line = (over: Partial<NewPrepListLine>): NewPrepListLine => ({
      productId: shop.productIds.bread!,
      q10: 8,
      q50: 10,
      q90: 12,
      criticalRatio: 0.5,
      qCritical: 10,
      quantity: 10,
      expectedSold: 10,
      expectedRevenueMinor: 10 * PRICES.bread,
      modelRung: 'cold-start',
      dataSufficiency: 'none',
      demandQuantiles: always(10),
      explanation: {
        baseline: 10,
        baselineSupport: 0,
        basis: 'your sales at Riverside, scaled x0.5',
        effects: [{ name: 'holiday', units: 0, percent: 0, support: 0, label: 'Christmas week' }],
        summary: 'Typical day 10',
        availability: inSeason,
      },
      ...over,
    });
    const lines: NewPrepListLine[] = [
      line({}),
      line({
        productId: shop.productIds.jam!,
        expectedRevenueMinor: 10 * PRICES.jam,
        // Deciles that disagree with the distribution: the distribution is what counts.
        q10: 1,
        q50: 2,
        q90: 3,
      }),
      line({
        productId: shop.productIds.berries!,
        q10: 0,
        q50: 0,
        q90: 0,
        qCritical: 0,
        quantity: 0,
        expectedSold: 0,
        expectedRevenueMinor: 0,
        modelRung: 'out-of-season',
        // What the product would sell in season, for an override.
        demandQuantiles: always(8),
        explanation: {
          baseline: 0,
          baselineSupport: 0,
          effects: [],
          summary: 'Not in season',
          availability: {
            inSeason: false,
            source: 'learned',
            lastSoldOn: '2026-09-14',
            usualMonths: [7, 8, 9],
            note: 'Not in season: last sold Sep 14; usually Jul-Sep',
          },
        },
      }),
    ];
    await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      new PrepListsRepository(tx).saveCurrent({
        vendorId: owner.vendorId!,
        marketId: shop.marketId,
        marketDayId: current.marketDayId,
        modelVersionId: row.modelVersionId,
        trigger: 'test',
        inputsHash: row.inputsHash,
        generatedAt: row.generatedAt,
        salesAsOf: current.salesAsOf ? new Date(current.salesAsOf) : null,
        weatherAsOf: null,
        eventsAsOf: null,
        force: true,
        lines,
      }),
    );

    const list = await getList();
    expect(list.trigger).toBe('test');
    const berries = lineOf(list, shop.productIds.berries!);
    expect(berries).toMatchObject({
      modelRung: 'out-of-season',
      effectiveQuantity: 0,
      expectedRevenueMinor: 0,
      availability: { inSeason: false, note: 'Not in season: last sold Sep 14; usually Jul-Sep' },
    });
    // The explanation is the contract's (availability is not repeated in it), labels kept.
    expect(Object.keys(berries.explanation)).not.toContain('availability');
    expect(lineOf(list, shop.productIds.bread!).explanation.effects[0]?.label).toBe(
      'Christmas week',
    );
    expect(list.totals).toEqual({
      effectiveQuantity: 20,
      expectedRevenueMinor: 10 * PRICES.bread + 10 * PRICES.jam,
    });
    // Every in-season line is a cold start: the list says so, with where the guess comes from.
    expect(list.coldStart?.note).toContain('your sales at Riverside, scaled x0.5');
    expect((await goNoGoRevenue()).expected).toBe(list.totals.expectedRevenueMinor);

    // The override's expected sales come from the stored distribution (demand always 10).
    const jam = lineOf(await override(shop.productIds.jam!, 4), shop.productIds.jam!);
    expect(jam).toMatchObject({ expectedSold: 4, expectedRevenueMinor: 4 * PRICES.jam });
    const jamPlenty = lineOf(await override(shop.productIds.jam!, 30), shop.productIds.jam!);
    expect(jamPlenty).toMatchObject({ expectedSold: 10, expectedRevenueMinor: 10 * PRICES.jam });
    await override(shop.productIds.jam!, null);

    // Out of season, brought anyway: it counts, at what it would sell (always 8).
    const brought = await override(shop.productIds.berries!, 5);
    expect(lineOf(brought, shop.productIds.berries!)).toMatchObject({
      effectiveQuantity: 5,
      expectedSold: 5,
      expectedRevenueMinor: 5 * PRICES.berries,
    });
    expect(brought.totals).toEqual({
      effectiveQuantity: 25,
      expectedRevenueMinor: 10 * PRICES.bread + 10 * PRICES.jam + 5 * PRICES.berries,
    });
    expect((await getList()).totals).toEqual(brought.totals);
    expect((await goNoGoRevenue()).expected).toBe(brought.totals.expectedRevenueMinor);

    const home = await override(shop.productIds.berries!, null);
    expect(home.totals).toEqual(list.totals);
    expect((await goNoGoRevenue()).expected).toBe(list.totals.expectedRevenueMinor);

    // The CSV keeps it, marked; the PDF is a packing sheet without it (see prep-list-export.test).
    const csv = await h.call(owner, 'GET', `${url}/export.csv`);
    expect(csv.statusCode).toBe(200);
    const berriesRow = csv.body.split('\r\n').find((r) => r.startsWith(shop.productIds.berries!));
    expect(berriesRow).toMatch(/,false,Not in season: last sold Sep 14; usually Jul-Sep$/);
  });
});
