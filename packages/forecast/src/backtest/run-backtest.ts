import { fromDayNumber, toDayNumber, weekdayOfDay } from '../calendar-dates';
import type { DemandModel } from '../models/demand-model';
import { advanceDemandModel } from '../models/advance';
import { seriesKey } from '../models/series-data';
import { predictDemand } from '../predict';
import { trainDemandModel } from '../train';
import type { MarketDayCovariates, ModelRung, SalesObservation } from '../types';
import { ruleOfThumbForecast } from './rule-of-thumb';
import type { BacktestScore, ScoredForecast, ScoreRow } from './scoring';
import { scoreBacktest, seriesScale } from './scoring';

/** Settings of a rolling backtest (the CLI's flags). */
export interface BacktestOptions {
  readonly sales: readonly SalesObservation[];
  readonly covariates?: readonly MarketDayCovariates[];
  /** First date to forecast, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last date to forecast (default: the last sales date). */
  readonly to?: string;
  /** Date D is forecast from sales dated on or before D - leadDays (default 1). */
  readonly leadDays?: number;
  /** The critical ratio of the `recommended` column and of the critical pinball (default 0.7). */
  readonly criticalRatio?: number;
  /** Retrain every this many days (default 7). */
  readonly retrainDays?: number;
  /** Keep only this weekday, Monday = 0 (a weekly market). */
  readonly weekday?: number;
}

/** One forecast sales row of a backtest. */
export interface BacktestPrediction {
  readonly date: string;
  readonly market: string;
  readonly product: string;
  readonly actual: number;
  readonly q10: number;
  readonly q50: number;
  readonly q90: number;
  /** The demand quantile at the critical ratio, not rounded, so it can be scored. */
  readonly recommended: number;
  readonly model: ModelRung;
  readonly rule: ScoredForecast;
  readonly scale: number;
}

/** Everything a backtest produced. */
export interface BacktestResult {
  readonly predictions: readonly BacktestPrediction[];
  readonly score: BacktestScore;
  /** How many times the model was trained. */
  readonly trainings: number;
}

/**
 * Rolling-origin backtest without look-ahead: every date D from `from` with sales rows is
 * forecast by a model trained on sales dated <= D - leadDays (covariates of D itself are allowed),
 * retrained every `retrainDays`; beside it the vendor's rule of thumb on the same information.
 */
export function runBacktest(options: BacktestOptions): BacktestResult {
  const leadDays = Math.max(0, Math.floor(options.leadDays ?? 1));
  const retrainDays = Math.max(1, Math.floor(options.retrainDays ?? 7));
  const criticalRatio = options.criticalRatio ?? 0.7;
  const fromDay = toDayNumber(options.from);
  const sales = options.sales
    .filter(
      (sale) =>
        options.weekday === undefined || weekdayOfDay(toDayNumber(sale.date)) === options.weekday,
    )
    .map((sale, order) => ({ sale, order, day: toDayNumber(sale.date) }))
    .sort((a, b) => a.day - b.day || a.order - b.order);
  const sortedSales = sales.map((entry) => entry.sale);
  const toDay =
    options.to !== undefined ? toDayNumber(options.to) : (sales[sales.length - 1]?.day ?? fromDay);

  // Per series: (day, quantity) in date order, duplicates summed, for the rule and the scale.
  const history = new Map<string, { days: number[]; values: number[] }>();
  for (const { sale, day } of sales) {
    const key = seriesKey(sale.market, sale.product);
    let entry = history.get(key);
    if (!entry) history.set(key, (entry = { days: [], values: [] }));
    if (entry.days[entry.days.length - 1] === day) {
      entry.values[entry.values.length - 1] =
        (entry.values[entry.values.length - 1] ?? 0) + sale.quantity;
    } else {
      entry.days.push(day);
      entry.values.push(sale.quantity);
    }
  }
  const scales = new Map<string, number>();
  for (const [key, entry] of history) {
    const before = entry.values.filter((_, i) => (entry.days[i] ?? 0) < fromDay);
    scales.set(key, seriesScale(before.length >= 2 ? before : entry.values));
  }

  const targets = new Map<number, SalesObservation[]>();
  for (const { sale, day } of sales) {
    if (day < fromDay || day > toDay) continue;
    let list = targets.get(day);
    if (!list) targets.set(day, (list = []));
    list.push(sale);
  }

  const predictions: BacktestPrediction[] = [];
  let model: DemandModel | undefined;
  let trainedOn = Number.NEGATIVE_INFINITY;
  let trainedThroughIndex = 0;
  let trainings = 0;
  for (const day of [...targets.keys()].sort((a, b) => a - b)) {
    const rows = targets.get(day) ?? [];
    if (!model || day - trainedOn >= retrainDays) {
      const cutoff = day - leadDays;
      const visible = sortedSales.slice(0, upperBound(sales, cutoff));
      model = trainDemandModel({
        sales: visible,
        covariates: options.covariates ?? [],
        trainThrough: fromDayNumber(cutoff),
        leadDays,
        // Every forecast below reads the level through its own day minus the lead (advanced).
        horizonDays: 1,
      });
      trainedOn = day;
      trainedThroughIndex = visible.length;
      trainings++;
    }
    // The sales since the training, as a prep list made the evening before would see them.
    const current = advanceDemandModel({
      model,
      sales: sortedSales.slice(trainedThroughIndex, upperBound(sales, day - leadDays)),
      covariates: options.covariates ?? [],
    });
    const forecasts = predictDemand({
      model: current,
      requests: rows,
      covariates: options.covariates ?? [],
      criticalRatio,
    });
    rows.forEach((row, i) => {
      const forecast = forecasts[i];
      if (!forecast) return;
      const key = seriesKey(row.market, row.product);
      const entry = history.get(key);
      const known = entry ? upperBoundDays(entry.days, day - leadDays) : 0;
      const sameWeekday: number[] = [];
      const weekday = weekdayOfDay(day);
      for (let j = 0; j < known; j++) {
        if (weekdayOfDay(entry?.days[j] ?? 0) === weekday) sameWeekday.push(entry?.values[j] ?? 0);
      }
      predictions.push({
        date: row.date,
        market: row.market,
        product: row.product,
        actual: row.quantity,
        q10: forecast.p10,
        q50: forecast.p50,
        q90: forecast.p90,
        recommended: forecast.criticalQuantile,
        model: forecast.rung,
        rule: ruleOfThumbForecast(sameWeekday, criticalRatio),
        scale: scales.get(key) ?? 1,
      });
    });
  }
  const scoreRows: ScoreRow[] = predictions.map((p) => ({
    actual: p.actual,
    scale: p.scale,
    engine: { q10: p.q10, q50: p.q50, q90: p.q90, critical: p.recommended },
    rule: p.rule,
  }));
  return { predictions, score: scoreBacktest(scoreRows, criticalRatio), trainings };
}

function upperBound(sales: readonly { day: number }[], day: number): number {
  let low = 0;
  let high = sales.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sales[mid]?.day ?? 0) <= day) low = mid + 1;
    else high = mid;
  }
  return low;
}

function upperBoundDays(days: readonly number[], day: number): number {
  return upperBound(
    days.map((d) => ({ day: d })),
    day,
  );
}
