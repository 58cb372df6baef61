/**
 * The fixed grid of probability levels on which every predictive distribution is stored.
 * Dense in the tails that the newsvendor quantity needs, finite so a model stays small JSON.
 */
export const QUANTILE_LEVELS: readonly number[] = [
  0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8,
  0.85, 0.9, 0.95, 0.98,
];

/**
 * Value at probability `level` of a distribution given by non-decreasing `values` at
 * `QUANTILE_LEVELS`: linear between grid points, flat beyond the ends.
 */
export function interpolateQuantile(values: readonly number[], level: number): number {
  const levels = QUANTILE_LEVELS;
  const first = levels[0] ?? 0;
  const last = levels[levels.length - 1] ?? 1;
  if (level <= first) return values[0] ?? 0;
  if (level >= last) return values[values.length - 1] ?? 0;
  let upper = 1;
  while (upper < levels.length - 1 && (levels[upper] ?? 1) < level) upper++;
  const lowLevel = levels[upper - 1] ?? 0;
  const highLevel = levels[upper] ?? 1;
  const low = values[upper - 1] ?? 0;
  const high = values[upper] ?? low;
  return low + ((high - low) * (level - lowLevel)) / (highLevel - lowLevel);
}
