import { z } from 'zod';
import { CheckInDateSchema as LocalDate } from './check-ins';

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

/** Mean units sold on the days of one weather group. */
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
        rainy: WeatherGroupSchema,
        dry: WeatherGroupSchema,
        hot: WeatherGroupSchema,
        mild: WeatherGroupSchema,
        /** rainy mean / dry mean - 1; null when a group is empty or the dry mean is 0. */
        rainEffect: z.number().nullable(),
        /** hot mean / mild mean - 1. */
        heatEffect: z.number().nullable(),
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
  precipProb: z.number().nullable(),
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
        /** Where the expectation comes from; `none` when there is neither a prep list nor history. */
        basis: z.enum(['recommendation', 'history', 'none']),
        expectedRevenueMinor: z.number().int().nullable(),
        /** Expected revenue minus booth fee. */
        netMinor: z.number().int().nullable(),
        recommendation: z.enum(['go', 'marginal', 'skip']),
        weather: GoNoGoWeatherSchema.nullable(),
      }),
    ),
  })
  .meta({ id: 'GoNoGo' });

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
