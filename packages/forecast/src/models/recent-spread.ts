import { QUANTILE_LEVELS } from '../quantiles/quantile-grid';

/** Fewer recent same-weekday values than this say nothing about a spread: the model's is used. */
export const RECENT_SPREAD_MIN_VALUES = 4;

const MEDIAN_INDEX = QUANTILE_LEVELS.indexOf(0.5);

/**
 * A series' log-scale residual quantiles (at `QUANTILE_LEVELS`) with part of their spread taken
 * from its recent same-weekday values: at each level, `weight` times the model's residual
 * quantile plus `1 - weight` times the model's median residual plus the recent values' quantile
 * minus their median. The median is unchanged (the centre is the blend's business); only the
 * shape around it leans on how the last market days of that weekday spread. With `weight` 1 or
 * fewer than `RECENT_SPREAD_MIN_VALUES` values, the model's quantiles.
 */
export function stackRecentSpread(
  residualQuantiles: readonly number[],
  recent: readonly number[] | undefined,
  weight: number,
): readonly number[] {
  const deviations = weight >= 1 ? undefined : recentDeviations(recent);
  if (!deviations) return residualQuantiles;
  const modelMedian = residualQuantiles[MEDIAN_INDEX] ?? 0;
  return QUANTILE_LEVELS.map((_, i) => {
    const own = residualQuantiles[i] ?? modelMedian;
    return weight * own + (1 - weight) * (modelMedian + (deviations[i] ?? 0));
  });
}

/**
 * The recent values' next-value quantiles at `QUANTILE_LEVELS` minus their median; undefined with
 * fewer than `RECENT_SPREAD_MIN_VALUES` values.
 */
function recentDeviations(recent: readonly number[] | undefined): number[] | undefined {
  if (!recent || recent.length < RECENT_SPREAD_MIN_VALUES) return undefined;
  const sorted = [...recent].sort((a, b) => a - b);
  const recentMedian = predictiveQuantile(sorted, 0.5);
  return QUANTILE_LEVELS.map((level) => predictiveQuantile(sorted, level) - recentMedian);
}

/**
 * Quantile at `level` of the next value after the `n` exchangeable values `sorted` (ascending): it
 * falls below the k-th smallest with chance k / (n + 1), so the level sits at position
 * `level * (n + 1)` among them (type 6), not `level * (n - 1) + 1` (type 7, the sample's own
 * quantile, whose P10-P90 of 8 values covers about 65% of the next ones). Beyond the smallest and
 * the largest, n values say nothing more: those.
 */
export function predictiveQuantile(sorted: readonly number[], level: number): number {
  const n = sorted.length;
  const position = Math.min(Math.max(level * (n + 1), 1), n);
  const below = Math.floor(position);
  const low = sorted[below - 1] ?? 0;
  const high = sorted[Math.min(below, n - 1)] ?? low;
  return low + (high - low) * (position - below);
}

/** An out-of-sample validation row that can score a spread: its residual and recent values. */
export interface SpreadRow {
  readonly key: string;
  readonly fold: number;
  /** Log error of the forecast's centre (observed minus centre, a sell-out at its demand). */
  readonly residual: number;
  /** The series' same-weekday log values known when the row was forecast. */
  readonly recent: readonly number[];
}

/**
 * Per-series weights of the model's residual shape against the recent same-weekday spread
 * (`stackRecentSpread`), chosen on validation rows by the pinball loss averaged over
 * `QUANTILE_LEVELS` (a proper score of the whole distribution, so a spread too narrow for its
 * tails loses). Each series' loss at each weight is shrunk toward the vendor's by `priorRows` rows'
 * worth of the vendor's average loss, so a series with few rows follows the vendor. Ties go to the
 * earlier weight of `grid`. `shapeOf` gives the model's residual quantiles a row was forecast
 * with. The rows are scored once; the result picks the weights with the rows of fold `skip` left
 * out (-1: none), for cross-fitting.
 */
export function chooseSpreadWeights(
  rows: readonly SpreadRow[],
  shapeOf: (row: SpreadRow) => readonly number[] | undefined,
  grid: readonly number[],
  priorRows: number,
): (skip: number) => Map<string, number> {
  // Summed loss per series, fold and weight, and the row counts.
  const byKey = new Map<string, Map<number, { sums: number[]; count: number }>>();
  for (const row of rows) {
    const shape = shapeOf(row);
    if (!shape) continue;
    let folds = byKey.get(row.key);
    if (!folds) byKey.set(row.key, (folds = new Map<number, { sums: number[]; count: number }>()));
    let entry = folds.get(row.fold);
    if (!entry) folds.set(row.fold, (entry = { sums: grid.map(() => 0), count: 0 }));
    const deviations = recentDeviations(row.recent);
    const modelMedian = shape[MEDIAN_INDEX] ?? 0;
    const sums = entry.sums;
    grid.forEach((weight, w) => {
      // The pinball loss of `stackRecentSpread(shape, row.recent, weight)`, averaged over levels.
      let loss = 0;
      QUANTILE_LEVELS.forEach((level, i) => {
        const own = shape[i] ?? modelMedian;
        const q =
          deviations && weight < 1
            ? weight * own + (1 - weight) * (modelMedian + (deviations[i] ?? 0))
            : own;
        loss += row.residual >= q ? level * (row.residual - q) : (1 - level) * (q - row.residual);
      });
      sums[w] = (sums[w] ?? 0) + loss / QUANTILE_LEVELS.length;
    });
    entry.count++;
  }
  return (skip) => {
    const own = new Map<string, number[]>();
    const vendor = grid.map(() => 0);
    let count = 0;
    for (const [key, folds] of byKey) {
      const sums = grid.map(() => 0);
      let rowsOfKey = 0;
      for (const [fold, entry] of folds) {
        if (fold === skip) continue;
        entry.sums.forEach((sum, w) => {
          sums[w] = (sums[w] ?? 0) + sum;
          vendor[w] = (vendor[w] ?? 0) + sum;
        });
        rowsOfKey += entry.count;
      }
      if (rowsOfKey === 0) continue;
      own.set(key, sums);
      count += rowsOfKey;
    }
    const result = new Map<string, number>();
    if (count === 0) return result;
    for (const [key, sums] of own) {
      const score = (w: number): number => (sums[w] ?? 0) + (priorRows * (vendor[w] ?? 0)) / count;
      let best = 0;
      for (let w = 1; w < grid.length; w++) if (score(w) < score(best)) best = w;
      result.set(key, grid[best] ?? 1);
    }
    return result;
  };
}
