import { fromDayNumber, toDayNumber } from '../calendar-dates';
import { demandLowerBound, isCensored } from '../censoring';
import type { CovariateIndex, FeatureSpec } from '../features';
import { featureCount, isClosedDay, marketDayKey, writeFeatures } from '../features';
import type { SalesObservation } from '../types';

/** One market x product series, ready to fit: days ascending, values on the log1p scale. */
export interface SeriesData {
  readonly key: string;
  readonly market: string;
  readonly product: string;
  readonly days: Int32Array;
  /** log1p(quantity sold). */
  readonly y: Float64Array;
  readonly censored: Uint8Array;
  /**
   * log1p of the demand lower bound of censored days (`demandLowerBound`: above what sold when a
   * sell-out time says it sold out early); equal to `y` elsewhere. Absent: `y` everywhere.
   */
  readonly bound?: Float64Array;
  /** Feature rows, `days.length x featureCount`, row-major. */
  readonly x: Float64Array;
}

/** Key of a market x product series. */
export function seriesKey(market: string, product: string): string {
  return `${market}\u0000${product}`;
}

interface Accumulated {
  market: string;
  product: string;
  byDay: Map<number, { quantity: number; censored: boolean; bound: number }>;
}

/**
 * Groups sales into series (sorted by key; within a series by day), sums duplicate rows, and
 * drops days the calendar marks closed (no demand to learn from).
 */
export function buildSeriesData(
  sales: readonly SalesObservation[],
  covariates: CovariateIndex,
  spec: FeatureSpec,
): SeriesData[] {
  const bySeries = new Map<string, Accumulated>();
  for (const sale of sales) {
    if (!Number.isFinite(sale.quantity)) continue;
    if (isClosedDay(covariates.get(marketDayKey(sale.market, sale.date)))) continue;
    const key = seriesKey(sale.market, sale.product);
    let entry = bySeries.get(key);
    if (!entry) {
      entry = { market: sale.market, product: sale.product, byDay: new Map() };
      bySeries.set(key, entry);
    }
    const day = toDayNumber(sale.date);
    const previous = entry.byDay.get(day);
    const quantity = Math.max(sale.quantity, 0);
    entry.byDay.set(day, {
      quantity: (previous?.quantity ?? 0) + quantity,
      censored: (previous?.censored ?? false) || isCensored(sale),
      // Excess of the demand bound over what sold, summed like the quantities.
      bound: (previous?.bound ?? 0) + Math.max(demandLowerBound(sale), quantity) - quantity,
    });
  }
  const p = featureCount(spec);
  const result: SeriesData[] = [];
  for (const key of [...bySeries.keys()].sort()) {
    const entry = bySeries.get(key);
    if (!entry) continue;
    const days = [...entry.byDay.keys()].sort((a, b) => a - b);
    const n = days.length;
    const data: SeriesData = {
      key,
      market: entry.market,
      product: entry.product,
      days: Int32Array.from(days),
      y: new Float64Array(n),
      censored: new Uint8Array(n),
      bound: new Float64Array(n),
      x: new Float64Array(n * p),
    };
    days.forEach((day, i) => {
      const value = entry.byDay.get(day);
      data.y[i] = Math.log1p(value?.quantity ?? 0);
      data.censored[i] = value?.censored === true ? 1 : 0;
      if (data.bound) {
        data.bound[i] = Math.log1p(
          (value?.quantity ?? 0) + (value?.censored ? (value.bound ?? 0) : 0),
        );
      }
      const date = fromDayNumber(day);
      writeFeatures(spec, day, covariates.get(marketDayKey(entry.market, date)), data.x, i * p);
    });
    result.push(data);
  }
  return result;
}

/** The first `count` observations of a series (a training prefix). */
export function truncateSeries(series: SeriesData, count: number, p: number): SeriesData {
  return {
    key: series.key,
    market: series.market,
    product: series.product,
    days: series.days.subarray(0, count),
    y: series.y.subarray(0, count),
    censored: series.censored.subarray(0, count),
    ...(series.bound ? { bound: series.bound.subarray(0, count) } : {}),
    x: series.x.subarray(0, count * p),
  };
}

/** Number of observations of `series` dated on or before `day`. */
export function countUpTo(series: SeriesData, day: number): number {
  let low = 0;
  let high = series.days.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((series.days[mid] ?? 0) <= day) low = mid + 1;
    else high = mid;
  }
  return low;
}
