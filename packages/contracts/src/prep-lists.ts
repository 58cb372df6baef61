import { z } from 'zod';
import { LocalDateSchema } from './markets';

/**
 * Path of a prep list: a market and one of its market days (market-local `YYYY-MM-DD`). No meta id:
 * @fastify/swagger cannot resolve a $ref for path parameters.
 */
export const PrepListParamsSchema = z.object({
  marketId: z.uuid(),
  date: LocalDateSchema.describe('Market-local calendar date of the market day, YYYY-MM-DD'),
});

/** Path of one line of a prep list. */
export const PrepListLineParamsSchema = PrepListParamsSchema.extend({
  productId: z.uuid(),
});

/** `PATCH .../prep-lists/:date/lines/:productId`: set or clear the vendor's own quantity. */
export const PrepListOverrideBodySchema = z
  .object({
    overrideQuantity: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .nullable()
      .describe('Whole units to bring instead of the recommendation; null clears the override'),
  })
  .strict()
  .meta({ id: 'PrepListOverrideBody', example: { overrideQuantity: 40 } });

/** Which rung of the model ladder produced a line. */
export const ModelRungSchema = z.enum(['pooled', 'thin', 'cold-start', 'closed', 'out-of-season']);

/** How much history stood behind a line. */
export const DataSufficiencySchema = z.enum(['none', 'thin', 'some', 'rich']);

/** One named effect of an explanation, applied after the ones before it. */
export const PrepListEffectSchema = z
  .object({
    name: z.enum([
      'weekday-season',
      'weather',
      'holiday',
      'event',
      'trend',
      'recent-sell-outs',
      'no-sale-days',
    ]),
    units: z.number().describe('Change of the P50 in units'),
    percent: z.number().describe('The same change as a percentage of the value before it'),
    support: z.number().int().nonnegative().describe('Past market days behind this effect'),
    label: z
      .string()
      .optional()
      .describe('What the effect is, in the vendor\'s words, when it has a name: "Christmas week"'),
  })
  .meta({ id: 'PrepListEffect' });

/** A P50 taken apart: `baseline + sum(effects.units) = q50` (within rounding). */
export const PrepListExplanationSchema = z
  .object({
    baseline: z.number().describe('The typical day for this product and market, in units'),
    baselineSupport: z.number().int().nonnegative(),
    basis: z
      .string()
      .optional()
      .describe(
        'Where the typical day comes from when not from this product here: "your sales at Riverside, scaled x0.5"',
      ),
    effects: z.array(PrepListEffectSchema),
    summary: z.string().describe('The explanation in one short sentence'),
  })
  .meta({ id: 'PrepListExplanation' });

/** Whether a product is in season at a market on the day, and why (see docs/forecasting.md). */
export const PrepListAvailabilitySchema = z
  .object({
    inSeason: z.boolean(),
    source: z
      .enum(['learned', 'owner', 'unknown'])
      .describe(
        "learned: from the weeks it sold; owner: the product's own season setting; unknown: too little history to tell",
      ),
    lastSoldOn: LocalDateSchema.nullable().describe('Last market day it sold here, if ever'),
    usualMonths: z
      .array(z.number().int().min(1).max(12))
      .describe("Months it usually sells here (1 = January), or the owner's months"),
    note: z
      .string()
      .nullable()
      .describe('Why it is out of season, or why the numbers are a season-start ramp'),
  })
  .meta({ id: 'PrepListAvailability' });

/** One product on a prep list. */
export const PrepListLineSchema = z
  .object({
    productId: z.uuid(),
    productName: z.string(),
    unit: z.string(),
    q10: z.number().nonnegative().describe('Demand that is exceeded 9 times in 10'),
    q50: z.number().nonnegative().describe('Median demand'),
    q90: z.number().nonnegative().describe('Demand that is exceeded 1 time in 10'),
    criticalRatio: z
      .number()
      .min(0)
      .max(1)
      .describe(
        "(price - cost) / (price - salvage), clamped; without a price or cost (costed false), the median of the vendor's products with both",
      ),
    recommendedQuantity: z.number().int().nonnegative().describe('Units the engine recommends'),
    overrideQuantity: z.number().int().nonnegative().nullable(),
    effectiveQuantity: z
      .number()
      .int()
      .nonnegative()
      .describe('Units to bring: the override when set, else the recommendation'),
    expectedSold: z.number().nonnegative().describe('Expected units sold when bringing that many'),
    expectedRevenueMinor: z.number().int().nonnegative().describe('Expected revenue, minor units'),
    priced: z
      .boolean()
      .describe(
        "Whether the product has a price now (above 0). False: sales imported without prices; expectedRevenueMinor is then 0 and not a revenue (say 'no price yet', not $0.00)",
      ),
    costed: z
      .boolean()
      .describe(
        "Whether the product has a unit cost now (above 0). False: no cost entered yet; the quantity then covers as many days as the median of the vendor's products with a price and a cost (criticalRatio), or half of them when none has",
      ),
    modelRung: ModelRungSchema,
    dataSufficiency: DataSufficiencySchema,
    availability: PrepListAvailabilitySchema,
    explanation: PrepListExplanationSchema,
  })
  .meta({ id: 'PrepListLine' });

