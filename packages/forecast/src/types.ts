/** One day's sales of one product at one market. */
export interface SalesObservation {
  /** Market-local calendar date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly market: string;
  readonly product: string;
  /** Units (or amount) sold; non-negative. */
  readonly quantity: number;
  /** Units brought, when known. `quantity >= brought` means the product sold out (censored demand). */
  readonly brought?: number;
  /** The product sold out well before the market closed (censored demand), e.g. from the check-in. */
  readonly soldOut?: boolean;
  /**
   * Local time `HH:MM` the product sold out, when recorded. With the opening hours (`opensAt`,
   * `closesAt`) it gives how early the sell-out was; see `soldOutFractionOfDay`.
   */
  readonly soldOutAt?: string;
  /** Market opening time `HH:MM` that day (default 08:00 when only `closesAt` is known). */
  readonly opensAt?: string;
  /** Market closing time `HH:MM` that day. */
  readonly closesAt?: string;
  /**
   * Share of the opening hours that had passed when the product sold out (0 = at opening, 1 = at
   * closing). Takes precedence over `soldOutAt`. Below `SELL_OUT_BEFORE_CLOSE` (0.9) the day is a
   * censored observation even without `brought`, and the earlier it sold out the more demand went
   * unserved.
   */
  readonly soldOutFractionOfDay?: number;
}

/** An event near a market on a market day. */
export interface MarketEvent {
  readonly name: string;
  /** Expected attendance, when known. */
  readonly attendance?: number;
}

/** What is known about one market on one date besides sales: weather, calendar flags, events. */
export interface MarketDayCovariates {
  readonly date: string;
  readonly market: string;
  /** Numeric weather values by column (`temp_c`, `precip_mm`, `precip_prob`, `sunshine_h`, ...). */
  readonly weather?: Readonly<Record<string, number>>;
  /** Calendar flags by name (`is_holiday`, `is_school_holiday`, `is_closed`, ...). */
  readonly flags?: Readonly<Record<string, boolean>>;
  readonly events?: readonly MarketEvent[];
}

/**
 * The owner's season setting of a product. Default (absent, or `learned`): the engine learns the
 * weeks it sells per market from the history.
 */
export interface ProductSeasonSetting {
  /** `learned`: from history; `always`: every market day; `months`: only in `months` / `ranges`. */
  readonly mode: 'learned' | 'always' | 'months';
  /** In-season months, 1 = January (with `mode: 'months'`). */
  readonly months?: readonly number[];
  /** In-season date ranges `MM-DD` inclusive, possibly wrapping New Year (with `mode: 'months'`). */
  readonly ranges?: readonly { readonly from: string; readonly to: string }[];
  /** Markets (ids as in the sales) the product is never brought to. */
  readonly excludedMarkets?: readonly string[];
}

/** What a product costs and earns, for the newsvendor quantity. */
export interface ProductEconomics {
  readonly product: string;
  /** Selling price per unit. */
  readonly price?: number;
  /** Cost to make or buy one unit. */
  readonly unitCost?: number;
  /** What an unsold unit still brings (donation value, next-day sale); default 0. */
  readonly salvageValue?: number;
  /** Product category, used for a cold start. */
  readonly category?: string;
  /** The vendor's own expectation of units per market day, used for a cold start. */
  readonly expectedQuantity?: number;
  /** The owner's season setting; absent = learned from history. */
  readonly season?: ProductSeasonSetting;
}

/** One product at one market on one date to plan for. */
export interface PlanRequest {
  readonly date: string;
  readonly market: string;
  readonly product: string;
}

/** Which rung of the model ladder produced a forecast. */
export type ModelRung = 'pooled' | 'thin' | 'cold-start' | 'closed' | 'out-of-season';

/** How much history stood behind a forecast. */
export type DataSufficiency = 'none' | 'thin' | 'some' | 'rich';

/** The named parts of an explanation, in the fixed order they are applied. */
export type EffectName =
  | 'weekday-season'
  | 'weather'
  | 'holiday'
  | 'event'
  | 'trend'
  | 'recent-sell-outs'
  /** The chance the market is shut or the product sells nothing that day (never positive). */
  | 'no-sale-days';

/** One named effect of an explanation. */
export interface ExplanationEffect {
  readonly name: EffectName;
  /** Change in the P50, in units, when this effect is applied after the ones before it. */
  readonly units: number;
  /** The same change as a percentage of the value before it (0 when that value is 0). */
  readonly percent: number;
  /** How many past market days back this effect. */
  readonly support: number;
  /** Names behind the effect when it has them: the holiday windows of the day (`christmas-week`). */
  readonly names?: readonly string[];
}

/** A P50 taken apart: a typical-day baseline plus named effects; `baseline + sum(units) = p50`. */
export interface Explanation {
  /** The typical day for this product and market, in units. */
  readonly baseline: number;
  /** Past market days behind the baseline. */
  readonly baselineSupport: number;
  /** Where the baseline comes from when it is not this series' own history (a cold start). */
  readonly basis?: BaselineBasis;
  readonly effects: readonly ExplanationEffect[];
}

/** The source of a cold start's baseline. */
export type BaselineBasis =
  | { readonly kind: 'stated' }
  | { readonly kind: 'category' }
  /** The product's (or the vendor's) sales at another market, scaled by `scale`. */
  | { readonly kind: 'other-market'; readonly market: string; readonly scale: number };

/** Whether a product is in season at a market on a date, and what that rests on. */
export interface ForecastAvailability {
  readonly inSeason: boolean;
  /** `learned` from the weeks it sold, the `owner`'s setting, or `unknown` (too little history). */
  readonly source: 'learned' | 'owner' | 'unknown';
  /** Last date it sold at this market, if ever. */
  readonly lastSoldOn: string | null;
  /** Months (1-12) it usually sells at this market (or the owner's months). */
  readonly usualMonths: readonly number[];
  /** First market days of its season: the forecast follows last year's season start. */
  readonly seasonStart: boolean;
}

/** The forecast and the quantity to bring for one product at one market on one date. */
export interface PrepForecast {
  readonly date: string;
  readonly market: string;
  readonly product: string;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  /** The critical ratio used, `(price - cost) / (price - salvage)` clamped to [0.05, 0.95]. */
  readonly criticalRatio: number;
  /** The demand quantile at the critical ratio (not rounded). */
  readonly criticalQuantile: number;
  /** Whole units to bring: the critical quantile rounded up. */
  readonly recommendedQuantity: number;
  /** Expected units sold when bringing `recommendedQuantity`: E[min(demand, quantity)]. */
  readonly expectedSold: number;
  /** `expectedSold * price`, or undefined when the price is unknown. */
  readonly expectedRevenue: number | undefined;
  readonly rung: ModelRung;
  readonly dataSufficiency: DataSufficiency;
  readonly availability: ForecastAvailability;
  /** The predictive distribution: demand at each of `QUANTILE_LEVELS` (for what-ifs such as an override). */
  readonly demandQuantiles: readonly number[];
  readonly explanation: Explanation;
}
