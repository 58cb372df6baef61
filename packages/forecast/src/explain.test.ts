import { describe, expect, it } from 'vitest';
import { explainMedian } from './explain';

describe('explainMedian', () => {
  it('applies effects in order so the parts add up to the P50', () => {
    const { explanation, p50 } = explainMedian({
      baselineLog: Math.log1p(40),
      baselineSupport: 30,
      effects: [
        { name: 'weekday-season', logEffect: 0.2, support: 6 },
        { name: 'weather', logEffect: -0.15, support: 4 },
        { name: 'event', logEffect: 0.1, support: 2 },
      ],
    });
    expect(explanation.baseline).toBeCloseTo(40, 10);
    const sum = explanation.effects.reduce((total, e) => total + e.units, explanation.baseline);
    expect(sum).toBeCloseTo(p50, 10);
    expect(p50).toBeCloseTo(Math.expm1(Math.log1p(40) + 0.15), 10);
    expect(explanation.effects.map((e) => Math.sign(e.units))).toEqual([1, -1, 1]);
    expect(explanation.effects[0]?.percent).toBeCloseTo(100 * (Math.exp(0.2) - 1) * (41 / 40), 6);
  });

  it('takes the P50 to zero with an effect of minus infinity (a shut market)', () => {
    const { explanation, p50 } = explainMedian({
      baselineLog: Math.log1p(10),
      baselineSupport: 3,
      effects: [{ name: 'no-sale-days', logEffect: Number.NEGATIVE_INFINITY, support: 5 }],
    });
    expect(p50).toBe(0);
    expect(explanation.effects[0]?.units).toBeCloseTo(-10, 10);
    expect(explanation.effects[0]?.percent).toBeCloseTo(-100, 10);
  });
});
