import type { PrepList } from '@marketprep/contracts';
import { QUANTILE_LEVELS } from '@marketprep/forecast';
import { describe, expect, it } from 'vitest';
import {
  UNKNOWN_AVAILABILITY,
  availabilityOf,
  coldStartOf,
  countsInTotals,
  expectedSoldAt,
  explanationOf,
  lineOutcome,
  quantilesThroughDeciles,
  totalsOf,
  type LineInput,
} from './prep-list-lines';

const stored = (over: Partial<LineInput> = {}): LineInput => ({
  quantity: 12,
  overrideQuantity: null,
  q10: 6,
  q50: 10,
  q90: 14,
  demandQuantiles: [],
  expectedSold: 9.4,
  expectedRevenueMinor: 7520,
  priceMinor: 800,
  modelRung: 'pooled',
  inSeason: true,
  ...over,
});

/** Demand of exactly `units` every day. */
const always = (units: number) => QUANTILE_LEVELS.map(() => units);

describe('lineOutcome', () => {
  it("keeps the engine's numbers without an override", () => {
    expect(lineOutcome(stored())).toEqual({
      effectiveQuantity: 12,
      expectedSold: 9.4,
      expectedRevenueMinor: 7520,
      counted: true,
    });
    // An override equal to the recommendation changes nothing.
    expect(lineOutcome(stored({ overrideQuantity: 12 })).expectedRevenueMinor).toBe(7520);
  });

  it('recomputes expected sales and revenue at the override from the stored distribution', () => {
    // The stored distribution (always 10) wins over deciles that say otherwise.
    const line = stored({ demandQuantiles: always(10), q10: 2, q50: 4, q90: 6 });
    expect(lineOutcome({ ...line, overrideQuantity: 5 })).toEqual({
      effectiveQuantity: 5,
      expectedSold: 5,
      expectedRevenueMinor: 4000,
      counted: true,
    });
    expect(lineOutcome({ ...line, overrideQuantity: 40 })).toMatchObject({
      effectiveQuantity: 40,
      expectedSold: 10,
      expectedRevenueMinor: 8000,
    });
  });

  it('takes an override of 0 out of the revenue', () => {
    expect(lineOutcome(stored({ overrideQuantity: 0 }))).toEqual({
      effectiveQuantity: 0,
      expectedSold: 0,
      expectedRevenueMinor: 0,
      counted: true,
    });
  });

  it('falls back to a distribution through q10/q50/q90 for lines stored without one', () => {
    // Symmetric around 10: bringing plenty sells the mean, 10; bringing 10 sells less.
    const plenty = lineOutcome(stored({ overrideQuantity: 1000 }));
    expect(plenty.expectedSold).toBeCloseTo(10, 2);
    expect(plenty.expectedRevenueMinor).toBe(8000);
    const median = lineOutcome(stored({ overrideQuantity: 10 })).expectedSold;
    expect(median).toBeGreaterThan(8.5);
    expect(median).toBeLessThan(10);
    // More brought never sells less.
    const sold = [2, 6, 10, 14, 20].map((q) => expectedSoldAt(stored(), q));
    expect(sold).toEqual([...sold].sort((a, b) => a - b));
    expect(expectedSoldAt(stored(), 2)).toBe(2);
  });

  it('counts an out-of-season line only when the vendor set a quantity', () => {
    const winter = stored({
      modelRung: 'out-of-season',
      inSeason: false,
      quantity: 0,
      expectedSold: 0,
      expectedRevenueMinor: 0,
      demandQuantiles: always(8),
    });
    expect(lineOutcome(winter).counted).toBe(false);
    expect(lineOutcome({ ...winter, overrideQuantity: 3 })).toEqual({
      effectiveQuantity: 3,
      expectedSold: 3,
      expectedRevenueMinor: 2400,
      counted: true,
    });
    // Not in season by availability alone counts as out of season too.
    expect(lineOutcome(stored({ inSeason: false })).counted).toBe(false);
  });
});

describe('quantilesThroughDeciles', () => {
  it('passes through the three stored quantiles and never goes below 0', () => {
    const values = quantilesThroughDeciles({ q10: 0.5, q50: 5, q90: 20 });
    expect(values[QUANTILE_LEVELS.indexOf(0.1)]).toBeCloseTo(0.5);
    expect(values[QUANTILE_LEVELS.indexOf(0.5)]).toBeCloseTo(5);
    expect(values[QUANTILE_LEVELS.indexOf(0.9)]).toBeCloseTo(20);
    expect(values[0]).toBe(0);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });
});

