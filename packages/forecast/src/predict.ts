import { toDayNumber, weekdayOfDay } from './calendar-dates';
import type { LogEffect } from './explain';
import { explainMedian, fromLogScale } from './explain';
import type { FeatureGroup } from './features';
import {
  dayFlags,
  featureCount,
  indexCovariates,
  isClosedDay,
  marketDayKey,
  writeFeatures,
} from './features';
import type { DemandModel, SeriesModel } from './models/demand-model';
import type { SeasonDecision, SeasonProfile } from './models/availability';
import { seasonOf } from './models/availability';
import { openChance, zeroRateOf } from './models/open-days';
import { stackRecentSpread } from './models/recent-spread';
import { seriesKey } from './models/series-data';
import {
  clampCriticalRatio,
  computeCriticalRatio,
  expectedSales,
  hasEconomics,
  recommendQuantity,
  typicalCriticalRatio,
} from './newsvendor';
import { interpolateQuantile, QUANTILE_LEVELS } from './quantiles/quantile-grid';
import type {
  BaselineBasis,
  DataSufficiency,
  ForecastAvailability,
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
  /**
   * The owner's size of a market without history, relative to another of theirs ("about half of
   * Riverside": `{ reference: riversideId, scale: 0.5 }`). Default: the vendor's smallest market.
   */
  readonly marketScales?: Readonly<Record<string, MarketScale>>;
}

/** A new market's size as the owner gives it: `scale` times the `reference` market. */
export interface MarketScale {
  /** Id of the market it is compared with (as in the sales). */
  readonly reference: string;
  readonly scale: number;
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
  // A product without its price or cost is packed like the vendor's others.
  const typicalRatio = typicalCriticalRatio(options.products ?? []);
  const features = new Float64Array(featureCount(model.spec));
  const seasonsByProduct = new Map<string, SeasonProfile[]>();
  for (const profile of model.seasons) {
    const list = seasonsByProduct.get(profile.product) ?? [];
    list.push(profile);
    seasonsByProduct.set(profile.product, list);
  }
  const seriesByProduct = new Map<string, SeriesModel[]>();
  for (const s of model.series) {
    const list = seriesByProduct.get(s.product) ?? [];
    list.push(s);
    seriesByProduct.set(s.product, list);
  }
  const trainedThroughDay = toDayNumber(model.trainedThrough);
  return options.requests.map((request) => {
    const product = productByName.get(request.product);
    const criticalRatio =
      options.criticalRatio !== undefined
        ? clampCriticalRatio(options.criticalRatio)
        : product && hasEconomics(product)
          ? computeCriticalRatio(product)
          : typicalRatio;
    const covariates = index.get(marketDayKey(request.market, request.date));
    const series = seriesByKey.get(seriesKey(request.market, request.product));
    const profiles = seasonsByProduct.get(request.product) ?? [];
    const here = profiles.find((p) => p.market === request.market);
    const season = seasonOf({
      date: request.date,
      market: request.market,
      here,
      // Its season at the vendor's other markets: all there is for a product new here, and what
      // decides a week this market has not met yet.
      elsewhere: profiles.filter((p) => p !== here),
      setting: product?.season,
      trainedThroughDay,
    });
    const availability: ForecastAvailability = {
      inSeason: season.inSeason,
      source: season.source,
      lastSoldOn: season.lastSoldOn,
      usualMonths: season.usualMonths,
      seasonStart: season.seasonStart,
    };
    if (isClosedDay(covariates)) {
      return zeroForecast(
        request,
        criticalRatio,
        series?.observations ?? 0,
        'closed',
        availability,
      );
    }
    if (!season.inSeason) {
      return zeroForecast(
        request,
        criticalRatio,
        series?.observations ?? 0,
        'out-of-season',
        availability,
      );
    }
    const day = toDayNumber(request.date);
    writeFeatures(model.spec, day, covariates, features, 0);
    const flagsToday = dayFlags(model.spec, day, covariates);
    const holidayNames = flagsToday.filter((flag) => model.spec.flags.includes(flag));
    const parts = series
      ? seriesParts(model, series, features, day, holidayNames, seasonTarget(season))
      : coldStartParts({
          model,
          features,
          product,
          market: request.market,
          elsewhere: seriesByProduct.get(request.product) ?? [],
          scale: options.marketScales?.[request.market],
          holidayNames,
        });
    // Point mass at zero: the market may be shut, or the product may sell nothing.
    const markets = model.markets.find((m) => m.market === request.market);
    const open = openChance(markets, weekdayOfDay(day), flagsToday);
    // In a running short season, its chance of no sale in the same weeks of past seasons (shrunk
    // toward the product's own, as that is toward the vendor's). At a season start (here, or at
    // the other markets for a product new here) they only say whether it has come yet
    // (strawberries two weeks before last year's first sale): a handful of past days does not
    // make a product that sells one day in five surer on its first one.
    const near = season.noSaleNear;
    const ownRate = series ? series.zeroRate : model.coldStartZeroRate;
    const nearRate = near
      ? zeroRateOf({ hits: near.noSaleDays, weight: near.tradingDays }, ownRate)
      : null;
    const zeroRate =
      nearRate === null ? ownRate : season.sameWeeks ? nearRate : Math.max(nearRate, ownRate);
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
      ...(parts.basis ? { basis: parts.basis } : {}),
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
    // A cold start is a guess: never more than the top of its range (P90), however cheap a
    // leftover; the vendor learns the market from the first check-in.
    const criticalQuantile =
      parts.rung === 'cold-start'
        ? Math.min(quantileAt(criticalRatio), quantileAt(0.9))
        : quantileAt(criticalRatio);
    const demandQuantiles = QUANTILE_LEVELS.map((level) => quantileAt(level));
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
      availability,
      demandQuantiles,
      explanation,
    };
  });
}

