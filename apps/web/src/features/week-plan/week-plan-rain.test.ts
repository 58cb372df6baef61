import type { WeekPlanDay } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';
import { formatMoneyChange, formatRainForecast, rainPlanNote } from './week-plan-rain';

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

const rain = {
  precipProb: 0.6,
  precipMm: 4,
  prepQuantity: 18,
  make: 18,
  bring: 18,
  expectedSold: 15,
  expectedRevenueMinor: 12000,
  expectedProfitMinor: 7500,
  revenueDifferenceMinor: -4000,
  profitDifferenceMinor: -2500,
  planProfitIfRainMinor: 6000,
};

const loaf = { unit: 'loaf', priced: true, costed: true };

describe('rainPlanNote', () => {
  it('says nothing without rain', () => {
    expect(rainPlanNote(day, loaf)).toBeNull();
  });

  it('names what to bring if it rains and what it does to the money', () => {
    expect(rainPlanNote({ ...day, rain }, loaf)).toBe(
      'If it rains: bring 18 loaves instead of 24; takings −$40.00, profit −$25.00 (−$40.00 if you bring 24 anyway).',
    );
  });

  it('says when the rain changes only the money', () => {
    expect(rainPlanNote({ ...day, rain: { ...rain, bring: 24, make: 24 } }, loaf)).toBe(
      'If it rains: bring the same 24; takings −$40.00, profit −$25.00.',
    );
  });

  it('leaves the money out for a product without a price (not "takings ±$0.00")', () => {
    const unpriced = {
      ...day,
      expectedRevenueMinor: 0,
      expectedProfitMinor: -7200,
      rain: { ...rain, revenueDifferenceMinor: 0, profitDifferenceMinor: 1800 },
    };
    expect(rainPlanNote(unpriced, { unit: 'loaf', priced: false, costed: true })).toBe(
      'If it rains: bring 18 loaves instead of 24.',
    );
  });

  it('says the takings only for a product without a cost (its profit would count it as free)', () => {
    expect(rainPlanNote({ ...day, rain }, { ...loaf, costed: false })).toBe(
      'If it rains: bring 18 loaves instead of 24; takings −$40.00.',
    );
  });

  it("goes by the product's price, not by a revenue of 0: a priced product keeps its money", () => {
    const nothingSold = {
      ...day,
      expectedSold: 0,
      expectedRevenueMinor: 0,
      rain: { ...rain, revenueDifferenceMinor: 0, profitDifferenceMinor: 1800 },
    };
    expect(rainPlanNote(nothingSold, loaf)).toBe(
      'If it rains: bring 18 loaves instead of 24; takings ±$0.00, profit +$18.00 (−$40.00 if you bring 24 anyway).',
    );
  });
});

describe('formatRainForecast / formatMoneyChange', () => {
  it('reads as the forecast says', () => {
    expect(formatRainForecast({ precipProb: 0.6, precipMm: 4 })).toBe('60% chance of rain, 4 mm');
    expect(formatRainForecast({ precipProb: null, precipMm: 3 })).toBe('rain, 3 mm');
    expect(formatRainForecast({ precipProb: 0.35, precipMm: 0 })).toBe('35% chance of rain');
    expect(formatMoneyChange(1250)).toBe('+$12.50');
    expect(formatMoneyChange(-5)).toBe('−$0.05');
    expect(formatMoneyChange(0)).toBe('±$0.00');
  });
});
