import { z } from 'zod';
import { LocalDateSchema } from './markets';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A market-local calendar date: the one shared date schema ({@link LocalDateSchema}). */
export const CheckInDateSchema = LocalDateSchema;

/** A count of units (produce may be weighed): finite, >= 0, at most 3 decimals. */
export const QuantitySchema = z
  .number()
  .min(0, 'Must be 0 or more')
  .max(1_000_000, 'Must be at most 1,000,000')
  .refine((value) => Math.abs(value * 1000 - Math.round(value * 1000)) < 1e-6, {
    message: 'Use at most 3 decimals',
  });

/** When the product sold out: an ISO 8601 instant with offset, or the market's local `HH:MM`. */
export const SoldOutAtSchema = z
  .string()
  .max(40)
  .refine(
    (value) => HH_MM.test(value) || z.iso.datetime({ offset: true }).safeParse(value).success,
    {
      message: 'Expected an ISO 8601 instant (2026-11-21T11:40:00-06:00) or a local time HH:MM',
    },
  );

/** One product of a pack-up check-in as submitted. */
export const CheckInLineInputSchema = z
  .object({
    productId: z.uuid(),
    brought: QuantitySchema,
    /** Units sold; omit when unknown (Square sales fill it later). */
    sold: QuantitySchema.nullable().optional(),
    leftOver: QuantitySchema,
    /** Part of `leftOver` thrown away. */
    wasted: QuantitySchema,
    /** Part of `leftOver` given away. */
    donated: QuantitySchema,
    soldOutAt: SoldOutAtSchema.nullable().optional(),
    rating: z.number().int().min(1).max(5).nullable().optional(),
    notes: z.string().trim().max(1000).nullable().optional(),
    /**
     * The line's `updatedAt` as the form showed it (null: no saved line then). When given and
     * the saved line has changed since, the whole submission answers 409 and writes nothing.
     */
    expectedUpdatedAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .describe(
        "The line's updatedAt when you read it (null: it had none). If it changed since, the submission is refused with 409 and nothing is written; omit to overwrite.",
      ),
  })
  .strict()
  .superRefine((line, ctx) => {
    const eps = 1e-9;
    if (line.wasted + line.donated > line.leftOver + eps) {
      ctx.addIssue({
        code: 'custom',
        path: ['wasted'],
        message: 'wasted + donated cannot exceed leftOver (leftOver = wasted + donated + kept)',
      });
    }
    if (line.leftOver > line.brought + eps) {
      ctx.addIssue({
        code: 'custom',
        path: ['leftOver'],
        message: 'leftOver cannot exceed brought',
      });
    }
    if (line.sold != null && line.sold > line.brought + eps) {
      ctx.addIssue({ code: 'custom', path: ['sold'], message: 'sold cannot exceed brought' });
    }
    if (line.soldOutAt != null && line.leftOver > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['soldOutAt'],
        message:
          'A product with leftovers did not sell out: send soldOutAt only when leftOver is 0',
      });
    }
  });

/** `PUT /v1/markets/:marketId/check-ins/:date`. */
export const CheckInSubmitBodySchema = z
  .object({
    /** Made once by the client per submission and reused on every retry (offline queues). */
    clientSubmissionId: z.uuid(),
    lines: z.array(CheckInLineInputSchema).min(1).max(500),
  })
  .strict()
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.lines.forEach((line, index) => {
      if (seen.has(line.productId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', index, 'productId'],
          message: `Product ${line.productId} appears more than once`,
        });
      }
      seen.add(line.productId);
    });
  })
  .meta({
    id: 'CheckInSubmitBody',
    example: {
      clientSubmissionId: '0b6f8f55-7f4e-4f3e-9a55-3f0a4d1c2b10',
      lines: [
        {
          productId: '7d0c1c1e-2b9a-4a59-8d0e-2f1b3c4d5e6f',
          brought: 40,
          sold: 34,
          leftOver: 6,
          wasted: 2,
          donated: 4,
          rating: 4,
        },
        {
          productId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
          brought: 24,
          sold: 24,
          leftOver: 0,
          wasted: 0,
          donated: 0,
          soldOutAt: '11:40',
        },
      ],
    },
  });

