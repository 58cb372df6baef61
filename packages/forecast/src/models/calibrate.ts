import { censoredMean } from '../censoring';
import type { PooledFitOptions } from './pooled';
import { fitPooled, LEVEL_PRIOR } from './pooled';
import type { SeriesData } from './series-data';
import { countUpTo, truncateSeries } from './series-data';

/** Settings of the rolling-origin validation inside the training data. */
export interface CalibrationOptions {
  readonly base: Omit<PooledFitOptions, 'cutoffDay' | 'seriesPrior' | 'levelHalfLife'>;
  readonly firstDay: number;
  readonly cutoffDay: number;
  readonly leadDays: number;
  readonly horizonDays: number;
  readonly folds: number;
  readonly maxWindowDays: number;
  readonly minObservations: number;
  readonly seriesPriorGrid: readonly number[];
  readonly levelHalfLifeGrid: readonly number[];
  /**
   * Every series with its zero days (by key), and the chance of a zero sale (market shut or
   * product unsold) as a model trained through `trainEnd` would predict it: zero days of the
   * validation folds enter the calibration of the whole predictive distribution.
   */
  readonly zeroDays?: {
    readonly series: ReadonlyMap<string, SeriesData>;
    readonly zeroMassFor: (trainEnd: number) => (key: string, day: number) => number;
  };
}

/**
 * One out-of-sample validation row: the log residual of a positive sale (`residual`), or a zero
 * sale (`residual` undefined), with the zero chance the model trained before its fold predicted.
 */
export interface CalibrationRow {
  readonly key: string;
  /** Index of the validation fold the row belongs to. */
  readonly fold: number;
  readonly residual: number | undefined;
  readonly zeroMass: number;
}

/** What the validation found: chosen settings and out-of-sample log residuals per series key. */
export interface CalibrationResult {
  readonly seriesPrior: number;
  readonly levelHalfLife: number;
  /**
   * Out-of-sample residuals per series key. Cross-fitted: the residuals of each fold come from
   * the settings chosen on the other folds, so they are out of sample with respect to the
   * selection too (the chosen settings' own residuals would be optimistic).
   */
  readonly residuals: ReadonlyMap<string, number[]>;
  /** The same residuals with the folds' zero days, in fold order, for the level calibration. */
  readonly rows: readonly CalibrationRow[];
}

/**
 * Rolling-origin validation: the last part of the training span is cut into folds; for each fold
 * the model is fitted on data up to `lead` days before it and forecasts the fold in blocks of
 * `horizonDays`, its level frozen at the start of each block, exactly as the model is used. The
 * (series prior, level half-life) pair with the smallest scaled absolute log error wins, and its
 * out-of-sample residuals calibrate the quantiles. Returns undefined when the history is too short.
 */
