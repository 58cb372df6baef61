import { censoredMean } from '../censoring';
import { solveSymmetric } from '../linear-algebra';
import { median } from '../quantiles/empirical-quantile';
import type { SeriesData } from './series-data';

/** Settings of one pooled fit. */
export interface PooledFitOptions {
  /** Number of features per row. */
  readonly p: number;
  /** Recency weights of the coefficient fit halve every this many days before `cutoffDay`. */
  readonly coefficientHalfLifeDays: number;
  /** Day number of the last day of training data. */
  readonly cutoffDay: number;
  /** Ridge strength of the pooled effects, in observations' worth. */
  readonly pooledPrior: number;
  /** Strength of the shrinkage of each series' effects toward the pooled ones, in observations. */
  readonly seriesPrior: number;
  /** Level half-life, in observations, used for the causal level of censored fill-ins. */
  readonly levelHalfLife: number;
  /** Rounds of censored fill-in and refit. */
  readonly censoringRounds: number;
  /**
   * Calendar-flag columns (holidays) and a prior on their pooled effect at zero worth `days`
   * market days, for a flag seen on fewer than `belowDays` market days: a holiday seen once is
   * shrunk toward "no effect"; one seen twice or more keeps what it showed. Day shocks (weather, a
   * crowd) are shared by every product that day, so the evidence of a rare flag grows with its
   * days, not with its rows.
   */
  readonly calendarPrior?: {
    readonly columns: readonly number[];
    readonly days: number;
    readonly belowDays: number;
    /** Market days' worth of shrinkage of each series' flag effect toward the pooled one. */
    readonly seriesDays: number;
    /** Columns of flags derived from dates, and a prior at "no effect" worth `derivedDays` dates. */
    readonly derivedColumns?: readonly number[];
    readonly derivedDays?: number;
  };
}

/** One series' fitted effects; arrays are aligned with the series' observations. */
export interface SeriesFit {
  readonly intercept: number;
  readonly coef: Float64Array;
  /** Log values used for fitting: observed, or filled in where censored. */
  readonly yFilled: Float64Array;
  /** `yFilled - (intercept + x . coef)`. */
  readonly residual: Float64Array;
  /** Robust residual standard deviation on the log scale. */
  readonly sigma: number;
  /** Recency-weighted feature means (the series' typical day). */
  readonly featureMeans: Float64Array;
  /** Recency weights of the coefficient fit, summing to 1. */
  readonly weights: Float64Array;
}

/** Shared effects plus one fit per series (same order as the input). */
export interface PooledFit {
  readonly pooledCoef: Float64Array;
  readonly pooledFeatureMeans: Float64Array;
  readonly series: readonly SeriesFit[];
}

/** Pseudo-observations that pull a level estimate toward zero. */
export const LEVEL_PRIOR = 1;

/**
 * Log-scale ridge regression pooled across series: each series gets its own intercept and effects
 * shrunk toward the shared ones (empirical Bayes in ridge form: the prior strength is counted in
 * observations, scaled by each feature's variance). Censored values are filled in from the current
 * fit and the fit is repeated (`censoringRounds`).
 */
export function fitPooled(series: readonly SeriesData[], options: PooledFitOptions): PooledFit {
  const filled = series.map((s) => Float64Array.from(s.y));
  const weights = series.map((s) => recencyWeights(s.days, options));
  const hasCensored = series.some((s) => s.censored.some((c) => c === 1));
  const rounds = hasCensored ? Math.max(options.censoringRounds, 0) : 0;
  let fit = fitOnce(series, filled, weights, options);
  for (let round = 0; round < rounds; round++) {
    series.forEach((s, index) => {
      const seriesFit = fit.series[index];
      const target = filled[index];
      if (!seriesFit || !target) return;
      const levels = causalLevels(seriesFit.residual, options.levelHalfLife);
      for (let i = 0; i < s.days.length; i++) {
        if (s.censored[i] !== 1) continue;
        const mean = (target[i] ?? 0) - (seriesFit.residual[i] ?? 0) + (levels[i] ?? 0);
        target[i] = censoredMean(mean, seriesFit.sigma, s.bound?.[i] ?? s.y[i] ?? 0);
      }
    });
    fit = fitOnce(series, filled, weights, options);
  }
  return fit;
}

function recencyWeights(days: Int32Array, options: PooledFitOptions): Float64Array {
  const w = new Float64Array(days.length);
  let total = 0;
  for (let i = 0; i < days.length; i++) {
    const age = Math.max(options.cutoffDay - (days[i] ?? 0), 0);
    w[i] = Math.pow(0.5, age / options.coefficientHalfLifeDays);
    total += w[i] ?? 0;
  }
  if (total > 0) for (let i = 0; i < w.length; i++) w[i] = (w[i] ?? 0) / total;
  return w;
}

interface Moments {
  readonly means: Float64Array;
  readonly yMean: number;
  /** Centred cross-products scaled by the number of observations. */
  readonly xx: Float64Array;
  readonly xy: Float64Array;
  readonly n: number;
}

