import {
  AlertSettingsSchema,
  AlertSettingsUpdateBodySchema,
  ProblemSchema,
  PushSubscriptionBodySchema,
  PushSubscriptionSchema,
  PushUnsubscribeBodySchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireTenant } from '../../plugins/auth';
import type { AlertChannelsService } from './alert-channels.service';

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const TAGS = ['alerts'];

/**
 * `/v1/alerts/settings` (which alerts go by email and push, the outlook-change threshold) and
 * `/v1/push/subscriptions` (this browser's Web Push subscription). docs/alerts.md.
 */
export const alertChannelsRoutes: FastifyPluginCallbackZod<{ alerts: AlertChannelsService }> = (
  app,
  { alerts },
  done,
) => {
  app.get(
    '/v1/alerts/settings',
    {
      config: { access: { kind: 'tenant', role: 'STAFF' } },
      schema: {
        summary: "The business's alert channels",
        description:
          'Staff and owners. Per category, whether its alerts also go by email and by Web Push (in the app they always show), the outlook-change threshold, and the VAPID public key to subscribe with (null: push not configured).',
        tags: TAGS,
        response: { 200: AlertSettingsSchema, ...problems },
      },
    },
    async (request) => alerts.getSettings(requireTenant(request)),
  );

  app.put(
    '/v1/alerts/settings',
    {
      config: { access: { kind: 'tenant', role: 'OWNER' } },
      schema: {
        summary: "Change the business's alert channels",
        description:
          'Owners only. The whole setting: every category and the threshold (`percent` 1-1000 or `units` 0.5-100000). An unknown field or value is a 400 that changes nothing.',
        tags: TAGS,
        body: AlertSettingsUpdateBodySchema,
        response: { 200: AlertSettingsSchema, ...problems },
      },
    },
    async (request) =>
      alerts.updateSettings(requireTenant(request), request.body, { requestId: request.id }),
  );

  app.post(
    '/v1/push/subscriptions',
    {
      config: { access: { kind: 'tenant', role: 'STAFF' } },
      schema: {
        summary: 'Subscribe this browser to push alerts',
        description:
          "A signed-in member's `PushSubscription.toJSON()`. The endpoint must be https on a known push service. The same endpoint again replaces its keys. 503 when push is not configured.",
        tags: TAGS,
        body: PushSubscriptionBodySchema,
        response: { 201: PushSubscriptionSchema, ...problems, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      const saved = await alerts.subscribe(
        requireTenant(request),
        request.body,
        request.headers['user-agent'],
      );
      return reply.code(201).send(saved);
    },
  );

  app.post(
    '/v1/push/subscriptions/remove',
    {
      config: { access: { kind: 'tenant', role: 'STAFF' } },
      schema: {
        summary: 'Unsubscribe this browser from push alerts',
        description: "Forgets the signed-in member's subscription of this endpoint (404 if none).",
        tags: TAGS,
        body: PushUnsubscribeBodySchema,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await alerts.unsubscribe(requireTenant(request), request.body.endpoint);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/alerts/test',
    {
      config: { access: { kind: 'tenant', role: 'STAFF' } },
      schema: {
        summary: 'Send a test alert to me',
        description:
          'A notification to the signed-in member, in the app and by email and push whatever the routing says, to check that alerts reach them.',
        tags: TAGS,
        response: { 202: z.object({ id: z.uuid() }), ...problems },
      },
    },
    async (request, reply) => {
      const sent = await alerts.sendTest(requireTenant(request), { requestId: request.id });
      return reply.code(202).send(sent);
    },
  );
  done();
};
