import { describe, expect, it } from 'vitest';
import { ruleOfThumbForecast } from './rule-of-thumb';
import { pinballLoss, scoreBacktest, seriesScale } from './scoring';

describe('scoring', () => {
  it('computes pinball loss on both sides', () => {
    expect(pinballLoss(0.9, 10, 14)).toBeCloseTo(3.6, 12);
    expect(pinballLoss(0.9, 10, 6)).toBeCloseTo(0.4, 12);
    expect(pinballLoss(0.5, 10, 10)).toBe(0);
  });

  it('scales by the mean absolute day-to-day change, with fallbacks', () => {
    expect(seriesScale([10, 12, 9, 9])).toBeCloseTo(5 / 3, 12);
    expect(seriesScale([4, 4, 4])).toBe(4);
    expect(seriesScale([0])).toBe(1);
  });

  it('scores engine and rule on the same rows', () => {
    const score = scoreBacktest(
      [
        {
          actual: 10,
          scale: 2,
          engine: { q10: 8, q50: 10, q90: 12, critical: 11 },
          rule: { q10: 2, q50: 6, q90: 8, critical: 7 },
        },
      ],
      0.7,
    );
    expect(score.engine.scaledPinball).toBeCloseTo((0.2 + 0 + 0.2) / 6, 12);
    expect(score.rule.scaledPinball).toBeCloseTo((0.8 + 2 + 1.8) / 6, 12);
    expect(score.engine.coverage).toBe(1);
    expect(score.rule.coverage).toBe(0);
    expect(score.engine.criticalPinball).toBeCloseTo(0.15, 12);
    expect(score.rule.criticalPinball).toBeCloseTo(1.05, 12);
    expect(score.relativePinball).toBeCloseTo(0.4 / 4.6, 12);
  });
});

describe('ruleOfThumbForecast', () => {
  it('takes the median of the last 4 and the range of the last 8 same-weekday sales', () => {
    const history = [100, 1, 2, 3, 4, 5, 6, 7, 8];
    const rule = ruleOfThumbForecast(history, 0.7);
    expect(rule.q50).toBe(6.5);
    expect(rule.q10).toBeCloseTo(1.7, 12);
    expect(rule.q90).toBeCloseTo(7.3, 12);
    expect(rule.critical).toBeCloseTo(5.9, 12);
    expect(ruleOfThumbForecast([], 0.7)).toEqual({ q10: 0, q50: 0, q90: 0, critical: 0 });
  });
});
