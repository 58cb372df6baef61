import {
  NotificationListQuerySchema,
  NotificationListSchema,
  NotificationParamsSchema,
  NotificationSchema,
  NotificationsMarkedSchema,
  ProblemSchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { NotModifiedSchema, isNotModified } from '../../lib/etag';
import { requireTenant } from '../../plugins/auth';
import type { NotificationsService } from './notifications.service';

const staff = { access: { kind: 'tenant', role: 'STAFF' } } as const;
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const TAGS = ['notifications'];

/** `/v1/notifications`: alerts for the team, newest first. */
export const notificationsRoutes: FastifyPluginCallbackZod<{
  notifications: NotificationsService;
}> = (app, { notifications }, done) => {
  app.get(
    '/v1/notifications',
    {
      config: staff,
      schema: {
        summary: 'List notifications',
        description:
          "Newest first: the team's notifications and the caller's own; `unread=true` for unread ones only. Cursor-paginated; answers 304 to a matching If-None-Match.",
        tags: TAGS,
        querystring: NotificationListQuerySchema,
        response: { 200: NotificationListSchema, 304: NotModifiedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const body = await notifications.listNotifications(requireTenant(request), request.query);
      if (isNotModified(request, reply, body)) return reply.code(304).send(null);
      return body;
    },
  );

  app.post(
    '/v1/notifications/:notificationId/read',
    {
      config: staff,
      schema: {
        summary: 'Mark a notification read',
        description: 'Idempotent: marking it again keeps the first read time.',
        tags: TAGS,
        params: NotificationParamsSchema,
        response: { 200: NotificationSchema, ...problems },
      },
    },
    async (request) =>
      notifications.markRead(requireTenant(request), request.params.notificationId),
  );

  app.post(
    '/v1/notifications/read-all',
    {
      config: staff,
      schema: {
        summary: 'Mark all notifications read',
        tags: TAGS,
        response: { 200: NotificationsMarkedSchema, ...problems },
      },
    },
    async (request) => ({ updated: await notifications.markAllRead(requireTenant(request)) }),
  );
  done();
};
