import { describe, expect, it } from 'vitest';

import { matchedEffect } from './weather-effects';

const sums = (days: number, units: number) => ({ days, units });
const stratum = (rainy: [number, number], dry: [number, number]) => ({
  rainy: sums(...rainy),
  dry: sums(...dry),
});

describe('matchedEffect', () => {
  it('does not read a rainy season as rain selling more', () => {
    // Strawberries: a rainy June at 40 a day (30 on its dry days), a dry May and July at 10-12.
    const strata = [stratum([0, 0], [4, 40]), stratum([3, 90], [1, 40]), stratum([1, 8], [3, 36])];
    const pooledRainy = (90 + 8) / 4;
    const pooledDry = (40 + 40 + 36) / 8;
    expect(pooledRainy / pooledDry - 1).toBeGreaterThan(0.6);
    const rain = matchedEffect(strata, 'rainy', 'dry');
    // Expected on those 4 rainy days: 3 x 40 + 1 x 12 = 132; they sold 98.
    expect(rain).toEqual({
      days: 4,
      meanUnits: 24.5,
      otherDays: 4,
      otherMeanUnits: 33,
      effect: Math.round((98 / 132 - 1) * 10_000) / 10_000,
    });
    expect(rain.effect).toBeLessThan(0);
  });

  it('leaves out a month with one kind of weather, and says nothing without a match', () => {
    expect(matchedEffect([stratum([2, 20], [0, 0])], 'rainy', 'dry')).toEqual({
      days: 0,
      meanUnits: null,
      otherDays: 0,
      otherMeanUnits: null,
      effect: null,
    });
    // Dry days that sold nothing: no ratio to give.
    expect(matchedEffect([stratum([1, 3], [2, 0])], 'rainy', 'dry').effect).toBeNull();
    expect(matchedEffect([], 'rainy', 'dry').effect).toBeNull();
  });

  it('weights each month by its rainy days', () => {
    const rain = matchedEffect(
      [stratum([1, 5], [1, 10]), stratum([3, 60], [2, 40])],
      'rainy',
      'dry',
    );
    // Expected 1 x 10 + 3 x 20 = 70 against 65 sold.
    expect(rain.otherMeanUnits).toBe(17.5);
    expect(rain.effect).toBe(Math.round((65 / 70 - 1) * 10_000) / 10_000);
  });
});
