import { weekdayOfDay } from '../calendar-dates';
import { DATE_FLAG_PREFIX } from '../date-flags';
import { median } from '../quantiles/empirical-quantile';
import type { SeriesData } from './series-data';

/**
 * Zero days. A market day where every product sold nothing is a day the stall was shut (a holiday,
 * a storm) even when no calendar says so; a zero for one product on an open day is a product that
 * did not sell. Both are kept out of the log-scale fit (one zero would drag a level of hundreds
 * down for weeks) and come back as a point mass at zero in the predictive distribution.
 */

/** Recency half-life, in same-kind observations, of the open and zero rates. */
const RATE_HALF_LIFE = 26;
/** One pseudo-observation at the broader rate (empirical Bayes), so no rate is exactly 0 or 1. */
const RATE_PRIOR = 1;

/** How often a market is open, learned from the days it has sales rows. */
export interface MarketOpenRates {
  readonly market: string;
  /** Chance the market is open, by weekday (Monday = 0). */
  readonly byWeekday: readonly number[];
  /** Market days seen, by weekday (days without calendar flags). */
  readonly weekdayDays: readonly number[];
  /** Chance it is open on a day with each calendar flag set (holidays), by flag name. */
  readonly byFlag: Readonly<Record<string, number>>;
}

/** Per market: day number -> whether anything sold that day (only days with sales rows). */
export function findOpenDays(series: readonly SeriesData[]): Map<string, Map<number, boolean>> {
  const markets = new Map<string, Map<number, boolean>>();
  for (const s of series) {
    let days = markets.get(s.market);
    if (!days) markets.set(s.market, (days = new Map<number, boolean>()));
    for (let i = 0; i < s.days.length; i++) {
      const day = s.days[i] ?? 0;
      days.set(day, (days.get(day) ?? false) || (s.y[i] ?? 0) > 0);
    }
  }
  return markets;
}

function weightedCounts(outcomes: readonly boolean[]): { hits: number; weight: number } {
  const decay = Math.pow(0.5, 1 / RATE_HALF_LIFE);
  let hits = 0;
  let weight = 0;
  for (const outcome of outcomes) {
    hits = hits * decay + (outcome ? 1 : 0);
    weight = weight * decay + 1;
  }
  return { hits, weight };
}

function shrunkRate(counts: { hits: number; weight: number }, prior: number): number {
  return (counts.hits + RATE_PRIOR * prior) / (counts.weight + RATE_PRIOR);
}

/** Open rates per market and weekday (and on flagged days), recency-weighted, Jeffreys prior. */
export function estimateOpenRates(
  openDays: ReadonlyMap<string, ReadonlyMap<number, boolean>>,
  flagsOf: (market: string, day: number) => readonly string[],
): MarketOpenRates[] {
  const isFlagged = (market: string, day: number): boolean => flagsOf(market, day).length > 0;
  const result: MarketOpenRates[] = [];
  for (const market of [...openDays.keys()].sort()) {
    const days = openDays.get(market) ?? new Map<number, boolean>();
    const ordered = [...days.keys()].sort((a, b) => a - b);
    const weekdayCounts = [0, 1, 2, 3, 4, 5, 6].map((weekday) => {
      const outcomes = ordered
        .filter((day) => weekdayOfDay(day) === weekday && !isFlagged(market, day))
        .map((day) => days.get(day) === true);
      return { ...weightedCounts(outcomes), n: outcomes.length };
    });
    // Prior: the market's typical weekday (median of the weekdays it trades on).
    const seen = weekdayCounts.filter((c) => c.weight > 0).map((c) => c.hits / c.weight);
    const typical = seen.length > 0 ? median(seen) : 1;
    const byWeekday = weekdayCounts.map((c) => shrunkRate(c, typical));
    const weekdayDays = weekdayCounts.map((c) => c.n);
    const outcomesByFlag = new Map<string, boolean[]>();
    for (const day of ordered) {
      for (const flag of flagsOf(market, day)) {
        let list = outcomesByFlag.get(flag);
        if (!list) outcomesByFlag.set(flag, (list = []));
        list.push(days.get(day) === true);
      }
    }
    const byFlag: Record<string, number> = {};
    for (const flag of [...outcomesByFlag.keys()].sort()) {
      byFlag[flag] = shrunkRate(weightedCounts(outcomesByFlag.get(flag) ?? []), typical);
    }
    result.push({ market, byWeekday, weekdayDays, byFlag });
  }
  return result;
}

/**
 * Recency-weighted zeros and weight of a product on open market days; `zeroRateOf` turns them into
 * a rate shrunk toward the vendor-wide zero rate.
 */
export function countZeroDays(
  series: SeriesData,
  openDays: ReadonlyMap<number, boolean> | undefined,
): { hits: number; weight: number } {
  const decay = Math.pow(0.5, 1 / RATE_HALF_LIFE);
  let zeros = 0;
  let weight = 0;
  for (let i = 0; i < series.days.length; i++) {
    if (openDays?.get(series.days[i] ?? 0) !== true) continue;
    zeros = zeros * decay + ((series.y[i] ?? 0) > 0 ? 0 : 1);
    weight = weight * decay + 1;
  }
  return { hits: zeros, weight };
}

/** A product's zero rate, shrunk toward `prior` by one pseudo-observation. */
export function zeroRateOf(counts: { hits: number; weight: number }, prior: number): number {
  return shrunkRate(counts, prior);
}

/** The observations with a positive value (what the log-scale model is fitted on). */
export function positiveObservations(series: SeriesData, p: number): SeriesData {
  const keep: number[] = [];
  for (let i = 0; i < series.days.length; i++) if ((series.y[i] ?? 0) > 0) keep.push(i);
  const x = new Float64Array(keep.length * p);
  keep.forEach((source, target) =>
    x.set(series.x.subarray(source * p, source * p + p), target * p),
  );
  return {
    key: series.key,
    market: series.market,
    product: series.product,
    days: Int32Array.from(keep.map((i) => series.days[i] ?? 0)),
    y: Float64Array.from(keep.map((i) => series.y[i] ?? 0)),
    censored: Uint8Array.from(keep.map((i) => series.censored[i] ?? 0)),
    ...(series.bound
      ? { bound: Float64Array.from(keep.map((i) => series.bound?.[i] ?? series.y[i] ?? 0)) }
      : {}),
    x,
  };
}

/**
 * Chance `market` is open on a day: its weekday rate, lowered by any set flag's rate. A flag
 * derived from the date (this very holiday) speaks for the day over a generic one (any holiday):
 * a shop shut on Christmas Day may trade on every other holiday.
 */
export function openChance(
  rates: MarketOpenRates | undefined,
  weekday: number,
  activeFlags: readonly string[],
): number {
  if (!rates) return 1;
  let chance = rates.byWeekday[weekday] ?? 1;
  const specific = activeFlags.filter(
    (flag) => flag.startsWith(DATE_FLAG_PREFIX) && rates.byFlag[flag] !== undefined,
  );
  for (const flag of specific.length > 0 ? specific : activeFlags) {
    chance = Math.min(chance, rates.byFlag[flag] ?? chance);
  }
  return chance;
}
