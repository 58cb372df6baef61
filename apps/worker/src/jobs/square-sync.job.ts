import { z } from 'zod';
import type { JobDefinition } from './job';

/**
 * Square sync for one connection: `backfill` pages two years of closed orders, `incremental`
 * picks up from the last closed_at (minus an overlap). A run in progress is always resumed from
 * its checkpoint first. Payload: ids only.
 */
export const squareSyncJob = {
  name: 'square-sync',
  payload: z
    .object({
      vendorId: z.uuid(),
      connectionId: z.uuid(),
      mode: z.enum(['backfill', 'incremental']),
    })
    .strict(),
  attempts: 8,
} satisfies JobDefinition<z.ZodType>;

/** The payload of a square-sync request. */
export type SquareSyncPayload = z.infer<typeof squareSyncJob.payload>;
