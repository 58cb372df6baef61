/**
 * Quantile of a sample at level `level` in [0, 1], by linear interpolation between order
 * statistics (type 7, the R and NumPy default). `sorted` must be sorted ascending and non-empty.
 */
export function quantileOfSorted(sorted: readonly number[], level: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  const position = Math.min(Math.max(level, 0), 1) * (n - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const fraction = position - below;
  const low = sorted[below] ?? 0;
  const high = sorted[above] ?? low;
  return low + (high - low) * fraction;
}

/** Quantiles of an unsorted sample at each of `levels`. */
export function sampleQuantiles(values: readonly number[], levels: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return levels.map((level) => quantileOfSorted(sorted, level));
}

/** Median of an unsorted, non-empty sample. */
export function median(values: readonly number[]): number {
  return sampleQuantiles(values, [0.5])[0] ?? 0;
}
