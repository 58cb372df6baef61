import { weekdayOfDay } from '../calendar-dates';
import { censoredMean } from '../censoring';
import { median } from '../quantiles/empirical-quantile';
import type { PooledFitOptions } from './pooled';
import { fitPooled, LevelTracker } from './pooled';
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
  /** Candidate clips of residuals entering the level, in residual spreads (Infinity: none). */
  readonly levelClipGrid?: readonly number[];
  /**
   * Candidate weights of the pooled model in the blend with the robust baseline (the median of
   * the last `baselineWindow` same-weekday sales): 1 is the pooled model alone, 0 the baseline.
   */
  readonly blendWeightGrid: readonly number[];
  /** Candidate numbers of past same-weekday sales in the baseline's median. */
  readonly baselineWindowGrid: readonly number[];
  /**
   * Validation rows' worth of the vendor-wide blend choice each series' own blend weight is
   * shrunk toward; absent: one weight for all series.
   */
  readonly blendWeightPriorRows?: number;
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
  /**
   * The series' last same-weekday log values (the baseline's window) known when a positive row
   * was forecast: what the recent spread of `stackRecentSpread` is read from.
   */
  readonly recent?: readonly number[];
}

/** What the validation found: chosen settings and out-of-sample log residuals per series key. */
export interface CalibrationResult {
  readonly seriesPrior: number;
  readonly levelHalfLife: number;
  readonly levelClip: number;
  /** Weight of the pooled model in its blend with the robust same-weekday baseline. */
  readonly blendWeight: number;
  /**
   * Per-series weights (by key), each chosen on that series' validation rows shrunk toward the
   * vendor-wide choice; a series without validation rows uses `blendWeight`.
   */
  readonly seriesBlendWeights: ReadonlyMap<string, number>;
  /** Same-weekday sales in the baseline's median. */
  readonly baselineWindow: number;
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
  const fits = options.seriesPriorGrid.flatMap((prior) =>
    options.levelHalfLifeGrid.flatMap((halfLife) =>
      (options.levelClipGrid ?? [Number.POSITIVE_INFINITY]).map((clip) => ({
        prior,
        halfLife,
        clip,
      })),
    ),
  );
  const weights = options.blendWeightGrid.length > 0 ? options.blendWeightGrid : [1];
  const windows = options.baselineWindowGrid.length > 0 ? options.baselineWindowGrid : [4];
  const grid = fits.flatMap((combo, fitIndex) =>
    weights.flatMap((weight) =>
      // The pooled model alone needs no baseline window.
      (weight === 1 ? windows.slice(0, 1) : windows).map((window, windowIndex) => ({
        ...combo,
        fitIndex,
        weight,
        window,
        windowIndex,
      })),
    ),
  );
  // The blend settings of each fit setting, so a row is scored against its own settings only.
  const settingsOfFit = fits.map(() => [] as number[]);
  grid.forEach((setting, c) => settingsOfFit[setting.fitIndex]?.push(c));
  // Per fold and setting: the summed scaled error; per fold and fit setting, the rows.
  const scores: number[][] = [];
  const rowsByFold: BlendRow[][][] = [];
  const zeroRowsByFold: CalibrationRow[][] = [];

