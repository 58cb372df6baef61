import type { FeatureSpec } from '../features';
import type { SeasonProfile } from './availability';
import type { MarketOpenRates } from './open-days';
import type { LevelState } from './pooled';

/** Version of the stored model layout; bump when the JSON shape changes. */
export const MODEL_FORMAT_VERSION = 6;

/** Counts of past market days behind each part of a series' explanation. */
export interface SeriesSupport {
  /** Observations per weekday, Monday = 0. */
  readonly weekdays: readonly number[];
  /** Observations with each calendar flag of the spec set. */
  readonly flags: readonly number[];
  readonly eventDays: number;
  readonly weatherDays: number;
  /** Sell-outs (censored days) among the recent observations that set the level. */
  readonly recentSellOuts: number;
}

/** The stored state of one market x product series. */
export interface SeriesModel {
  readonly market: string;
  readonly product: string;
  /**
   * `pooled`, or `thin` for a series on the thin-data rung or one whose forecast leans mostly on
   * the robust same-weekday baseline (`blendWeight` below 0.5).
   */
  readonly rung: 'pooled' | 'thin';
  /** Weight of the pooled model in the log-scale blend with the same-weekday baseline. */
  readonly blendWeight: number;
  /**
   * Weight of `residualQuantiles` against the spread of the last same-weekday values
   * (`forward.recentFilled`) in the forecast's shape (`stackRecentSpread`); 1: the model's alone.
   */
  readonly spreadWeight: number;
  /**
   * The robust baseline per weekday (Monday = 0): the log1p median of the last same-weekday
   * sales, a sell-out at its expected demand given its bound (`demandLowerBound`: `q / f` for a
   * sell-out at a share `f` of the day), so an earlier sell-out counts higher; null where that
   * weekday was never sold on.
   */
  readonly weekdayMedians: readonly (number | null)[];
  /**
   * Part of each `weekdayMedians` entry that comes from filled-in sell-outs: that median minus
   * the median of what sold (>= 0; 0 where the weekday has no sell-outs or none was seen).
   */
  readonly weekdayMedianSellOutFill: readonly number[];
  /** Market days with sales rows (zeros included). */
  readonly observations: number;
  /** Market days with a positive sale: what the log-scale effects are fitted on. */
  readonly positiveObservations: number;
  /** Chance of selling nothing on a day the market is open. */
  readonly zeroRate: number;
  /** Log1p-scale intercept and effects (one per feature). */
  readonly intercept: number;
  readonly coef: readonly number[];
  /** Feature means of the series' history: its typical day. */
  readonly featureMeans: readonly number[];
  /** Recent level relative to the effects, on the log scale (includes the sell-out part). */
  readonly level: number;
  /** Part of `level` that comes from filled-in sell-outs. */
  readonly sellOutLevel: number;
  /** Average fill-in over the whole history (already inside `intercept`). */
  readonly meanSellOutFill: number;
  /** Calibrated log-scale residual quantiles at `QUANTILE_LEVELS`. */
  readonly residualQuantiles: readonly number[];
  readonly support: SeriesSupport;
  /**
   * What it takes to bring the level and the same-weekday medians up to date with sales after
   * `trainedThrough` without refitting (`advanceDemandModel`). Absent on the thin rung.
   */
  readonly forward?: SeriesForward;
}

/** A pooled series' running state at the end of its training data. */
export interface SeriesForward {
  /** Residual spread of the fit (log scale): the censored E-step of a new sell-out uses it. */
  readonly sigma: number;
  /**
   * The level's own half-life, for a product too new for the validation (`youngSeriesLevel`);
   * absent: the model's `levelHalfLife`.
   */
  readonly levelHalfLife?: number;
  /** Clip of the residuals entering the level, log scale; null: no clip. */
  readonly levelClip: number | null;
  /** State of the level tracker (`LevelTracker.state`) and of the sell-out part's. */
  readonly level: LevelState;
  readonly sellOutLevel: LevelState;
  /**
   * The last `baselineWindow` log values per weekday (Monday = 0), oldest first: sell-outs at
   * their expected demand (`filled`) and as sold (`sold`).
   */
  readonly recentFilled: readonly (readonly number[])[];
  readonly recentSold: readonly (readonly number[])[];
}

/** A trained demand model: plain JSON data, stored per vendor and reloaded to answer prep lists. */
export interface DemandModel {
  readonly formatVersion: number;
  /** Last sales date the model learned from, `YYYY-MM-DD`. */
  readonly trainedThrough: string;
  /**
   * Last sales date the levels and same-weekday medians have seen (`advanceDemandModel`), when
   * later than `trainedThrough`; the effects are still those learnt through `trainedThrough`.
   */
  readonly advancedThrough?: string;
  readonly spec: FeatureSpec;
  readonly pooledCoef: readonly number[];
  readonly pooledFeatureMeans: readonly number[];
  /** Residual quantiles pooled over all series, used by the thin and cold-start rungs. */
  readonly pooledResidualQuantiles: readonly number[];
  /**
   * Calibrated probability levels: the forecast at level `QUANTILE_LEVELS[i]` is the model's
   * mixture distribution (zero mass and positive part) read at level `levelMap[i]`.
   */
  readonly levelMap: readonly number[];
  /** Typical log1p value of each product category (and `""` for all), for cold starts. */
  readonly categoryLevels: Readonly<Record<string, number>>;
  /** How often each market is open, by weekday and on flagged days. */
  readonly markets: readonly MarketOpenRates[];
  /** Zero rate assumed for a product never seen. */
  readonly coldStartZeroRate: number;
  /** Settings chosen by the rolling-origin validation. */
  readonly levelHalfLife: number;
  readonly seriesPrior: number;
  readonly blendWeight: number;
  /** Same-weekday sales in the baseline's median (chosen by validation). */
  readonly baselineWindow: number;
  readonly series: readonly SeriesModel[];
  /** When each product sells at each market (weeks of the year), for its availability. */
  readonly seasons: readonly SeasonProfile[];
  /**
   * Typical log1p total sales of a market day per market (the sum of its series' typical days):
   * the size a new market's cold start is scaled from.
   */
  readonly marketSizes: Readonly<Record<string, number>>;
}
