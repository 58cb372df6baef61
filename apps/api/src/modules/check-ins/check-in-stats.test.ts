import { describe, expect, it } from 'vitest';
import { NO_STATS, computeStatsFigures, type StatsSums } from './check-in-stats';

// Three lines on three days: 10 brought / 8 sold against 10 recommended; 10 / 9 against 6;
// a sell-out of 10 with P50 12.5 at a margin of 300 (its 2.5 missed units).
const three: StatsSums = {
  lines: 3,
  marketDays: 3,
  censored: 1,
  compared: 2,
  absoluteError: 5, // |10-8| + |6-9|
  error: -1, // 2 - 3
  brought: 30,
  sold: 27,
  wasted: 2,
  donated: 2,
  moneyLeftOnTable: 750, // 2.5 x 300
  wasteCost: 300, // 2 x 150
};

describe('computeStatsFigures', () => {
  it('is empty-safe', () => {
    expect(computeStatsFigures(NO_STATS)).toEqual({
      marketDays: 0,
      accuracyDays: 0,
      censoredDays: 0,
      meanAbsoluteError: null,
      bias: null,
      wasteRate: null,
      sellOutRate: null,
      brought: 0,
      sold: 0,
      wasted: 0,
      donated: 0,
      moneyLeftOnTableMinor: 0,
      wasteCostMinor: 0,
    });
  });

  it('averages the error over compared days and rates over lines and units', () => {
    expect(computeStatsFigures(three)).toEqual({
      marketDays: 3,
      accuracyDays: 2,
      censoredDays: 1,
      meanAbsoluteError: 2.5,
      bias: -0.5,
      sellOutRate: 0.3333,
      wasteRate: 0.0667, // 2 / 30
      brought: 30,
      sold: 27,
      wasted: 2,
      donated: 2,
      moneyLeftOnTableMinor: 750,
      wasteCostMinor: 300,
    });
  });

  it('has no error figures without a compared day and rounds money once', () => {
    const figures = computeStatsFigures({
      ...three,
      compared: 0,
      absoluteError: 0,
      error: 0,
      brought: 0,
      moneyLeftOnTable: 12.5,
      wasteCost: 0.4999,
      sold: 1.23456,
    });
    expect(figures).toMatchObject({
      accuracyDays: 0,
      meanAbsoluteError: null,
      bias: null,
      wasteRate: null,
      sold: 1.235,
      moneyLeftOnTableMinor: 13,
      wasteCostMinor: 0,
    });
  });
});
