import { censoredMean, demandLowerBound, isCensored } from '../censoring';
import { fromDayNumber, toDayNumber, weekdayOfDay } from '../calendar-dates';
import type { DemandModel } from '../models/demand-model';
import { seriesKey } from '../models/series-data';
import { predictDemand } from '../predict';
import { trainDemandModel } from '../train';
import type { MarketDayCovariates, ProductEconomics, SalesObservation } from '../types';
import { ruleOfThumbForecast } from './rule-of-thumb';

/** A product's money per unit (any one currency unit, e.g. cents). */
export interface ReplayEconomics {
  readonly price: number;
  readonly unitCost: number;
  readonly salvageValue: number;
}

/** Demand of a day: exact when nothing sold out, else at least `low`, best guess `point`. */
export interface ReplayDemand {
  readonly low: number;
  readonly point: number;
  readonly high: number;
  readonly censored: boolean;
}

/** What bringing `quantity` would have earned against `demand`, split into its two costs. */
export interface ReplayOutcome {
  /** Units left over times what each lost (cost minus salvage). */
  readonly wasteCost: number;
  /** Units of demand missed times the margin each would have made (price minus cost). */
  readonly lostMargin: number;
}

/**
 * Money of bringing `quantity` when demand is `demand`: the cost of what is left (each unit loses
 * cost - salvage) and the margin missed on what could not be sold (each loses price - cost). Their
 * sum is how far the day fell short of a perfect one; profit = margin x demand - that sum.
 */
export function replayOutcome(
  quantity: number,
  demand: number,
  economics: ReplayEconomics,
): ReplayOutcome {
  const perLeftover = Math.max(0, economics.unitCost - economics.salvageValue);
  const perMissed = Math.max(0, economics.price - economics.unitCost);
  return {
    wasteCost: perLeftover * Math.max(0, quantity - demand),
    lostMargin: perMissed * Math.max(0, demand - quantity),
  };
}

/** Money MarketPrep's quantity would have changed against another quantity, on one demand. */
export interface ReplayDelta {
  /** Waste cost of the other quantity minus MarketPrep's (positive: less thrown away). */
  readonly wasteAvoided: number;
  /** Missed margin of the other quantity minus MarketPrep's (positive: sell-outs recovered). */
  readonly salesRecovered: number;
  /** The two added: MarketPrep's profit minus the other's. */
  readonly net: number;
}

/** {@link ReplayDelta} of `engine` against `other` units for one demand value. */
export function replayDelta(
  engine: number,
  other: number,
  demand: number,
  economics: ReplayEconomics,
): ReplayDelta {
  const e = replayOutcome(engine, demand, economics);
  const o = replayOutcome(other, demand, economics);
  const wasteAvoided = o.wasteCost - e.wasteCost;
  const salesRecovered = o.lostMargin - e.lostMargin;
  return { wasteAvoided, salesRecovered, net: wasteAvoided + salesRecovered };
}

/**
 * A day's demand, honest about sell-outs: not sold out, it is what sold. Sold out, it was at least
 * what sold (more when the check-in says how early: `demandLowerBound`), the best guess is the
 * engine's own forecast of that evening conditioned on being at least that (E[D | D >= low] of a
 * normal with the forecast's median and P10-P90 spread), and the high end its P90 (or the guess).
 */
export function replayDemand(
  observation: SalesObservation,
  forecast: { q10: number; q50: number; q90: number },
): ReplayDemand {
  if (!isCensored(observation)) {
    const sold = observation.quantity;
    return { low: sold, point: sold, high: sold, censored: false };
  }
  const low = demandLowerBound(observation);
  const sd = Math.max(0, forecast.q90 - forecast.q10) / 2.5631;
  const point = censoredMean(forecast.q50, sd, low);
  return { low, point, high: Math.max(point, forecast.q90), censored: true };
}

/** Money of one past product-day, MarketPrep against the rule and, when known, what was brought. */
export interface ReplayDay {
  readonly date: string;
  readonly market: string;
  readonly product: string;
  /** Whole units MarketPrep would have said the evening before. */
  readonly engineQuantity: number;
  /** Whole units of the vendor's rule of thumb (same information). */
  readonly ruleQuantity: number;
  /** Units actually brought, when the check-in says. */
  readonly brought: number | null;
  readonly sold: number;
  readonly demand: ReplayDemand;
  /** Against the rule of thumb, at the demand's best guess, lowest and highest. */
  readonly vsRule: ReplayDelta;
  readonly vsRuleRange: { readonly low: number; readonly high: number };
  /** Against what was brought; null on days without "brought" (compared to the rule only). */
  readonly vsBrought: ReplayDelta | null;
  readonly vsBroughtRange: { readonly low: number; readonly high: number } | null;
}

