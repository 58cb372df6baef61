import { z } from 'zod';
import { LocalTimeSchema, MonthDaySchema } from './markets';
import { PaginationQuerySchema, pageSchema, textSchema } from './pagination';

const MAX_MONEY_MINOR = 100_000_000;

/** One in-season stretch of the year, `MM-DD` to `MM-DD` inclusive; `from` after `to` wraps New Year. */
export const ProductSeasonRangeSchema = z
  .object({
    from: MonthDaySchema.describe('First in-season day, `MM-DD`'),
    to: MonthDaySchema.describe('Last in-season day, `MM-DD` (before `from`: wraps over New Year)'),
  })
  .strict();

/** Where `values` repeats an earlier value: the indexes of the repeats. */
function repeatedIndexes<T>(values: readonly T[]): number[] {
  const seen = new Set<T>();
  return values.flatMap((value, index) => {
    if (seen.has(value)) return [index];
    seen.add(value);
    return [];
  });
}

/**
 * The owner's season setting of a product: when it is brought, and to which markets. `null` on a
 * product (or `mode: 'learned'`) lets the forecast learn the weeks it sells at each market from the
 * sales history; `always` packs it on every market day; `months` only in the given `months` and
 * `ranges`. `excludedMarkets` (the vendor's own market ids) are markets it is never brought to,
 * whatever the mode.
 */
export const ProductSeasonSchema = z
  .object({
    mode: z
      .enum(['learned', 'always', 'months'])
      .describe(
        '`learned`: from your sales history; `always`: every market day; `months`: only in `months`/`ranges`',
      ),
    months: z
      .array(z.number().int().min(1).max(12))
      .max(12)
      .optional()
      .describe('In-season months, 1 = January (with `mode: "months"`)'),
    ranges: z
      .array(ProductSeasonRangeSchema)
      .max(12)
      .optional()
      .describe('In-season date ranges, inclusive (with `mode: "months"`)'),
    excludedMarkets: z
      .array(z.uuid())
      .max(100)
      .optional()
      .describe('Ids of your markets this product is never brought to'),
  })
  .strict()
  .superRefine((season, context) => {
    const hasMonths = (season.months?.length ?? 0) > 0 || (season.ranges?.length ?? 0) > 0;
    if (season.mode === 'months' && !hasMonths) {
      context.addIssue({
        code: 'custom',
        path: ['months'],
        message: 'Give at least one month or date range for mode "months"',
      });
    }
    if (season.mode !== 'months') {
      for (const key of ['months', 'ranges'] as const) {
        if (season[key] !== undefined) {
          context.addIssue({
            code: 'custom',
            path: [key],
            message: `Only with mode "months" (this season is "${season.mode}")`,
          });
        }
      }
    }
    for (const index of repeatedIndexes(season.months ?? [])) {
      context.addIssue({
        code: 'custom',
        path: ['months', index],
        message: `Month ${season.months?.[index]} is given twice`,
      });
    }
    for (const index of repeatedIndexes(season.excludedMarkets ?? [])) {
      context.addIssue({
        code: 'custom',
        path: ['excludedMarkets', index],
        message: 'This market is given twice',
      });
    }
  })
  .meta({
    id: 'ProductSeason',
    example: { mode: 'months', months: [6, 7, 8], excludedMarkets: [] },
  });

/** When a product's quantities must be decided: `daysBefore` the market date at local `time`. */
export const DecisionDeadlineSchema = z
  .object({
    daysBefore: z
      .number()
      .int()
      .min(0)
      .max(14)
      .describe('Days before the market date (0 = that day)'),
    time: LocalTimeSchema.describe("Local time in the market's time zone, HH:MM"),
  })
  .strict()
  .meta({ id: 'DecisionDeadline', example: { daysBefore: 1, time: '20:00' } });

/** What can be made in a week (all the week's market days) or per market date: oven, field. */
export const PlanCapacitySchema = z
  .object({
    units: z.number().int().min(1).max(1_000_000),
    period: z.enum(['week', 'day']).describe('`week`: shared by the week; `day`: per market date'),
  })
  .strict()
  .meta({ id: 'PlanCapacity', example: { units: 120, period: 'week' } });

/**
 * The owner's planning facts of a product (the week's plan): whole batches, a standing minimum
 * (every market, or per market), the decision deadline and an optional capacity. `null` on a
 * product: batches of 1, no minimum, the evening before at 18:00, no capacity.
 */
export const ProductPlanningSchema = z
  .object({
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .describe('Units per batch, tray, bunch or case; quantities round to whole batches'),
    standingMinimum: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .describe('Units always brought to every market ("the table looks full")'),
    marketMinimums: z
      .array(z.object({ marketId: z.uuid(), units: z.number().int().min(0).max(100_000) }).strict())
      .max(100)
      .describe('Per-market standing minimums (your own markets), instead of `standingMinimum`'),
    decisionDeadline: DecisionDeadlineSchema.nullable().describe(
      'When quantities freeze; null = the evening before at 18:00',
    ),
    capacity: PlanCapacitySchema.nullable().describe('What can be made; null = no limit'),
  })
  .strict()
  .superRefine((planning, context) => {
    const seen = new Set<string>();
    planning.marketMinimums.forEach((entry, index) => {
      const id = entry.marketId.toLowerCase();
      if (seen.has(id)) {
        context.addIssue({
          code: 'custom',
          path: ['marketMinimums', index, 'marketId'],
          message: 'This market is given twice',
        });
      }
      seen.add(id);
    });
  })
  .meta({
    id: 'ProductPlanning',
    example: {
      batchSize: 12,
      standingMinimum: 6,
      marketMinimums: [],
      decisionDeadline: { daysBefore: 1, time: '20:00' },
      capacity: { units: 120, period: 'week' },
    },
  });

