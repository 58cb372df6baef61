import { describe, expect, it } from 'vitest';
import { censoredMean, isCensored, normalUpperTail } from './censoring';

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
});
