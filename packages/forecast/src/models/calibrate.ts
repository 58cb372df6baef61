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
}

/** What the validation found: chosen settings and out-of-sample log residuals per series key. */
export interface CalibrationResult {
  readonly seriesPrior: number;
  readonly levelHalfLife: number;
  readonly residuals: ReadonlyMap<string, number[]>;
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
  const scores = grid.map(() => 0);
  const residuals = grid.map(() => new Map<string, number[]>());

  for (let fold = 0; fold < options.folds; fold++) {
    const start = windowStart + fold * foldLength;
    const end = Math.min(start + foldLength - 1, options.cutoffDay);
    if (start > end) break;
    const trainEnd = start - options.leadDays;
    const included = series.filter((s) => countUpTo(s, trainEnd) >= options.minObservations);
    if (included.length === 0) continue;
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
          raw[i] = (s.y[i] ?? 0) - fitted;
          resid[i] =
            s.censored[i] === 1 ? censoredMean(0, seriesFit.sigma, raw[i] ?? 0) : (raw[i] ?? 0);
        }
        grid.forEach((combo, comboIndex) => {
          if (combo.prior !== prior) return;
          const decay = Math.pow(0.5, 1 / combo.halfLife);
          let sum = 0;
          let weight = 0;
          let pointer = 0;
          const byKey = residuals[comboIndex];
          if (!byKey) return;
          let list = byKey.get(s.key);
          if (!list) byKey.set(s.key, (list = []));
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
              list.push(censoredMean(0, seriesFit.sigma, error));
              continue;
            }
            list.push(error);
            scores[comboIndex] = (scores[comboIndex] ?? 0) + Math.abs(error) / seriesFit.sigma;
          }
        });
      });
    }
  }
  let best = -1;
  grid.forEach((_, index) => {
    const hasResiduals = [...(residuals[index]?.values() ?? [])].some((list) => list.length > 0);
    if (!hasResiduals) return;
    if (best < 0 || (scores[index] ?? 0) < (scores[best] ?? 0)) best = index;
  });
  const chosen = grid[best];
  const chosenResiduals = residuals[best];
  if (!chosen || !chosenResiduals) return undefined;
  return { seriesPrior: chosen.prior, levelHalfLife: chosen.halfLife, residuals: chosenResiduals };
}