/** A product as the API returns it (staff read it too, economics included). */
export const ProductSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    unit: z.string().describe('What the vendor counts when packing: "loaf", "bunch", "lb"'),
    category: z.string().nullable(),
    priceMinor: z.number().int().describe('Selling price per unit, minor units'),
    unitCostMinor: z.number().int().describe('Cost to make or buy one unit, minor units'),
    salvageValueMinor: z.number().int().describe('What a leftover is still worth, minor units'),
    shelfLifeDays: z.number().int().nullable(),
    expectedDailyUnits: z
      .number()
      .nullable()
      .describe("The vendor's guess of a typical market day, used until there is history"),
    active: z.boolean(),
    season: ProductSeasonSchema.nullable().describe(
      'When the product is brought, and where; null = learned from your sales, at every market',
    ),
    planning: ProductPlanningSchema.nullable().describe(
      "Planning facts for the week's plan; null = the defaults",
    ),
    squareItemId: z.string().nullable(),
    squareVariationId: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Product' });

/** `GET /v1/products`. */
export const ProductListSchema = pageSchema(ProductSchema).meta({ id: 'ProductList' });

/** `?active=&category=&q=` plus pagination. */
export const ProductListQuerySchema = PaginationQuerySchema.extend({
  active: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true'))
    .describe('Only active (true) or inactive (false) products'),
  category: textSchema({ min: 1, max: 80 }).optional().describe('Exact category'),
  q: textSchema({ min: 1, max: 120 }).optional().describe('Part of the name, any case'),
});

const money = z.number().int().min(0).max(MAX_MONEY_MINOR);
const SHELF_LIFE_RULE = 'Enter whole days from 1 to 3650, or leave it blank.';
const productFields = {
  name: textSchema({ min: 1, max: 120 }),
  unit: textSchema({ min: 1, max: 40 }),
  category: textSchema({ min: 1, max: 80 }).nullable(),
  priceMinor: money.describe('Selling price per unit, minor units (cents)'),
  unitCostMinor: money.describe('Cost per unit, minor units'),
  salvageValueMinor: money.describe('Worth of a leftover, minor units; must be below the price'),
  shelfLifeDays: z
    .number({ error: SHELF_LIFE_RULE })
    .int({ error: SHELF_LIFE_RULE })
    .min(1, { error: SHELF_LIFE_RULE })
    .max(3650, { error: SHELF_LIFE_RULE })
    .nullable()
    .describe('Days a unit stays sellable, counting the day it is made; null = never carried over'),
  expectedDailyUnits: z.number().min(0).max(1_000_000).nullable(),
  active: z.boolean(),
  season: ProductSeasonSchema.nullable().describe(
    'When the product is brought, and where; null = learned from your sales (the default)',
  ),
  planning: ProductPlanningSchema.nullable().describe(
    "Batches, standing minimums, decision deadline and capacity for the week's plan; null = defaults",
  ),
};

/** `POST /v1/products`. */
export const ProductCreateBodySchema = z
  .object({
    name: productFields.name,
    unit: productFields.unit.optional(),
    category: productFields.category.optional(),
    priceMinor: productFields.priceMinor,
    unitCostMinor: productFields.unitCostMinor.optional(),
    salvageValueMinor: productFields.salvageValueMinor.optional(),
    shelfLifeDays: productFields.shelfLifeDays.optional(),
    expectedDailyUnits: productFields.expectedDailyUnits.optional(),
    active: productFields.active.optional(),
    season: productFields.season.optional(),
    planning: productFields.planning.optional(),
  })
  .strict()
  .meta({
    id: 'ProductCreateBody',
    example: {
      name: 'Sourdough loaf',
      unit: 'loaf',
      category: 'Bread',
      priceMinor: 900,
      unitCostMinor: 250,
      salvageValueMinor: 100,
      shelfLifeDays: 2,
    },
  });

/** `PATCH /v1/products/:productId`: only the fields given change (no `season`: it stays). */
export const ProductUpdateBodySchema = z
  .object(productFields)
  .partial()
  .strict()
  .meta({ id: 'ProductUpdateBody', example: { priceMinor: 950 } });

/** `/v1/products/:productId`. */
export const ProductParamsSchema = z.object({ productId: z.uuid() });

/** The owner's season setting of a product. */
export type ProductSeason = z.infer<typeof ProductSeasonSchema>;
/** The owner's planning facts of a product. */
export type ProductPlanning = z.infer<typeof ProductPlanningSchema>;
/** A product. */
export type Product = z.infer<typeof ProductSchema>;
/** `POST /v1/products` after parsing. */
export type ProductCreateBody = z.infer<typeof ProductCreateBodySchema>;
/** `PATCH /v1/products/:productId` after parsing. */
export type ProductUpdateBody = z.infer<typeof ProductUpdateBodySchema>;
/** Query of the product list after parsing. */
export type ProductListQuery = z.infer<typeof ProductListQuerySchema>;
