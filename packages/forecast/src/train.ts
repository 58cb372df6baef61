import { fromDayNumber, toDayNumber, weekdayOfDay } from './calendar-dates';
import { DATE_FLAG_PREFIX, learnDateFlags } from './date-flags';
import type { FeatureSpec } from './features';
import {
  buildFeatureSpec,
  dayFlags,
  featureCount,
  featureOffsets,
  indexCovariates,
  marketDayKey,
  PUBLIC_HOLIDAY_FLAG,
  SEASON_MIN_SPAN_DAYS,
  withWeekdaySeason,
} from './features';
import {
  estimateOpenRates,
  countZeroDays,
  zeroRateOf,
  findOpenDays,
  openChance,
  positiveObservations,
} from './models/open-days';
import type { MarketOpenRates } from './models/open-days';
import { learnSeasonProfiles } from './models/availability';
import type { CalibrationOptions, CalibrationRow } from './models/calibrate';
import { calibrateByRollingOrigin, sameWeekdayMedian } from './models/calibrate';
import type { SpreadRow } from './models/recent-spread';
import { chooseSpreadWeights, stackRecentSpread } from './models/recent-spread';
import type { DemandModel, SeriesModel, SeriesSupport } from './models/demand-model';
import { MODEL_FORMAT_VERSION } from './models/demand-model';
import type { PooledFit, SeriesFit } from './models/pooled';
import { fitPooled, LevelTracker } from './models/pooled';
import type { SeriesData } from './models/series-data';
import { buildSeriesData, countUpTo, seriesKey, truncateSeries } from './models/series-data';
import { median, sampleQuantiles } from './quantiles/empirical-quantile';
import { QUANTILE_LEVELS } from './quantiles/quantile-grid';
import type { MarketDayCovariates, ProductEconomics, SalesObservation } from './types';

/**
 * Settings of the engine. Principled defaults, not tuned to a data set: the two that matter most
 * (shrinkage toward the pooled effects and how fast the level adapts) are chosen per vendor by
 * rolling-origin validation from the grids below.
 */
export const ENGINE_SETTINGS = {
  /** Older days count less when estimating effects: weights halve every year. */
  coefficientHalfLifeDays: 365,
  /** A whisper of ridge on the pooled effects (one observation's worth). */
  pooledPrior: 1,
  /** Candidate shrinkage strengths of series effects toward pooled ones, in observations. */
  seriesPriorGrid: [3, 10, 30, 100, 300, 1000],
  /** Candidate level half-lives, in observations (1e6: no local level). */
  levelHalfLifeGrid: [2, 4, 8, 16, 32, 64, 1e6],
  /**
   * Candidate clips of the residuals that move the level, in residual spreads (Infinity: none): a
   * spike (a one-off order, panic buying after a closure) moves it no more than a big day.
   */
  levelClipGrid: [Number.POSITIVE_INFINITY, 2],
  /**
   * Candidate weights of the pooled model in its blend (on the log scale) with the robust
   * baseline, the median of the last `baselineWindow` same-weekday sales; chosen by validation.
   */
  blendWeightGrid: [0.25, 0.5, 0.75, 1],
  baselineWindowGrid: [8],
  /** Validation rows' worth of shrinkage of each series' blend weight toward the vendor's. */
  blendWeightPriorRows: 20,
  /**
   * Candidate weights of the model's residual shape against the spread of the series' recent
   * same-weekday values (`stackRecentSpread`), chosen per series by the validation's pinball loss
   * and shrunk toward the vendor's like the blend weight; never 0, so the model's shape (learnt
   * from a year of residuals) always counts. The first is the default on a tie.
   */
  spreadWeightGrid: [1, 0.75, 0.5, 0.25],
  censoringRounds: 3,
  /** A series needs this many market days for its own effects (the pooled rung). */
  minPooledObservations: 8,
  calibrationFolds: 4,
  calibrationMaxWindowDays: 364,
  /**
   * Residuals of the pooled set count as this many observations of a series' own (each series'
   * residual shape is shrunk toward the pooled one, in units of its spread): the default without
   * validation, and the first candidate of `residualPriorGrid`.
   */
  residualPriorCount: 20,
  /**
   * Candidate counts for that shrinkage, chosen per vendor by the validation rows' pinball loss
   * (each row against the shapes of the other folds): a quarter, once and four times the default.
   * A vendor whose series differ in shape (a small dish sold in ones and twos beside a large
   * one) keeps more of each series' own; one whose series share a shape, or have few market days
   * each (a weekly market), borrows more of the pooled one. The first wins a tie.
   */
  residualPriorGrid: [20, 5, 80],
  /**
   * Candidate strengths, in residuals, of the shrinkage of each series' residual spread (on the
   * log scale) toward its fit's spread times the vendor's typical ratio of out-of-sample to fitted
   * spread; chosen with `residualPriorGrid` on the same rows. 0 (the first, the default): each
   * series' own out-of-sample spread alone; 20 and 80 as for the shape. At a weekly market a
   * series has 30-50 validation residuals, so its own spread is a noisy estimate, while its fit
   * has seen every market day of its history.
   */
  spreadPriorGrid: [0, 20, 80],
  /** Without out-of-sample residuals, in-sample ones are widened by this factor. */
  inSampleWidening: 1.3,
  /**
   * A product too new for the validation takes the spread of its own one-step misses shrunk (on
   * the log scale) toward the vendor's typical out-of-sample spread, which counts as this many of
   * its misses: a launch's first weeks (7, 3, 1, 2, then 5-13) are a few misses, not its nature.
   */
  youngSpreadPriorMisses: 8,
  /** Validation rows' worth of prior at the identity when calibrating probability levels. */
  levelPriorCount: 50,
  /**
   * A prior at "no effect" worth `holidayPriorDays` market days on the pooled effect of a holiday
   * seen on fewer than `holidayPriorBelowDays` dates. 0: off. Measured: on the shared yaz data a
   * pooled prior cost more than it saved (its holidays are consistent); each product's effect
   * leaning on the vendor's (below) does the shrinking.
   */
  holidayPriorDays: 0,
  holidayPriorBelowDays: 2,
  /**
   * Each product's holiday effect is shrunk toward the vendor's by this many market days: with
   * two Christmas weeks of its own, half its own and half the vendor's.
   */
  holidaySeriesPriorDays: 2,
  /**
   * A prior at "no effect" worth this many dates on each flag derived from dates (a recurring
   * holiday, its eve and day after; date-flags.ts): seen on two dates, half of what they showed.
   */
  dateFlagPriorDays: 2,
  /**
   * The weekday x season interaction is tried once the history spans two years (each weekday seen
   * in every season twice) and kept when it cuts the validation error by this share: 14 more
   * columns win 1-2.5% on four folds by chance alone (measured where the pattern is absent), a
   * winter Sunday 1.6 x a summer one wins 9%.
   */
  weekdaySeasonMinSpanDays: 730,
  /** Below this span of history the yearly season must earn its place in validation. */
  seasonValidatedBelowSpanDays: 730,
  /** ... and the sales have two weekdays or more with a market day in most weeks of the year. */
  weekdaySeasonMinDatesPerYear: 26,
  weekdaySeasonMinGain: 0.03,
} as const;

