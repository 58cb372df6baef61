import { z } from 'zod';
import type { JobDefinition } from './job';

/**
 * Hard-deletes one business when its 7-day grace ends (queued by POST /v1/vendor/erasure with
 * `available_at` = the scheduled time). Retried: each step is safe to run again.
 */
export const eraseVendorJob = {
  name: 'erase-vendor',
  payload: z.object({ vendorId: z.uuid(), erasureId: z.uuid() }).strict(),
  attempts: 5,
} satisfies JobDefinition<z.ZodType>;
