import { describe, expect, it } from 'vitest';
import { median, sampleQuantiles } from './empirical-quantile';
import { interpolateQuantile, QUANTILE_LEVELS } from './quantile-grid';

describe('quantiles', () => {
  it('interpolates between order statistics (type 7)', () => {
    expect(sampleQuantiles([4, 1, 3, 2], [0, 0.5, 1])).toEqual([1, 2.5, 4]);
    expect(sampleQuantiles([1, 2, 3, 4, 5, 6, 7, 8], [0.1])[0]).toBeCloseTo(1.7, 12);
    expect(median([5])).toBe(5);
  });

  it('reads a stored distribution at any level, flat beyond the grid', () => {
    const values = QUANTILE_LEVELS.map((level) => level * 100);
    expect(interpolateQuantile(values, 0.5)).toBeCloseTo(50, 10);
    expect(interpolateQuantile(values, 0.725)).toBeCloseTo(72.5, 10);
    expect(interpolateQuantile(values, 0.001)).toBeCloseTo(2, 10);
    expect(interpolateQuantile(values, 0.999)).toBeCloseTo(98, 10);
  });
});