export function calibrateByRollingOrigin(
  series: readonly SeriesData[],
  options: CalibrationOptions,
): CalibrationResult | undefined {
  const span = options.cutoffDay - options.firstDay + 1;
  const window = Math.min(options.maxWindowDays, Math.floor(span / 2));
  if (window < 28) return undefined;
  const foldLength = Math.ceil(window / options.folds);
  const windowStart = options.cutoffDay - window + 1;
  const grid = options.seriesPriorGrid.flatMap((prior) =>
    options.levelHalfLifeGrid.map((halfLife) => ({ prior, halfLife })),
  );
  // Per fold and setting: the summed scaled error and the out-of-sample rows.
  const scores: number[][] = [];
  const rowsByFold: CalibrationRow[][][] = [];
  const zeroRowsByFold: CalibrationRow[][] = [];

  for (let fold = 0; fold < options.folds; fold++) {
    const start = windowStart + fold * foldLength;
    const end = Math.min(start + foldLength - 1, options.cutoffDay);
    if (start > end) break;
    const trainEnd = start - options.leadDays;
    const included = series.filter((s) => countUpTo(s, trainEnd) >= options.minObservations);
    if (included.length === 0) continue;
    const foldScores = grid.map(() => 0);
    const foldRows = grid.map((): CalibrationRow[] => []);
    scores.push(foldScores);
    rowsByFold.push(foldRows);
    const zeroRows: CalibrationRow[] = [];
    zeroRowsByFold.push(zeroRows);
    const zeroMassAt = options.zeroDays?.zeroMassFor(trainEnd);
    const zeroMassOf = (key: string, day: number): number => zeroMassAt?.(key, day) ?? 0;
    for (const s of included) {
      const full = options.zeroDays?.series.get(s.key);
      if (!full) continue;
      for (let i = countUpTo(full, start - 1); i < countUpTo(full, end); i++) {
        if ((full.y[i] ?? 0) > 0) continue;
        zeroRows.push({
          key: s.key,
          fold,
          residual: undefined,
          zeroMass: zeroMassOf(s.key, full.days[i] ?? 0),
        });
      }
    }
    const training = included.map((s) => truncateSeries(s, countUpTo(s, trainEnd), options.base.p));
    for (const prior of options.seriesPriorGrid) {
      const fit = fitPooled(training, {
        ...options.base,
        cutoffDay: trainEnd,
        seriesPrior: prior,
        levelHalfLife: 8,
      });
      included.forEach((s, index) => {
        const seriesFit = fit.series[index];
        if (!seriesFit) return;
        const trainCount = training[index]?.days.length ?? 0;
        const endCount = countUpTo(s, end);
        // Residuals through the fold end: fitted ones for training, out-of-sample after.
        const resid = new Float64Array(endCount);
        const raw = new Float64Array(endCount);
        const p = options.base.p;
        for (let i = 0; i < endCount; i++) {
          if (i < trainCount) {
            resid[i] = seriesFit.residual[i] ?? 0;
            continue;
          }
          let fitted = seriesFit.intercept;
          for (let j = 0; j < p; j++) fitted += (s.x[i * p + j] ?? 0) * (seriesFit.coef[j] ?? 0);
          // A sell-out's value is its demand lower bound (above what sold if it sold out early).
          const observed = s.censored[i] === 1 ? (s.bound?.[i] ?? s.y[i]) : s.y[i];
          raw[i] = (observed ?? 0) - fitted;
          resid[i] =
            s.censored[i] === 1 ? censoredMean(0, seriesFit.sigma, raw[i] ?? 0) : (raw[i] ?? 0);
        }
        grid.forEach((combo, comboIndex) => {
          if (combo.prior !== prior) return;
          const decay = Math.pow(0.5, 1 / combo.halfLife);
          let sum = 0;
          let weight = 0;
          let pointer = 0;
          const list = foldRows[comboIndex];
          if (!list) return;
          for (let i = trainCount; i < endCount; i++) {
            const day = s.days[i] ?? 0;
            if (day < start) continue;
            const blockCutoff =
              start +
              Math.floor((day - start) / options.horizonDays) * options.horizonDays -
              options.leadDays;
            while (pointer < endCount && (s.days[pointer] ?? 0) <= blockCutoff) {
              sum = sum * decay + (resid[pointer] ?? 0);
              weight = weight * decay + 1;
              pointer++;
            }
            const error = (raw[i] ?? 0) - sum / (weight + LEVEL_PRIOR);
            if (s.censored[i] === 1) {
              // A sell-out's error is only a lower bound: count its expected value given that bound,
              // so the calibrated spread is not biased low; it does not score the settings.
              list.push({
                key: s.key,
                fold,
                residual: censoredMean(0, seriesFit.sigma, error),
                zeroMass: zeroMassOf(s.key, day),
              });
              continue;
            }
            list.push({ key: s.key, fold, residual: error, zeroMass: zeroMassOf(s.key, day) });
            foldScores[comboIndex] =
              (foldScores[comboIndex] ?? 0) + Math.abs(error) / seriesFit.sigma;
          }
        });
      });
    }
  }
  const total = (skip: number): number[] =>
    grid.map((_, c) =>
      scores.reduce((sum, fold, f) => (f === skip ? sum : sum + (fold[c] ?? 0)), 0),
    );
  const hasRows = grid.map((_, c) => rowsByFold.some((fold) => (fold[c]?.length ?? 0) > 0));
  const argmin = (values: readonly number[]): number => {
    let best = -1;
    values.forEach((value, c) => {
      if (!hasRows[c]) return;
      if (best < 0 || value < (values[best] ?? 0)) best = c;
    });
    return best;
  };
  const best = argmin(total(-1));
  const chosen = grid[best];
  if (!chosen) return undefined;
  const residuals = new Map<string, number[]>();
  const rows: CalibrationRow[] = [];
  rowsByFold.forEach((fold, f) => {
    // With one fold there is nothing else to select on: its own choice is used.
    const crossFitted = rowsByFold.length > 1 ? argmin(total(f)) : best;
    for (const row of fold[crossFitted < 0 ? best : crossFitted] ?? []) {
      rows.push(row);
      let list = residuals.get(row.key);
      if (!list) residuals.set(row.key, (list = []));
      if (row.residual !== undefined) list.push(row.residual);
    }
    rows.push(...(zeroRowsByFold[f] ?? []));
  });
  return { seriesPrior: chosen.prior, levelHalfLife: chosen.halfLife, residuals, rows };
}