/** Sums of {@link ReplayDay}s. */
export interface ReplayTotals {
  readonly days: number;
  readonly productDays: number;
  readonly censoredProductDays: number;
  readonly vsRule: ReplayDelta & { readonly netLow: number; readonly netHigh: number };
  /** Over the product-days with "brought" only (`productDays` says how many). */
  readonly vsBrought: ReplayDelta & {
    readonly productDays: number;
    readonly netLow: number;
    readonly netHigh: number;
  };
}

/**
 * Scores one product-day: MarketPrep's and the other quantities against the demand's best guess,
 * and the range of the net over every demand from `low` to `high`. The net is piecewise linear in
 * demand with kinks at the two quantities, so its extremes are at the ends or at those kinks.
 */
export function scoreReplayDay(input: {
  date: string;
  market: string;
  product: string;
  engineQuantity: number;
  ruleQuantity: number;
  brought: number | null;
  sold: number;
  demand: ReplayDemand;
  economics: ReplayEconomics;
}): ReplayDay {
  const { demand, economics } = input;
  const range = (other: number) => {
    const values = [demand.low, demand.high, input.engineQuantity, other]
      .filter((d) => d >= demand.low && d <= demand.high)
      .map((d) => replayDelta(input.engineQuantity, other, d, economics).net);
    return { low: Math.min(...values), high: Math.max(...values) };
  };
  return {
    date: input.date,
    market: input.market,
    product: input.product,
    engineQuantity: input.engineQuantity,
    ruleQuantity: input.ruleQuantity,
    brought: input.brought,
    sold: input.sold,
    demand,
    vsRule: replayDelta(input.engineQuantity, input.ruleQuantity, demand.point, economics),
    vsRuleRange: range(input.ruleQuantity),
    vsBrought:
      input.brought === null
        ? null
        : replayDelta(input.engineQuantity, input.brought, demand.point, economics),
    vsBroughtRange: input.brought === null ? null : range(input.brought),
  };
}

/** Totals of replayed product-days: each figure is the sum of the days'. */
export function sumReplayDays(days: readonly ReplayDay[]): ReplayTotals {
  const marketDays = new Set<string>();
  let censored = 0;
  const rule = { wasteAvoided: 0, salesRecovered: 0, net: 0, netLow: 0, netHigh: 0 };
  const brought = {
    wasteAvoided: 0,
    salesRecovered: 0,
    net: 0,
    netLow: 0,
    netHigh: 0,
    productDays: 0,
  };
  for (const day of days) {
    marketDays.add(`${day.market}|${day.date}`);
    if (day.demand.censored) censored++;
    rule.wasteAvoided += day.vsRule.wasteAvoided;
    rule.salesRecovered += day.vsRule.salesRecovered;
    rule.net += day.vsRule.net;
    rule.netLow += day.vsRuleRange.low;
    rule.netHigh += day.vsRuleRange.high;
    if (day.vsBrought && day.vsBroughtRange) {
      brought.productDays++;
      brought.wasteAvoided += day.vsBrought.wasteAvoided;
      brought.salesRecovered += day.vsBrought.salesRecovered;
      brought.net += day.vsBrought.net;
      brought.netLow += day.vsBroughtRange.low;
      brought.netHigh += day.vsBroughtRange.high;
    }
  }
  return {
    days: marketDays.size,
    productDays: days.length,
    censoredProductDays: censored,
    vsRule: rule,
    vsBrought: brought,
  };
}

/** Settings of a season replay. */
export interface ReplaySeasonOptions {
  readonly sales: readonly SalesObservation[];
  readonly covariates?: readonly MarketDayCovariates[];
  /** Prices, costs and salvage (the engine's critical ratio per product comes from them). */
  readonly products: readonly ProductEconomics[];
  /** First and last market date replayed, `YYYY-MM-DD`. */
  readonly from: string;
  readonly to: string;
  /** Retrain every this many days, as the app does when sales move on (default 7). */
  readonly retrainDays?: number;
  /** Called after each training with the share of replayed dates done (0..1). */
  readonly onProgress?: (done: number) => void;
}

