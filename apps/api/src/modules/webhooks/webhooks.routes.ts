import {
  PLAN_LIMITED_PROBLEMS,
  ProblemSchema,
  WebhookDeliveryListSchema,
  WebhookDeliverySchema,
  WebhookEndpointCreateBodySchema,
  WebhookEndpointCreatedSchema,
  WebhookEndpointListSchema,
  WebhookEndpointSchema,
  WebhookEndpointUpdateBodySchema,
  WebhookListQuerySchema,
  type WebhookEventType,
} from '@marketprep/contracts';
import type { WebhookDeliveryRecord, WebhookEndpointRecord } from '@marketprep/db';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireTenant } from '../../plugins/auth';
import type { WebhooksService } from './webhooks.service';

// Owners only (a session, or an owner's API token with the write scope for changes): an endpoint
// receives the business's data.
const owner = { access: { kind: 'tenant', role: 'OWNER' } } as const;
// Webhooks out is a plan feature (Team): registering, changing and resending need it. Reading the
// endpoints and their log, and deleting one, do not, so a business that changed plan can still
// see and remove what it set up (the worker sends nothing for a plan without the feature).
const feature = { ...owner, planFeature: 'webhooks-out' } as const;
// 402 read-only, 403 naming the plan that has the feature or allows more endpoints.
const problems = PLAN_LIMITED_PROBLEMS;
const TAGS = ['webhooks'];
const EndpointParams = z.object({ endpointId: z.uuid() });
const DeliveryParams = z.object({ deliveryId: z.uuid() });

function endpointDto(e: WebhookEndpointRecord) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events as WebhookEventType[],
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    disabledAt: e.disabledAt?.toISOString() ?? null,
    consecutiveFailures: e.consecutiveFailures,
    createdAt: e.createdAt.toISOString(),
  };
}

function deliveryDto(d: WebhookDeliveryRecord) {
  return {
    id: d.id,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType as WebhookEventType,
    status: d.status as 'pending' | 'succeeded' | 'failed',
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
  };
}

/** `/v1/webhook-endpoints` and `/v1/webhook-deliveries`: webhooks out (issue 20). */
export const webhooksRoutes: FastifyPluginCallbackZod<{ webhooks: WebhooksService }> = (
  app,
  { webhooks },
  done,
) => {
  app.get(
    '/v1/webhook-endpoints',
    {
      config: owner,
      schema: {
        summary: 'List webhook endpoints',
        tags: TAGS,
        querystring: WebhookListQuerySchema,
        response: { 200: WebhookEndpointListSchema, ...problems },
      },
    },
    async (request) => {
      const page = await webhooks.listEndpoints(requireTenant(request), request.query);
      return { data: page.data.map(endpointDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/webhook-endpoints',
    {
      // A retry with the same Idempotency-Key gets the same secret back; it is stored sealed.
      config: { ...feature, idempotency: 'sealed' },
      schema: {
        summary: 'Register a webhook endpoint',
        description:
          'Events are POSTed as JSON with a `MarketPrep-Signature: t=<unix>,v1=<hex HMAC-SHA256>` header signed with the `secret` of this answer (shown once; stored only encrypted). A plan feature (`webhooks-out`, 403 naming the plan); 403 `plan-limit` past the plan\'s `webhookEndpoints`. See docs/api.md "Webhooks out".',
        tags: TAGS,
        body: WebhookEndpointCreateBodySchema,
        response: { 201: WebhookEndpointCreatedSchema, ...problems, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { record, secret } = await webhooks.createEndpoint(
        requireTenant(request),
        request.body,
        request.id,
      );
      return reply.status(201).send({ ...endpointDto(record), secret });
    },
  );

  app.get(
    '/v1/webhook-endpoints/:endpointId',
    {
      config: owner,
      schema: {
        summary: 'Get a webhook endpoint',
        tags: TAGS,
        params: EndpointParams,
        response: { 200: WebhookEndpointSchema, ...problems },
      },
    },
    async (request) =>
      endpointDto(await webhooks.getEndpoint(requireTenant(request), request.params.endpointId)),
  );

  app.patch(
    '/v1/webhook-endpoints/:endpointId',
    {
      config: feature,
      schema: {
        summary: 'Change a webhook endpoint',
        description:
          'Events, description, or `enabled`: turning an endpoint back on after it was turned off for failures clears its failure streak.',
        tags: TAGS,
        params: EndpointParams,
        body: WebhookEndpointUpdateBodySchema,
        response: { 200: WebhookEndpointSchema, ...problems },
      },
    },
    async (request) =>
      endpointDto(
        await webhooks.updateEndpoint(
          requireTenant(request),
          request.params.endpointId,
          request.body,
          request.id,
        ),
      ),
  );

  app.delete(
    '/v1/webhook-endpoints/:endpointId',
    {
      config: owner,
      schema: {
        summary: 'Delete a webhook endpoint',
        tags: TAGS,
        params: EndpointParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await webhooks.deleteEndpoint(requireTenant(request), request.params.endpointId, request.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/webhook-endpoints/:endpointId/deliveries',
    {
      config: owner,
      schema: {
        summary: "List an endpoint's deliveries",
        description: 'The delivery log, newest first: status, attempts, last answer, next retry.',
        tags: TAGS,
        params: EndpointParams,
        querystring: WebhookListQuerySchema,
        response: { 200: WebhookDeliveryListSchema, ...problems },
      },
    },
    async (request) => {
      const page = await webhooks.listDeliveries(
        requireTenant(request),
        request.params.endpointId,
        request.query,
      );
      return { data: page.data.map(deliveryDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/webhook-deliveries/:deliveryId/resend',
    {
      config: feature,
      schema: {
        summary: 'Resend a webhook delivery',
        description:
          'Sends the same event (same id and body, fresh signature) again now. 409 when its endpoint is turned off.',
        tags: TAGS,
        params: DeliveryParams,
        response: { 202: WebhookDeliverySchema, ...problems, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const delivery = await webhooks.resendDelivery(
        requireTenant(request),
        request.params.deliveryId,
        request.id,
      );
      return reply.status(202).send(deliveryDto(delivery));
    },
  );
  done();
};
