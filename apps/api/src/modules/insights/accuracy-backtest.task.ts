/**
 * The accuracy backtest, run on a worker thread by InsightsService (runOffThread of @marketprep/planning): it
 * trains the demand model several times, seconds of CPU the API's event loop must not wait on.
 */
import { runBacktest, type BacktestOptions } from '@marketprep/forecast';

/** What the thread sends back: one forecast per sales row in the period. */
export interface AccuracyPrediction {
  market: string;
  product: string;
  date: string;
  actual: number;
  q10: number;
  q50: number;
  q90: number;
}

export function run(options: BacktestOptions): AccuracyPrediction[] {
  return runBacktest(options).predictions.map((p) => ({
    market: p.market,
    product: p.product,
    date: p.date,
    actual: p.actual,
    q10: p.q10,
    q50: p.q50,
    q90: p.q90,
  }));
}