function centredMoments(s: SeriesData, y: Float64Array, w: Float64Array, p: number): Moments {
  const n = s.days.length;
  const means = new Float64Array(p);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i] ?? 0;
    yMean += wi * (y[i] ?? 0);
    for (let j = 0; j < p; j++) means[j] = (means[j] ?? 0) + wi * (s.x[i * p + j] ?? 0);
  }
  const xx = new Float64Array(p * p);
  const xy = new Float64Array(p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    // Weights sum to 1; scale by n so the cross-products count observations.
    const wi = (w[i] ?? 0) * n;
    const dy = (y[i] ?? 0) - yMean;
    for (let j = 0; j < p; j++) row[j] = (s.x[i * p + j] ?? 0) - (means[j] ?? 0);
    for (let j = 0; j < p; j++) {
      const rj = (row[j] ?? 0) * wi;
      if (rj === 0) continue;
      xy[j] = (xy[j] ?? 0) + rj * dy;
      for (let k = 0; k <= j; k++) xx[j * p + k] = (xx[j * p + k] ?? 0) + rj * (row[k] ?? 0);
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) xx[k * p + j] = xx[j * p + k] ?? 0;
  return { means, yMean, xx, xy, n };
}

function fitOnce(
  series: readonly SeriesData[],
  filled: readonly Float64Array[],
  weights: readonly Float64Array[],
  options: PooledFitOptions,
): PooledFit {
  const { p } = options;
  const moments = series.map((s, index) =>
    centredMoments(s, filled[index] ?? s.y, weights[index] ?? new Float64Array(0), p),
  );
  const pooledXX = new Float64Array(p * p);
  const pooledXY = new Float64Array(p);
  const pooledMeans = new Float64Array(p);
  let total = 0;
  for (const m of moments) {
    for (let j = 0; j < p * p; j++) pooledXX[j] = (pooledXX[j] ?? 0) + (m.xx[j] ?? 0);
    for (let j = 0; j < p; j++) {
      pooledXY[j] = (pooledXY[j] ?? 0) + (m.xy[j] ?? 0);
      pooledMeans[j] = (pooledMeans[j] ?? 0) + (m.means[j] ?? 0) * m.n;
    }
    total += m.n;
  }
  for (let j = 0; j < p; j++) pooledMeans[j] = total > 0 ? (pooledMeans[j] ?? 0) / total : 0;
  // Per-feature variance per observation, so a prior of k means "k observations' worth".
  const variance = new Float64Array(p);
  for (let j = 0; j < p; j++)
    variance[j] = Math.max((pooledXX[j * p + j] ?? 0) / Math.max(total, 1), 1e-3);
  const pooledSystem = Float64Array.from(pooledXX);
  for (let j = 0; j < p; j++) {
    pooledSystem[j * p + j] =
      (pooledSystem[j * p + j] ?? 0) + options.pooledPrior * (variance[j] ?? 1);
  }
  if (options.calendarPrior && options.calendarPrior.days > 0) {
    for (const j of options.calendarPrior.columns) {
      // Occurrences are dates: a holiday on one date at two markets is seen once.
      const days = new Set<number>();
      for (const s of series) {
        for (let i = 0; i < s.days.length; i++) {
          if ((s.x[i * p + j] ?? 0) !== 0) days.add(s.days[i] ?? 0);
        }
      }
      if (days.size === 0 || days.size >= options.calendarPrior.belowDays) continue;
      // The flag's share of the pooled system per flagged date, times the prior's days.
      pooledSystem[j * p + j] =
        (pooledSystem[j * p + j] ?? 0) +
        (options.calendarPrior.days * (pooledXX[j * p + j] ?? 0)) / days.size;
    }
  }
  const derivedDays = options.calendarPrior?.derivedDays ?? 0;
  if (derivedDays > 0) {
    for (const j of options.calendarPrior?.derivedColumns ?? []) {
      const days = new Set<number>();
      for (const s of series) {
        for (let i = 0; i < s.days.length; i++) {
          if ((s.x[i * p + j] ?? 0) !== 0) days.add(s.days[i] ?? 0);
        }
      }
      if (days.size === 0) continue;
      pooledSystem[j * p + j] =
        (pooledSystem[j * p + j] ?? 0) + (derivedDays * (pooledXX[j * p + j] ?? 0)) / days.size;
    }
  }
  const pooledCoef = solveSymmetric(pooledSystem, pooledXY, p);

  const fits = series.map((s, index): SeriesFit => {
    const m = moments[index];
    const y = filled[index] ?? s.y;
    const w = weights[index] ?? new Float64Array(0);
    if (!m) throw new Error('unreachable: moments per series');
    const system = Float64Array.from(m.xx);
    const rhs = Float64Array.from(m.xy);
    for (let j = 0; j < p; j++) {
      const prior = options.seriesPrior * (variance[j] ?? 1);
      system[j * p + j] = (system[j * p + j] ?? 0) + prior;
      rhs[j] = (rhs[j] ?? 0) + prior * (pooledCoef[j] ?? 0);
    }
    // A holiday's series effect leans on the vendor's by `seriesDays` market days: a product's
    // own one or two Christmas weeks are as much that day's crowd as the product.
    for (const j of options.calendarPrior?.columns ?? []) {
      let flagged = 0;
      for (let i = 0; i < s.days.length; i++) if ((s.x[i * p + j] ?? 0) !== 0) flagged++;
      if (flagged === 0) continue;
      const prior = ((options.calendarPrior?.seriesDays ?? 0) * (m.xx[j * p + j] ?? 0)) / flagged;
      system[j * p + j] = (system[j * p + j] ?? 0) + prior;
      rhs[j] = (rhs[j] ?? 0) + prior * (pooledCoef[j] ?? 0);
    }
    const coef = solveSymmetric(system, rhs, p);
    let intercept = m.yMean;
    for (let j = 0; j < p; j++) intercept -= (m.means[j] ?? 0) * (coef[j] ?? 0);
    const n = s.days.length;
    const residual = new Float64Array(n);
    const uncensored: number[] = [];
    for (let i = 0; i < n; i++) {
      let fitted = intercept;
      for (let j = 0; j < p; j++) fitted += (s.x[i * p + j] ?? 0) * (coef[j] ?? 0);
      residual[i] = (y[i] ?? 0) - fitted;
      if (s.censored[i] !== 1) uncensored.push(Math.abs(residual[i] ?? 0));
    }
    const sigma = uncensored.length >= 3 ? Math.max(1.4826 * median(uncensored), 0.05) : 0.5;
    return { intercept, coef, yFilled: y, residual, sigma, featureMeans: m.means, weights: w };
  });
  return { pooledCoef, pooledFeatureMeans: pooledMeans, series: fits };
}

