import type { WeekPlan } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';
import { weekPlanCsv } from './week-plan-csv';

const day = {
  marketDayId: '00000000-0000-4000-8000-000000000001',
  marketId: '00000000-0000-4000-8000-000000000002',
  marketName: 'Riverside, North',
  date: '2026-12-12',
  deadlineAt: '2026-12-12T02:00:00.000Z',
  frozen: false,
  frozenAt: null,
  prepQuantity: 40,
  preOrders: 5,
  standingMinimum: 0,
  carriedOver: 3,
  carriedExpected: 0,
  makeUncapped: 48,
  make: 36,
  cut: 12,
  bring: 39,
  preOrdersShort: 0,
  expectedSold: 35.5,
  expectedRevenueMinor: 28400,
  expectedLeftover: 3.5,
  expectedProfitMinor: 19000,
  cutProfitMinor: 900,
  rain: null,
};

const plan: WeekPlan = {
  from: '2026-12-07',
  to: '2026-12-13',
  generatedAt: '2026-12-06T00:00:00.000Z',
  marketDays: [],
  products: [
    {
      productId: '00000000-0000-4000-8000-000000000003',
      productName: '=Sourdough "big"',
      unit: 'loaf',
      batchSize: 12,
      capacity: { units: 60, period: 'week' },
      totalMake: 36,
      totalCut: 12,
      carriedOverUnused: 0,
      capacityBound: true,
      priced: true,
      costed: true,
      cutNote: 'x',
      days: [
        day,
        {
          ...day,
          marketDayId: '00000000-0000-4000-8000-000000000004',
          date: '2026-12-13',
          carriedExpected: 2,
          rain: {
            precipProb: 0.6,
            precipMm: 4,
            prepQuantity: 30,
            make: 24,
            bring: 27,
            expectedSold: 25,
            expectedRevenueMinor: 20000,
            expectedProfitMinor: 16450,
            revenueDifferenceMinor: -8400,
            profitDifferenceMinor: -2550,
            planProfitIfRainMinor: 15000,
          },
        },
      ],
    },
  ],
  totals: { make: 36, bring: 39, expectedRevenueMinor: 28400, expectedProfitMinor: 19000 },
};

describe('weekPlanCsv', () => {
  it('writes one row per product and market day, quoting and neutralising formulas', () => {
    expect(weekPlanCsv(plan).split('\r\n')).toEqual([
      'product,unit,market,date,decide_by,make,carried_over,carried_over_expected,pre_orders,bring,cut,frozen,if_rain_bring,if_rain_profit_change',
      `"'=Sourdough ""big""",loaf,"Riverside, North",2026-12-12,2026-12-12T02:00:00.000Z,36,3,0,5,39,12,false,,`,
      `"'=Sourdough ""big""",loaf,"Riverside, North",2026-12-13,2026-12-12T02:00:00.000Z,36,3,2,5,39,12,false,27,-25.5`,
      '',
    ]);
  });

  it('leaves the rain profit change of a product without a price empty (unknown), not a number', () => {
    const [product] = plan.products;
    const rows = weekPlanCsv({ ...plan, products: [{ ...product!, priced: false }] }).split('\r\n');
    expect(rows[2]).toMatch(/,false,27,$/);
  });
});
