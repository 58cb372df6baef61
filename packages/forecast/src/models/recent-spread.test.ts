import { describe, expect, it } from 'vitest';
import { fromDayNumber, toDayNumber, weekdayOfDay } from '../calendar-dates';
import { predictDemand } from '../predict';
import { QUANTILE_LEVELS } from '../quantiles/quantile-grid';
import { createRandom } from '../testing/synthetic-vendor';
import { ENGINE_SETTINGS, normalQuantile, trainDemandModel } from '../train';
import type { SalesObservation } from '../types';
import type { DemandModel } from './demand-model';
import type { SpreadRow } from './recent-spread';
import { chooseSpreadWeights, predictiveQuantile, stackRecentSpread } from './recent-spread';

const MEDIAN_INDEX = QUANTILE_LEVELS.indexOf(0.5);
const normalShape = (spread: number): number[] =>
  QUANTILE_LEVELS.map((level) => spread * normalQuantile(level));

function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

describe('predictiveQuantile', () => {
  it('reads the next value of n at position level * (n + 1), the ends beyond', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(predictiveQuantile(sorted, 0.5)).toBeCloseTo(4.5, 12);
    expect(predictiveQuantile(sorted, 0.3)).toBeCloseTo(2.7, 12);
    // The sample's own P10 and P90 (type 7) would be 1.7 and 7.3: too narrow for a next value.
    expect(predictiveQuantile(sorted, 0.1)).toBe(1);
    expect(predictiveQuantile(sorted, 0.9)).toBe(8);
  });
});

describe('stackRecentSpread', () => {
  const shape = normalShape(0.4).map((q) => q + 0.05);

  it('is the model’s shape at weight 1 or with fewer than 4 recent values', () => {
    expect(stackRecentSpread(shape, [1, 2, 3, 4, 5, 6, 7, 8], 1)).toEqual(shape);
    expect(stackRecentSpread(shape, [1, 1.1, 1.2], 0.25)).toEqual(shape);
    expect(stackRecentSpread(shape, undefined, 0.25)).toEqual(shape);
  });

  it('keeps the median and narrows or widens toward the recent spread', () => {
    const calm = stackRecentSpread(shape, [2, 2.01, 2.02, 2.03, 2.04, 2.05, 2.06, 2.07], 0.5);
    const wild = stackRecentSpread(shape, [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5], 0.5);
    for (const stacked of [calm, wild]) {
      expect(stacked[MEDIAN_INDEX]).toBeCloseTo(shape[MEDIAN_INDEX] ?? 0, 12);
      expect([...stacked]).toEqual([...stacked].sort((a, b) => a - b));
    }
    const width = (q: readonly number[]): number =>
      (q[QUANTILE_LEVELS.indexOf(0.9)] ?? 0) - (q[QUANTILE_LEVELS.indexOf(0.1)] ?? 0);
    expect(width(calm)).toBeLessThan(0.6 * width(shape));
    expect(width(wild)).toBeGreaterThan(1.5 * width(shape));
  });
});

