import { z } from 'zod';
import type { JobDefinition } from './job';

/** Replays a business's last season with the demand engine (queued by POST /v1/replays). */
export const replayVendorJob = {
  name: 'replay-vendor',
  payload: z.object({ vendorId: z.uuid(), replayId: z.uuid() }).strict(),
  // A failed replay is recorded on the run (FAILED) and the owner asks again.
  attempts: 1,
} satisfies JobDefinition<z.ZodType>;
