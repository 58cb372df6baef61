/**
 * Forecast accuracy from a rolling backtest of the vendor's own history: every past market day is
 * forecast by a model trained only on sales before it, and the forecast is compared with what sold.
 * Pure: the same rows always give the same figures.
 */

/** One product on one past market day: the backtest's forecast and what happened. */
export interface BacktestOutcome {
  market: string;
  date: string;
  /** Units sold. */
  actual: number;
  q10: number;
  q50: number;
  q90: number;
  /** Sold out (demand was at least `actual`): counted, but left out of the error. */
  censored: boolean;
}

/** Accuracy of one market's backtest forecasts. */
export interface BacktestAccuracy {
  /** Distinct market days with a forecast. */
  marketDays: number;
  /** Product-days compared (not sold out). */
  accuracyDays: number;
  /** Product-days that sold out (true demand unknown). */
  censoredDays: number;
  /** Mean |most likely - sold| over `accuracyDays`; null without any. */
  meanAbsoluteError: number | null;
  /** Mean (most likely - sold): > 0 the forecast ran high. */
  bias: number | null;
  /** Share of compared product-days whose sales fell inside the likely range (P10..P90). */
  rangeCoverage: number | null;
}

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/** Accuracy figures per market of a backtest's outcomes (markets without outcomes are absent). */
export function summarizeBacktestAccuracy(
  outcomes: readonly BacktestOutcome[],
): Map<string, BacktestAccuracy> {
  const byMarket = new Map<string, BacktestOutcome[]>();
  for (const outcome of outcomes) {
    const list = byMarket.get(outcome.market);
    if (list) list.push(outcome);
    else byMarket.set(outcome.market, [outcome]);
  }
  const result = new Map<string, BacktestAccuracy>();
  for (const [market, list] of byMarket) {
    const compared = list.filter((o) => !o.censored);
    const errors = compared.map((o) => o.q50 - o.actual);
    const inside = compared.filter((o) => o.actual >= o.q10 && o.actual <= o.q90).length;
    const n = compared.length;
    result.set(market, {
      marketDays: new Set(list.map((o) => o.date)).size,
      accuracyDays: n,
      censoredDays: list.length - n,
      meanAbsoluteError:
        n === 0 ? null : round(errors.reduce((sum, e) => sum + Math.abs(e), 0) / n, 3),
      bias: n === 0 ? null : round(errors.reduce((sum, e) => sum + e, 0) / n, 3),
      rangeCoverage: n === 0 ? null : round(inside / n, 4),
    });
  }
  return result;
}
