import { describe, expect, it } from 'vitest';
import { summarizeMonthChanges, type MonthListLine, type MonthSale } from './month-changes';

const M = 'market';
const DAY5 = 'day-dec-5';
const DAY12 = 'day-dec-12';
const DAY19 = 'day-dec-19';
const products = [
  // Bread: a leftover loses 200, a missed sale 300 (critical ratio 0.6).
  { id: 'bread', name: 'Bread', priceMinor: 500, unitCostMinor: 200, salvageValueMinor: 0 },
  // Scones: a leftover loses 100 - 50 = 50, a missed sale 200.
  { id: 'scones', name: 'Scones', priceMinor: 300, unitCostMinor: 100, salvageValueMinor: 50 },
  { id: 'jam', name: 'Jam', priceMinor: null, unitCostMinor: 150, salvageValueMinor: null },
];
const line = (
  marketDayId: string,
  date: string,
  productId: string,
  quantity: number,
  q: [number, number, number] = [quantity - 2, quantity, quantity + 2],
): MonthListLine => ({
  marketDayId,
  marketId: M,
  date,
  productId,
  quantity,
  q10: q[0],
  q50: q[1],
  q90: q[2],
});
// Four November Saturdays of 12 breads and 20 scones: the rule of thumb says 12 and 20.
const november: MonthSale[] = ['2026-11-07', '2026-11-14', '2026-11-21', '2026-11-28'].flatMap(
  (date) => [
    { marketId: M, productId: 'bread', date, quantity: 12 },
    { marketId: M, productId: 'scones', date, quantity: 20 },
  ],
);

describe('summarizeMonthChanges', () => {
  it('scores a small December by hand: check-in days against brought, others against the rule', () => {
    const summary = summarizeMonthChanges({
      lines: [
        line(DAY5, '2026-12-05', 'bread', 14),
        line(DAY5, '2026-12-05', 'scones', 24, [18, 22, 26]),
        line(DAY5, '2026-12-05', 'jam', 5),
        line(DAY12, '2026-12-12', 'bread', 10),
        // A list without an outcome yet (next Saturday): not counted.
        line(DAY19, '2026-12-19', 'bread', 12),
      ],
      checkIns: [
        // Brought 15 breads, sold 12: 3 left where the list's 14 would have left 2.
        {
          marketDayId: DAY5,
          productId: 'bread',
          brought: 15,
          sold: 12,
          leftOver: 3,
          soldOut: false,
        },
        // Brought 20 scones and sold out: demand at least 20.
        {
          marketDayId: DAY5,
          productId: 'scones',
          brought: 20,
          sold: 20,
          leftOver: 0,
          soldOut: true,
        },
      ],
      sales: [
        ...november,
        { marketId: M, productId: 'bread', date: '2026-12-05', quantity: 12 },
        { marketId: M, productId: 'scones', date: '2026-12-05', quantity: 20 },
        // Dec 12, no check-in: 9 breads sold (the list said 10, the rule 12).
        { marketId: M, productId: 'bread', date: '2026-12-12', quantity: 9 },
      ],
      products,
    });
    // Bread Dec 5 vs brought: waste 3 x 200 - 2 x 200 = 200 avoided, net 200 at any demand.
    // Scones Dec 5 vs brought 20: demand >= 20, best guess E[D | D >= 20] of N(22, 8/2.5631)
    // = 23.372: the list's 24 leaves 0.628 (-31.4 of waste), recovers 3.372 x 200 = 674.4;
    // net -200 at demand 20 (4 left x 50), 800 at 24 and at the P90 26.
    // Bread Dec 12 vs the rule's 12: 3 left vs 1 left = 400 of waste avoided.
    expect(summary).toEqual({
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
      productsLeftOut: ['Jam'],
    });
  });

  it('leaves out a product whose cost is not entered (0), as the list packs it without one', () => {
    const summary = summarizeMonthChanges({
      lines: [line(DAY12, '2026-12-12', 'honey', 6), line(DAY12, '2026-12-12', 'bread', 10)],
      checkIns: [],
      sales: [
        ...november,
        { marketId: M, productId: 'honey', date: '2026-12-12', quantity: 4 },
        { marketId: M, productId: 'bread', date: '2026-12-12', quantity: 8 },
      ],
      products: [
        ...products,
        { id: 'honey', name: 'Honey', priceMinor: 1200, unitCostMinor: 0, salvageValueMinor: 0 },
      ],
    });
    expect(summary.productsLeftOut).toEqual(['Honey']);
    expect(summary.total.productDays).toBe(1);
  });

  it('without a check-in, selling all the list said is a sell-out, never a waste saved', () => {
    const summary = summarizeMonthChanges({
      lines: [line(DAY12, '2026-12-12', 'bread', 10)],
      checkIns: [],
      sales: [...november, { marketId: M, productId: 'bread', date: '2026-12-12', quantity: 10 }],
      products,
    });
    // Read as exact demand, 10 sold would credit the list with the rule's 2 leftovers (400);
    // as a sell-out the rule's 12 may well have sold: the low end is the 400 and the high end
    // a loss of 2 x 300 missed.
    expect(summary.soldOutProductDays).toBe(1);
    expect(summary.vsRuleOnly.netHighMinor).toBe(400);
    expect(summary.vsRuleOnly.netLowMinor).toBe(-600);
    expect(summary.vsRuleOnly.netMinor).toBeLessThan(400);
    expect(summary.vsBrought.productDays).toBe(0);
  });
});