/** Path of the check-in of one market day. */
export const CheckInParamsSchema = z.object({ marketId: z.uuid(), date: CheckInDateSchema });

/** One product row of a check-in as stored or prefilled. */
export const CheckInLineSchema = z
  .object({
    productId: z.uuid(),
    productName: z.string(),
    unit: z.string(),
    /** Prefill: the current prep list's quantity (override if any); stored value once checked in. */
    brought: z.number().nullable(),
    /** Prefill: units in `daily_sales` (Square/CSV); stored value once checked in. */
    sold: z.number().nullable(),
    leftOver: z.number().nullable(),
    wasted: z.number().nullable(),
    donated: z.number().nullable(),
    soldOutAt: z.iso.datetime().nullable(),
    rating: z.number().int().nullable(),
    notes: z.string().nullable(),
    /** The prep list's quantity for this day (override if any), whatever was brought. */
    recommendedQuantity: z.number().int().nullable(),
    /** Units sold according to sales data (Square/CSV), whatever was typed. */
    salesQuantity: z.number().nullable(),
    /**
     * Where the prefilled `sold` and `soldOutAt` came from: `square` when read from the day's
     * Square orders (soldOutAt: the last sale's time), `sales` from other sales data (a CSV
     * import, POST /v1/sales); null when not prefilled (stored by a check-in, or nothing known).
     */
    prefilledFrom: z.object({
      sold: z.enum(['square', 'sales']).nullable(),
      soldOutAt: z.enum(['square', 'sales']).nullable(),
    }),
    /** True when this product has a stored check-in for the day. */
    checkedIn: z.boolean(),
    updatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'CheckInLine' });

/** A market day's check-in: the stored values, prefilled for products not yet checked in. */
export const CheckInSchema = z
  .object({
    marketId: z.uuid(),
    marketDayId: z.uuid().nullable(),
    date: CheckInDateSchema,
    timezone: z.string(),
    opensAt: z.iso.datetime().nullable(),
    closesAt: z.iso.datetime().nullable(),
    checkInOpen: z
      .boolean()
      .describe(
        "False while the market day is still ahead in the market's time zone: a PUT answers 400 until that date.",
      ),
    /** True when this answer is a replay of an already applied clientSubmissionId. */
    replayed: z.boolean().optional(),
    lines: z.array(CheckInLineSchema),
  })
  .meta({ id: 'CheckIn' });

/**
 * Headers of the check-in PUT. `Prefer: return=minimal` (RFC 7240) asks for a CheckInReceipt
 * instead of the whole form: for clients that only need to know the submission was stored (the
 * web app's offline queue), and cheaper for both sides.
 */
export const CheckInSubmitHeadersSchema = z.object({
  prefer: z
    .string()
    .max(500)
    .optional()
    .meta({ description: '`return=minimal` for a CheckInReceipt instead of the whole form.' }),
});

/** Whether a Prefer header (RFC 7240: comma-separated, case-insensitive) asks for return=minimal. */
export function prefersMinimalReturn(prefer: string | undefined): boolean {
  if (!prefer) return false;
  return prefer.split(',').some((preference) => {
    const [name = '', value = ''] = (preference.split(';')[0] ?? '').split('=');
    return (
      name.trim().toLowerCase() === 'return' &&
      value
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase() === 'minimal'
    );
  });
}

/** The answer to a check-in PUT sent with `Prefer: return=minimal`. */
export const CheckInReceiptSchema = z
  .object({
    marketId: z.uuid(),
    marketDayId: z.uuid(),
    date: CheckInDateSchema,
    /** True when this was a replay of an already applied clientSubmissionId (nothing written). */
    replayed: z.boolean(),
    /** The lines this submission wrote (none for a replay). */
    written: z.array(z.object({ productId: z.uuid(), updatedAt: z.iso.datetime() })),
  })
  .meta({ id: 'CheckInReceipt' });

