import { z } from 'zod';
import type { JobDefinition } from './job';

const payload = z.object({ vendorId: z.uuid(), notificationId: z.uuid() }).strict();

/**
 * A notification by email to the members it is for (issue 19), requested through the outbox in
 * the same transaction as the notification (NotificationsRepository.createNotification).
 */
export const deliverEmailJob = {
  name: 'deliver-email',
  payload,
  attempts: 8,
} satisfies JobDefinition<z.ZodType>;

/** A notification by Web Push to the subscribed browsers of the members it is for. */
export const deliverPushJob = {
  name: 'deliver-push',
  payload,
  attempts: 8,
} satisfies JobDefinition<z.ZodType>;