/** The model a prep list was computed from. */
export const PrepListModelSchema = z
  .object({
    id: z.uuid(),
    engineVersion: z.string(),
    trainedAt: z.iso.datetime(),
    trainedThrough: LocalDateSchema.nullable().describe('Last sales date the model learned from'),
  })
  .meta({ id: 'PrepListModel' });

/** good: trust the list; check: read the reasons before packing; stale: an input is badly out of date. */
export const InputHealthVerdictSchema = z.enum(['good', 'check', 'stale']);

/** One input's state in words (see docs/input-health.md). */
export const InputHealthReasonSchema = z
  .object({
    input: z.enum(['sales', 'weather', 'events', 'model', 'products']),
    status: InputHealthVerdictSchema,
    text: z
      .string()
      .describe('In the vendor\'s words: "Weather: climatology (the usual weather of this date…)"'),
  })
  .meta({ id: 'InputHealthReason' });

/** How far to trust a prep list or plan: the worst of its reasons, and every reason. */
export const InputHealthSchema = z
  .object({
    verdict: InputHealthVerdictSchema,
    summary: z
      .string()
      .nullable()
      .describe('The reasons that are not good, joined; null when every input is good'),
    reasons: z.array(InputHealthReasonSchema),
  })
  .meta({ id: 'InputHealth' });

/** A list's input health. */
export type InputHealth = z.infer<typeof InputHealthSchema>;
/** One reason of an input health. */
export type InputHealthReason = z.infer<typeof InputHealthReasonSchema>;