  for (let fold = 0; fold < options.folds; fold++) {
    const start = windowStart + fold * foldLength;
    const end = Math.min(start + foldLength - 1, options.cutoffDay);
    if (start > end) break;
    const trainEnd = start - options.leadDays;
    const included = series.filter((s) => countUpTo(s, trainEnd) >= options.minObservations);
    if (included.length === 0) continue;
    const foldScores = grid.map(() => 0);
    const foldRows = fits.map((): BlendRow[] => []);
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
        // The robust baseline's forecasts of the fold rows. A sell-out enters at its expected
        // demand given its bound (`demandLowerBound`): the fit's fill-in for the days it saw, the
        // same E-step under the fit for later ones, so an earlier sell-out counts higher.
        const values = baselineValues(s);
        for (let i = 0; i < endCount; i++) {
          if (s.censored[i] !== 1) continue;
          values[i] =
            i < trainCount
              ? (seriesFit.yFilled[i] ?? values[i] ?? 0)
              : (values[i] ?? 0) - (raw[i] ?? 0) + (resid[i] ?? 0);
        }
        const baseline = windows.map((window) =>
          baselineForecasts(s, values, trainCount, endCount, {
            start,
            horizonDays: options.horizonDays,
            leadDays: options.leadDays,
            window,
          }),
        );
        // Where each row's same-weekday values are read from (shared by every setting; only the
        // chosen setting's rows read them).
        const knownOfRow = baseline[0]?.known;
        const origins = Array.from(
          { length: Math.max(endCount - trainCount, 0) },
          (_, r): RowOrigin => ({
            days: s.days,
            values,
            known: knownOfRow?.[r] ?? 0,
            day: s.days[trainCount + r] ?? 0,
          }),
        );
        fits.forEach((combo, fitIndex) => {
          if (combo.prior !== prior) return;
          const level = new LevelTracker(combo.halfLife, combo.clip * seriesFit.sigma);
          let pointer = 0;
          const list = foldRows[fitIndex];
          if (!list) return;
          for (let i = trainCount; i < endCount; i++) {
            const day = s.days[i] ?? 0;
            if (day < start) continue;
            const blockCutoff =
              start +
              Math.floor((day - start) / options.horizonDays) * options.horizonDays -
              options.leadDays;
            while (pointer < endCount && (s.days[pointer] ?? 0) <= blockCutoff) {
              level.add(resid[pointer] ?? 0);
              pointer++;
            }
            const error = (raw[i] ?? 0) - level.value;
            const observed = (s.censored[i] === 1 ? s.bound?.[i] : s.y[i]) ?? s.y[i] ?? 0;
            const baselineErrors = windows.map((_, w) => {
              const forecast = baseline[w]?.medians[i - trainCount];
              return forecast === undefined || Number.isNaN(forecast) ? error : observed - forecast;
            });
            const censored = s.censored[i] === 1;
            const row: BlendRow = {
              key: s.key,
              fold,
              error,
              baselineErrors,
              origin: origins[i - trainCount] ?? { days: s.days, values, known: 0, day },
              // A sell-out's demand is its expected value given the bound under the fit; its
              // errors are read against that (the fill is added to each error below).
              fill: censored ? censoredMean(0, seriesFit.sigma, error) - error : 0,
              scale: seriesFit.sigma,
              zeroMass: zeroMassOf(s.key, day),
            };
            list.push(row);
            for (const c of settingsOfFit[fitIndex] ?? []) {
              const setting = grid[c];
              if (!setting) continue;
              foldScores[c] =
                (foldScores[c] ?? 0) + Math.abs(blendedError(row, setting)) / seriesFit.sigma;
            }
          }
        });
      });
    }
  }
  const total = (skip: number): number[] =>
    grid.map((_, c) =>
      scores.reduce((sum, fold, f) => (f === skip ? sum : sum + (fold[c] ?? 0)), 0),
    );
  const hasRows = grid.map((setting) =>
    rowsByFold.some((fold) => (fold[setting.fitIndex]?.length ?? 0) > 0),
  );
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
  const priorRows = options.blendWeightPriorRows ?? Number.POSITIVE_INFINITY;
  const perSeries = (fitIndex: number, skip: number, windowIndex: number): Map<string, number> =>
    Number.isFinite(priorRows)
      ? seriesBlendWeights(
          rowsByFold.map((fold) => fold[fitIndex] ?? []),
          skip,
          { windowIndex },
          weights,
          priorRows,
        )
      : new Map<string, number>();
  rowsByFold.forEach((fold, f) => {
    // With one fold there is nothing else to select on: its own choice is used.
    const crossFitted = rowsByFold.length > 1 ? argmin(total(f)) : best;
    const setting = grid[crossFitted < 0 ? best : crossFitted] ?? chosen;
    const ownWeights = perSeries(
      setting.fitIndex,
      rowsByFold.length > 1 ? f : -1,
      setting.windowIndex,
    );
    for (const blendRow of fold[setting.fitIndex] ?? []) {
      // A sell-out's error counts at its expected demand given the bound, so the calibrated
      // spread is not biased low.
      const residual = blendedError(blendRow, {
        weight: ownWeights.get(blendRow.key) ?? setting.weight,
        windowIndex: setting.windowIndex,
      });
      const row = {
        key: blendRow.key,
        fold: blendRow.fold,
        residual,
        zeroMass: blendRow.zeroMass,
        recent: sameWeekdayRecent(
          blendRow.origin.days,
          blendRow.origin.values,
          blendRow.origin.known,
          blendRow.origin.day,
          windows[setting.windowIndex] ?? windows[0] ?? 8,
        ),
      };
      rows.push(row);
      let list = residuals.get(row.key);
      if (!list) residuals.set(row.key, (list = []));
      list.push(residual);
    }
    rows.push(...(zeroRowsByFold[f] ?? []));
  });
  return {
    seriesPrior: chosen.prior,
    levelHalfLife: chosen.halfLife,
    levelClip: chosen.clip,
    blendWeight: chosen.weight,
    seriesBlendWeights: perSeries(chosen.fitIndex, -1, chosen.windowIndex),
    baselineWindow: chosen.window,
    residuals,
    rows,
  };
}

/** The series' days and baseline values, how many were known when `day` was forecast. */
interface RowOrigin {
  readonly days: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  readonly known: number;
  readonly day: number;
}

