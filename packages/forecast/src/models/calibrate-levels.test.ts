import { describe, expect, it } from 'vitest';
import { QUANTILE_LEVELS } from '../quantiles/quantile-grid';
import { calibrateLevels, normalQuantile } from '../train';
import { createRandom } from '../testing/synthetic-vendor';
import type { CalibrationRow } from './calibrate';

const standardNormal = QUANTILE_LEVELS.map((level) => normalQuantile(level));
const at = (levels: readonly number[], level: number): number =>
  levels[QUANTILE_LEVELS.indexOf(level)] ?? Number.NaN;

function normalRows(count: number, spread: number): CalibrationRow[] {
  const random = createRandom(5);
  const rows: CalibrationRow[] = [];
  for (let i = 0; i < count; i++) {
    // Box-Muller: a normal residual with the given spread.
    const residual =
      spread * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    rows.push({ key: 's', fold: i % 4, residual, zeroMass: 0 });
  }
  return rows;
}

describe('calibrateLevels', () => {
  it('is the identity without validation rows and close to it when the model is calibrated', () => {
    expect(calibrateLevels([], () => standardNormal)).toEqual([...QUANTILE_LEVELS]);
    const levels = calibrateLevels(normalRows(4000, 1), () => standardNormal);
    for (const level of [0.1, 0.5, 0.9]) expect(at(levels, level)).toBeCloseTo(level, 1);
  });

  it('widens a distribution that is too narrow and narrows one that is too wide', () => {
    const tooNarrow = calibrateLevels(normalRows(4000, 1.5), () => standardNormal);
    expect(at(tooNarrow, 0.1)).toBeLessThan(0.06);
    expect(at(tooNarrow, 0.9)).toBeGreaterThan(0.94);
    const tooWide = calibrateLevels(normalRows(4000, 0.6), () => standardNormal);
    expect(at(tooWide, 0.1)).toBeGreaterThan(0.15);
    expect(at(tooWide, 0.9)).toBeLessThan(0.85);
  });

  it('narrows the positive part when zero days are sure to be covered (80% over all rows)', () => {
    // Half the rows are shut days (zero mass 0.95, sold nothing): [0, 0] covers them all, so
    // the other half must be covered 60% of the time for [P10, P90] to cover 80% of all rows.
    const open = normalRows(4000, 1);
    const shut = open.map((row) => ({ ...row, residual: undefined, zeroMass: 0.95 }));
    const levels = calibrateLevels([...open, ...shut], () => standardNormal);
    expect(at(levels, 0.1)).toBeCloseTo(0.2, 1);
    expect(at(levels, 0.9)).toBeCloseTo(0.8, 1);
    const values = [...levels];
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(Math.min(...values)).toBeGreaterThan(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});
