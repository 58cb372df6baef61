import { toDayNumber, weekdayOfDay } from './calendar-dates';
import type { LogEffect } from './explain';
import { explainMedian, fromLogScale } from './explain';
import type { FeatureGroup } from './features';
import {
  activeFlags,
  featureCount,
  indexCovariates,
  isClosedDay,
  marketDayKey,
  writeFeatures,
} from './features';
import type { DemandModel, SeriesModel } from './models/demand-model';
import { openChance } from './models/open-days';
import { seriesKey } from './models/series-data';
import {
  clampCriticalRatio,
  computeCriticalRatio,
  expectedSales,
  recommendQuantity,
} from './newsvendor';
import { interpolateQuantile, QUANTILE_LEVELS } from './quantiles/quantile-grid';
import type {
  DataSufficiency,
  MarketDayCovariates,
  ModelRung,
  PlanRequest,
  PrepForecast,
  ProductEconomics,
} from './types';

/** A cold start's spread is this many times the pooled one. */
const COLD_START_WIDENING = 2;
const MEDIAN_INDEX = QUANTILE_LEVELS.indexOf(0.5);

/** What `predictDemand` needs. */
export interface PredictDemandOptions {
  readonly model: DemandModel;
  /** The products and market days to plan for. */
  readonly requests: readonly PlanRequest[];
  /** Covariates of the planned market days (weather forecast, flags, events). */
  readonly covariates?: readonly MarketDayCovariates[];
  /** Prices, costs, salvage values, categories and stated expectations. */
  readonly products?: readonly ProductEconomics[];
  /** Use this critical ratio for every product instead of its economics (the backtest does). */
  readonly criticalRatio?: number;
}

/** Data sufficiency of a series with `observations` market days. */
export function dataSufficiencyOf(observations: number): DataSufficiency {
  if (observations <= 0) return 'none';
  if (observations < 8) return 'thin';
  if (observations < 40) return 'some';
  return 'rich';
}

/**
 * Answers a prep list from a trained model: for each request the demand quantiles, the newsvendor
 * quantity, expected sales and revenue, the rung, and an explanation that adds up to the P50.
 * Pure and deterministic; works the same on a model reloaded from JSON.
 */
export function predictDemand(options: PredictDemandOptions): PrepForecast[] {
  const { model } = options;
  const index = indexCovariates(options.covariates ?? []);
  const seriesByKey = new Map(model.series.map((s) => [seriesKey(s.market, s.product), s]));
  const productByName = new Map((options.products ?? []).map((p) => [p.product, p]));
  const features = new Float64Array(featureCount(model.spec));
  return options.requests.map((request) => {
    const product = productByName.get(request.product);
    const criticalRatio =
      options.criticalRatio !== undefined
        ? clampCriticalRatio(options.criticalRatio)
        : computeCriticalRatio(product ?? {});
    const covariates = index.get(marketDayKey(request.market, request.date));
    const series = seriesByKey.get(seriesKey(request.market, request.product));
    if (isClosedDay(covariates)) {
      return closedForecast(request, criticalRatio, series?.observations ?? 0);
    }
    const day = toDayNumber(request.date);
    writeFeatures(model.spec, day, covariates, features, 0);
    const parts = series
      ? seriesParts(model, series, features, day)
      : coldStartParts(model, features, product);
    // Point mass at zero: the market may be shut, or the product may sell nothing.
    const markets = model.markets.find((m) => m.market === request.market);
    const open = openChance(markets, weekdayOfDay(day), activeFlags(covariates));
    const zeroRate = series ? series.zeroRate : model.coldStartZeroRate;
    const zeroMass = Math.min(Math.max(1 - open * (1 - zeroRate), 0), 1);
    const residuals = parts.residualQuantiles;
    const r50 = residuals[MEDIAN_INDEX] ?? 0;
    // Calibrated level of the mixture, then the level within its positive part.
    const mixtureAt = (level: number): number => interpolateQuantile(model.levelMap, level);
    const positiveAt = (mixture: number): number =>
      mixture >= 1 ? 1 : (mixture - zeroMass) / (1 - zeroMass);
    const median = mixtureAt(0.5);
    const medianShift =
      zeroMass >= median
        ? Number.NEGATIVE_INFINITY
        : interpolateQuantile(residuals, positiveAt(median)) - r50;
    const { explanation, p50 } = explainMedian({
      ...parts,
      effects: [
        ...parts.effects,
        {
          name: 'no-sale-days',
          logEffect: medianShift,
          support: series ? series.observations - series.positiveObservations : 0,
        },
      ],
    });
    let location = parts.baselineLog - r50;
    for (const effect of parts.effects) location += effect.logEffect;
    const quantileAt = (level: number): number => {
      if (level === 0.5) return p50;
      const mixture = mixtureAt(level);
      if (mixture <= zeroMass) return 0;
      return fromLogScale(location + interpolateQuantile(residuals, positiveAt(mixture)));
    };
    const criticalQuantile = quantileAt(criticalRatio);
    const recommendedQuantity = recommendQuantity(criticalQuantile);
    const expectedSold = expectedSales(quantileAt, recommendedQuantity);
    return {
      date: request.date,
      market: request.market,
      product: request.product,
      p10: Math.min(quantileAt(0.1), p50),
      p50,
      p90: Math.max(quantileAt(0.9), p50),
      criticalRatio,
      criticalQuantile,
      recommendedQuantity,
      expectedSold,
      expectedRevenue: product?.price !== undefined ? expectedSold * product.price : undefined,
      rung: parts.rung,
      dataSufficiency: dataSufficiencyOf(series?.observations ?? 0),
      explanation,
    };
  });
}

