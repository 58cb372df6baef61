import {
  type PlanFeature,
  AdminBillingSchema,
  BillingCheckoutBodySchema,
  BillingProblemSchema,
  BillingRedirectSchema,
  BillingStatusSchema,
  ProblemSchema,
  StripeWebhookAckSchema,
} from '@marketprep/contracts';
import { STRIPE_SIGNATURE_HEADER } from '@marketprep/integrations';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { requireTenant } from '../../plugins/auth';
import { acceptRawJsonBody } from '../../plugins/raw-json-body';
import type { BillingService } from './billing.service';

const problems = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  503: ProblemSchema,
};
const owner = { access: { kind: 'tenant', role: 'OWNER', sessionOnly: true } } as const;
const tags = ['billing'];

/** 503s of billing (Stripe unreachable, not configured) say when to try again. */
function retryAfterOn503(
  _request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: null, payload: unknown) => void,
): void {
  if (reply.statusCode === 503) void reply.header('retry-after', '30');
  done(null, payload);
}

/** `/v1/billing*`: the plan and state, Checkout and the Billing Portal. */
export const billingRoutes: FastifyPluginCallbackZod<{ billing: BillingService }> = (
  app,
  { billing },
  done,
) => {
  app.addHook('onSend', retryAfterOn503);

  app.get(
    '/v1/billing',
    {
      config: { access: { kind: 'tenant', role: 'STAFF' } },
      schema: {
        summary: 'Plan, billing state and limits',
        description:
          'The business’s plan and billing state (`not_configured` without Stripe: nothing limited), trial end, grace period when past due, whether it is read-only, the plan’s limits with current usage, and the plans on offer.',
        tags,
        response: { 200: BillingStatusSchema, ...problems },
      },
    },
    (request) => billing.status(requireTenant(request)),
  );

  app.post(
    '/v1/billing/checkout',
    {
      config: owner,
      schema: {
        summary: 'Choose a plan (Stripe Checkout)',
        description:
          'Starts a Stripe Checkout Session in subscription mode for the plan and interval (the business’s Stripe customer is created once and reused; promotion codes allowed; the rest of a running trial carries over). Returns the URL to send the browser to. Owners, in person. 409 when a subscription already exists (use the portal).',
        tags,
        body: BillingCheckoutBodySchema,
        response: { 200: BillingRedirectSchema, ...problems },
      },
    },
    (request) => billing.startCheckout(requireTenant(request), request.body, request.id),
  );

  app.post(
    '/v1/billing/portal',
    {
      config: owner,
      schema: {
        summary: 'Manage billing (Stripe Billing Portal)',
        description:
          'A Stripe Billing Portal session: change plan, card, cancel, invoices. Returns the URL to send the browser to. Owners, in person. 409 before any plan was chosen.',
        tags,
        response: { 200: BillingRedirectSchema, ...problems },
      },
    },
    (request) => billing.openPortal(requireTenant(request)),
  );
  done();
};

/** `GET /v1/admin/billing`: the operators' view. */
export const adminBillingRoutes: FastifyPluginCallbackZod<{ billing: BillingService }> = (
  app,
  { billing },
  done,
) => {
  app.get(
    '/v1/admin/billing',
    {
      config: { access: { kind: 'admin' } },
      schema: {
        summary: 'Billing overview (operators)',
        description:
          'Businesses by plan and billing state, trials ending within 7 days, past-due businesses, and MRR (yearly prices / 12) of active and past-due subscriptions.',
        tags: ['admin'],
        response: { 200: AdminBillingSchema, ...problems },
      },
    },
    () => billing.adminOverview(),
  );
  done();
};

/**
 * `POST /v1/webhooks/stripe`: its own plugin, so the raw-body parser (the signature covers the
 * exact bytes) applies to this route only.
 */
export const stripeWebhookRoutes: FastifyPluginCallbackZod<{ billing: BillingService }> = (
  app,
  { billing },
  done,
) => {
  app.addHook('onSend', retryAfterOn503);
  acceptRawJsonBody(app, 262_144);
  app.post(
    '/v1/webhooks/stripe',
    {
      config: { access: { kind: 'public' } },
      bodyLimit: 262_144,
      schema: {
        summary: 'Stripe webhook intake',
        description:
          'Stripe events (`checkout.session.completed`, `customer.subscription.*`, `invoice.paid`, `invoice.payment_failed`). `Stripe-Signature` must match the raw body (5 min tolerance; 400 otherwise, nothing written). Each event id is recorded once, in the same transaction as its effect; the subscription is fetched from Stripe so out-of-order events cannot regress it. Errors answer 5xx so Stripe retries.',
        tags: ['billing'],
        response: {
          200: StripeWebhookAckSchema,
          400: ProblemSchema,
          503: ProblemSchema,
        },
      },
    },
    (request) =>
      billing.receiveWebhook({
        rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        signature: request.headers[STRIPE_SIGNATURE_HEADER],
        requestId: request.id,
      }),
  );
  done();
};

/**
 * Routes a read-only business may still write to: billing itself, sign-in and sessions, reading
 * notifications, and its data rights (export, erasure, deleting an account).
 */
const ALWAYS_WRITABLE =
  /^\/v1\/(billing|auth|webhooks|admin|me|notifications|data-exports|vendor\/erasure|account)(\/|$)/;
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The plan feature the route needs (Square sync, exports, webhooks out): without it the
     * billing guard answers 403 naming the plan that has it. The route's response schema should
     * use `billingProblems` for 403 so the problem keeps `feature` and `requiredPlan`.
     */
    planFeature?: PlanFeature;
  }
}

/**
 * Billing enforcement on every tenant route, after the auth plugin resolved the tenant:
 * - a route declaring `config.planFeature` answers 403 when the plan lacks it (reads too: a
 *   download is the feature);
 * - a business whose trial ended, whose payment is past due beyond the grace period, or whose
 *   subscription was canceled gets 402 on every write (reads, billing and sign-in still work;
 *   nothing is deleted).
 */
export const billingGuardPlugin = fp(
  (app: FastifyInstance, options: { billing: BillingService }, done: () => void) => {
    if (!options.billing.configured) {
      done();
      return;
    }
    app.addHook('preHandler', async (request) => {
      if (!request.tenant) return;
      const feature = request.routeOptions.config.planFeature;
      if (feature) await options.billing.assertFeature(request.tenant.vendorId, feature);
      if (SAFE.has(request.method)) return;
      const route = request.routeOptions.url ?? '';
      if (ALWAYS_WRITABLE.test(route)) return;
      await options.billing.assertWritable(request.tenant.vendorId);
    });
    done();
  },
  { name: 'billing-guard' },
);

/** The problem schema of routes whose 402/403 may name the plan that unlocks them. */
export const billingProblems = { 402: BillingProblemSchema, 403: BillingProblemSchema };
