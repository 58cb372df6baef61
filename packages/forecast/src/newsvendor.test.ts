import { describe, expect, it } from 'vitest';
import {
  clampCriticalRatio,
  computeCriticalRatio,
  DEFAULT_CRITICAL_RATIO,
  expectedSales,
  recommendQuantity,
  typicalCriticalRatio,
} from './newsvendor';

describe('newsvendor', () => {
  it('computes the critical ratio (price - cost) / (price - salvage)', () => {
    expect(computeCriticalRatio({ price: 10, unitCost: 3, salvageValue: 0 })).toBeCloseTo(0.7, 12);
    expect(computeCriticalRatio({ price: 10, unitCost: 6, salvageValue: 2 })).toBeCloseTo(0.5, 12);
  });

  it('clamps to [0.05, 0.95] and defaults when economics are missing or nonsense', () => {
    expect(computeCriticalRatio({ price: 10, unitCost: 0 })).toBe(0.95);
    expect(computeCriticalRatio({ price: 10, unitCost: 12 })).toBe(0.05);
    expect(computeCriticalRatio({ price: 5, unitCost: 1, salvageValue: 5 })).toBe(
      DEFAULT_CRITICAL_RATIO,
    );
    expect(computeCriticalRatio({})).toBe(DEFAULT_CRITICAL_RATIO);
    expect(clampCriticalRatio(Number.NaN)).toBe(DEFAULT_CRITICAL_RATIO);
  });

  it("packs a product without a price or cost at the median of the vendor's known ratios", () => {
    const known = [
      { price: 10, unitCost: 3 }, // 0.7
      { price: 10, unitCost: 2 }, // 0.8
      { price: 10, unitCost: 1 }, // 0.9
    ];
    expect(typicalCriticalRatio([...known, { price: 10 }, {}])).toBeCloseTo(0.8, 12);
    expect(typicalCriticalRatio([{ price: 10 }, {}])).toBe(DEFAULT_CRITICAL_RATIO);
    expect(typicalCriticalRatio([])).toBe(DEFAULT_CRITICAL_RATIO);
  });

  it('rounds the critical quantile up to a non-negative whole quantity', () => {
    expect(recommendQuantity(12.2)).toBe(13);
    expect(recommendQuantity(12)).toBe(12);
    expect(recommendQuantity(12.0000000001)).toBe(12);
    expect(recommendQuantity(-3)).toBe(0);
    expect(recommendQuantity(Number.NaN)).toBe(0);
  });

  it('expects E[min(D, q)] sold', () => {
    // Uniform demand on [0, 10]: E[min(D, 5)] = 5 - 25 / 20 = 3.75.
    const uniform = (level: number): number => 10 * level;
    expect(expectedSales(uniform, 5)).toBeCloseTo(3.75, 3);
    expect(expectedSales(uniform, 0)).toBe(0);
    expect(expectedSales(uniform, 100)).toBeCloseTo(5, 3);
  });
});