interface Parts {
  readonly rung: ModelRung;
  readonly baselineLog: number;
  readonly baselineSupport: number;
  readonly basis?: BaselineBasis;
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
    totals[group] += ((features[j] ?? 0) - meanOf(groups, means, j)) * (coef[j] ?? 0);
  });
  return totals;
}

/**
 * The typical day's value of feature `j`: its mean, except a holiday flag's, which is 0. The
 * typical day is an ordinary day, so a holiday shows as an effect on its own days only (not as a
 * small minus on every other day).
 */
function meanOf(groups: readonly FeatureGroup[], means: readonly number[], j: number): number {
  return groups[j] === 'holiday' ? 0 : (means[j] ?? 0);
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

/**
 * The level a season sets for the P50, how far the P50 moves to it, and the name the explanation
 * gives it. A season start goes all the way; the same weeks of past seasons as far as their years
 * weigh against a prior worth one (halfway with one past season, two thirds with two): one
 * Saturday of each past year is one reading, and the model's level has this season's last days.
 */
interface SeasonTarget {
  readonly level: number;
  readonly weight: number;
  readonly name: 'season-start' | 'same-weeks';
}

function seasonTarget(season: SeasonDecision): SeasonTarget | null {
  if (season.seasonStartLevel !== null) {
    return { level: season.seasonStartLevel, weight: 1, name: 'season-start' };
  }
  const same = season.sameWeeks;
  return same
    ? { level: same.level, weight: same.years / (same.years + 1), name: 'same-weeks' }
    : null;
}

function seriesParts(
  model: DemandModel,
  series: SeriesModel,
  features: Float64Array,
  day: number,
  holidayNames: readonly string[],
  seasonLevel: SeasonTarget | null,
): Parts {
  const totals = groupEffects(model.spec.groups, series.coef, series.featureMeans, features);
  const support = featureSupport(model, series, features, day);
  const typical = typicalLog(model, series);
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
  // The blend weighs the day's holiday and event effects (part of the pooled center) by the
  // pooled model's weight, and the median of recent same-weekday days (ordinary days) by the rest.
  // So they are reported at that weight, each moving the P50 as much as it does, and the pull
  // toward the median is on the ordinary-day part only (the trend): the parts still add up.
  const calendar = {
    holiday: (1 - pull) * totals.holiday,
    event: (1 - pull) * totals.event,
  };
  const blendShift = hasBaseline
    ? pull * (typicalWeekday - (center - totals.holiday - totals.event))
    : 0;
  const levelWindow = Math.min(
    series.observations,
    Math.max(
      1,
      Math.round(
        2 * Math.min(series.forward?.levelHalfLife ?? model.levelHalfLife, series.observations),
      ),
    ),
  );
  let trend = series.level + series.meanSellOutFill + blendShift - sellOutEffect;
  // The first weeks of a season follow the same weeks of past seasons (with today's weather,
  // holidays and events), not the level at the end of last season; the later weeks of a short
  // season follow them at this season's pace.
  if (seasonLevel !== null) {
    const current =
      typical +
      totals['weekday-season'] +
      totals.weather +
      calendar.holiday +
      calendar.event +
      trend +
      sellOutEffect;
    const target = seasonLevel.level + totals.weather + calendar.holiday + calendar.event;
    trend += seasonLevel.weight * (target - current);
  }
  return {
    rung: series.rung,
    baselineLog: typical,
    baselineSupport: series.observations,
    effects: [
      ...(['weekday-season', 'weather', 'holiday', 'event'] as const).map((name) => ({
        name,
        logEffect: name === 'holiday' || name === 'event' ? calendar[name] : totals[name],
        support: support[name],
        ...(name === 'holiday' ? { names: holidayNames } : {}),
      })),
      {
        name: 'trend',
        logEffect: trend,
        support: series.rung === 'pooled' || series.blendWeight < 1 ? levelWindow : 0,
        ...(seasonLevel !== null ? { names: [seasonLevel.name] } : {}),
      },
      {
        name: 'recent-sell-outs',
        logEffect: sellOutEffect,
        support: series.support.recentSellOuts,
      },
    ],
    // The shape around the P50 leans on the spread of the weekday's last market days as much as
    // the validation chose (the median residual, and so the explanation, is the model's).
    residualQuantiles: stackRecentSpread(
      series.residualQuantiles,
      series.forward?.recentFilled[weekday],
      series.spreadWeight,
    ),
  };
}

/** log1p typical day of a series (its average, sell-outs not filled in), at the median residual. */
function typicalLog(model: DemandModel, series: SeriesModel): number {
  let typical =
    series.intercept - series.meanSellOutFill + (series.residualQuantiles[MEDIAN_INDEX] ?? 0);
  series.coef.forEach((c, j) => (typical += c * meanOf(model.spec.groups, series.featureMeans, j)));
  return typical;
}

/** Units of a typical market day at a market (0 when unknown). */
const sizeOf = (model: DemandModel, market: string): number =>
  Math.expm1(model.marketSizes[market] ?? 0);

/**
 * Cold start: no history of this product at this market. In order: the vendor's stated
 * expectation; the product's sales at another market, scaled by the markets' sizes (for a new
 * market: the owner's size, else the vendor's smallest market); the category's typical day,
 * scaled the same way at a new market. Pooled effects, twice the pooled spread.
 */
function coldStartParts(options: {
  model: DemandModel;
  features: Float64Array;
  product: ProductEconomics | undefined;
  market: string;
  /** The product's series at the vendor's other markets. */
  elsewhere: readonly SeriesModel[];
  scale: MarketScale | undefined;
  holidayNames: readonly string[];
}): Parts {
  const { model, product } = options;
  const pooled = model.pooledResidualQuantiles;
  const r50 = pooled[MEDIAN_INDEX] ?? 0;
  const widened = pooled.map((r) => r50 + (r - r50) * COLD_START_WIDENING);
  const known = Object.keys(model.marketSizes).filter((m) => sizeOf(model, m) > 0);
  const isNewMarket = !known.includes(options.market);
  // A new market's size: the owner's (scale x reference), else the smallest market's.
  const smallest = [...known].sort((a, b) => sizeOf(model, a) - sizeOf(model, b))[0];
  // The owner's size when its reference market has a learned size (else, as without one, the
  // smallest market's).
  const ownerScale =
    options.scale && sizeOf(model, options.scale.reference) > 0 ? options.scale : undefined;
  const newMarketSize = ownerScale
    ? ownerScale.scale * sizeOf(model, ownerScale.reference)
    : smallest !== undefined
      ? sizeOf(model, smallest)
      : 0;
  const targetSize = isNewMarket ? newMarketSize : sizeOf(model, options.market);
  const stated = product?.expectedQuantity;
  let level: number;
  let basis: BaselineBasis;
  if (stated !== undefined && Number.isFinite(stated) && stated >= 0) {
    level = Math.log1p(stated);
    basis = { kind: 'stated' };
  } else {
    // The product's market nearest in size (the owner's reference first), scaled to this one.
    const reference =
      options.elsewhere.find((s) => s.market === ownerScale?.reference) ??
      [...options.elsewhere].sort(
        (a, b) =>
          Math.abs(Math.log1p(sizeOf(model, a.market)) - Math.log1p(targetSize)) -
          Math.abs(Math.log1p(sizeOf(model, b.market)) - Math.log1p(targetSize)),
      )[0];
    if (reference && sizeOf(model, reference.market) > 0 && targetSize > 0) {
      const scale = targetSize / sizeOf(model, reference.market);
      level = Math.log1p(Math.expm1(typicalLog(model, reference)) * scale);
      basis = { kind: 'other-market', market: reference.market, scale };
    } else {
      const categoryLevel =
        (model.categoryLevels[product?.category ?? ''] ?? model.categoryLevels[''] ?? 0) + r50;
      // The category's typical day is a median over the vendor's markets: scale it to a new one.
      const sizes = known.map((m) => sizeOf(model, m)).sort((a, b) => a - b);
      const middle = sizes[Math.floor(sizes.length / 2)] ?? 0;
      const scale = isNewMarket && middle > 0 && targetSize > 0 ? targetSize / middle : 1;
      level = Math.log1p(Math.expm1(categoryLevel) * scale);
      basis =
        isNewMarket && smallest !== undefined && scale !== 1
          ? { kind: 'other-market', market: ownerScale?.reference ?? smallest, scale }
          : { kind: 'category' };
    }
  }
  const totals = groupEffects(
    model.spec.groups,
    model.pooledCoef,
    model.pooledFeatureMeans,
    options.features,
  );
  return {
    rung: 'cold-start',
    baselineLog: level,
    baselineSupport: 0,
    basis,
    effects: [
      ...(['weekday-season', 'weather', 'holiday', 'event'] as const).map((name) => ({
        name,
        logEffect: totals[name],
        support: 0,
        ...(name === 'holiday' ? { names: options.holidayNames } : {}),
      })),
      { name: 'trend', logEffect: 0, support: 0 },
      { name: 'recent-sell-outs', logEffect: 0, support: 0 },
    ],
    residualQuantiles: widened,
  };
}

/** A forecast of nothing: the market is closed, or the product is out of season. */
function zeroForecast(
  request: PlanRequest,
  criticalRatio: number,
  observations: number,
  rung: 'closed' | 'out-of-season',
  availability: ForecastAvailability,
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
    rung,
    dataSufficiency: dataSufficiencyOf(observations),
    availability,
    demandQuantiles: QUANTILE_LEVELS.map(() => 0),
    explanation: { baseline: 0, baselineSupport: 0, effects: [] },
  };
}