/** What `trainDemandModel` needs. */
export interface TrainDemandModelOptions {
  readonly sales: readonly SalesObservation[];
  readonly covariates?: readonly MarketDayCovariates[];
  /** Product categories, used for cold starts of new products. */
  readonly products?: readonly ProductEconomics[];
  /** Learn only from sales dated on or before this date (default: the last sales date). */
  readonly trainThrough?: string;
  /** Days between the last sales the model sees and the first day it forecasts (default 1). */
  readonly leadDays?: number;
  /** How many days a trained model is used before it is retrained (default 7). */
  readonly horizonDays?: number;
}

/**
 * Trains the vendor's demand model: a log-scale model pooled across products and markets with
 * shrunk series effects, a recent level, censored sell-outs filled in, and quantiles calibrated
 * on rolling-origin out-of-sample residuals. Deterministic; the result is plain JSON data.
 */
export function trainDemandModel(options: TrainDemandModelOptions): DemandModel {
  const leadDays = Math.max(0, Math.floor(options.leadDays ?? 1));
  const horizonDays = Math.max(1, Math.floor(options.horizonDays ?? 7));
  let cutoffDay = Number.NEGATIVE_INFINITY;
  if (options.trainThrough !== undefined) {
    cutoffDay = toDayNumber(options.trainThrough);
  } else {
    for (const sale of options.sales) cutoffDay = Math.max(cutoffDay, toDayNumber(sale.date));
  }
  const trainThrough = Number.isFinite(cutoffDay) ? fromDayNumber(cutoffDay) : '1970-01-01';
  const sales = options.sales.filter((sale) => sale.date <= trainThrough);
  const covariates = options.covariates ?? [];
  const index = indexCovariates(covariates);
  let firstSalesDay = cutoffDay;
  for (const sale of sales) firstSalesDay = Math.min(firstSalesDay, toDayNumber(sale.date));
  const trainingCovariates = covariates.filter((row) => row.date <= trainThrough);
  const holidays = publicHolidays(trainingCovariates);
  const dateFlags = learnDateFlags(
    holidays,
    sales.map((sale) => toDayNumber(sale.date)),
  );
  const calendarSpec: FeatureSpec = {
    ...buildFeatureSpec(trainingCovariates, dateFlags),
    ...(holidays.length > 0 ? { dayTypeFlags: [PUBLIC_HOLIDAY_FLAG] } : {}),
    season: cutoffDay - firstSalesDay >= SEASON_MIN_SPAN_DAYS,
  };
  const flagsOf = (market: string, day: number): string[] =>
    dayFlags(calendarSpec, day, index.get(marketDayKey(market, fromDayNumber(day))));
  // The feature layout and its series; validation may swap in the weekday x season layout below.
  const layoutOf = (layoutSpec: FeatureSpec) => {
    const columns = featureCount(layoutSpec);
    const series = buildSeriesData(sales, index, layoutSpec);
    const positive = series.map((s) => positiveObservations(s, columns));
    return {
      spec: layoutSpec,
      p: columns,
      allSeries: series,
      rich: positive.filter((s) => s.days.length >= ENGINE_SETTINGS.minPooledObservations),
      thin: positive.filter((s) => s.days.length < ENGINE_SETTINGS.minPooledObservations),
      base: {
        p: columns,
        coefficientHalfLifeDays: ENGINE_SETTINGS.coefficientHalfLifeDays,
        pooledPrior: ENGINE_SETTINGS.pooledPrior,
        censoringRounds: ENGINE_SETTINGS.censoringRounds,
        calendarPrior: {
          columns: layoutSpec.groups.flatMap((group, j) => (group === 'holiday' ? [j] : [])),
          days: ENGINE_SETTINGS.holidayPriorDays,
          belowDays: ENGINE_SETTINGS.holidayPriorBelowDays,
          seriesDays: ENGINE_SETTINGS.holidaySeriesPriorDays,
          derivedColumns: layoutSpec.flags.flatMap((flag, f) =>
            flag.startsWith(DATE_FLAG_PREFIX) ? [featureOffsets(layoutSpec).flags + f] : [],
          ),
          derivedDays: ENGINE_SETTINGS.dateFlagPriorDays,
        },
      },
    };
  };
  let layout = layoutOf(calendarSpec);
  const { allSeries } = layout;
  const zeroModel = fitZeroModel(allSeries, flagsOf);
  const { markets, zeroRates } = zeroModel;
  const totalObservations = new Map(allSeries.map((s) => [s.key, s.days.length]));
  const firstDay = Math.min(...allSeries.map((s) => s.days[0] ?? cutoffDay));
  const zeroColumns = layout.p;
  const validate = (
    candidate: ReturnType<typeof layoutOf>,
    grids: Pick<CalibrationOptions, 'seriesPriorGrid' | 'levelHalfLifeGrid' | 'levelClipGrid'>,
  ) =>
    calibrateByRollingOrigin(candidate.rich, {
      base: candidate.base,
      firstDay,
      cutoffDay,
      leadDays,
      horizonDays,
      folds: ENGINE_SETTINGS.calibrationFolds,
      maxWindowDays: ENGINE_SETTINGS.calibrationMaxWindowDays,
      minObservations: ENGINE_SETTINGS.minPooledObservations,
      ...grids,
      blendWeightGrid: ENGINE_SETTINGS.blendWeightGrid,
      baselineWindowGrid: ENGINE_SETTINGS.baselineWindowGrid,
      blendWeightPriorRows: ENGINE_SETTINGS.blendWeightPriorRows,
      zeroDays: {
        series: new Map(allSeries.map((s) => [s.key, s])),
        zeroMassFor: (trainEnd) => {
          const truncated = allSeries.map((s) =>
            truncateSeries(s, countUpTo(s, trainEnd), zeroColumns),
          );
          const foldModel = fitZeroModel(truncated, flagsOf);
          return (key, day) => foldModel.zeroMassAt(key, day);
        },
      },
    });
  let calibration = validate(layout, {
    seriesPriorGrid: ENGINE_SETTINGS.seriesPriorGrid,
    levelHalfLifeGrid: ENGINE_SETTINGS.levelHalfLifeGrid,
    levelClipGrid: ENGINE_SETTINGS.levelClipGrid,
  });
  // A season seen in the first two years is kept only when it forecasts the validation folds no
  // worse than none: one year's wave cannot be told apart from that year's noise.
  if (
    calibration &&
    calendarSpec.season === true &&
    cutoffDay - firstSalesDay < ENGINE_SETTINGS.seasonValidatedBelowSpanDays
  ) {
    const flat = layoutOf({ ...calendarSpec, season: false });
    const flatCalibration = validate(flat, {
      seriesPriorGrid: [calibration.seriesPrior],
      levelHalfLifeGrid: [calibration.levelHalfLife],
      levelClipGrid: [calibration.levelClip],
    });
    if (flatCalibration && relativeValidationLoss(flatCalibration.rows, calibration.rows) < 1) {
      layout = flat;
      calibration = flatCalibration;
    }
  }
  // Each weekday's own yearly wave, kept only when it forecasts the validation folds better at
  // the settings already chosen (one fit per fold: the interaction costs a fraction of the grid).
  if (
    calibration &&
    layout.spec.season === true &&
    cutoffDay - firstSalesDay >= ENGINE_SETTINGS.weekdaySeasonMinSpanDays &&
    weekdaysTradedYearRound(sales) >= 2
  ) {
    const interaction = layoutOf(withWeekdaySeason(calendarSpec));
    const interactionCalibration = validate(interaction, {
      seriesPriorGrid: [calibration.seriesPrior],
      levelHalfLifeGrid: [calibration.levelHalfLife],
      levelClipGrid: [calibration.levelClip],
    });
    if (
      interactionCalibration &&
      relativeValidationLoss(interactionCalibration.rows, calibration.rows) <
        1 - ENGINE_SETTINGS.weekdaySeasonMinGain
    ) {
      layout = interaction;
      calibration = interactionCalibration;
    }
  }
  const { spec, p, rich, thin, base } = layout;
  const seriesPrior = calibration?.seriesPrior ?? 30;
  const levelHalfLife = calibration?.levelHalfLife ?? 8;
  const levelClip = calibration?.levelClip ?? Number.POSITIVE_INFINITY;
  // Without validation there is no evidence for the blend: the pooled model alone.
  const blendWeight = calibration?.blendWeight ?? 1;
  const baselineWindow = calibration?.baselineWindow ?? 4;
  const fit = fitPooled(rich, { ...base, cutoffDay, seriesPrior, levelHalfLife });

  // Residual distribution: out-of-sample where validation ran, else widened in-sample residuals.
  const residualsByKey = new Map<string, number[]>();
  rich.forEach((s, i) => {
    const fromCalibration = calibration?.residuals.get(s.key);
    if (calibration) {
      residualsByKey.set(s.key, fromCalibration ?? []);
      return;
    }
    const seriesFit = fit.series[i];
    if (!seriesFit) return;
    const list: number[] = [];
    // Residuals of filled-in sell-outs included: they are expected values given the bound.
    seriesFit.residual.forEach((r) => list.push(r * ENGINE_SETTINGS.inSampleWidening));
    residualsByKey.set(s.key, list);
  });
  const sigmaByKey = new Map(rich.map((s, i) => [s.key, fit.series[i]?.sigma ?? 0.5]));
  // A product too new for the validation (fewer than 5 out-of-sample residuals, with validation
  // run) chooses its level's half-life on its own one-step errors, and takes their spread.
  const young = new Map<string, { halfLife: number; spread: number; misses: number }>();
  if (calibration) {
    rich.forEach((s, i) => {
      const seriesFit = fit.series[i];
      if (!seriesFit || (residualsByKey.get(s.key)?.length ?? 0) >= 5) return;
      young.set(s.key, youngSeriesLevel(s, seriesFit, levelClip, levelHalfLife));
    });
  }
  // The vendor's typical spread: the median of its established series' out-of-sample spreads.
  const established = [...residualsByKey]
    .filter(([, list]) => list.length >= 5)
    .map(([key, list]) => robustSpread(list, sigmaByKey.get(key) ?? 0.5));
  const vendorSpread = established.length > 0 ? median(established) : undefined;
  const prior = ENGINE_SETTINGS.youngSpreadPriorMisses;
  const youngSpreadByKey = new Map(
    [...young].map(([key, y]) => [
      key,
      vendorSpread === undefined || y.misses === 0
        ? y.spread
        : Math.exp(
            (y.misses * Math.log(y.spread) + prior * Math.log(vendorSpread)) / (y.misses + prior),
          ),
    ]),
  );
  const rows = calibration?.rows ?? [];
  const folds = [...new Set(rows.map((row) => row.fold))];
  // Each fold's shape basis (the other folds' residuals): for the choice of the shape prior and
  // for the cross-fitted shapes below.
  const priors = chooseResidualPriors(
    rows,
    sigmaByKey,
    ENGINE_SETTINGS.residualPriorGrid,
    ENGINE_SETTINGS.spreadPriorGrid,
    youngSpreadByKey,
  );
  const residualPrior = priors.shape;
  const basisWithout = priors.basisWithout;
  const shapes = shapesAt(
    shapeBasis(residualsByKey, sigmaByKey, priors.spread, youngSpreadByKey),
    residualPrior,
  );
  const pooledResidualQuantiles = shapes.pooled;

  const seriesModels: SeriesModel[] = [];
  rich.forEach((s, i) => {
    const seriesFit = fit.series[i];
    if (!seriesFit) return;
    seriesModels.push(
      buildPooledSeriesModel(s, seriesFit, fit, spec, {
        levelHalfLife: young.get(s.key)?.halfLife ?? levelHalfLife,
        ownHalfLife: young.has(s.key),
        levelClip,
        blendWeight: calibration?.seriesBlendWeights.get(s.key) ?? blendWeight,
        baselineWindow,
        residualQuantiles: shapes.byKey.get(s.key) ?? pooledResidualQuantiles,
      }),
    );
  });
  for (const s of thin) {
    seriesModels.push(buildThinSeriesModel(s, fit, spec, pooledResidualQuantiles));
  }
  // Each validation row is read against the residual shapes of the other folds (cross-fitted),
  // so the level calibration sees honest out-of-sample probability integral transforms.
  const shapesWithout = new Map(
    folds.map((fold) => {
      const basis = basisWithout.get(fold);
      return [fold, folds.length > 1 && basis ? shapesAt(basis, residualPrior) : shapes];
    }),
  );
  const foldShapeOf = (row: { key: string; fold: number }): number[] | undefined => {
    const foldShapes = shapesWithout.get(row.fold);
    return foldShapes?.byKey.get(row.key) ?? foldShapes?.pooled;
  };
  // How much of each series' spread comes from its recent same-weekday values: chosen on the
  // validation rows, each scored with the shape it was forecast with; the rows that calibrate the
  // levels use weights chosen without their own fold (cross-fitted, like the blend weights).
  const spreadRows: SpreadRow[] = rows.flatMap((row) =>
    row.residual !== undefined && row.recent
      ? [{ key: row.key, fold: row.fold, residual: row.residual, recent: row.recent }]
      : [],
  );
  const chooseSpread = chooseSpreadWeights(
    spreadRows,
    foldShapeOf,
    ENGINE_SETTINGS.spreadWeightGrid,
    ENGINE_SETTINGS.blendWeightPriorRows,
  );
  const spreadWeights = chooseSpread(-1);
  const spreadWeightsWithout = new Map(
    folds.map((fold) => [fold, folds.length > 1 ? chooseSpread(fold) : spreadWeights]),
  );
  const levelMap = calibrateLevels(rows, (row) => {
    const shape = foldShapeOf(row);
    const weight = spreadWeightsWithout.get(row.fold)?.get(row.key) ?? 1;
    return shape ? stackRecentSpread(shape, row.recent, weight) : undefined;
  });
  const withRates = seriesModels.map((m) => {
    const key = seriesKey(m.market, m.product);
    return {
      ...m,
      observations: totalObservations.get(key) ?? m.positiveObservations,
      zeroRate: zeroRates.get(key) ?? 0,
      // Only a series that carries its recent same-weekday values (`forward`) can use their spread.
      spreadWeight: m.forward ? (spreadWeights.get(key) ?? 1) : 1,
    };
  });
  withRates.sort((a, b) =>
    a.market === b.market ? compare(a.product, b.product) : compare(a.market, b.market),
  );

  return {
    formatVersion: MODEL_FORMAT_VERSION,
    trainedThrough: trainThrough,
    spec,
    pooledCoef: Array.from(fit.pooledCoef.length === p ? fit.pooledCoef : new Float64Array(p)),
    pooledFeatureMeans: Array.from(
      fit.pooledFeatureMeans.length === p ? fit.pooledFeatureMeans : new Float64Array(p),
    ),
    pooledResidualQuantiles,
    levelMap,
    categoryLevels: categoryLevels(seriesModels, options.products ?? []),
    markets,
    coldStartZeroRate: zeroRates.size > 0 ? median([...zeroRates.values()]) : 0.5,
    levelHalfLife,
    seriesPrior,
    blendWeight,
    baselineWindow,
    series: withRates,
    seasons: learnSeasonProfiles(sales, cutoffDay),
    marketSizes: marketSizes(seriesModels),
  };
}

