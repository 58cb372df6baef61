import { z } from 'zod';
import type { JobDefinition } from './job';

/** Builds an export archive of one business (queued by POST /v1/data-exports). */
export const exportVendorJob = {
  name: 'export-vendor',
  payload: z.object({ vendorId: z.uuid(), exportId: z.uuid() }).strict(),
  // A failed build is recorded on the export (FAILED) and the owner asks again.
  attempts: 1,
} satisfies JobDefinition<z.ZodType>;
