import { describe, expect, it } from 'vitest';

import { summarizeBacktestAccuracy, type BacktestOutcome } from './backtest-accuracy';

const outcome = (over: Partial<BacktestOutcome>): BacktestOutcome => ({
  market: 'm1',
  date: '2026-11-07',
  actual: 10,
  q10: 6,
  q50: 10,
  q90: 14,
  censored: false,
  ...over,
});

describe('summarizeBacktestAccuracy', () => {
  it('averages the miss of the most likely number, leaving sell-outs out of the error', () => {
    const figures = summarizeBacktestAccuracy([
      outcome({ actual: 8, q50: 10 }), // +2, inside the range
      outcome({ actual: 16, q50: 12, date: '2026-11-14' }), // -4, above P90
      outcome({ actual: 5, q50: 9, censored: true, date: '2026-11-21' }), // sold out: not an error
    ]).get('m1');
    expect(figures).toEqual({
      marketDays: 3,
      accuracyDays: 2,
      censoredDays: 1,
      meanAbsoluteError: 3,
      bias: -1,
      rangeCoverage: 0.5,
    });
  });

  it('counts market days once across products and keeps markets apart', () => {
    const figures = summarizeBacktestAccuracy([
      outcome({ actual: 3, q50: 4 }),
      outcome({ actual: 1, q50: 2 }),
      outcome({ market: 'm2', actual: 7, q50: 4, q90: 6 }),
    ]);
    expect(figures.get('m1')).toMatchObject({ marketDays: 1, accuracyDays: 2, bias: 1 });
    expect(figures.get('m2')).toMatchObject({
      marketDays: 1,
      meanAbsoluteError: 3,
      bias: -3,
      rangeCoverage: 0,
    });
  });

  it('gives no error when every day sold out, and nothing for markets without outcomes', () => {
    const figures = summarizeBacktestAccuracy([outcome({ censored: true })]);
    expect(figures.get('m1')).toMatchObject({
      accuracyDays: 0,
      censoredDays: 1,
      meanAbsoluteError: null,
      bias: null,
      rangeCoverage: null,
    });
    expect(summarizeBacktestAccuracy([]).size).toBe(0);
  });
});
