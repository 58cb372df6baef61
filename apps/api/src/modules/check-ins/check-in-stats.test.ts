import { describe, expect, it } from 'vitest';
import { computeStatsFigures, type StatsObservation } from './check-in-stats';

const base: StatsObservation = {
  marketDayId: 'd1',
  brought: 10,
  sold: 8,
  wasted: 1,
  donated: 1,
  soldOut: false,
  recommended: 10,
  q50: 9,
  priceMinor: 500,
  unitCostMinor: 200,
  salvageValueMinor: 50,
};

describe('computeStatsFigures', () => {
  it('is empty-safe', () => {
    expect(computeStatsFigures([])).toMatchObject({
      marketDays: 0,
      meanAbsoluteError: null,
      bias: null,
      wasteRate: null,
      sellOutRate: null,
      moneyLeftOnTableMinor: 0,
    });
  });

  it('leaves censored days out of the error and prices the missed units', () => {
    const figures = computeStatsFigures([
      base,
      { ...base, marketDayId: 'd2', recommended: 6, sold: 9 },
      { ...base, marketDayId: 'd3', soldOut: true, sold: 10, wasted: 0, q50: 12.5 },
    ]);
    expect(figures).toMatchObject({
      marketDays: 3,
      accuracyDays: 2,
      censoredDays: 1,
      meanAbsoluteError: 2.5, // |10-8| and |6-9|
      bias: -0.5,
      sellOutRate: 0.3333,
      wasteRate: 0.0667, // 2 / 30
      moneyLeftOnTableMinor: 750, // 2.5 x 300
      wasteCostMinor: 300, // 2 x 150
    });
  });

  it('never counts a negative margin or salvage above cost as money', () => {
    const figures = computeStatsFigures([
      { ...base, soldOut: true, q50: 20, unitCostMinor: 600, salvageValueMinor: 700 },
    ]);
    expect(figures.moneyLeftOnTableMinor).toBe(0);
    expect(figures.wasteCostMinor).toBe(0);
  });
});
