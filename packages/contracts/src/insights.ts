import { z } from 'zod';
import { CheckInDateSchema as LocalDate } from './check-ins';
import { DATE_WINDOW } from './markets';
import { ReplayMoneySchema } from './replay';

/** A date range of an insights query; both ends inclusive, market-local dates. */
export const InsightsRangeQuerySchema = z.object({
  from: LocalDate.optional().describe('First date (default: 55 days before `to`)'),
  to: LocalDate.optional().describe('Last date (default: today)'),
});

/** `GET /v1/insights/sales` query. */
export const SalesInsightsQuerySchema = InsightsRangeQuerySchema.extend({
  marketId: z.uuid().optional(),
});

/** Units and revenue of one product on one market day. */
export const SalesInsightsProductSchema = z.object({
  productId: z.uuid(),
  productName: z.string(),
  units: z.number(),
  revenueMinor: z.number().int(),
});

/** `GET /v1/insights/sales`: one entry per market day with sales. */
export const SalesInsightsSchema = z
  .object({
    from: LocalDate,
    to: LocalDate,
    data: z.array(
      z.object({
        marketId: z.uuid(),
        marketName: z.string(),
        date: LocalDate,
        units: z.number(),
        revenueMinor: z.number().int(),
        products: z.array(SalesInsightsProductSchema),
      }),
    ),
  })
  .meta({ id: 'SalesInsights' });

/** `GET /v1/insights/forecast-vs-actual` query. */
export const ForecastVsActualQuerySchema = InsightsRangeQuerySchema.extend({
  marketId: z.uuid(),
  productId: z.uuid(),
});

/** `GET /v1/insights/forecast-vs-actual`: one entry per market day with a forecast or an outcome. */
export const ForecastVsActualSchema = z
  .object({
    marketId: z.uuid(),
    productId: z.uuid(),
    from: LocalDate,
    to: LocalDate,
    data: z.array(
      z.object({
        date: LocalDate,
        q10: z.number().nullable(),
        q50: z.number().nullable(),
        q90: z.number().nullable(),
        /** The prep list's quantity (override if any). */
        recommended: z.number().int().nullable(),
        /** Checked-in `sold`, else units in sales data; null when unknown. */
        sold: z.number().nullable(),
        /** True when the product sold out (censored demand); null without a check-in. */
        soldOut: z.boolean().nullable(),
      }),
    ),
  })
  .meta({ id: 'ForecastVsActual' });

/** `GET /v1/insights/waste` query. */
export const WasteInsightsQuerySchema = InsightsRangeQuerySchema.extend({
  marketId: z.uuid().optional(),
});

