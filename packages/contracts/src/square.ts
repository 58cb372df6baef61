import { z } from 'zod';

/** Answer of GET /v1/integrations/square/connect. */
export const SquareConnectSchema = z
  .object({
    authorizeUrl: z
      .url()
      .describe("Send the owner's browser here; Square redirects back to the callback"),
  })
  .meta({ id: 'SquareConnect' });

/** Query Square sends to the OAuth callback. */
export const SquareCallbackQuerySchema = z.object({
  code: z.string().min(1).max(512).optional(),
  state: z.string().min(1).max(1024),
  response_type: z.string().max(32).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

/** Progress of the running (or last) sync, from the connection's checkpoint. */
export const SquareSyncProgressSchema = z
  .object({
    mode: z.enum(['backfill', 'incremental']),
    running: z.boolean(),
    startedAt: z.string(),
    completedAt: z.string().nullable(),
    pagesDone: z.number().int(),
    ordersSoFar: z.number().int(),
    linesWritten: z.number().int(),
    returnsApplied: z.number().int(),
    unmappedLines: z
      .number()
      .int()
      .describe('Sold lines of variations mapped to no product (skipped)'),
    lastClosedAt: z.string().nullable(),
  })
  .meta({ id: 'SquareSyncProgress' });

/** Answer of GET /v1/integrations/square. */
export const SquareStatusSchema = z
  .object({
    configured: z.boolean(),
    connected: z.boolean(),
    status: z.enum(['NOT_CONNECTED', 'ACTIVE', 'REFRESH_FAILED', 'ERROR', 'REVOKED']),
    merchantId: z.string().nullable(),
    scopes: z.array(z.string()),
    connectedAt: z.string().nullable(),
    lastSyncedAt: z.string().nullable(),
    backfillCompletedAt: z.string().nullable(),
    lastError: z.string().nullable(),
    sync: SquareSyncProgressSchema.nullable(),
  })
  .meta({ id: 'SquareStatus' });

/** One Square location with its market and a suggestion by name. */
export const SquareLocationMappingSchema = z.object({
  locationId: z.string(),
  name: z.string(),
  timezone: z.string().nullable(),
  marketId: z.uuid().nullable().describe('The market it maps to now'),
  suggestedMarketId: z.uuid().nullable().describe('A market with the same name, when unmapped'),
  ignored: z
    .boolean()
    .describe('The owner marked it "not a market" (a kitchen, a warehouse): its sales never count'),
});

/** One Square item variation with its product and a suggestion by name. */
export const SquareVariationMappingSchema = z.object({
  variationId: z.string(),
  itemName: z.string(),
  variationName: z.string(),
  suggestedName: z.string().describe('Name a product created for it would get'),
  priceMinor: z.number().int().nullable(),
  productId: z.uuid().nullable(),
  suggestedProductId: z.uuid().nullable(),
  ignored: z.boolean().describe('The owner chose not to track it: its sales never count'),
});

/** Answer of GET and PUT /v1/integrations/square/mapping. */
export const SquareMappingSchema = z
  .object({
    locations: z.array(SquareLocationMappingSchema),
    variations: z.array(SquareVariationMappingSchema),
    markets: z.array(z.object({ id: z.uuid(), name: z.string() })),
    products: z.array(z.object({ id: z.uuid(), name: z.string() })),
    backfillRequested: z.boolean().optional(),
  })
  .meta({ id: 'SquareMapping' });

/**
 * Body of PUT /v1/integrations/square/mapping: the owner's confirmed choices. Per entry at most one
 * of `marketId`/`createMarket`/`ignore` (`productId`/`createProduct`/`ignore`); `marketId: null`
 * with none of the others unmaps and forgets an earlier "not a market".
 */
export const SquareMappingBodySchema = z
  .object({
    locations: z
      .array(
        z
          .object({
            locationId: z.string().min(1).max(64),
            marketId: z.uuid().nullable().optional(),
            createMarket: z.boolean().optional(),
            ignore: z
              .boolean()
              .optional()
              .describe('"Not a market": remembered, mapped to no market, its sales never count'),
          })
          .strict(),
      )
      .max(300)
      .default([]),
    variations: z
      .array(
        z
          .object({
            variationId: z.string().min(1).max(64),
            productId: z.uuid().nullable().optional(),
            createProduct: z.boolean().optional(),
            ignore: z
              .boolean()
              .optional()
              .describe('"Don\'t track": remembered, mapped to no product, its sales never count'),
          })
          .strict(),
      )
      .max(2_000)
      .default([]),
  })
  .strict()
  .meta({ id: 'SquareMappingBody' });

/** Answer to a Square webhook notification. */
export const SquareWebhookAckSchema = z.object({
  received: z.literal(true),
  duplicate: z.boolean(),
});
