/** The demand engine (issue 3): pure functions from sales history and covariates to prep quantities. */
export type {
  BaselineBasis,
  DataSufficiency,
  ForecastAvailability,
  ProductSeasonSetting,
  EffectName,
  Explanation,
  ExplanationEffect,
  MarketDayCovariates,
  MarketEvent,
  ModelRung,
  PlanRequest,
  PrepForecast,
  ProductEconomics,
  SalesObservation,
} from './types';
export type { DemandModel, SeriesModel, SeriesSupport } from './models/demand-model';
export type { FeatureSpec, WeatherColumnSpec, FeatureGroup } from './features';
export type { TrainDemandModelOptions } from './train';
export type { MarketScale, PredictDemandOptions } from './predict';
export type { BacktestOptions, BacktestPrediction, BacktestResult } from './backtest/run-backtest';
export type { BacktestScore, MethodScore, ScoreRow, ScoredForecast } from './backtest/scoring';

/** Calendar-date helpers on `YYYY-MM-DD` strings, computed in UTC day numbers (TZ-independent). */
export {
  addDays,
  dayOfYear,
  fromDayNumber,
  isCalendarDate,
  toDayNumber,
  weekdayOfDay,
} from './calendar-dates';
/** Trains the vendor's pooled demand model (see `trainDemandModel`). */
export { ENGINE_SETTINGS, trainDemandModel } from './train';
/** Brings a trained model's levels up to date with later sales, without refitting. */
export { advanceDemandModel } from './models/advance';
export type { AdvanceDemandModelOptions } from './models/advance';
/** Holidays learnt as themselves: flags derived from dates, and their names in words. */
export { DATE_FLAG_PREFIX, dateFlagLabel } from './date-flags';
export { PUBLIC_HOLIDAY_FLAG } from './features';
/** Answers a prep list from a trained model (see `predictDemand`). */
export { dataSufficiencyOf, predictDemand } from './predict';
/** Newsvendor helpers: critical ratio, whole quantity, expected sales. */
export {
  clampCriticalRatio,
  computeCriticalRatio,
  CRITICAL_RATIO_RANGE,
  DEFAULT_CRITICAL_RATIO,
  expectedSales,
  expectedSalesFromQuantiles,
  recommendQuantity,
} from './newsvendor';
/** Explanation of a P50 as a baseline plus named effects. */
export { explainMedian } from './explain';
/** Stores and reloads a trained model as JSON. */
export { deserializeModel, serializeModel } from './serialize';
/** Rolling-origin backtest without look-ahead, against the vendor's rule of thumb. */
export { runBacktest } from './backtest/run-backtest';
/** A vendor's past season replayed in money: MarketPrep against the rule and what was brought. */
export {
  replayDelta,
  replayDemand,
  replayOutcome,
  replaySeason,
  scoreReplayDay,
  sumReplayDays,
} from './backtest/replay';
export type {
  ReplayDay,
  ReplayDelta,
  ReplayDemand,
  ReplayEconomics,
  ReplayOutcome,
  ReplaySeasonOptions,
  ReplaySeasonResult,
  ReplayTotals,
} from './backtest/replay';
/** Scoring of a backtest: pinball loss, series scale, coverage. */
export { pinballLoss, scoreBacktest, seriesScale } from './backtest/scoring';
/** The vendor's rule of thumb (median of the last 4 same-weekday sales, range from the last 8). */
export { ruleOfThumbForecast } from './backtest/rule-of-thumb';
/** Dataset parsing for the backtest layout, with file/line/column errors. */
export {
  DatasetError,
  parseCalendarCsv,
  parseCsv,
  parseEventsCsv,
  parseSalesCsv,
  parseWeatherCsv,
} from './backtest/parse-dataset';
/** Censored demand: sell-outs (sold >= brought, or sold out well before close). */
export {
  demandLowerBound,
  isCensored,
  SELL_OUT_BEFORE_CLOSE,
  soldOutFractionOf,
} from './censoring';
/** The probability levels each predictive distribution is stored at. */
export { QUANTILE_LEVELS } from './quantiles/quantile-grid';
