import { z } from 'zod';
import { PaginationQuerySchema, pageSchema } from './pagination';

/** A message for the vendor's team (filled by the worker: outlook changes, sync problems...). */
export const NotificationSchema = z
  .object({
    id: z.uuid(),
    kind: z.string().describe('Machine-readable kind, e.g. "outlook.changed"'),
    title: z.string(),
    body: z.string(),
    data: z.unknown().nullable().describe('Kind-specific details'),
    readAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Notification' });

/** `GET /v1/notifications`. */
export const NotificationListSchema = pageSchema(NotificationSchema).meta({
  id: 'NotificationList',
});

/** `?unread=true` plus pagination. */
export const NotificationListQuerySchema = PaginationQuerySchema.extend({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .describe('Only unread notifications'),
});

/** `POST /v1/notifications/read-all`. */
export const NotificationsMarkedSchema = z
  .object({ updated: z.number().int().nonnegative() })
  .meta({ id: 'NotificationsMarked' });

/** `/v1/notifications/:notificationId`. */
export const NotificationParamsSchema = z.object({ notificationId: z.uuid() });

/** A notification. */
export type Notification = z.infer<typeof NotificationSchema>;