/** `GET /v1/insights/waste`: one entry per market day with a check-in. */
export const WasteInsightsSchema = z
  .object({
    from: LocalDate,
    to: LocalDate,
    data: z.array(
      z.object({
        marketId: z.uuid(),
        marketName: z.string(),
        date: LocalDate,
        brought: z.number(),
        sold: z.number(),
        wasted: z.number(),
        donated: z.number(),
        /** Products that sold out that day. */
        sellOuts: z.number().int(),
        wasteCostMinor: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'WasteInsights' });

/** `GET /v1/insights/weather-effects` query. */
export const WeatherEffectsQuerySchema = InsightsRangeQuerySchema.extend({
  productId: z.uuid().optional(),
  marketId: z.uuid().optional(),
});

/**
 * One side of a weather comparison. Days are compared only with days of the same market and
 * month: `days` counts the days that have such a match, and the other side's `meanUnits` is what
 * those days sell in its weather (each market and month's mean, weighted by the compared days).
 */
export const WeatherGroupSchema = z.object({
  days: z.number().int(),
  meanUnits: z.number().nullable(),
});

/** `GET /v1/insights/weather-effects`. */
export const WeatherEffectsSchema = z
  .object({
    from: LocalDate,
    to: LocalDate,
    thresholds: z.object({ rainyPrecipMm: z.number(), hotTempMaxC: z.number() }),
    data: z.array(
      z.object({
        productId: z.uuid(),
        productName: z.string(),
        rainy: WeatherGroupSchema.describe(
          'Rainy market days that have dry days at the same market in the same month, and their mean',
        ),
        dry: WeatherGroupSchema.describe(
          'The dry days of those markets and months, and what the rainy days would sell dry',
        ),
        hot: WeatherGroupSchema.describe('As `rainy`, for hot days against mild ones'),
        mild: WeatherGroupSchema.describe('As `dry`, for mild days'),
        /** rainy mean / dry mean - 1 within markets and months; null without a match or a 0 dry mean. */
        rainEffect: z
          .number()
          .nullable()
          .describe(
            'rainy.meanUnits / dry.meanUnits - 1: sales on rainy days against dry days of the same market and month (not a comparison of seasons); null when no market and month has both',
          ),
        /** hot mean / mild mean - 1, matched the same way. */
        heatEffect: z
          .number()
          .nullable()
          .describe('hot.meanUnits / mild.meanUnits - 1, matched like rainEffect'),
      }),
    ),
  })
  .meta({ id: 'WeatherEffects' });

/** `GET /v1/insights/go-no-go` query. */
export const GoNoGoQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(60).default(14),
  marketId: z.uuid().optional(),
});

/** Forecast weather of an upcoming market day. */
export const GoNoGoWeatherSchema = z.object({
  summary: z.string().nullable(),
  tempMaxC: z.number().nullable(),
  tempMinC: z.number().nullable(),
  precipMm: z.number().nullable(),
  /** Chance of precipitation as a fraction, 0..1 (0.25 = a 25% chance). */
  precipProb: z.number().min(0).max(1).nullable(),
  provider: z.string(),
  fetchedAt: z.iso.datetime(),
});

/** `GET /v1/insights/go-no-go`: one entry per upcoming scheduled market day. */
export const GoNoGoSchema = z
  .object({
    thresholds: z.object({
      /** go: expected revenue >= this multiple of the booth fee (and more than the fee). */
      goRevenueToFeeRatio: z.number(),
    }),
    data: z.array(
      z.object({
        marketId: z.uuid(),
        marketName: z.string(),
        marketDayId: z.uuid(),
        date: LocalDate,
        boothFeeMinor: z.number().int(),
        /**
         * Where the expectation comes from; `unpriced` when the products it would come from have
         * no price (sales imported without prices: revenue unknown, not zero); `none` when there
         * is neither a prep list nor history.
         */
        basis: z.enum(['recommendation', 'history', 'unpriced', 'none']),
        expectedRevenueMinor: z.number().int().nullable(),
        /** Expected revenue minus booth fee. */
        netMinor: z.number().int().nullable(),
        recommendation: z.enum(['go', 'marginal', 'skip']),
        weather: GoNoGoWeatherSchema.nullable(),
        /**
         * The public holiday the day falls on when most markets do not open then ("Christmas
         * Day", "New Year's Day", "Thanksgiving Day"): worth checking the market opens; null
         * on other days.
         */
        closingHoliday: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'GoNoGo' });

/** `GET /v1/insights/accuracy` query. */
export const InsightsAccuracyQuerySchema = z.object({
  marketId: z.uuid().optional(),
  /** The last this many days (through yesterday) are backtested. */
  days: z.coerce.number().int().min(7).max(182).default(56),
});

/** `GET /v1/insights/accuracy`: forecast accuracy per market from a backtest of the history. */
export const InsightsAccuracySchema = z
  .object({
    /** First and last backtested date (market-local). */
    from: LocalDate,
    to: LocalDate,
    /** Each day is forecast by a model trained on sales at least `leadDays` before it... */
    leadDays: z.number().int(),
    /** ...retrained every `retrainDays` days. */
    retrainDays: z.number().int(),
    markets: z.array(
      z.object({
        marketId: z.uuid(),
        marketName: z.string(),
        /** Market days with sales in the range. */
        marketDays: z.number().int(),
        /** Product-days compared (not sold out). */
        accuracyDays: z.number().int(),
        /** Product-days that sold out: demand unknown, left out of the error. */
        censoredDays: z.number().int(),
        /** Mean |most likely forecast - sold| in units over `accuracyDays`. */
        meanAbsoluteError: z.number().nullable(),
        /** Mean (most likely forecast - sold): > 0 the forecast ran high. */
        bias: z.number().nullable(),
        /** Share of compared product-days that sold inside the likely range (P10..P90). */
        rangeCoverage: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'InsightsAccuracy' });

/** Sales per market day. */
export type SalesInsights = z.infer<typeof SalesInsightsSchema>;
/** Forecast vs actual per market day. */
export type ForecastVsActual = z.infer<typeof ForecastVsActualSchema>;
/** Waste per market day. */
export type WasteInsights = z.infer<typeof WasteInsightsSchema>;
/** Weather effects per product. */
export type WeatherEffects = z.infer<typeof WeatherEffectsSchema>;
/** Go/no-go per upcoming market day. */
export type GoNoGo = z.infer<typeof GoNoGoSchema>;
/** Forecast accuracy per market from a backtest. */
export type InsightsAccuracy = z.infer<typeof InsightsAccuracySchema>;

/** `GET /v1/insights/month-changes` query. */
export const MonthChangesQuerySchema = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'A month as YYYY-MM')
    // The dates a market can have (a year such as 0000 would reach dates no query can read).
    .refine(
      (month) => month >= DATE_WINDOW.first.slice(0, 7) && month <= DATE_WINDOW.last.slice(0, 7),
      {
        message: `Expected a month between ${DATE_WINDOW.first.slice(0, 7)} and ${DATE_WINDOW.last.slice(0, 7)}`,
      },
    )
    .optional()
    .describe('Calendar month `YYYY-MM` (default: this month)'),
});

/**
 * `GET /v1/insights/month-changes`: "what MarketPrep changed this month", from the month's prep
 * lists and check-ins, scored in money as the replay scores a day (docs/replay.md).
 */
export const MonthChangesSchema = z
  .object({
    month: z.string().describe('`YYYY-MM`'),
    /** First and last date counted: the month, up to yesterday at each market. */
    from: LocalDate,
    to: LocalDate,
    currency: z.string().length(3),
    /** Market days with a prep list and a known outcome (sales or a check-in). */
    marketDays: z.number().int().nonnegative(),
    total: ReplayMoneySchema.describe(
      'Every product-day: against what was brought where a check-in says, else against the rule of thumb',
    ),
    vsBrought: ReplayMoneySchema.describe(
      "Product-days with a check-in: the list's quantity against what was brought",
    ),
    vsRuleOnly: ReplayMoneySchema.describe(
      'Product-days without a check-in (nothing says what was brought): against the rule of thumb only',
    ),
    soldOutProductDays: z
      .number()
      .int()
      .nonnegative()
      .describe('Product-days that sold out (demand estimated, hence the range)'),
    productsLeftOut: z
      .array(z.string())
      .describe('Products on the lists without a price or cost (their money cannot be told)'),
  })
  .meta({ id: 'MonthChanges' });

/** What MarketPrep changed in a month, in money. */
export type MonthChanges = z.infer<typeof MonthChangesSchema>;
