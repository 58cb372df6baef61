import { describe, expect, it } from 'vitest';
import {
  censoredMean,
  demandLowerBound,
  isCensored,
  normalUpperTail,
  soldOutFractionOf,
} from './censoring';

describe('censoring', () => {
  it('fills a censored value with the mean of the tail above it', () => {
    // E[Z | Z >= 0] for a standard normal is sqrt(2 / pi).
    expect(censoredMean(0, 1, 0)).toBeCloseTo(Math.sqrt(2 / Math.PI), 6);
    expect(censoredMean(2, 0.5, 1)).toBeGreaterThan(2);
    expect(censoredMean(0, 1, 50)).toBeGreaterThanOrEqual(50);
    expect(normalUpperTail(1.96)).toBeCloseTo(0.025, 4);
  });

  it('marks sell-outs as censored', () => {
    expect(isCensored({ quantity: 10, brought: 10 })).toBe(true);
    expect(isCensored({ quantity: 9, brought: 10 })).toBe(false);
    expect(isCensored({ quantity: 3, soldOut: true })).toBe(true);
    expect(isCensored({ quantity: 3 })).toBe(false);
  });

  it('reads a sell-out well before close as censored, from a time or a share of the day', () => {
    const hours = { opensAt: '08:00', closesAt: '13:00' };
    expect(soldOutFractionOf({ quantity: 20, soldOutAt: '10:30', ...hours })).toBeCloseTo(0.5, 12);
    expect(soldOutFractionOf({ quantity: 20, soldOutAt: '10:30' })).toBeUndefined();
    expect(soldOutFractionOf({ quantity: 20, soldOutFractionOfDay: 1.4 })).toBe(1);
    // Sold out at 10:30 of 08:00-13:00: half the day, censored without any `brought`.
    expect(isCensored({ quantity: 20, soldOutAt: '10:30', ...hours })).toBe(true);
    // Sold out at 12:45: the last 5% of the day is not "well before close".
    expect(isCensored({ quantity: 20, soldOutAt: '12:45', ...hours })).toBe(false);
    expect(isCensored({ quantity: 20, soldOutFractionOfDay: 0.6 })).toBe(true);
    expect(isCensored({ quantity: 20, soldOutFractionOfDay: 0.95 })).toBe(false);
  });

  it('bounds demand higher the earlier a product sold out', () => {
    expect(demandLowerBound({ quantity: 20 })).toBe(20);
    expect(demandLowerBound({ quantity: 20, brought: 20 })).toBe(20);
    expect(demandLowerBound({ quantity: 20, soldOutFractionOfDay: 0.95 })).toBe(20);
    expect(demandLowerBound({ quantity: 20, soldOutFractionOfDay: 0.5 })).toBeCloseTo(40, 12);
    expect(demandLowerBound({ quantity: 20, soldOutFractionOfDay: 0.8 })).toBeCloseTo(25, 12);
    // Floored at a quarter of the day: at most 4x what sold.
    expect(demandLowerBound({ quantity: 20, soldOutFractionOfDay: 0 })).toBeCloseTo(80, 12);
  });
});
