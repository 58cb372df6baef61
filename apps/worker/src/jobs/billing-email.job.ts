import { z } from 'zod';
import type { JobDefinition } from './job';

/**
 * A billing notice by email to one owner (trial ending or ended, payment failed, canceled),
 * requested through the outbox by the API in the same transaction as the in-app notification.
 * The payload names the recipient by user id; the address is read when sending.
 */
export const billingEmailJob = {
  name: 'billing-email',
  payload: z
    .object({
      vendorId: z.uuid(),
      userId: z.uuid(),
      // Also the data-export notice (issue 18): one job mails a member by user id.
      kind: z.string().regex(/^(billing|data_export)\.[a-z_]{1,40}$/),
      subject: z.string().min(1).max(200),
      text: z.string().min(1).max(4_000),
    })
    .strict(),
  attempts: 8,
} satisfies JobDefinition<z.ZodType>;
