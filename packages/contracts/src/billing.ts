import { z } from 'zod';
import { ProblemSchema } from './problem';

/** Plan ids (the `id` of each plan in the plans configuration). */
export const PlanIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/)
  .describe('A plan id from the plans configuration (e.g. `starter`, `market`, `team`)');

/** Billing interval of a price. */
export const BillingIntervalSchema = z.enum(['month', 'year']);

/** What a plan lets a business have; `null` is unlimited. */
export const PlanLimitsSchema = z
  .object({
    markets: z.number().int().nonnegative().nullable(),
    products: z.number().int().nonnegative().nullable(),
    /** Members besides the owner (staff seats). */
    seats: z.number().int().nonnegative().nullable(),
    apiTokens: z.number().int().nonnegative().nullable(),
    /** Webhook endpoints registered (webhooks out). */
    webhookEndpoints: z.number().int().nonnegative().nullable(),
  })
  .meta({ id: 'PlanLimits' });

/** Features a plan may unlock. */
export const PlanFeatureSchema = z.enum(['square-sync', 'alerts', 'exports', 'webhooks-out']);

/** A plan's list price per interval (the plans configuration). */
export const PlanPriceSchema = z.object({
  interval: BillingIntervalSchema,
  amountCents: z.number().int().nonnegative(),
  currency: z.string().length(3),
});

/** One plan as vendors see it. */
export const PlanSchema = z
  .object({
    id: PlanIdSchema,
    name: z.string(),
    description: z.string(),
    limits: PlanLimitsSchema,
    features: z.array(PlanFeatureSchema),
    prices: z.array(
      PlanPriceSchema.extend({
        available: z.boolean().describe('A Stripe Price id is configured for it'),
      }),
    ),
  })
  .meta({ id: 'Plan' });

/**
 * Billing state of a business, as the app decides it:
 * - `not_configured`: billing is off (no Stripe keys, or the demo); nothing is limited.
 * - `trialing`: the free trial (no card), or a Stripe trial.
 * - `trial_expired`: the trial ended without a plan: read-only until a plan is chosen.
 * - `active`, `past_due` (grace, then read-only), `canceled`, `incomplete`, `unpaid`, `paused`.
 */
export const BillingStateSchema = z.enum([
  'not_configured',
  'trialing',
  'trial_expired',
  'active',
  'past_due',
  'canceled',
  'incomplete',
  'unpaid',
  'paused',
]);

/** `GET /v1/billing`: the business's plan, state and what it may do. */
export const BillingStatusSchema = z
  .object({
    configured: z.boolean(),
    state: BillingStateSchema,
    plan: PlanIdSchema.nullable().describe('The plan whose limits apply; null: none (unlimited)'),
    interval: BillingIntervalSchema.nullable(),
    trialEndsAt: z.iso.datetime().nullable(),
    currentPeriodEnd: z.iso.datetime().nullable(),
    cancelAtPeriodEnd: z.boolean(),
    pastDueSince: z.iso.datetime().nullable(),
    graceEndsAt: z.iso
      .datetime()
      .nullable()
      .describe('past_due: when the business becomes read-only unless the card is updated'),
    readOnly: z.boolean().describe('Writes are refused (402) until billing is fixed'),
    hasCustomer: z.boolean().describe('A Stripe customer exists: the billing portal can open'),
    limits: PlanLimitsSchema,
    features: z
      .array(PlanFeatureSchema)
      .describe(
        'Features the business may use now (every feature when billing is off or trialing)',
      ),
    usage: z.object({
      markets: z.number().int().nonnegative(),
      products: z.number().int().nonnegative(),
      seats: z.number().int().nonnegative(),
      apiTokens: z.number().int().nonnegative(),
      webhookEndpoints: z.number().int().nonnegative(),
    }),
    plans: z.array(PlanSchema),
  })
  .meta({ id: 'BillingStatus' });

/** `POST /v1/billing/checkout` body. */
export const BillingCheckoutBodySchema = z
  .object({ plan: PlanIdSchema, interval: BillingIntervalSchema.default('month') })
  .strict();

/** Answer of the checkout and portal routes: where to send the browser. */
export const BillingRedirectSchema = z
  .object({ url: z.url().describe("Send the owner's browser here (Stripe-hosted page)") })
  .meta({ id: 'BillingRedirect' });

/** `POST /v1/webhooks/stripe` answer. */
export const StripeWebhookAckSchema = z
  .object({ received: z.literal(true), duplicate: z.boolean() })
  .meta({ id: 'StripeWebhookAck' });

/**
 * The problem of a request refused because of billing: 402 (read-only: trial over, past due beyond
 * grace, canceled) or 403 (the plan's limit, or a feature the plan lacks), naming the plan that
 * unlocks it.
 */
export const BillingProblemSchema = ProblemSchema.extend({
  limit: z
    .enum(['markets', 'products', 'seats', 'apiTokens', 'webhookEndpoints', 'readOnly'])
    .optional(),
  feature: PlanFeatureSchema.optional().describe('The plan feature the request needs'),
  requiredPlan: z.string().nullable().optional().describe('The plan that unlocks it'),
}).meta({ id: 'BillingProblem' });

/** Problems of a route a plan can limit: 402 (read-only) and 403 (plan limit) beside the usual. */
export const PLAN_LIMITED_PROBLEMS = {
  400: ProblemSchema,
  401: ProblemSchema,
  402: BillingProblemSchema,
  403: BillingProblemSchema,
  404: ProblemSchema,
} as const;

/** `GET /v1/admin/billing`: the operators' view. */
export const AdminBillingSchema = z
  .object({
    configured: z.boolean(),
    mrrCents: z.number().int().nonnegative().describe('Monthly recurring revenue (yearly / 12)'),
    byPlanAndStatus: z.array(
      z.object({ plan: z.string(), status: z.string(), count: z.number().int() }),
    ),
    trialsEnding: z.array(
      z.object({ vendorId: z.uuid(), name: z.string(), trialEndsAt: z.iso.datetime() }),
    ),
    pastDue: z.array(
      z.object({
        vendorId: z.uuid(),
        name: z.string(),
        plan: z.string(),
        pastDueSince: z.iso.datetime().nullable(),
      }),
    ),
  })
  .meta({ id: 'AdminBilling' });

export type Plan = z.infer<typeof PlanSchema>;
export type PlanLimits = z.infer<typeof PlanLimitsSchema>;
export type PlanFeature = z.infer<typeof PlanFeatureSchema>;
export type BillingInterval = z.infer<typeof BillingIntervalSchema>;
export type BillingState = z.infer<typeof BillingStateSchema>;
export type BillingStatus = z.infer<typeof BillingStatusSchema>;
export type AdminBilling = z.infer<typeof AdminBillingSchema>;