describe('chooseSpreadWeights', () => {
  it('leans on the recent spread where volatility comes in spells, not where it misleads', () => {
    const random = createRandom(3);
    const normal = gaussian(random);
    const rows: SpreadRow[] = [];
    for (let i = 0; i < 400; i++) {
      // Spells of ten market days, calm or wild; the recent values come from the same spell.
      const spell = Math.floor(i / 10) % 2 === 0 ? 0.05 : 0.6;
      const recent = Array.from({ length: 8 }, () => spell * normal());
      rows.push({ key: 'spells', fold: i % 4, residual: spell * normal(), recent });
      // Recent values that say nothing of the error: far calmer than the series' residuals.
      const steadyRecent = Array.from({ length: 8 }, () => 0.05 * normal());
      rows.push({ key: 'steady', fold: i % 4, residual: 0.3 * normal(), recent: steadyRecent });
    }
    const shapes = new Map([
      // The model's shape is the spells' average spread and the steady series' exact one.
      ['spells', normalShape(0.42)],
      ['steady', normalShape(0.3)],
    ]);
    const grid = ENGINE_SETTINGS.spreadWeightGrid;
    const choose = chooseSpreadWeights(rows, (row) => shapes.get(row.key), grid, 20);
    const weights = choose(-1);
    expect(weights.get('spells')).toBeLessThanOrEqual(0.5);
    expect(weights.get('steady')).toBe(1);
    // Leaving a fold out (cross-fitting) leaves out its rows, not the choice they support.
    expect(choose(0).get('steady')).toBe(1);
    expect(choose(0).get('spells')).toBeLessThanOrEqual(0.5);
    const onlyFold0 = rows.filter((row) => row.key === 'steady' && row.fold === 0);
    const oneFold = chooseSpreadWeights(
      onlyFold0.map((row) => ({ ...row, key: 'new' })),
      () => normalShape(0.3),
      grid,
      20,
    );
    expect(oneFold(-1).get('new')).toBe(1);
    expect(oneFold(0).has('new')).toBe(false);
  });
});

/**
 * Two Saturday series over two years: `bread` calm and wild in spells of ten weeks (2% and 50%
 * day-to-day noise), `jam` steady at 20%.
 */
function spellsOfVolatility(): SalesObservation[] {
  const random = createRandom(17);
  const normal = gaussian(random);
  const start = toDayNumber('2022-01-01');
  const sales: SalesObservation[] = [];
  for (let week = 0; week < 110; week++) {
    const date = fromDayNumber(start + 7 * week);
    const spell = Math.floor(week / 10) % 2 === 0 ? 0.02 : 0.5;
    sales.push({
      date,
      market: 'square',
      product: 'bread',
      quantity: Math.round(60 * Math.exp(spell * normal())),
    });
    sales.push({
      date,
      market: 'square',
      product: 'jam',
      quantity: Math.round(30 * Math.exp(0.2 * normal())),
    });
  }
  return sales;
}

describe('recent spread in training and in the prep list', () => {
  const sales = spellsOfVolatility();
  const model = trainDemandModel({ sales });
  const bread = model.series.find((s) => s.product === 'bread');
  const last = toDayNumber(sales[sales.length - 1]?.date ?? '2024-01-01');
  const nextSaturday = fromDayNumber(last + 7);

  const rangeWith = (recent: readonly number[], spreadWeight: number): number => {
    const weekday = weekdayOfDay(last + 7);
    const changed: DemandModel = {
      ...model,
      series: model.series.map((s) =>
        s.product !== 'bread' || !s.forward
          ? s
          : {
              ...s,
              spreadWeight,
              forward: {
                ...s.forward,
                recentFilled: s.forward.recentFilled.map((list, d) =>
                  d === weekday ? recent : list,
                ),
              },
            },
      ),
    };
    const [forecast] = predictDemand({
      model: changed,
      requests: [{ date: nextSaturday, market: 'square', product: 'bread' }],
    });
    return (forecast?.p90 ?? 0) - (forecast?.p10 ?? 0);
  };

  it('lets validation lean on the recent spread for the series whose volatility comes in spells', () => {
    expect(bread?.forward).toBeDefined();
    expect(ENGINE_SETTINGS.spreadWeightGrid).toContain(bread?.spreadWeight);
    expect(bread?.spreadWeight).toBeLessThan(1);
  });

  it('reads the last same-weekday values when the weight is below 1, and ignores them at 1', () => {
    const calm = Array.from({ length: 8 }, (_, i) => Math.log1p(60 + (i % 2)));
    const wild = [20, 35, 50, 60, 70, 90, 120, 150].map((q) => Math.log1p(q));
    expect(rangeWith(calm, 0.25)).toBeLessThan(rangeWith(wild, 0.25));
    expect(rangeWith(calm, 1)).toBeCloseTo(rangeWith(wild, 1), 6);
  });
});