/** Days the calendar marks as public holidays (`PUBLIC_HOLIDAY_FLAG`). */
function publicHolidays(covariates: readonly MarketDayCovariates[]): number[] {
  return covariates
    .filter((row) => row.flags?.[PUBLIC_HOLIDAY_FLAG] === true)
    .map((row) => toDayNumber(row.date));
}

/** log1p of each market's typical market day in units, summed over its series' typical days. */
function marketSizes(series: readonly SeriesModel[]): Record<string, number> {
  const totals = new Map<string, number>();
  for (const s of series) {
    let typical = s.intercept - s.meanSellOutFill;
    s.coef.forEach((c, j) => (typical += c * (s.featureMeans[j] ?? 0)));
    totals.set(s.market, (totals.get(s.market) ?? 0) + Math.expm1(Math.max(typical, 0)));
  }
  const result: Record<string, number> = {};
  for (const market of [...totals.keys()].sort())
    result[market] = Math.log1p(totals.get(market) ?? 0);
  return result;
}

interface ZeroModel {
  readonly markets: MarketOpenRates[];
  readonly zeroRates: Map<string, number>;
  /** Chance of no sale (market shut, or the product unsold) on `day`. */
  readonly zeroMassAt: (key: string, day: number) => number;
}

/** Open rates per market and zero rates per series (shrunk toward the vendor's), from `series`. */
function fitZeroModel(
  series: readonly SeriesData[],
  flagsOf: (market: string, day: number) => string[],
): ZeroModel {
  const openDays = findOpenDays(series);
  const markets = estimateOpenRates(openDays, flagsOf);
  const zeroCounts = series.map((s) => countZeroDays(s, openDays.get(s.market)));
  const vendorZeros = zeroCounts.reduce((sum, c) => sum + c.hits, 0);
  const vendorWeight = zeroCounts.reduce((sum, c) => sum + c.weight, 0);
  const vendorZeroRate = vendorWeight > 0 ? vendorZeros / vendorWeight : 0;
  const zeroRates = new Map(
    series.map((s, i) => [
      s.key,
      zeroRateOf(zeroCounts[i] ?? { hits: 0, weight: 0 }, vendorZeroRate),
    ]),
  );
  const marketOf = new Map(series.map((s) => [s.key, s.market]));
  const ratesOf = new Map(markets.map((m) => [m.market, m]));
  return {
    markets,
    zeroRates,
    zeroMassAt: (key, day) => {
      const market = marketOf.get(key) ?? '';
      const open = openChance(ratesOf.get(market), weekdayOfDay(day), flagsOf(market, day));
      return Math.min(Math.max(1 - open * (1 - (zeroRates.get(key) ?? 0)), 0), 1);
    },
  };
}