describe('totalsOf', () => {
  it('adds the lines that count, and only those', () => {
    expect(
      totalsOf([
        { effectiveQuantity: 12, expectedRevenueMinor: 7520, counted: true },
        { effectiveQuantity: 5, expectedRevenueMinor: 999, counted: false },
        { effectiveQuantity: 3, expectedRevenueMinor: 2400, counted: true },
      ]),
    ).toEqual({ effectiveQuantity: 15, expectedRevenueMinor: 9920 });
  });
});

describe('availabilityOf and explanationOf', () => {
  const availability = {
    inSeason: false,
    source: 'learned',
    lastSoldOn: '2026-09-14',
    usualMonths: [7, 8, 9],
    note: 'Not in season: last sold Sep 14; usually Jul-Sep',
  };

  it('reads the stored availability, and lines stored before it as in season', () => {
    expect(availabilityOf({ baseline: 1, availability })).toEqual(availability);
    expect(availabilityOf({ baseline: 1 })).toEqual(UNKNOWN_AVAILABILITY);
    expect(availabilityOf({ availability: { inSeason: 'no' } })).toEqual(UNKNOWN_AVAILABILITY);
    expect(availabilityOf(null)).toEqual(UNKNOWN_AVAILABILITY);
  });

  it("answers exactly the contract's explanation, with labels and basis", () => {
    const explanation = explanationOf({
      baseline: 30,
      baselineSupport: 0,
      basis: 'your sales at Riverside, scaled x0.5',
      effects: [
        { name: 'holiday', units: 11.4, percent: 38, support: 2, label: 'Christmas week' },
        { name: 'weather', units: -1, percent: -3, support: 9 },
      ],
      summary: 'Typical day 30',
      availability,
    });
    expect(explanation).toEqual({
      baseline: 30,
      baselineSupport: 0,
      basis: 'your sales at Riverside, scaled x0.5',
      effects: [
        { name: 'holiday', units: 11.4, percent: 38, support: 2, label: 'Christmas week' },
        { name: 'weather', units: -1, percent: -3, support: 9 },
      ],
      summary: 'Typical day 30',
    });
  });
});

describe('coldStartOf and countsInTotals', () => {
  type Line = PrepList['lines'][number];
  const line = (over: Partial<Line>): Line => ({
    productId: 'p',
    productName: 'Bread',
    unit: 'loaf',
    q10: 1,
    q50: 2,
    q90: 3,
    criticalRatio: 0.5,
    recommendedQuantity: 2,
    overrideQuantity: null,
    effectiveQuantity: 2,
    expectedSold: 2,
    expectedRevenueMinor: 100,
    priced: true,
    costed: true,
    modelRung: 'pooled',
    dataSufficiency: 'none',
    availability: UNKNOWN_AVAILABILITY,
    explanation: { baseline: 2, baselineSupport: 0, effects: [], summary: '' },
    ...over,
  });
  const cold = line({
    modelRung: 'cold-start',
    explanation: {
      baseline: 2,
      baselineSupport: 0,
      basis: 'your sales at Riverside, scaled x0.5',
      effects: [],
      summary: '',
    },
  });
  const winter = line({
    modelRung: 'out-of-season',
    availability: { ...UNKNOWN_AVAILABILITY, inSeason: false, source: 'learned' },
  });

  it('says at the top that the numbers are a guess when most in-season lines are cold starts', () => {
    expect(coldStartOf([cold, cold, line({})])?.note).toContain(
      'a guess from your sales at Riverside, scaled x0.5',
    );
    // Out-of-season lines do not count either way.
    expect(coldStartOf([cold, line({}), winter, winter])).toBeNull();
    expect(coldStartOf([cold, line({}), line({})])).toBeNull();
    expect(coldStartOf([])).toBeNull();
    expect(coldStartOf([line({ modelRung: 'cold-start' })])?.note).toContain('your own estimates');
  });

  it('counts out-of-season lines only when set by hand', () => {
    expect(countsInTotals(line({}))).toBe(true);
    expect(countsInTotals(winter)).toBe(false);
    expect(countsInTotals({ ...winter, overrideQuantity: 2 })).toBe(true);
  });
});
