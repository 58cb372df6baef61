import { median, sampleQuantiles } from '../quantiles/empirical-quantile';
import type { ScoredForecast } from './scoring';

/**
 * The careful vendor's rule of thumb: the median of the last 4 same-weekday sales, with P10, P90
 * and the critical-ratio quantile from the last 8 (fewer when fewer exist; 0 with none).
 * `sameWeekday` holds the earlier same-weekday values, oldest first.
 */
export function ruleOfThumbForecast(
  sameWeekday: readonly number[],
  criticalRatio: number,
): ScoredForecast {
  if (sameWeekday.length === 0) return { q10: 0, q50: 0, q90: 0, critical: 0 };
  const last4 = sameWeekday.slice(-4);
  const last8 = sameWeekday.slice(-8);
  const [q10 = 0, q90 = 0, critical = 0] = sampleQuantiles(last8, [0.1, 0.9, criticalRatio]);
  return { q10, q50: median(last4), q90, critical };
}
