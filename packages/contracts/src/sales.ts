import { z } from 'zod';

/** Most lines one `POST /v1/sales` batch may carry. */
export const MAX_SALES_BATCH_LINES = 1_000;

/**
 * One sale line from a point-of-sale system. The structure is checked here; the values get the
 * same rules as a CSV import row (date bounds, quantity and price ranges) in the API, which
 * reports each failing line as `lines.<index>.<field>`.
 */
export const SalesBatchLineSchema = z
  .object({
    lineId: z
      .string()
      .regex(/^[\x21-\x7e]{1,200}$/, '1-200 visible ASCII characters')
      .describe(
        "The POS system's own id of this line (unique within `source`): sending it again updates the line instead of adding one",
      ),
    orderId: z
      .string()
      .regex(/^[\x21-\x7e]{1,200}$/, '1-200 visible ASCII characters')
      .optional()
      .describe("The POS system's order (ticket) id, kept for reference"),
    marketId: z.uuid(),
    productId: z.uuid(),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
      .describe("The market's local calendar date of the sale, YYYY-MM-DD"),
    quantity: z.number().describe('Units sold (>= 0, at most 100000, 3 decimals)'),
    refundedQuantity: z
      .number()
      .optional()
      .describe('Units of this line refunded (>= 0, at most `quantity`); default 0'),
    unitPriceMinor: z
      .number()
      .int()
      .nullable()
      .optional()
      .describe('Price of one unit in minor units (cents), 0 to 10000000'),
    grossMinor: z
      .number()
      .int()
      .optional()
      .describe('Money of the line in minor units; default quantity x unitPriceMinor'),
  })
  .strict()
  .meta({ id: 'SalesBatchLine' });

/** `POST /v1/sales`: a batch of sale lines, applied all or nothing. */
export const SalesBatchBodySchema = z
  .object({
    source: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, up to 40')
      .describe(
        'Which system sends the lines (e.g. `clover`, `shopify-pos`): line ids are unique per source',
      ),
    lines: z.array(SalesBatchLineSchema).min(1).max(MAX_SALES_BATCH_LINES),
  })
  .strict()
  .meta({
    id: 'SalesBatchBody',
    example: {
      source: 'clover',
      lines: [
        {
          lineId: 'ORD-1001-1',
          orderId: 'ORD-1001',
          marketId: '7d1c2f4e-8a3b-4c5d-9e6f-0a1b2c3d4e5f',
          productId: '0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c',
          date: '2026-11-28',
          quantity: 3,
          unitPriceMinor: 800,
        },
      ],
    },
  });

/** The answer to a sales batch. */
export const SalesBatchResultSchema = z
  .object({
    source: z.string(),
    received: z.number().int().describe('Lines in the batch'),
    created: z.number().int().describe('Lines new to MarketPrep'),
    updated: z.number().int().describe('Lines already known (same source and lineId), replaced'),
    days: z
      .number()
      .int()
      .describe('Market days (market, product, date) whose daily totals were recomputed'),
    dateRange: z.object({ from: z.string(), to: z.string() }),
  })
  .meta({ id: 'SalesBatchResult' });

/** A sales batch after parsing. */
export type SalesBatchBody = z.infer<typeof SalesBatchBodySchema>;
/** One line of a sales batch. */
export type SalesBatchLine = z.infer<typeof SalesBatchLineSchema>;
/** The answer to a sales batch. */
export type SalesBatchResult = z.infer<typeof SalesBatchResultSchema>;
