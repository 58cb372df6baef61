import { z } from 'zod';
import { LocalDateSchema } from './markets';
import { PaginationQuerySchema, pageSchema, textSchema } from './pagination';
import { InputHealthSchema, InputHealthVerdictSchema } from './prep-lists';
import { PlanCapacitySchema } from './products';

/** `GET /v1/plans/week?from=`: the seven market dates from `from` on. */
export const WeekPlanQuerySchema = z.object({
  from: LocalDateSchema.describe('First date of the week, YYYY-MM-DD'),
});

/** The rain a market day's forecast holds (the week plan shows a rain plan only then). */
export const WeekPlanRainForecastSchema = z
  .object({
    precipProb: z.number().nullable().describe('Chance of rain, 0-1'),
    precipMm: z.number().nullable().describe('Rain forecast, mm'),
  })
  .meta({ id: 'WeekPlanRainForecast' });

/**
 * The rain plan of a product on a market day with rain forecast: the plan re-made by the prep
 * list's engine with the forecast's rain come true (chance 1, the forecast's amount).
 */
export const WeekPlanRainSchema = WeekPlanRainForecastSchema.extend({
  prepQuantity: z.number().int().describe("The prep list's walk-up quantity if it rains"),
  make: z.number().int().describe('What to make if it rains'),
  bring: z.number().int().describe('What to bring if it rains'),
  expectedSold: z.number(),
  expectedRevenueMinor: z.number().int(),
  expectedProfitMinor: z.number().int(),
  revenueDifferenceMinor: z
    .number()
    .int()
    .describe("Expected takings if it rains (rain plan) minus the plan's"),
  profitDifferenceMinor: z
    .number()
    .int()
    .describe("Expected profit if it rains (rain plan) minus the plan's"),
  planProfitIfRainMinor: z
    .number()
    .int()
    .describe('Expected profit of the plan as it stands if it rains (not switching)'),
}).meta({ id: 'WeekPlanRain' });

/** One product on one market day of the week's plan. */
export const WeekPlanDaySchema = z
  .object({
    marketDayId: z.uuid(),
    marketId: z.uuid(),
    marketName: z.string(),
    date: LocalDateSchema,
    deadlineAt: z.iso.datetime().describe("The product's decision deadline for this market day"),
    frozen: z.boolean().describe('Frozen at the deadline: these numbers no longer change'),
    frozenAt: z.iso.datetime().nullable(),
    prepQuantity: z.number().int().describe("The prep list's walk-up quantity (or your override)"),
    preOrders: z.number().int(),
    standingMinimum: z.number().int(),
    carriedOver: z
      .number()
      .int()
      .describe(
        'Stock from an earlier market day used here: kept stock of a check-in, or what an earlier day of the week is expected to leave',
      ),
    carriedExpected: z
      .number()
      .int()
      .describe(
        'Of carriedOver, units an earlier day of the week is expected to leave (its check-in replaces them)',
      ),
    makeUncapped: z.number().int().describe('What to make without a capacity limit'),
    make: z.number().int().describe('What to make (or pick) by the deadline'),
    cut: z.number().int().describe('Units the capacity cut here'),
    bring: z.number().int().describe('What to bring: carried over + made'),
    preOrdersShort: z.number().int().describe('Pre-ordered units the plan cannot cover'),
    expectedSold: z.number(),
    expectedRevenueMinor: z.number().int(),
    expectedLeftover: z.number(),
    expectedProfitMinor: z.number().int(),
    cutProfitMinor: z.number().int().describe('Expected profit the cut gives up here'),
    rain: WeekPlanRainSchema.nullable().describe(
      'What changes if the forecast rain comes true; null when no rain is forecast',
    ),
  })
  .meta({ id: 'WeekPlanDay' });

/** One product across the week's market days. */
export const WeekPlanProductSchema = z
  .object({
    productId: z.uuid(),
    productName: z.string(),
    unit: z.string(),
    batchSize: z.number().int(),
    capacity: PlanCapacitySchema.nullable(),
    totalMake: z.number().int(),
    totalCut: z.number().int(),
    carriedOverUnused: z.number().int(),
    capacityBound: z.boolean(),
    priced: z
      .boolean()
      .describe(
        "Whether the product has a price now (above 0). False: sales imported without prices; its days' expected revenue is 0 and their profit (and the rain plan's money) counts costs only: no takings to show",
      ),
    costed: z
      .boolean()
      .describe(
        'Whether the product has a unit cost now (above 0). False: no cost entered yet; its profit figures count what it makes as free, so the app shows takings only',
      ),
    /** What was cut where, in words; null when nothing was cut. */
    cutNote: z.string().nullable(),
    days: z.array(WeekPlanDaySchema),
  })
  .meta({ id: 'WeekPlanProduct' });

/** `GET /v1/plans/week`. */
export const WeekPlanSchema = z
  .object({
    from: LocalDateSchema,
    to: LocalDateSchema,
    generatedAt: z.iso.datetime(),
    marketDays: z.array(
      z.object({
        marketDayId: z.uuid(),
        marketId: z.uuid(),
        marketName: z.string(),
        date: LocalDateSchema,
        timezone: z.string(),
        rain: WeekPlanRainForecastSchema.nullable().describe('Rain forecast; null when dry'),
        closingHoliday: z
          .string()
          .nullable()
          .describe(
            'The public holiday the day falls on when most markets do not open then ("Christmas Day", "New Year\'s Day", "Thanksgiving Day"), as on the prep list; null on other days',
          ),
      }),
    ),
    products: z.array(WeekPlanProductSchema),
    totals: z.object({
      make: z.number().int(),
      bring: z.number().int(),
      expectedRevenueMinor: z.number().int(),
      expectedProfitMinor: z.number().int(),
    }),
  })
  .meta({ id: 'WeekPlan' });