/**
 * Probability-level calibration of the predictive distribution (zero mass included) on the
 * out-of-sample validation rows. Each row's probability integral transform is taken under the
 * model's mixture: a positive sale at `z + (1 - z) F(residual)`, a zero sale anywhere in `[0, z]`.
 * Three points are calibrated and the map is linear in the level between and beyond them:
 * - P10 is read at the level below which 10% of outcomes fall, a zero counting as below only
 *   where the quantile is positive (as interval coverage counts it);
 * - P90 at the level above which 10% of outcomes fall, a zero never above;
 * - P50 at the median of the transforms, a zero at the middle of `[0, z]` (pinball-consistent).
 * So `[P10, P90]` covers 80% of validation outcomes, zero days included: a distribution whose
 * zero-sale atom would make it cover more is narrowed, one too narrow is widened. Each point is
 * shrunk toward the identity by `levelPriorCount` rows; without rows the map is the identity.
 */
export function calibrateLevels(
  rows: readonly CalibrationRow[],
  residualQuantilesOf: (row: CalibrationRow) => readonly number[] | undefined,
): number[] {
  const below: number[] = [];
  const middle: number[] = [];
  const above: number[] = [];
  for (const row of rows) {
    const quantiles = residualQuantilesOf(row);
    if (!quantiles) continue;
    const z = Math.min(Math.max(row.zeroMass, 0), 1);
    if (row.residual === undefined) {
      below.push(z);
      middle.push(z / 2);
      above.push(0);
      continue;
    }
    const v = z + (1 - z) * levelOf(quantiles, row.residual);
    below.push(v);
    middle.push(v);
    above.push(v);
  }
  const n = below.length;
  if (n === 0) return [...QUANTILE_LEVELS];
  const k = ENGINE_SETTINGS.levelPriorCount;
  const shrink = (empirical: number, level: number): number =>
    (n * empirical + k * level) / (n + k);
  const center = shrink(median(middle), 0.5);
  const low = Math.min(shrink(sampleQuantiles(below, [0.1])[0] ?? 0.1, 0.1), center);
  const high = Math.max(shrink(sampleQuantiles(above, [0.9])[0] ?? 0.9, 0.9), center);
  const epsilon = 1e-3;
  let previous = 0;
  return QUANTILE_LEVELS.map((level) => {
    const mapped =
      level <= 0.5
        ? center - ((0.5 - level) / 0.4) * (center - low)
        : center + ((level - 0.5) / 0.4) * (high - center);
    // Strictly increasing inside (0, 1), so distinct levels stay distinct quantiles.
    previous = Math.min(Math.max(mapped, previous + epsilon, epsilon), 1 - epsilon);
    return previous;
  });
}