/** Result of {@link replaySeason}. */
export interface ReplaySeasonResult {
  readonly days: readonly ReplayDay[];
  readonly totals: ReplayTotals;
  readonly trainings: number;
}

/**
 * Replays the vendor's past market days as if MarketPrep had been used: each date is forecast the
 * evening before from a model trained on the sales up to then only (no look-ahead), the quantity
 * is the product's own newsvendor quantile, and beside it the rule of thumb (median of the last 4
 * same-weekday days, the critical quantile of the last 8) on the same information. Products
 * without economics are left out (their money cannot be told).
 */
export function replaySeason(options: ReplaySeasonOptions): ReplaySeasonResult {
  const retrainDays = Math.max(1, Math.floor(options.retrainDays ?? 7));
  const fromDay = toDayNumber(options.from);
  const toDay = toDayNumber(options.to);
  const economics = new Map<string, ReplayEconomics>();
  for (const p of options.products) {
    if (p.price === undefined || p.unitCost === undefined) continue;
    economics.set(p.product, {
      price: p.price,
      unitCost: p.unitCost,
      salvageValue: p.salvageValue ?? 0,
    });
  }
  const sorted = options.sales
    .map((sale, order) => ({ sale, order, day: toDayNumber(sale.date) }))
    .sort((a, b) => a.day - b.day || a.order - b.order);
  const targets = new Map<number, SalesObservation[]>();
  const history = new Map<string, { days: number[]; values: number[] }>();
  for (const { sale, day } of sorted) {
    const key = seriesKey(sale.market, sale.product);
    let entry = history.get(key);
    if (!entry) history.set(key, (entry = { days: [], values: [] }));
    if (entry.days[entry.days.length - 1] === day) {
      entry.values[entry.values.length - 1] = (entry.values.at(-1) ?? 0) + sale.quantity;
    } else {
      entry.days.push(day);
      entry.values.push(sale.quantity);
    }
    if (day < fromDay || day > toDay || !economics.has(sale.product)) continue;
    let list = targets.get(day);
    if (!list) targets.set(day, (list = []));
    list.push(sale);
  }
  const dates = [...targets.keys()].sort((a, b) => a - b);
  const days: ReplayDay[] = [];
  let model: DemandModel | undefined;
  let trainedOn = Number.NEGATIVE_INFINITY;
  let trainings = 0;
  dates.forEach((day, index) => {
    const rows = targets.get(day) ?? [];
    if (!model || day - trainedOn >= retrainDays) {
      const cutoff = day - 1;
      let visible = 0;
      while (visible < sorted.length && (sorted[visible]?.day ?? 0) <= cutoff) visible++;
      model = trainDemandModel({
        sales: sorted.slice(0, visible).map((s) => s.sale),
        covariates: options.covariates ?? [],
        trainThrough: fromDayNumber(cutoff),
        leadDays: 1,
        horizonDays: retrainDays,
      });
      trainedOn = day;
      trainings++;
      options.onProgress?.(index / dates.length);
    }
    const forecasts = predictDemand({
      model,
      requests: rows,
      covariates: options.covariates ?? [],
      products: options.products,
    });
    rows.forEach((row, i) => {
      const forecast = forecasts[i];
      const money = economics.get(row.product);
      if (!forecast || !money) return;
      const entry = history.get(seriesKey(row.market, row.product));
      const weekday = weekdayOfDay(day);
      const sameWeekday: number[] = [];
      for (let j = 0; j < (entry?.days.length ?? 0); j++) {
        const d = entry?.days[j] ?? 0;
        if (d >= day) break;
        if (weekdayOfDay(d) === weekday) sameWeekday.push(entry?.values[j] ?? 0);
      }
      const rule = ruleOfThumbForecast(sameWeekday, forecast.criticalRatio);
      const demand = replayDemand(row, { q10: forecast.p10, q50: forecast.p50, q90: forecast.p90 });
      days.push(
        scoreReplayDay({
          date: row.date,
          market: row.market,
          product: row.product,
          engineQuantity: forecast.recommendedQuantity,
          ruleQuantity: Math.ceil(rule.critical - 1e-9),
          brought: row.brought ?? null,
          sold: row.quantity,
          demand,
          economics: money,
        }),
      );
    });
  });
  options.onProgress?.(1);
  return { days, totals: sumReplayDays(days), trainings };
}
