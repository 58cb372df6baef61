import type { WeekPlanDay, WeekPlanProduct } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import { weekRevenueWords } from './week-plan-revenue';

const day: WeekPlanDay = {
  marketDayId: '00000000-0000-4000-8000-000000000001',
  marketId: '00000000-0000-4000-8000-000000000002',
  marketName: 'Riverside',
  date: '2026-07-11',
  deadlineAt: '2026-07-11T01:00:00.000Z',
  frozen: false,
  frozenAt: null,
  prepQuantity: 24,
  preOrders: 0,
  standingMinimum: 0,
  carriedOver: 0,
  carriedExpected: 0,
  makeUncapped: 24,
  make: 24,
  cut: 0,
  bring: 24,
  preOrdersShort: 0,
  expectedSold: 20,
  expectedRevenueMinor: 16000,
  expectedLeftover: 4,
  expectedProfitMinor: 10000,
  cutProfitMinor: 0,
  rain: null,
};

/** A day with nothing to make or bring (out of season). */
const idle: WeekPlanDay = {
  ...day,
  prepQuantity: 0,
  makeUncapped: 0,
  make: 0,
  bring: 0,
  expectedSold: 0,
  expectedRevenueMinor: 0,
  expectedLeftover: 0,
  expectedProfitMinor: 0,
};

function product(name: string, priced: boolean, days: WeekPlanDay[]): WeekPlanProduct {
  return {
    productId: name,
    productName: name,
    unit: 'loaf',
    batchSize: 1,
    capacity: null,
    totalMake: days.reduce((sum, d) => sum + d.make, 0),
    totalCut: 0,
    carriedOverUnused: 0,
    capacityBound: false,
    priced,
    costed: true,
    cutNote: null,
    days,
  };
}

const unpricedDay = { ...day, expectedRevenueMinor: 0 };
const planOf = (products: WeekPlanProduct[], expectedRevenueMinor: number) => ({
  products,
  totals: { make: 48, bring: 48, expectedRevenueMinor, expectedProfitMinor: 0 },
});

describe('weekRevenueWords', () => {
  it('is the money when every planned product has a price', () => {
    expect(weekRevenueWords(planOf([product('Bread', true, [day])], 16000))).toBe('$160.00');
    // An empty week earns a real $0.00.
    expect(weekRevenueWords(planOf([], 0))).toBe('$0.00');
  });

  it('is null ("no prices yet") when no planned product has a price', () => {
    expect(
      weekRevenueWords(
        planOf([product('Jam', false, [unpricedDay]), product('Honey', false, [unpricedDay])], 0),
      ),
    ).toBeNull();
    // A priced product with nothing to do all week is not what the total adds up.
    expect(
      weekRevenueWords(
        planOf([product('Jam', false, [unpricedDay]), product('Berries', true, [idle])], 0),
      ),
    ).toBeNull();
  });

  it('counts the planned products without a price when only some have one', () => {
    expect(
      weekRevenueWords(
        planOf([product('Bread', true, [day]), product('Jam', false, [unpricedDay])], 16000),
      ),
    ).toBe('$160.00 (1 product has no price yet)');
  });

  it("goes by the products' flags, not a total of 0", () => {
    // Priced products the week expects to sell nothing of: $0.00 is the honest figure.
    const nothing = { ...day, expectedSold: 0, expectedRevenueMinor: 0 };
    expect(weekRevenueWords(planOf([product('Bread', true, [nothing])], 0))).toBe('$0.00');
  });
});
