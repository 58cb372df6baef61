/** Pinball (quantile) loss of forecasting `forecast` at level `level` when `actual` happened. */
export function pinballLoss(level: number, forecast: number, actual: number): number {
  return actual >= forecast ? level * (actual - forecast) : (1 - level) * (forecast - actual);
}

/**
 * Scale of a series for scaled pinball loss: the mean absolute change between consecutive values
 * (consecutive observations, in date order). Falls back to the mean absolute value, then 1, so
 * a flat or one-point history never divides by zero.
 */
export function seriesScale(values: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < values.length; i++)
    total += Math.abs((values[i] ?? 0) - (values[i - 1] ?? 0));
  if (values.length >= 2 && total > 0) return total / (values.length - 1);
  const meanAbs =
    values.reduce((sum, value) => sum + Math.abs(value), 0) / Math.max(values.length, 1);
  return meanAbs > 0 ? meanAbs : 1;
}

/** One forecast row to score: P10, P50, P90 and the critical-ratio quantile of one method. */
export interface ScoredForecast {
  readonly q10: number;
  readonly q50: number;
  readonly q90: number;
  readonly critical: number;
}

/** One scored row: what happened, the scale of its series, and each method's forecast. */
export interface ScoreRow {
  readonly actual: number;
  readonly scale: number;
  readonly engine: ScoredForecast;
  readonly rule: ScoredForecast;
}

/** The figures of one method over a backtest. */
export interface MethodScore {
  /** Mean scaled pinball loss over rows and over P10, P50, P90. */
  readonly scaledPinball: number;
  /** Share of rows with P10 <= actual <= P90. */
  readonly coverage: number;
  /** Mean scaled pinball loss of the critical-ratio quantile at the critical ratio. */
  readonly criticalPinball: number;
}

/** Backtest summary: both methods and the engine/rule ratio of scaled pinball loss. */
export interface BacktestScore {
  readonly rows: number;
  readonly engine: MethodScore;
  readonly rule: MethodScore;
  /** engine.scaledPinball / rule.scaledPinball (lower is better; < 1 beats the rule). */
  readonly relativePinball: number;
  readonly relativeCriticalPinball: number;
}

function scoreMethod(
  rows: readonly ScoreRow[],
  pick: (row: ScoreRow) => ScoredForecast,
  criticalRatio: number,
): MethodScore {
  let pinball = 0;
  let covered = 0;
  let critical = 0;
  for (const row of rows) {
    const f = pick(row);
    pinball +=
      (pinballLoss(0.1, f.q10, row.actual) +
        pinballLoss(0.5, f.q50, row.actual) +
        pinballLoss(0.9, f.q90, row.actual)) /
      (3 * row.scale);
    if (f.q10 <= row.actual && row.actual <= f.q90) covered++;
    critical += pinballLoss(criticalRatio, f.critical, row.actual) / row.scale;
  }
  const n = Math.max(rows.length, 1);
  return { scaledPinball: pinball / n, coverage: covered / n, criticalPinball: critical / n };
}

/** Scores engine and rule on the same rows. */
export function scoreBacktest(rows: readonly ScoreRow[], criticalRatio: number): BacktestScore {
  const engine = scoreMethod(rows, (row) => row.engine, criticalRatio);
  const rule = scoreMethod(rows, (row) => row.rule, criticalRatio);
  return {
    rows: rows.length,
    engine,
    rule,
    relativePinball: rule.scaledPinball > 0 ? engine.scaledPinball / rule.scaledPinball : 1,
    relativeCriticalPinball:
      rule.criticalPinball > 0 ? engine.criticalPinball / rule.criticalPinball : 1,
  };
}
