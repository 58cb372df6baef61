import { z } from 'zod';
import type { JobDefinition } from './job';

/**
 * Retrains one vendor's demand model (after new check-ins or imports, and nightly). Requests are
 * deduplicated in the outbox (`retrain:<vendorId>`); running twice stores an equal model.
 */
export const retrainVendorJob = {
  name: 'retrain-vendor',
  // The CSV import writes its request id into the payload too; it is ignored.
  payload: z.object({ vendorId: z.uuid(), requestId: z.string().max(200).optional() }).strict(),
  attempts: 3,
} satisfies JobDefinition<z.ZodType>;