/** A validation row before the blend weight is applied. */
interface BlendRow {
  readonly key: string;
  readonly fold: number;
  /** Log error of the pooled model (level included). */
  readonly error: number;
  /** Log errors of the robust baseline per window (the pooled error where it has no history). */
  readonly baselineErrors: readonly number[];
  /** Where the row's same-weekday values are read from (one object per row, not per setting). */
  readonly origin: RowOrigin;
  /**
   * For a sell-out, its expected demand given the bound minus the bound (the fit's Tobit fill,
   * >= 0); 0 otherwise.
   */
  readonly fill: number;
  /** The series' residual spread: errors are scored in its units. */
  readonly scale: number;
  readonly zeroMass: number;
}

/**
 * Per-series blend weights: each series' scaled absolute error at each candidate weight over
 * the folds other than `skip`, plus `priorRows` rows' worth of the vendor's average error at that
 * weight (shrinkage toward the vendor-wide choice: a series with few validation rows follows it).
 */
function seriesBlendWeights(
  rowsByFold: readonly (readonly BlendRow[])[],
  skip: number,
  setting: { readonly windowIndex: number },
  weights: readonly number[],
  priorRows: number,
): Map<string, number> {
  const byKey = new Map<string, number[]>();
  const vendor = weights.map(() => 0);
  let count = 0;
  rowsByFold.forEach((fold, f) => {
    if (f === skip) return;
    for (const row of fold) {
      let sums = byKey.get(row.key);
      if (!sums) byKey.set(row.key, (sums = weights.map(() => 0)));
      weights.forEach((weight, w) => {
        const loss = Math.abs(blendedError(row, { weight, windowIndex: setting.windowIndex }));
        const scaled = loss / row.scale;
        sums[w] = (sums[w] ?? 0) + scaled;
        vendor[w] = (vendor[w] ?? 0) + scaled;
      });
      count++;
    }
  });
  const result = new Map<string, number>();
  if (count === 0) return result;
  for (const [key, sums] of byKey) {
    let best = 0;
    sums.forEach((sum, w) => {
      const score = sum + (priorRows * (vendor[w] ?? 0)) / count;
      const bestScore = (sums[best] ?? 0) + (priorRows * (vendor[best] ?? 0)) / count;
      if (score < bestScore) best = w;
    });
    result.set(key, weights[best] ?? 1);
  }
  return result;
}

/**
 * Log error of the blend of a validation row: the weighted errors of the pooled model and the
 * baseline, a sell-out's read against its expected demand given the bound. Sell-outs score the
 * settings too: skipping them would favour whichever forecast ignores the unserved demand.
 */
function blendedError(
  row: BlendRow,
  setting: { readonly weight: number; readonly windowIndex: number },
): number {
  const baselineError = row.baselineErrors[setting.windowIndex] ?? row.error;
  return setting.weight * row.error + (1 - setting.weight) * baselineError + row.fill;
}

/**
 * The robust baseline: the median of the last `window` log values (sell-outs at their demand
 * bound) of the same weekday known when the block was forecast. NaN where none is known.
 */
export function sameWeekdayMedian(
  days: ArrayLike<number>,
  values: ArrayLike<number>,
  known: number,
  day: number,
  window: number,
): number {
  const picked = sameWeekdayRecent(days, values, known, day, window);
  return picked.length > 0 ? median(picked) : Number.NaN;
}

/** The last `window` log values of `day`'s weekday among the first `known`, newest first. */
function sameWeekdayRecent(
  days: ArrayLike<number>,
  values: ArrayLike<number>,
  known: number,
  day: number,
  window: number,
): number[] {
  const weekday = weekdayOfDay(day);
  const picked: number[] = [];
  for (let j = known - 1; j >= 0 && picked.length < window; j--) {
    if (weekdayOfDay(days[j] ?? 0) === weekday) picked.push(values[j] ?? 0);
  }
  return picked;
}

/** Log value of each observation for the baseline: what sold, a sell-out at its demand bound. */
export function baselineValues(s: SeriesData): Float64Array {
  return Float64Array.from(s.y, (y, i) => (s.censored[i] === 1 ? (s.bound?.[i] ?? y) : y));
}

function baselineForecasts(
  s: SeriesData,
  values: Float64Array,
  trainCount: number,
  endCount: number,
  options: { start: number; horizonDays: number; leadDays: number; window: number },
): { medians: Float64Array; known: Int32Array } {
  const medians = new Float64Array(Math.max(endCount - trainCount, 0));
  const knownOfRow = new Int32Array(medians.length);
  let known = 0;
  for (let i = trainCount; i < endCount; i++) {
    const day = s.days[i] ?? 0;
    const blockCutoff =
      options.start +
      Math.floor((day - options.start) / options.horizonDays) * options.horizonDays -
      options.leadDays;
    while (known < s.days.length && (s.days[known] ?? 0) <= blockCutoff) known++;
    knownOfRow[i - trainCount] = known;
    medians[i - trainCount] = sameWeekdayMedian(s.days, values, known, day, options.window);
  }
  return { medians, known: knownOfRow };
}
