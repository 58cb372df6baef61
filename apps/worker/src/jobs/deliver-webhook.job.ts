import { DELIVER_WEBHOOK_JOB } from '@marketprep/db';
import { z } from 'zod';
import type { JobDefinition } from './job';

/**
 * One attempt to deliver a webhook event to one endpoint (issue 20). Each attempt is its own
 * outbox row: the first is written with the event (same transaction as its effect), each retry by
 * the failed attempt (available at the backoff), a "resend" by the API. `attempt` makes a
 * re-run of the same row a no-op once that attempt is recorded.
 */
export const deliverWebhookJob = {
  name: DELIVER_WEBHOOK_JOB,
  payload: z
    .object({
      vendorId: z.uuid(),
      deliveryId: z.uuid(),
      attempt: z.number().int().min(1).max(10_000),
    })
    .strict(),
  // Retries here cover the database going away mid-attempt; a receiver's failure is not thrown
  // but recorded and retried on the delivery's own 3-day schedule.
  attempts: 5,
} satisfies JobDefinition<z.ZodType>;
