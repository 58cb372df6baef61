import {
  BillingProblemSchema,
  ProblemSchema,
  SquareCallbackQuerySchema,
  SquareConnectSchema,
  SquareMappingBodySchema,
  SquareMappingSchema,
  SquareStatusSchema,
  SquareWebhookAckSchema,
} from '@marketprep/contracts';
import { SQUARE_SIGNATURE_HEADER } from '@marketprep/integrations';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireSession, requireTenant } from '../../plugins/auth';
import { acceptRawJsonBody } from '../../plugins/raw-json-body';
import type { SquareService } from './square.service';

const problems = {
  400: ProblemSchema,
  401: ProblemSchema,
  /** Not allowed, or the plan's limit (naming the plan that unlocks it). */
  403: BillingProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  503: ProblemSchema,
};
const owner = { access: { kind: 'tenant', role: 'OWNER', sessionOnly: true } } as const;
const staff = { access: { kind: 'tenant', role: 'STAFF' } } as const;
// Square sync is a plan feature: connecting and mapping need it (status and disconnect do not).
const feature = { planFeature: 'square-sync' } as const;
const tags = ['square'];

/** `/v1/integrations/square/*`: connect, status, disconnect and the location/variation mapping. */
export const squareRoutes: FastifyPluginCallbackZod<{ square: SquareService }> = (
  app,
  { square },
  done,
) => {
  app.get(
    '/v1/integrations/square/connect',
    {
      config: { ...owner, ...feature },
      schema: {
        summary: 'Start connecting Square',
        description:
          'Returns the Square consent URL (scopes MERCHANT_PROFILE_READ ITEMS_READ ORDERS_READ PAYMENTS_READ) with a signed `state` bound to this business and session, valid 10 minutes. Owners, in person.',
        tags,
        response: { 200: SquareConnectSchema, ...problems },
      },
    },
    (request) => square.connectUrl(requireTenant(request), requireSession(request).secret),
  );

  app.get(
    '/v1/integrations/square/callback',
    {
      config: { access: { kind: 'user' } },
      schema: {
        summary: 'Square OAuth callback',
        description:
          'Where Square sends the browser back. Checks the state, stores the connection with encrypted tokens, requests a backfill and redirects to the settings page (`?square=connected|denied|error|in-use`).',
        tags,
        querystring: SquareCallbackQuerySchema,
        response: { 302: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const target = await square.completeConnect({
        userId: session.session.userId,
        sessionSecret: session.secret,
        query: request.query,
        requestId: request.id,
      });
      return reply.redirect(target, 302);
    },
  );

  app.get(
    '/v1/integrations/square',
    {
      config: staff,
      schema: {
        summary: 'Square connection status',
        description:
          'Connection status, merchant, last sync, and the progress of the running or last sync (pages done, orders so far).',
        tags,
        response: { 200: SquareStatusSchema, ...problems },
      },
    },
    (request) => square.status(requireTenant(request)),
  );

  app.delete(
    '/v1/integrations/square',
    {
      config: owner,
      schema: {
        summary: 'Disconnect Square',
        description:
          'Revokes the token at Square, deletes the stored tokens and marks the connection REVOKED. Synced sales stay.',
        tags,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await square.disconnect(requireTenant(request), request.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/integrations/square/mapping',
    {
      // Read from Square as asked: an item added there a moment ago must show.
      config: { ...staff, ...feature, responseCache: false },
      schema: {
        summary: 'Square location and variation mapping',
        description:
          "Square's locations and item variations beside your markets and products, with suggestions by name for the unmapped ones and the ones you chose to ignore.",
        tags,
        response: { 200: SquareMappingSchema, ...problems },
      },
    },
    (request) => square.mapping(requireTenant(request)),
  );

  app.put(
    '/v1/integrations/square/mapping',
    {
      config: { access: { kind: 'tenant', role: 'OWNER' }, ...feature },
      schema: {
        summary: 'Confirm the Square mapping',
        description:
          'Maps locations to markets and variations to products (`marketId`/`productId`; `null` unmaps; `createMarket`/`createProduct` creates one named after it; `ignore` remembers "not a market" / "don\'t track", so the id is not offered as unmapped again and its sales never count). One answer per entry. All or nothing; then a backfill brings the mapped history in.',
        tags,
        body: SquareMappingBodySchema,
        response: { 200: SquareMappingSchema, ...problems },
      },
    },
    (request) => square.saveMapping(requireTenant(request), request.body, request.id),
  );
  done();
};

/**
 * `POST /v1/webhooks/square`: its own plugin, so the raw-body JSON parser (the signature covers
 * the exact bytes) applies to this route only.
 */
export const squareWebhookRoutes: FastifyPluginCallbackZod<{ square: SquareService }> = (
  app,
  { square },
  done,
) => {
  acceptRawJsonBody(app, 262_144);
  app.post(
    '/v1/webhooks/square',
    {
      config: { access: { kind: 'public' } },
      bodyLimit: 262_144,
      schema: {
        summary: 'Square webhook intake',
        description:
          'Square notifications (`payment.*`, `order.updated`). The `x-square-hmacsha256-signature` must match the body and the registered URL (401 otherwise, nothing written). Each event id is recorded once with an incremental sync request; replays answer 200 and change nothing.',
        tags,
        response: {
          200: SquareWebhookAckSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          503: ProblemSchema,
        },
      },
    },
    (request) =>
      square.receiveWebhook({
        rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        signature: request.headers[SQUARE_SIGNATURE_HEADER],
        requestId: request.id,
      }),
  );
  done();
};
