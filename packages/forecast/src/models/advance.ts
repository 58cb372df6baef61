import { fromDayNumber, toDayNumber, weekdayOfDay } from '../calendar-dates';
import { censoredMean } from '../censoring';
import { featureCount, indexCovariates } from '../features';
import { median } from '../quantiles/empirical-quantile';
import type { MarketDayCovariates, SalesObservation } from '../types';
import type { DemandModel, SeriesForward, SeriesModel } from './demand-model';
import { positiveObservations } from './open-days';
import { LevelTracker } from './pooled';
import { buildSeriesData, seriesKey } from './series-data';

/** What `advanceDemandModel` needs. */
export interface AdvanceDemandModelOptions {
  readonly model: DemandModel;
  /** Sales; only those after the model's `advancedThrough` (or `trainedThrough`) are read. */
  readonly sales: readonly SalesObservation[];
  /** Covariates of those sales' market days (for the effects the new residuals are read against). */
  readonly covariates?: readonly MarketDayCovariates[];
}

/**
 * Brings a trained model up to date with sales it has not seen, without refitting: each pooled
 * series' recent level and same-weekday medians take in the new market days exactly as training
 * would have (residuals against the learnt effects, a sell-out at its expected demand given its
 * bound, the level's clip). So a forecast made the evening before uses that day's sales even when
 * the effects were learnt days ago, as the vendor's own rule does. Pure; returns a new model.
 */
export function advanceDemandModel(options: AdvanceDemandModelOptions): DemandModel {
  const { model } = options;
  const seenThrough = model.advancedThrough ?? model.trainedThrough;
  const fresh = options.sales.filter((sale) => sale.date > seenThrough);
  if (fresh.length === 0) return model;
  const dates = new Set(fresh.map((sale) => sale.date));
  const index = indexCovariates((options.covariates ?? []).filter((row) => dates.has(row.date)));
  const p = featureCount(model.spec);
  const newData = new Map(
    buildSeriesData(fresh, index, model.spec).map((s) => [s.key, positiveObservations(s, p)]),
  );
  let lastDay = toDayNumber(seenThrough);
  for (const date of dates) lastDay = Math.max(lastDay, toDayNumber(date));
  const series = model.series.map((entry): SeriesModel => {
    const data = newData.get(seriesKey(entry.market, entry.product));
    const forward = entry.forward;
    if (!data || data.days.length === 0 || !forward) return entry;
    const clip = forward.levelClip ?? Number.POSITIVE_INFINITY;
    const halfLife = forward.levelHalfLife ?? model.levelHalfLife;
    const level = LevelTracker.resume(halfLife, clip, forward.level);
    const sellOutLevel = LevelTracker.resume(
      halfLife,
      Number.POSITIVE_INFINITY,
      forward.sellOutLevel,
    );
    const recentFilled = forward.recentFilled.map((list) => [...list]);
    const recentSold = forward.recentSold.map((list) => [...list]);
    for (let i = 0; i < data.days.length; i++) {
      let fitted = entry.intercept;
      for (let j = 0; j < p; j++) fitted += (data.x[i * p + j] ?? 0) * (entry.coef[j] ?? 0);
      const sold = data.y[i] ?? 0;
      // A sell-out's demand is its expected value given the bound, under the current level.
      const filled =
        data.censored[i] === 1
          ? censoredMean(fitted + level.value, forward.sigma, data.bound?.[i] ?? sold)
          : sold;
      level.add(filled - fitted);
      sellOutLevel.add(filled - sold);
      const weekday = weekdayOfDay(data.days[i] ?? 0);
      pushWindow(recentFilled[weekday], filled, model.baselineWindow);
      pushWindow(recentSold[weekday], sold, model.baselineWindow);
    }
    const weekdayMedians = recentFilled.map((list) => (list.length > 0 ? median(list) : null));
    const nextForward: SeriesForward = {
      ...forward,
      level: level.state,
      sellOutLevel: sellOutLevel.state,
      recentFilled,
      recentSold,
    };
    return {
      ...entry,
      level: level.value,
      sellOutLevel: sellOutLevel.value,
      weekdayMedians,
      weekdayMedianSellOutFill: weekdayMedians.map((filled, w) => {
        const soldList = recentSold[w] ?? [];
        return filled === null || soldList.length === 0
          ? 0
          : Math.max(filled - median(soldList), 0);
      }),
      forward: nextForward,
    };
  });
  return { ...model, advancedThrough: fromDayNumber(lastDay), series };
}

function pushWindow(list: number[] | undefined, value: number, window: number): void {
  if (!list) return;
  list.push(value);
  if (list.length > window) list.splice(0, list.length - window);
}
