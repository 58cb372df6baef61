import { describe, expect, it } from 'vitest';
import { chooseResidualPriors, ENGINE_SETTINGS } from '../train';
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
  sigmaOf: (series: number) => number = () => 1,
): { rows: CalibrationRow[]; sigmaByKey: Map<string, number> } {
  const random = createRandom(11);
  const rows: CalibrationRow[] = [];
  const sigmaByKey = new Map<string, number>();
  for (let s = 0; s < seriesCount; s++) {
    sigmaByKey.set(`s${s}`, sigmaOf(s));
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

describe('chooseResidualPriors', () => {
  const grid = ENGINE_SETTINGS.residualPriorGrid;
  const spreadGrid = ENGINE_SETTINGS.spreadPriorGrid;
  const shapePrior = (data: { rows: CalibrationRow[]; sigmaByKey: Map<string, number> }): number =>
    chooseResidualPriors(data.rows, data.sigmaByKey, grid, [0]).shape;
  const spreadPrior = (data: { rows: CalibrationRow[]; sigmaByKey: Map<string, number> }): number =>
    chooseResidualPriors(data.rows, data.sigmaByKey, grid, spreadGrid).spread;
  /** Series `s` of `count` has a spread from e^-1.2 to e^1.2 (a small dish to a large one). */
  const spreadOf = (s: number, count: number): number => Math.exp(-1.2 + (2.4 * s) / (count - 1));

  it('keeps each series its own shape when the series differ in shape', () => {
    // Half the series have a long right tail (a small dish: mostly a few, now and then many), half
    // a long left tail: the pooled shape is symmetric and fits neither.
    const data = rowsOf(20, 52, (s, random) => (s % 2 === 0 ? skewed(random) : -skewed(random)));
    expect(shapePrior(data)).toBe(Math.min(...grid));
  });

  it('borrows the pooled shape when the series share it and each has few rows', () => {
    // A hundred series of 16 rows, all normal: 12 rows of a series say little about its shape.
    const data = rowsOf(100, 16, (_, random) => normal(random));
    expect(shapePrior(data)).toBe(Math.max(...grid));
  });

  it("leans a series' spread on its fit's when it has few validation rows and the fit knows it", () => {
    // Forty series, 16 rows each, spreads from 0.3 to 3.3; each fit's spread is 0.8 of the true
    // one (in-sample residuals are narrower), so the vendor's ratio carries it over.
    const data = rowsOf(
      40,
      16,
      (s, random) => spreadOf(s, 40) * normal(random),
      (s) => 0.8 * spreadOf(s, 40),
    );
    expect(spreadPrior(data)).toBe(Math.max(...spreadGrid));
  });

  it("keeps each series' own spread when its fit's says nothing about it", () => {
    // The same spreads, 52 rows each, but every fit's spread is 1.
    const data = rowsOf(40, 52, (s, random) => spreadOf(s, 40) * normal(random));
    expect(spreadPrior(data)).toBe(0);
  });

  it('is the default without two folds to validate on', () => {
    const { rows, sigmaByKey } = rowsOf(20, 52, (s, random) =>
      s % 2 === 0 ? skewed(random) : -skewed(random),
    );
    const oneFold = rows.map((row) => ({ ...row, fold: 0 }));
    const chosen = chooseResidualPriors(oneFold, sigmaByKey, grid, spreadGrid);
    expect(chosen.shape).toBe(ENGINE_SETTINGS.residualPriorCount);
    expect(chosen.spread).toBe(0);
    expect(grid[0]).toBe(ENGINE_SETTINGS.residualPriorCount);
    expect(spreadGrid[0]).toBe(0);
  });
});