/**
 * Causal exponentially weighted level of `values`: entry i uses only values before i, with
 * weights halving every `halfLife` observations and `LEVEL_PRIOR` pseudo-observations at zero.
 */
export function causalLevels(values: Float64Array, halfLife: number): Float64Array {
  const decay = Math.pow(0.5, 1 / halfLife);
  const levels = new Float64Array(values.length);
  let sum = 0;
  let weight = 0;
  for (let i = 0; i < values.length; i++) {
    levels[i] = sum / (weight + LEVEL_PRIOR);
    sum = sum * decay + (values[i] ?? 0);
    weight = weight * decay + 1;
  }
  return levels;
}

/**
 * An exponentially weighted level of residuals that a spike does not drag: a residual beyond
 * `clip` (a one-off order, panic buying) counts only up to the clip, but two in a row on the same
 * side are a new level, and both count in full. Weights halve every `halfLife` observations, with
 * `LEVEL_PRIOR` pseudo-observations at zero.
 */
export class LevelTracker {
  private readonly decay: number;
  private sum = 0;
  private weight = 0;
  /** Excess cut from the previous residual, kept in case the next one confirms it. */
  private heldBack = 0;

  constructor(
    halfLife: number,
    private readonly clip = Number.POSITIVE_INFINITY,
  ) {
    this.decay = Math.pow(0.5, 1 / halfLife);
  }

  add(residual: number): void {
    const clipped = Math.min(Math.max(residual, -this.clip), this.clip);
    const excess = residual - clipped;
    // The previous excess joins in when this residual goes past the clip on the same side.
    const confirmed = excess !== 0 && Math.sign(excess) === Math.sign(this.heldBack);
    this.sum =
      this.sum * this.decay + (confirmed ? residual + this.heldBack * this.decay : clipped);
    this.weight = this.weight * this.decay + 1;
    this.heldBack = confirmed ? 0 : excess;
  }

  get value(): number {
    return this.sum / (this.weight + LEVEL_PRIOR);
  }

  /** The tracker's state, to store with a model and go on from (`LevelTracker.resume`). */
  get state(): LevelState {
    return [this.sum, this.weight, this.heldBack];
  }

  /** A tracker that goes on from a stored `state`. */
  static resume(halfLife: number, clip: number, state: LevelState): LevelTracker {
    const tracker = new LevelTracker(halfLife, clip);
    [tracker.sum, tracker.weight, tracker.heldBack] = state;
    return tracker;
  }
}

/** A `LevelTracker`'s state: weighted sum, weight, and the excess held back from the last residual. */
export type LevelState = readonly [sum: number, weight: number, heldBack: number];

/** The level after all of `values` (what `causalLevels` would give the next observation). */
export function finalLevel(
  values: ArrayLike<number>,
  halfLife: number,
  count = values.length,
  clip = Number.POSITIVE_INFINITY,
): number {
  const tracker = new LevelTracker(halfLife, clip);
  for (let i = 0; i < count; i++) tracker.add(values[i] ?? 0);
  return tracker.value;
}
