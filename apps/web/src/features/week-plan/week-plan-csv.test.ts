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
      cutNote: 'x',
      days: [day],
    },
  ],
  totals: { make: 36, bring: 39, expectedRevenueMinor: 28400, expectedProfitMinor: 19000 },
};

describe('weekPlanCsv', () => {
  it('writes one row per product and market day, quoting and neutralising formulas', () => {
    expect(weekPlanCsv(plan).split('\r\n')).toEqual([
      'product,unit,market,date,decide_by,make,carried_over,pre_orders,bring,cut,frozen',
      `"'=Sourdough ""big""",loaf,"Riverside, North",2026-12-12,2026-12-12T02:00:00.000Z,36,3,5,39,12,false`,
      '',
    ]);
  });
});
