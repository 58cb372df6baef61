import { z } from 'zod';
import { pageSchema } from './pagination';

/** Money of MarketPrep's quantities against another's, in minor units (cents), with its range. */
export const ReplayMoneySchema = z
  .object({
    wasteAvoidedMinor: z
      .number()
      .int()
      .describe(
        'Cost of leftovers (cost - salvage each) the other quantities had and MarketPrep would not',
      ),
    salesRecoveredMinor: z
      .number()
      .int()
      .describe('Margin (price - cost each) of sell-outs MarketPrep would have avoided'),
    netMinor: z.number().int().describe('The two added: extra profit at the best guess of demand'),
    netLowMinor: z
      .number()
      .int()
      .describe(
        'Net at the least favourable demand a sold-out day allows (demand at least what sold)',
      ),
    netHighMinor: z.number().int().describe('Net at the most favourable demand (up to the P90)'),
    productDays: z.number().int().nonnegative().describe('Product-days this comparison covers'),
  })
  .meta({ id: 'ReplayMoney' });

/** One month of a replay (market-local months). */
export const ReplayMonthSchema = z
  .object({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    marketDays: z.number().int().nonnegative(),
    vsRule: ReplayMoneySchema,
    vsBrought: ReplayMoneySchema,
  })
  .meta({ id: 'ReplayMonth' });

/** One replayed market day: its product-days summed, in whole minor units. */
export const ReplayMarketDaySchema = z
  .object({
    date: z.iso.date(),
    marketId: z.uuid(),
    vsRule: ReplayMoneySchema,
    vsBrought: ReplayMoneySchema,
  })
  .meta({ id: 'ReplayMarketDay' });

/** What a finished replay found. */
export const ReplayResultSchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    currency: z.string().length(3),
    marketDays: z.number().int().nonnegative(),
    productDays: z.number().int().nonnegative(),
    soldOutProductDays: z
      .number()
      .int()
      .nonnegative()
      .describe('Product-days that sold out: their demand is estimated, see the net ranges'),
    productsLeftOut: z
      .array(z.string())
      .describe('Products without a price and unit cost: their money cannot be told'),
    vsRule: ReplayMoneySchema.describe(
      "Against the vendor's rule of thumb (median of the last 4 same weekdays), every product-day",
    ),
    vsBrought: ReplayMoneySchema.describe(
      'Against what was brought, only the product-days whose check-in says so',
    ),
    months: z.array(ReplayMonthSchema),
    days: z
      .array(ReplayMarketDaySchema)
      .describe('Every replayed market day; months and totals are their sums'),
    trainings: z.number().int().nonnegative(),
    durationMs: z.number().int().nonnegative(),
  })
  .meta({ id: 'ReplayResult' });

/** A replay of the business's last season and where it is. */
export const ReplayRunSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['pending', 'running', 'completed', 'failed']),
    months: z.number().int().min(1).max(24),
    progress: z.number().int().min(0).max(100),
    requestedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
    error: z.string().nullable(),
    result: ReplayResultSchema.nullable(),
  })
  .meta({ id: 'ReplayRun' });

/** `GET /v1/replays`: the 20 newest replays, newest first. */
export const ReplayRunListSchema = pageSchema(ReplayRunSchema).meta({ id: 'ReplayRunList' });

/** `POST /v1/replays`: replay the last `months` (default 12). */
export const ReplayStartBodySchema = z
  .object({ months: z.number().int().min(1).max(24).default(12) })
  .strict()
  .meta({ id: 'ReplayStartBody', example: { months: 12 } });

/** `GET /v1/replays/:replayId`. */
export const ReplayParamsSchema = z.object({ replayId: z.uuid() });

/** A replay run. */
export type ReplayRun = z.infer<typeof ReplayRunSchema>;
/** A replay's result. */
export type ReplayResult = z.infer<typeof ReplayResultSchema>;
/** One replayed market day. */
export type ReplayMarketDay = z.infer<typeof ReplayMarketDaySchema>;
/** Money of a replay comparison. */
export type ReplayMoney = z.infer<typeof ReplayMoneySchema>;