/** Probability level at which the stored residual quantiles reach `residual` (their CDF). */
function levelOf(quantiles: readonly number[], residual: number): number {
  const levels = QUANTILE_LEVELS;
  const first = quantiles[0] ?? 0;
  const last = quantiles[quantiles.length - 1] ?? 0;
  const firstLevel = levels[0] ?? 0;
  const lastLevel = levels[levels.length - 1] ?? 1;
  if (residual <= first) {
    // Below the grid: the lowest level scaled down linearly toward an empty tail.
    const step = (quantiles[1] ?? first) - first;
    return step > 0 ? Math.max(firstLevel * (1 + (residual - first) / (step * 2)), 0) : 0;
  }
  if (residual >= last) {
    const step = last - (quantiles[quantiles.length - 2] ?? last);
    return step > 0
      ? Math.min(lastLevel + (1 - lastLevel) * ((residual - last) / (step * 2)), 1)
      : 1;
  }
  for (let i = 1; i < quantiles.length; i++) {
    const high = quantiles[i] ?? 0;
    if (residual <= high) {
      const low = quantiles[i - 1] ?? 0;
      const lowLevel = levels[i - 1] ?? 0;
      const highLevel = levels[i] ?? 1;
      return high > low
        ? lowLevel + ((highLevel - lowLevel) * (residual - low)) / (high - low)
        : highLevel;
    }
  }
  return lastLevel;
}