/** How far to trust the week's plan: its market days' input health (docs/input-health.md). */
export const WeekPlanHealthSchema = InputHealthSchema.extend({
  marketDays: z
    .array(
      z.object({
        marketDayId: z.uuid(),
        verdict: InputHealthVerdictSchema,
        summary: z.string().nullable(),
      }),
    )
    .describe("Each market day's verdict, as its prep list says"),
})
  .describe(
    "The worst market day's verdict; each reason that is not good once, naming the market days it holds for",
  )
  .meta({ id: 'WeekPlanHealth' });

/** `GET /v1/plans/week`: the plan and its input health. */
export const WeekPlanAnswerSchema = WeekPlanSchema.extend({
  health: WeekPlanHealthSchema,
}).meta({ id: 'WeekPlanAnswer' });

/** A pre-order or standing order for pickup at a market. */
export const PreOrderSchema = z
  .object({
    id: z.uuid(),
    productId: z.uuid(),
    marketId: z.uuid(),
    customerName: z.string(),
    quantity: z.number().int(),
    repeat: z.enum(['once', 'weekly']),
    firstDate: LocalDateSchema,
    untilDate: LocalDateSchema.nullable(),
    notes: z.string().nullable(),
    missedPickups: z
      .array(LocalDateSchema)
      .describe(
        'Pickup dates that did not happen (a no-show, or called off that day), ascending: not counted as sold, not planned',
      ),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PreOrder' });

/** `POST /v1/pre-orders`. */
export const PreOrderCreateBodySchema = z
  .object({
    productId: z.uuid(),
    marketId: z.uuid(),
    customerName: textSchema({ min: 1, max: 120 }),
    quantity: z.number().int().min(1).max(100_000),
    repeat: z
      .enum(['once', 'weekly'])
      .default('once')
      .describe('`once`: on `firstDate`; `weekly`: every week from `firstDate`'),
    firstDate: LocalDateSchema.describe('A market day of the market (the first pickup)'),
    untilDate: LocalDateSchema.nullable()
      .optional()
      .describe('Last pickup of a weekly order (inclusive); absent = until cancelled'),
    notes: textSchema({ min: 1, max: 500 }).nullable().optional(),
  })
  .strict()
  .superRefine((body, context) => {
    if (body.untilDate && body.repeat !== 'weekly') {
      context.addIssue({
        code: 'custom',
        path: ['untilDate'],
        message: 'Only a weekly order has a last date',
      });
    }
    if (body.untilDate && body.untilDate < body.firstDate) {
      context.addIssue({
        code: 'custom',
        path: ['untilDate'],
        message: 'The last date cannot be before the first',
      });
    }
  })
  .meta({
    id: 'PreOrderCreateBody',
    example: {
      productId: '5b0f7c8e-3d1a-4c2b-9a41-2f6e8d7c1b01',
      marketId: '8e2d4c6a-1b3f-4a5e-8c7d-9f0a1b2c3d4e',
      customerName: 'Ana',
      quantity: 2,
      repeat: 'weekly',
      firstDate: '2026-12-12',
    },
  });

/** `GET /v1/pre-orders?from=&to=`: orders with a pickup in [from, to] (default: all). */
export const PreOrderListQuerySchema = PaginationQuerySchema.extend({
  from: LocalDateSchema.optional(),
  to: LocalDateSchema.optional(),
});

/** `GET /v1/pre-orders`. */
export const PreOrderListSchema = pageSchema(PreOrderSchema).meta({ id: 'PreOrderList' });

/** `/v1/pre-orders/:preOrderId`. */
export const PreOrderParamsSchema = z.object({ preOrderId: z.uuid() });

/** `/v1/pre-orders/:preOrderId/pickups/:date`. */
export const PreOrderPickupParamsSchema = PreOrderParamsSchema.extend({
  date: LocalDateSchema.describe('A scheduled pickup date of the order'),
});

/** `PUT /v1/pre-orders/:preOrderId/pickups/:date`. */
export const PreOrderPickupBodySchema = z
  .object({
    pickedUp: z
      .boolean()
      .describe('false: the pickup did not happen (a no-show, or called off); true: it did'),
  })
  .strict()
  .meta({ id: 'PreOrderPickupBody', example: { pickedUp: false } });

/** The week's plan. */
export type WeekPlan = z.infer<typeof WeekPlanSchema>;
/** The week's plan as the API answers it, with its input health. */
export type WeekPlanAnswer = z.infer<typeof WeekPlanAnswerSchema>;
/** The input health of a week's plan. */
export type WeekPlanHealth = z.infer<typeof WeekPlanHealthSchema>;
/** One product of the week's plan. */
export type WeekPlanProduct = z.infer<typeof WeekPlanProductSchema>;
/** The rain plan of one product on one market day. */
export type WeekPlanRain = z.infer<typeof WeekPlanRainSchema>;
/** One product on one market day of the week's plan. */
export type WeekPlanDay = z.infer<typeof WeekPlanDaySchema>;
/** A pre-order. */
export type PreOrder = z.infer<typeof PreOrderSchema>;
/** `POST /v1/pre-orders` after parsing. */
export type PreOrderCreateBody = z.infer<typeof PreOrderCreateBodySchema>;
/** `PUT /v1/pre-orders/:preOrderId/pickups/:date` body. */
export type PreOrderPickupBody = z.infer<typeof PreOrderPickupBodySchema>;
/** `GET /v1/pre-orders` query after parsing. */
export type PreOrderListQuery = z.infer<typeof PreOrderListQuerySchema>;
