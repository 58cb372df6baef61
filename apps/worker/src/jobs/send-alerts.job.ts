import { z } from 'zod';
import type { JobDefinition } from './job';

/**
 * Re-evaluates the outlook of a vendor's planned market days (heavy rain, a big event, a sync
 * failing) and notifies once per condition (notification dedupe keys).
 */
export const sendAlertsJob = {
  name: 'send-alerts',
  payload: z.object({ vendorId: z.uuid() }).strict(),
  attempts: 3,
} satisfies JobDefinition<z.ZodType>;