interface Parts {
  readonly rung: ModelRung;
  readonly baselineLog: number;
  readonly baselineSupport: number;
  readonly effects: LogEffect[];
  readonly residualQuantiles: readonly number[];
}

function groupEffects(
  groups: readonly FeatureGroup[],
  coef: readonly number[],
  means: readonly number[],
  features: Float64Array,
): Record<FeatureGroup, number> {
  const totals: Record<FeatureGroup, number> = {
    'weekday-season': 0,
    weather: 0,
    holiday: 0,
    event: 0,
  };
  groups.forEach((group, j) => {
    totals[group] += ((features[j] ?? 0) - (means[j] ?? 0)) * (coef[j] ?? 0);
  });
  return totals;
}

function featureSupport(
  model: DemandModel,
  series: SeriesModel,
  features: Float64Array,
  day: number,
): Record<FeatureGroup, number> {
  const { support } = series;
  const flagsOn = model.spec.flags
    .map((_, f) => f)
    .filter((f) => (features[model.spec.groups.indexOf('holiday') + f] ?? 0) === 1);
  const flagDays = (flagsOn.length > 0 ? flagsOn : model.spec.flags.map((_, f) => f)).reduce(
    (total, f) => total + (support.flags[f] ?? 0),
    0,
  );
  return {
    'weekday-season': support.weekdays[weekdayOfDay(day)] ?? 0,
    weather: support.weatherDays,
    holiday: flagDays,
    event: support.eventDays,
  };
}

function seriesParts(
  model: DemandModel,
  series: SeriesModel,
  features: Float64Array,
  day: number,
): Parts {
  const totals = groupEffects(model.spec.groups, series.coef, series.featureMeans, features);
  const support = featureSupport(model, series, features, day);
  const r50 = series.residualQuantiles[MEDIAN_INDEX] ?? 0;
  let typical = series.intercept - series.meanSellOutFill + r50;
  series.coef.forEach((c, j) => (typical += c * (series.featureMeans[j] ?? 0)));
  // Blend with the robust same-weekday baseline on the log scale: the P50's center is
  // `w * pooled + (1 - w) * baseline`. The sell-out parts of both (the pooled level's fill-ins,
  // the baseline's filled-in sell-outs) make the recent-sell-outs effect; the rest of the pull
  // toward the baseline is part of the trend (what recent same-weekday sales say beyond the
  // effects). The parts still add up to the blended center.
  let center = series.intercept;
  series.coef.forEach((c, j) => (center += c * (features[j] ?? 0)));
  center += series.level;
  const weekday = weekdayOfDay(day);
  const typicalWeekday = series.weekdayMedians[weekday];
  const hasBaseline = typicalWeekday !== null && typicalWeekday !== undefined;
  const pull = hasBaseline ? 1 - series.blendWeight : 0;
  const baselineFill = hasBaseline ? (series.weekdayMedianSellOutFill[weekday] ?? 0) : 0;
  const sellOutEffect = (1 - pull) * series.sellOutLevel + pull * baselineFill;
  const blendShift = hasBaseline ? pull * (typicalWeekday - center) : 0;
  const levelWindow = Math.min(
    series.observations,
    Math.max(1, Math.round(2 * Math.min(model.levelHalfLife, series.observations))),
  );
  return {
    rung: series.rung,
    baselineLog: typical,
    baselineSupport: series.observations,
    effects: [
      ...(['weekday-season', 'weather', 'holiday', 'event'] as const).map((name) => ({
        name,
        logEffect: totals[name],
        support: support[name],
      })),
      {
        name: 'trend',
        logEffect: series.level + series.meanSellOutFill + blendShift - sellOutEffect,
        support: series.rung === 'pooled' || series.blendWeight < 1 ? levelWindow : 0,
      },
      {
        name: 'recent-sell-outs',
        logEffect: sellOutEffect,
        support: series.support.recentSellOuts,
      },
    ],
    residualQuantiles: series.residualQuantiles,
  };
}

function coldStartParts(
  model: DemandModel,
  features: Float64Array,
  product: ProductEconomics | undefined,
): Parts {
  const pooled = model.pooledResidualQuantiles;
  const r50 = pooled[MEDIAN_INDEX] ?? 0;
  const widened = pooled.map((r) => r50 + (r - r50) * COLD_START_WIDENING);
  const stated = product?.expectedQuantity;
  const level =
    stated !== undefined && Number.isFinite(stated) && stated >= 0
      ? Math.log1p(stated)
      : (model.categoryLevels[product?.category ?? ''] ?? model.categoryLevels[''] ?? 0) + r50;
  const totals = groupEffects(
    model.spec.groups,
    model.pooledCoef,
    model.pooledFeatureMeans,
    features,
  );
  return {
    rung: 'cold-start',
    baselineLog: level,
    baselineSupport: 0,
    effects: [
      ...(['weekday-season', 'weather', 'holiday', 'event'] as const).map((name) => ({
        name,
        logEffect: totals[name],
        support: 0,
      })),
      { name: 'trend', logEffect: 0, support: 0 },
      { name: 'recent-sell-outs', logEffect: 0, support: 0 },
    ],
    residualQuantiles: widened,
  };
}

function closedForecast(
  request: PlanRequest,
  criticalRatio: number,
  observations: number,
): PrepForecast {
  return {
    date: request.date,
    market: request.market,
    product: request.product,
    p10: 0,
    p50: 0,
    p90: 0,
    criticalRatio,
    criticalQuantile: 0,
    recommendedQuantity: 0,
    expectedSold: 0,
    expectedRevenue: 0,
    rung: 'closed',
    dataSufficiency: dataSufficiencyOf(observations),
    explanation: { baseline: 0, baselineSupport: 0, effects: [] },
  };
}