/** Entries computed for days `first, first + 1, ...` reordered by weekday (Monday = 0). */
function rotateToWeekdays<T>(entries: readonly T[], first: number): T[] {
  const result = [...entries];
  entries.forEach((entry, offset) => {
    result[weekdayOfDay(first + offset)] = entry;
  });
  return result;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A wide log-scale spread for when nothing has been seen yet (about x0.4 .. x2.5 at P10-P90). */
function defaultResidualQuantiles(): number[] {
  return QUANTILE_LEVELS.map((level) => 0.7 * normalQuantile(level));
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(level: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const at = (list: readonly number[], i: number): number => list[i] ?? 0;
  const pLow = 0.02425;
  const q = Math.min(Math.max(level, 1e-12), 1 - 1e-12);
  if (q < pLow || q > 1 - pLow) {
    const tail = q < pLow ? q : 1 - q;
    const r = Math.sqrt(-2 * Math.log(tail));
    const value =
      (((((at(c, 0) * r + at(c, 1)) * r + at(c, 2)) * r + at(c, 3)) * r + at(c, 4)) * r +
        at(c, 5)) /
      ((((at(d, 0) * r + at(d, 1)) * r + at(d, 2)) * r + at(d, 3)) * r + 1);
    return q < pLow ? value : -value;
  }
  const s = q - 0.5;
  const r = s * s;
  return (
    ((((((at(a, 0) * r + at(a, 1)) * r + at(a, 2)) * r + at(a, 3)) * r + at(a, 4)) * r + at(a, 5)) *
      s) /
    (((((at(b, 0) * r + at(b, 1)) * r + at(b, 2)) * r + at(b, 3)) * r + at(b, 4)) * r + 1)
  );
}

/** The positive validation rows' residuals by series key, without the rows of fold `fold`. */
function residualsOutside(rows: readonly CalibrationRow[], fold: number): Map<string, number[]> {
  const others = new Map<string, number[]>();
  for (const row of rows) {
    if (row.fold === fold || row.residual === undefined) continue;
    let list = others.get(row.key);
    if (!list) others.set(row.key, (list = []));
    list.push(row.residual);
  }
  return others;
}

/**
 * How far each series' residual shape and spread lean on the vendor's: the pooled shape's weight
 * in residuals (`shapeGrid`) and the spread prior's (`spreadGrid`, `shapeBasis`), the pair whose
 * shapes, built on the other folds, give the validation rows of each fold the smallest pinball
 * loss summed over `QUANTILE_LEVELS` (a proper score of the whole shape). Ties go to the earlier
 * pair (spread first); with fewer than two folds there is nothing to score on: the first of each.
 * Also returns the chosen spread prior's shape basis of each fold (for the cross-fitted shapes).
 */
export function chooseResidualPriors(
  rows: readonly CalibrationRow[],
  sigmaByKey: ReadonlyMap<string, number>,
  shapeGrid: readonly number[],
  spreadGrid: readonly number[],
  youngSpreadByKey?: ReadonlyMap<string, number>,
): { shape: number; spread: number; basisWithout: Map<number, ShapeBasis> } {
  const folds = [...new Set(rows.map((row) => row.fold))];
  const outside = new Map(folds.map((fold) => [fold, residualsOutside(rows, fold)]));
  const basesAt = (spread: number): Map<number, ShapeBasis> =>
    new Map(
      folds.map((fold) => [
        fold,
        shapeBasis(outside.get(fold) ?? new Map(), sigmaByKey, spread, youngSpreadByKey),
      ]),
    );
  let best = {
    shape: shapeGrid[0] ?? ENGINE_SETTINGS.residualPriorCount,
    spread: spreadGrid[0] ?? 0,
    loss: Number.POSITIVE_INFINITY,
  };
  if (folds.length < 2) return { ...best, basisWithout: basesAt(best.spread) };
  let bestBases = new Map<number, ShapeBasis>();
  for (const spread of spreadGrid) {
    const bases = basesAt(spread);
    for (const shape of shapeGrid) {
      const loss = validationShapeLoss(rows, bases, shape);
      if (loss < best.loss) {
        best = { shape, spread, loss };
        bestBases = bases;
      }
    }
  }
  return { shape: best.shape, spread: best.spread, basisWithout: bestBases };
}

/**
 * Pinball loss, summed over `QUANTILE_LEVELS`, of the positive validation rows against the shapes
 * of their fold's basis (built without the fold) at a shape prior of `prior` residuals.
 */
function validationShapeLoss(
  rows: readonly CalibrationRow[],
  basisWithout: ReadonlyMap<number, ShapeBasis>,
  prior: number,
): number {
  let loss = 0;
  for (const [fold, basis] of basisWithout) {
    const { byKey, pooled } = shapesAt(basis, prior);
    for (const row of rows) {
      if (row.fold !== fold || row.residual === undefined) continue;
      const shape = byKey.get(row.key) ?? pooled;
      const residual = row.residual;
      QUANTILE_LEVELS.forEach((level, i) => {
        const q = shape[i] ?? 0;
        loss += residual >= q ? level * (residual - q) : (1 - level) * (q - residual);
      });
    }
  }
  return loss;
}

/**
 * What residual shapes are built from: each series' own residual quantiles and count, the pooled
 * shape at each series' spread, and the pooled shape at the typical spread. Series differ in
 * noise, so residuals are pooled in units of each series' own spread.
 */
interface ShapeBasis {
  readonly own: ReadonlyMap<string, { readonly quantiles: number[]; readonly count: number }>;
  readonly scaled: ReadonlyMap<string, number[]>;
  readonly pooled: number[];
}

/**
 * The shape basis of `residualsByKey`. Each series' spread is the robust spread of its own
 * residuals; with fewer than 5, its fit's: its one-step errors' (`youngSpreadByKey`,
 * `youngSeriesLevel`) where given, else `sigmaByKey`. With `spreadPrior` above 0 it is shrunk on
 * the log scale toward that fit's spread times the vendor's median ratio of own to fit's spread,
 * the target counting as `spreadPrior` residuals.
 */
function shapeBasis(
  residualsByKey: ReadonlyMap<string, readonly number[]>,
  sigmaByKey: ReadonlyMap<string, number>,
  spreadPrior: number,
  youngSpreadByKey?: ReadonlyMap<string, number>,
): ShapeBasis {
  const spreadByKey = new Map<string, number>();
  const ratios: number[] = [];
  // Only series with fewer than 5 residuals in all are young, so fewer here too.
  const fitSpread = (key: string, sigma: number): number => youngSpreadByKey?.get(key) ?? sigma;
  for (const [key, sigma] of sigmaByKey) {
    const own = residualsByKey.get(key) ?? [];
    if (own.length >= 5) {
      const spread = robustSpread(own, sigma);
      spreadByKey.set(key, spread);
      ratios.push(spread / Math.max(sigma, 1e-3));
    } else {
      spreadByKey.set(key, fitSpread(key, sigma));
    }
  }
  if (spreadPrior > 0 && ratios.length > 0) {
    const ratio = median(ratios);
    for (const [key, sigma] of sigmaByKey) {
      const count = residualsByKey.get(key)?.length ?? 0;
      const ownWeight = count >= 5 ? count : 0;
      const fallback = fitSpread(key, sigma);
      const own = spreadByKey.get(key) ?? fallback;
      const target = Math.max(fallback * ratio, 1e-3);
      spreadByKey.set(
        key,
        Math.exp(
          (ownWeight * Math.log(own) + spreadPrior * Math.log(target)) / (ownWeight + spreadPrior),
        ),
      );
    }
  }
  const standardized = [...residualsByKey.entries()].flatMap(([key, list]) => {
    const spread = spreadByKey.get(key) ?? 1;
    return list.map((r) => r / spread);
  });
  const standardQuantiles =
    standardized.length > 0 ? sampleQuantiles(standardized, QUANTILE_LEVELS) : undefined;
  const typicalSpread = spreadByKey.size > 0 ? median([...spreadByKey.values()]) : 0.5;
  const pooled = standardQuantiles
    ? standardQuantiles.map((q) => q * typicalSpread)
    : defaultResidualQuantiles();
  const own = new Map<string, { quantiles: number[]; count: number }>();
  const scaled = new Map<string, number[]>();
  for (const key of sigmaByKey.keys()) {
    const spread = spreadByKey.get(key) ?? typicalSpread;
    scaled.set(key, standardQuantiles ? standardQuantiles.map((q) => q * spread) : pooled);
    const list = residualsByKey.get(key) ?? [];
    if (list.length > 0) {
      own.set(key, { quantiles: sampleQuantiles(list, QUANTILE_LEVELS), count: list.length });
    }
  }
  return { own, scaled, pooled };
}

/**
 * Residual quantiles per series: each series' own quantiles shrunk toward the pooled shape at its
 * spread, the pooled shape counting as `priorCount` residuals. `pooled` is the pooled shape at
 * the typical spread (thin and cold-start rungs).
 */
function shapesAt(
  basis: ShapeBasis,
  priorCount: number,
): { byKey: Map<string, number[]>; pooled: number[] } {
  const byKey = new Map<string, number[]>();
  for (const [key, scaled] of basis.scaled) {
    const own = basis.own.get(key);
    if (!own) {
      byKey.set(key, [...scaled]);
      continue;
    }
    const n = own.count;
    const k = priorCount;
    byKey.set(
      key,
      own.quantiles.map((q, i) => (n * q + k * (scaled[i] ?? q)) / (n + k)),
    );
  }
  return { byKey, pooled: basis.pooled };
}

/**
 * The level of a product too new for the validation: the half-life of `levelHalfLifeGrid` whose
 * tracked level, read the market day before each of its days (uncensored ones), misses its
 * residuals least in absolute terms, and the robust spread of those misses. Its effects lean on
 * the other products, so its residuals carry what they do not share: a new loaf climbing from 3
 * to 25 while the season says quieter. The vendor's half-life (16 weeks at the demo) left that
 * level at the loaf's average since its launch, and the static residuals' spread counted the
 * climb as noise: "likely 3-43, bring 49" for a loaf that never sold more than 28.
 * With fewer than 3 uncensored days after its first (a product that sold out nearly every time)
 * there is nothing to choose on: the vendor's half-life and the fit's spread.
 */
export function youngSeriesLevel(
  s: SeriesData,
  seriesFit: SeriesFit,
  levelClip: number,
  vendorHalfLife: number,
): { halfLife: number; spread: number; misses: number } {
  let best: { halfLife: number; loss: number; misses: number[] } = {
    halfLife: ENGINE_SETTINGS.levelHalfLifeGrid[0] ?? 2,
    loss: Infinity,
    misses: [],
  };
  for (const halfLife of ENGINE_SETTINGS.levelHalfLifeGrid) {
    const level = new LevelTracker(halfLife, levelClip * seriesFit.sigma);
    const misses: number[] = [];
    seriesFit.residual.forEach((residual, i) => {
      if (i > 0 && s.censored[i] !== 1) misses.push(Math.abs(residual - level.value));
      level.add(residual);
    });
    const loss = misses.reduce((sum, miss) => sum + miss, 0);
    if (loss < best.loss) best = { halfLife, loss, misses };
  }
  if (best.misses.length < 3)
    return { halfLife: vendorHalfLife, spread: seriesFit.sigma, misses: 0 };
  return {
    halfLife: best.halfLife,
    spread: Math.max(1.4826 * median(best.misses), 0.05),
    misses: best.misses.length,
  };
}

/** Robust spread (scaled median absolute deviation) of residuals, floored. */
function robustSpread(residuals: readonly number[], fallback: number): number {
  const center = median(residuals);
  const spread = 1.4826 * median(residuals.map((r) => Math.abs(r - center)));
  return spread > 1e-3 ? spread : Math.max(fallback, 1e-3);
}

function buildSupport(s: SeriesData, spec: FeatureSpec, recentFrom: number): SeriesSupport {
  const p = spec.groups.length;
  const weekdays = [0, 0, 0, 0, 0, 0, 0];
  const flags = spec.flags.map(() => 0);
  let eventDays = 0;
  let weatherDays = 0;
  let recentSellOuts = 0;
  const offsets = featureOffsets(spec);
  const flagOffset = offsets.flags;
  for (let i = 0; i < s.days.length; i++) {
    for (let d = 0; d < 7; d++) if (s.x[i * p + d] === 1) weekdays[d] = (weekdays[d] ?? 0) + 1;
    let hasWeather = false;
    for (let column = offsets.weather; column < offsets.flags; column++) {
      if (s.x[i * p + column] !== 0) hasWeather = true;
    }
    if (hasWeather) weatherDays++;
    spec.flags.forEach((_, f) => {
      if (s.x[i * p + flagOffset + f] === 1) flags[f] = (flags[f] ?? 0) + 1;
    });
    if (s.x[i * p + flagOffset + spec.flags.length] === 1) eventDays++;
    if (i >= recentFrom && s.censored[i] === 1) recentSellOuts++;
  }
  return { weekdays, flags, eventDays, weatherDays, recentSellOuts };
}

function buildPooledSeriesModel(
  s: SeriesData,
  seriesFit: PooledFit['series'][number],
  _fit: PooledFit,
  spec: FeatureSpec,
  extra: {
    levelHalfLife: number;
    /** The half-life is the series' own (`youngSeriesLevel`), not the vendor's. */
    ownHalfLife: boolean;
    levelClip: number;
    blendWeight: number;
    baselineWindow: number;
    residualQuantiles: number[];
  },
): SeriesModel {
  const n = s.days.length;
  const fill = new Float64Array(n);
  let meanSellOutFill = 0;
  for (let i = 0; i < n; i++) {
    fill[i] = (seriesFit.yFilled[i] ?? 0) - (s.y[i] ?? 0);
    meanSellOutFill += (seriesFit.weights[i] ?? 0) * (fill[i] ?? 0);
  }
  const recentWindow = Math.min(n, Math.max(1, Math.round(2 * extra.levelHalfLife)));
  const clip = extra.levelClip * seriesFit.sigma;
  const level = new LevelTracker(extra.levelHalfLife, clip);
  seriesFit.residual.forEach((r) => level.add(r));
  const sellOutLevel = new LevelTracker(extra.levelHalfLife);
  fill.forEach((f) => sellOutLevel.add(f));
  // Sell-outs enter the baseline at their filled-in expected demand given their bound.
  const values = Float64Array.from(seriesFit.yFilled);
  const lastDay = s.days[n - 1] ?? 0;
  // The baseline of the next market day of each weekday: the median of its last sales.
  const nextDays = [0, 1, 2, 3, 4, 5, 6].map((offset) => lastDay + 1 + offset);
  const weekdayMedians = nextDays.map((day) => {
    const value = sameWeekdayMedian(s.days, values, n, day, extra.baselineWindow);
    return Number.isNaN(value) ? null : value;
  });
  const sellOutFill = nextDays.map((day, d) => {
    const sold = sameWeekdayMedian(s.days, s.y, n, day, extra.baselineWindow);
    const filled = weekdayMedians[d];
    return filled === null || filled === undefined || Number.isNaN(sold)
      ? 0
      : Math.max(filled - sold, 0);
  });
  return {
    market: s.market,
    product: s.product,
    // Where validation puts most weight on the robust same-weekday baseline, the rung says so.
    rung: extra.blendWeight < 0.5 ? 'thin' : 'pooled',
    blendWeight: extra.blendWeight,
    spreadWeight: 1,
    weekdayMedians: rotateToWeekdays(weekdayMedians, lastDay + 1),
    weekdayMedianSellOutFill: rotateToWeekdays(sellOutFill, lastDay + 1),
    observations: n,
    positiveObservations: n,
    zeroRate: 0,
    intercept: seriesFit.intercept,
    coef: Array.from(seriesFit.coef),
    featureMeans: Array.from(seriesFit.featureMeans),
    level: level.value,
    sellOutLevel: sellOutLevel.value,
    meanSellOutFill,
    residualQuantiles: extra.residualQuantiles,
    support: buildSupport(s, spec, n - recentWindow),
    forward: {
      sigma: seriesFit.sigma,
      ...(extra.ownHalfLife ? { levelHalfLife: extra.levelHalfLife } : {}),
      levelClip: Number.isFinite(clip) ? clip : null,
      level: level.state,
      sellOutLevel: sellOutLevel.state,
      recentFilled: lastPerWeekday(s.days, values, extra.baselineWindow),
      recentSold: lastPerWeekday(s.days, s.y, extra.baselineWindow),
    },
  };
}

/** The last `window` values of each weekday (Monday = 0), oldest first. */
function lastPerWeekday(
  days: ArrayLike<number>,
  values: ArrayLike<number>,
  window: number,
): number[][] {
  const result: number[][] = [[], [], [], [], [], [], []];
  for (let i = days.length - 1; i >= 0; i--) {
    const list = result[weekdayOfDay(days[i] ?? 0)];
    if (list && list.length < window) list.unshift(values[i] ?? 0);
  }
  return result;
}

/**
 * The thin-data rung: the pooled effects, and a robust level (the median of the series' values
 * with those effects taken out); the pooled residual spread, widened for the short history.
 */
function buildThinSeriesModel(
  s: SeriesData,
  fit: PooledFit,
  spec: FeatureSpec,
  pooledQuantiles: readonly number[],
): SeriesModel {
  const p = spec.groups.length;
  const n = s.days.length;
  const coef = fit.pooledCoef.length === p ? fit.pooledCoef : new Float64Array(p);
  const adjusted: number[] = [];
  const means = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    let effect = 0;
    for (let j = 0; j < p; j++) {
      effect += (s.x[i * p + j] ?? 0) * (coef[j] ?? 0);
      means[j] = (means[j] ?? 0) + (s.x[i * p + j] ?? 0) / n;
    }
    adjusted.push((s.y[i] ?? 0) - effect);
  }
  const median50 = pooledQuantiles[QUANTILE_LEVELS.indexOf(0.5)] ?? 0;
  const widen = 1 + 1 / Math.sqrt(Math.max(n, 1));
  return {
    market: s.market,
    product: s.product,
    rung: 'thin',
    blendWeight: 1,
    spreadWeight: 1,
    weekdayMedians: [null, null, null, null, null, null, null],
    weekdayMedianSellOutFill: [0, 0, 0, 0, 0, 0, 0],
    observations: n,
    positiveObservations: n,
    zeroRate: 0,
    intercept: n > 0 ? median(adjusted) : 0,
    coef: Array.from(coef),
    featureMeans: Array.from(means),
    level: 0,
    sellOutLevel: 0,
    meanSellOutFill: 0,
    residualQuantiles: pooledQuantiles.map((q) => median50 + (q - median50) * widen),
    support: buildSupport(s, spec, 0),
  };
}

/** Median typical log value per product category ("" = every product), for cold starts. */
function categoryLevels(
  series: readonly SeriesModel[],
  products: readonly ProductEconomics[],
): Record<string, number> {
  const categoryOf = new Map(products.map((product) => [product.product, product.category]));
  const groups = new Map<string, number[]>();
  for (const s of series) {
    let typical = s.intercept - s.meanSellOutFill;
    s.coef.forEach((c, j) => (typical += c * (s.featureMeans[j] ?? 0)));
    for (const key of ['', categoryOf.get(s.product)]) {
      if (key === undefined) continue;
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push(typical);
    }
  }
  const result: Record<string, number> = {};
  for (const key of [...groups.keys()].sort()) result[key] = median(groups.get(key) ?? [0]);
  return result;
}

/**
 * Mean absolute out-of-sample error of `candidate`'s validation rows relative to `reference`'s,
 * each series in units of the reference's own mean error (so big sellers do not decide alone);
 * below 1: the candidate forecasts the same folds better.
 */
export function relativeValidationLoss(
  candidate: readonly CalibrationRow[],
  reference: readonly CalibrationRow[],
): number {
  const scale = new Map<string, { sum: number; count: number }>();
  for (const row of reference) {
    if (row.residual === undefined) continue;
    const entry = scale.get(row.key) ?? { sum: 0, count: 0 };
    entry.sum += Math.abs(row.residual);
    entry.count++;
    scale.set(row.key, entry);
  }
  const unit = (key: string): number => {
    const entry = scale.get(key);
    return entry ? Math.max(entry.sum / entry.count, 0.05) : 0;
  };
  const total = (rows: readonly CalibrationRow[]): number => {
    let sum = 0;
    for (const row of rows) {
      const u = unit(row.key);
      if (row.residual !== undefined && u > 0) sum += Math.abs(row.residual) / u;
    }
    return sum;
  };
  const referenceTotal = total(reference);
  return referenceTotal > 0 ? total(candidate) / referenceTotal : 1;
}

/** Weekdays with sales on `weekdaySeasonMinDatesPerYear` dates a year or more, on average. */
function weekdaysTradedYearRound(sales: readonly SalesObservation[]): number {
  const dates = new Set(sales.map((sale) => sale.date));
  if (dates.size === 0) return 0;
  const counts = new Array<number>(7).fill(0);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const date of dates) {
    const day = toDayNumber(date);
    counts[weekdayOfDay(day)] = (counts[weekdayOfDay(day)] ?? 0) + 1;
    first = Math.min(first, day);
    last = Math.max(last, day);
  }
  const years = Math.max((last - first + 1) / 365.25, 1);
  return counts.filter((count) => count / years >= ENGINE_SETTINGS.weekdaySeasonMinDatesPerYear)
    .length;
}
