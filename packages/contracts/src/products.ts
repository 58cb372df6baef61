import { z } from 'zod';
import { PaginationQuerySchema, pageSchema, textSchema } from './pagination';

const MAX_MONEY_MINOR = 100_000_000;

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
const productFields = {
  name: textSchema({ min: 1, max: 120 }),
  unit: textSchema({ min: 1, max: 40 }),
  category: textSchema({ min: 1, max: 80 }).nullable(),
  priceMinor: money.describe('Selling price per unit, minor units (cents)'),
  unitCostMinor: money.describe('Cost per unit, minor units'),
  salvageValueMinor: money.describe('Worth of a leftover, minor units; must be below the price'),
  shelfLifeDays: z.number().int().min(0).max(3650).nullable(),
  expectedDailyUnits: z.number().min(0).max(1_000_000).nullable(),
  active: z.boolean(),
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

/** `PATCH /v1/products/:productId`: only the fields given change. */
export const ProductUpdateBodySchema = z
  .object(productFields)
  .partial()
  .strict()
  .meta({ id: 'ProductUpdateBody', example: { priceMinor: 950 } });

/** `/v1/products/:productId`. */
export const ProductParamsSchema = z.object({ productId: z.uuid() });

/** A product. */
export type Product = z.infer<typeof ProductSchema>;
/** `POST /v1/products` after parsing. */
export type ProductCreateBody = z.infer<typeof ProductCreateBodySchema>;
/** `PATCH /v1/products/:productId` after parsing. */
export type ProductUpdateBody = z.infer<typeof ProductUpdateBodySchema>;
/** Query of the product list after parsing. */
export type ProductListQuery = z.infer<typeof ProductListQuerySchema>;