/** A prep list for one market day. */
export const PrepListSchema = z
  .object({
    id: z.uuid(),
    marketId: z.uuid(),
    marketName: z.string(),
    marketDayId: z.uuid(),
    date: LocalDateSchema,
    timezone: z.string().describe('IANA time zone of the market'),
    vendorName: z.string(),
    currency: z.string().length(3),
    trigger: z.string().describe('Why it was generated: "inputs-changed", "manual", ...'),
    generatedAt: z.iso.datetime(),
    salesAsOf: z.iso.datetime().nullable().describe('Last change of the sales data'),
    weatherAsOf: z.iso.datetime().nullable().describe('Last weather fetch for this market'),
    eventsAsOf: z.iso.datetime().nullable().describe('Last events fetch for this market'),
    model: PrepListModelSchema.nullable(),
    coldStart: z
      .object({ note: z.string() })
      .nullable()
      .describe('Set when the market has (almost) no history here: the numbers are a guess'),
    closingHoliday: z
      .string()
      .nullable()
      .describe(
        'The public holiday the day falls on when most markets do not open then ("Christmas Day", "New Year\'s Day", "Thanksgiving Day"), in the market\'s country: worth checking that the market opens; null on other days',
      ),
    totals: z.object({
      effectiveQuantity: z.number().int().nonnegative(),
      expectedRevenueMinor: z.number().int().nonnegative(),
    }),
    health: InputHealthSchema.describe(
      'How far to trust the list now: good / check / stale with a reason per input (docs/input-health.md)',
    ),
    lines: z.array(PrepListLineSchema),
  })
  .meta({
    id: 'PrepList',
    example: {
      id: '0b5e3f9c-2f59-4f0a-9a1e-6f3f1f9c2a10',
      marketId: '4c1f2c8e-7a0d-4f47-9d0e-2a7b8c9d0e1f',
      marketName: 'Riverside Saturday Market',
      marketDayId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
      date: '2026-11-28',
      timezone: 'America/Chicago',
      vendorName: 'Sunrise Bakery & Farm',
      currency: 'USD',
      trigger: 'inputs-changed',
      generatedAt: '2026-11-27T18:00:00.000Z',
      salesAsOf: '2026-11-22T01:00:00.000Z',
      weatherAsOf: '2026-11-27T12:00:00.000Z',
      eventsAsOf: '2026-11-20T09:00:00.000Z',
      model: {
        id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        engineVersion: 'forecast-format-3',
        trainedAt: '2026-11-22T01:05:00.000Z',
        trainedThrough: '2026-11-21',
      },
      coldStart: null,
      closingHoliday: null,
      totals: { effectiveQuantity: 40, expectedRevenueMinor: 24500 },
      health: {
        verdict: 'check',
        summary:
          'Weather: climatology (the usual weather of this date at this market): the forecast services did not answer.',
        reasons: [
          {
            input: 'sales',
            status: 'good',
            text: 'Sales: last sale Nov 21, Square synced 2 h ago (you usually sell every 3.5 days).',
          },
          {
            input: 'weather',
            status: 'check',
            text: 'Weather: climatology (the usual weather of this date at this market): the forecast services did not answer.',
          },
          { input: 'events', status: 'good', text: 'Events: 1 event nearby, looked up 5 h ago.' },
          { input: 'model', status: 'good', text: 'Model: trained through Nov 21.' },
          {
            input: 'products',
            status: 'good',
            text: 'Products: all 30 from their own sales history.',
          },
        ],
      },
      lines: [
        {
          productId: '6f5e4d3c-2b1a-4f0e-9d8c-7b6a5f4e3d2c',
          productName: 'Sourdough Loaf',
          unit: 'loaf',
          q10: 26.4,
          q50: 35.8,
          q90: 46.1,
          criticalRatio: 0.7,
          recommendedQuantity: 40,
          overrideQuantity: null,
          effectiveQuantity: 40,
          expectedSold: 35,
          expectedRevenueMinor: 24500,
          priced: true,
          costed: true,
          modelRung: 'pooled',
          dataSufficiency: 'rich',
          availability: {
            inSeason: true,
            source: 'learned',
            lastSoldOn: '2026-11-21',
            usualMonths: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            note: null,
          },
          explanation: {
            baseline: 38,
            baselineSupport: 96,
            effects: [
              { name: 'weather', units: -5.7, percent: -15, support: 4 },
              { name: 'event', units: 3.5, percent: 10.8, support: 6 },
            ],
            summary: 'Typical day 38 (96 market days); weather -5.7 (-15%); event +3.5 (+11%)',
          },
        },
      ],
    },
  });

/** A prep list. */
export type PrepList = z.infer<typeof PrepListSchema>;
/** Whether a line's product is in season. */
export type PrepListAvailability = z.infer<typeof PrepListAvailabilitySchema>;
/** One line of a prep list. */
export type PrepListLine = z.infer<typeof PrepListLineSchema>;
/** An explanation of a line's P50. */
export type PrepListExplanation = z.infer<typeof PrepListExplanationSchema>;
/** The body of an override. */
export type PrepListOverrideBody = z.infer<typeof PrepListOverrideBodySchema>;

/** Longest range of `GET /v1/prep-lists` (days, inclusive). */
export const MAX_PREP_LIST_RANGE_DAYS = 62;

/** `GET /v1/prep-lists?from&to&marketId&limit&cursor`: the prep lists of a range of market days. */
export const PrepListRangeQuerySchema = z
  .object({
    from: LocalDateSchema.describe('First market-local date, inclusive'),
    to: LocalDateSchema.describe(
      `Last market-local date, inclusive (at most ${MAX_PREP_LIST_RANGE_DAYS} days after from)`,
    ),
    marketId: z.uuid().optional().describe('One market; all active markets when omitted'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(31)
      .default(7)
      .describe('Prep lists per page, 1-31 (default 7)'),
    cursor: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe('Opaque cursor: the `nextCursor` of the previous page'),
  })
  .strict();

/** A page of prep lists, by date then market. */
export const PrepListPageSchema = z
  .object({
    data: z.array(PrepListSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `?cursor=` to read the next page; null on the last page'),
  })
  .meta({ id: 'PrepListPage' });

/** The range query after parsing. */
export type PrepListRangeQuery = z.infer<typeof PrepListRangeQuerySchema>;
