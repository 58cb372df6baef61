import { describe, expect, it } from 'vitest';
import { chooseResidualPrior, ENGINE_SETTINGS } from '../train';
import { createRandom } from '../testing/synthetic-vendor';
import type { CalibrationRow } from './calibrate';

const FOLDS = 4;

/**
 * Validation rows of `seriesCount` series with `rowsPerSeries` rows each over four folds; series
 * `s` draws its residuals from `draw(s)`. Every series' spread is 1.
 */
function rowsOf(
  seriesCount: number,
  rowsPerSeries: number,
  draw: (series: number, random: () => number) => number,
): { rows: CalibrationRow[]; sigmaByKey: Map<string, number> } {
  const random = createRandom(11);
  const rows: CalibrationRow[] = [];
  const sigmaByKey = new Map<string, number>();
  for (let s = 0; s < seriesCount; s++) {
    sigmaByKey.set(`s${s}`, 1);
    for (let i = 0; i < rowsPerSeries; i++) {
      rows.push({ key: `s${s}`, fold: i % FOLDS, residual: draw(s, random), zeroMass: 0 });
    }
  }
  return { rows, sigmaByKey };
}

/** Standard normal (Box-Muller). */
const normal = (random: () => number): number =>
  Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** Exponential with mean 1, centred: a long right tail. */
const skewed = (random: () => number): number => -Math.log(1 - random()) - 1;

describe('chooseResidualPrior', () => {
  const grid = ENGINE_SETTINGS.residualPriorGrid;

  it('keeps each series its own shape when the series differ in shape', () => {
    // Half the series have a long right tail (a small dish: mostly a few, now and then many), half
    // a long left tail: the pooled shape is symmetric and fits neither.
    const { rows, sigmaByKey } = rowsOf(20, 52, (s, random) =>
      s % 2 === 0 ? skewed(random) : -skewed(random),
    );
    expect(chooseResidualPrior(rows, sigmaByKey, grid)).toBe(Math.min(...grid));
  });

  it('borrows the pooled shape when the series share it and each has few rows', () => {
    // A hundred series of 16 rows, all normal: 12 rows of a series say little about its shape.
    const { rows, sigmaByKey } = rowsOf(100, 16, (_, random) => normal(random));
    expect(chooseResidualPrior(rows, sigmaByKey, grid)).toBe(Math.max(...grid));
  });

  it('is the default without two folds to validate on', () => {
    const { rows, sigmaByKey } = rowsOf(20, 52, (s, random) =>
      s % 2 === 0 ? skewed(random) : -skewed(random),
    );
    const oneFold = rows.map((row) => ({ ...row, fold: 0 }));
    expect(chooseResidualPrior(oneFold, sigmaByKey, grid)).toBe(ENGINE_SETTINGS.residualPriorCount);
    expect(grid[0]).toBe(ENGINE_SETTINGS.residualPriorCount);
  });
});