/** `GET /v1/check-ins` query. */
export const CheckInListQuerySchema = z.object({
  marketId: z.uuid().optional(),
  from: CheckInDateSchema.optional(),
  to: CheckInDateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/** One market day with a check-in. */
export const CheckInSummarySchema = z
  .object({
    marketDayId: z.uuid(),
    marketId: z.uuid(),
    marketName: z.string(),
    date: CheckInDateSchema,
    products: z.number().int(),
    brought: z.number(),
    sold: z.number().nullable(),
    leftOver: z.number(),
    wasted: z.number(),
    donated: z.number(),
    soldOutProducts: z.number().int(),
    lastUpdatedAt: z.iso.datetime(),
  })
  .meta({ id: 'CheckInSummary' });

/** `GET /v1/check-ins`. */
export const CheckInListSchema = z
  .object({ data: z.array(CheckInSummarySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'CheckInList' });

/** `GET /v1/check-ins/stats` query. */
export const CheckInStatsQuerySchema = z.object({
  marketId: z.uuid().optional(),
  productId: z.uuid().optional(),
  days: z.coerce.number().int().min(1).max(731).default(56),
});

/** Accuracy, waste and sell-outs of one group (a market, or a product at a market). */
export const CheckInStatsFiguresSchema = z.object({
  /** Market days (x products for a market) with a check-in in the window. */
  marketDays: z.number().int(),
  /** Days with a prep-list quantity and a known, uncensored demand (no sell-out). */
  accuracyDays: z.number().int(),
  /** Sell-out days: demand was at least `sold`, so they are left out of the error. */
  censoredDays: z.number().int(),
  /** Mean |prep-list quantity - sold| over `accuracyDays`. */
  meanAbsoluteError: z.number().nullable(),
  /** Mean (prep-list quantity - sold) over `accuracyDays`: > 0 packs too much. */
  bias: z.number().nullable(),
  /** wasted / brought. */
  wasteRate: z.number().nullable(),
  /** sell-out days / market days. */
  sellOutRate: z.number().nullable(),
  brought: z.number(),
  sold: z.number(),
  wasted: z.number(),
  donated: z.number(),
  /** Sell-outs x max(0, forecast P50 - sold) x (price - unit cost), minor units. */
  moneyLeftOnTableMinor: z.number().int(),
  /** wasted x (unit cost - salvage value), minor units. */
  wasteCostMinor: z.number().int(),
});

/** `GET /v1/check-ins/stats`. */
export const CheckInStatsSchema = z
  .object({
    days: z.number().int(),
    markets: z.array(
      CheckInStatsFiguresSchema.extend({
        marketId: z.uuid(),
        marketName: z.string(),
        from: CheckInDateSchema,
        to: CheckInDateSchema,
      }),
    ),
    products: z.array(
      CheckInStatsFiguresSchema.extend({
        marketId: z.uuid(),
        marketName: z.string(),
        productId: z.uuid(),
        productName: z.string(),
      }),
    ),
  })
  .meta({ id: 'CheckInStats' });

/** A submitted check-in line. */
export type CheckInLineInput = z.infer<typeof CheckInLineInputSchema>;
/** `PUT /v1/markets/:marketId/check-ins/:date` body. */
export type CheckInSubmitBody = z.infer<typeof CheckInSubmitBodySchema>;
/** A check-in (stored or prefilled). */
export type CheckIn = z.infer<typeof CheckInSchema>;
/** The short answer to a check-in PUT (`Prefer: return=minimal`). */
export type CheckInReceipt = z.infer<typeof CheckInReceiptSchema>;
/** One line of a check-in. */
export type CheckInLine = z.infer<typeof CheckInLineSchema>;
/** One market day with a check-in. */
export type CheckInSummary = z.infer<typeof CheckInSummarySchema>;
/** Check-in statistics. */
export type CheckInStats = z.infer<typeof CheckInStatsSchema>;
/** Figures of one stats group. */
export type CheckInStatsFigures = z.infer<typeof CheckInStatsFiguresSchema>;
