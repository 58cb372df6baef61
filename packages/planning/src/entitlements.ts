import {
  BillingStateSchema,
  PlanFeatureSchema,
  PlanIdSchema,
  PlanPriceSchema,
  PlanSchema,
  type BillingState,
  type PlanFeature,
  type PlanLimits,
} from '@marketprep/contracts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type BillingOverviewRow, type StoredSubscriptionStatus } from '@marketprep/db';
import { z } from 'zod';

/**
 * The plans configuration (apps/api/config/billing-plans.json, or BILLING_PLANS_FILE): plans with
 * their limits, features and list prices, the card-free trial and the past_due grace period. The
 * Stripe Price ids come from the environment (STRIPE_PRICE_IDS), not from this file.
 */
export const PlansConfigSchema = z
  .object({
    trialDays: z.number().int().min(0).max(365),
    /** The plan whose limits apply during the card-free trial. */
    trialPlan: PlanIdSchema,
    /** Days a past_due business keeps writing (with a banner) before it becomes read-only. */
    graceDays: z.number().int().min(0).max(60),
    plans: z
      .array(
        // As vendors see a plan, with list prices instead of Stripe's availability.
        PlanSchema.omit({ prices: true }).extend({ prices: z.array(PlanPriceSchema) }),
      )
      .min(1),
  })
  .superRefine((config, ctx) => {
    const ids = new Set(config.plans.map((plan) => plan.id));
    if (ids.size !== config.plans.length)
      ctx.addIssue({ code: 'custom', message: 'duplicate plan id' });
    if (!ids.has(config.trialPlan)) {
      ctx.addIssue({ code: 'custom', message: `trialPlan ${config.trialPlan} is not a plan` });
    }
  });

/** The parsed plans configuration. */
export type PlansConfig = z.infer<typeof PlansConfigSchema>;

/** The plans shipped with the app (apps/api/config/billing-plans.json). */
export const DEFAULT_PLANS_FILE = path.join(
  REPO_ROOT,
  'apps',
  'api',
  'config',
  'billing-plans.json',
);

/**
 * Reads and validates a plans file (the API's and the worker's BILLING_PLANS_FILE); throws one
 * readable message when it is wrong.
 */
export function loadPlansConfig(file: string = DEFAULT_PLANS_FILE): PlansConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Invalid billing plans file ${file}: ${(error as Error).message}`);
  }
  const parsed = PlansConfigSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid billing plans file ${file}: ${problems}`);
  }
  return parsed.data;
}

/** One configured plan. */
export type PlanConfig = PlansConfig['plans'][number];

/** Every billing state, for metrics. */
export const BILLING_STATES = BillingStateSchema.options;

/** Which limit a write counts against. */
export type LimitName = keyof PlanLimits;

/** Unlimited: the limits when billing is off (not configured, the demo). */
export const UNLIMITED: PlanLimits = {
  markets: null,
  products: null,
  seats: null,
  apiTokens: null,
  webhookEndpoints: null,
};

/** Every plan feature: what billing off (not configured, the demo) and any trial allow. */
export const ALL_FEATURES: readonly PlanFeature[] = PlanFeatureSchema.options;

/** The subscription as stored, as far as entitlements need it. */
export interface SubscriptionFacts {
  plan: string;
  status: StoredSubscriptionStatus;
  stripeSubscriptionId: string | null;
  trialEndsAt: Date | null;
  pastDueSince: Date | null;
}

/** What a business may do now. */
export interface Entitlements {
  state: BillingState;
  /** The plan whose limits apply (null: billing off). */
  plan: string | null;
  limits: PlanLimits;
  /** Features it may use (Square sync, alerts, exports, webhooks out): all while trialing. */
  features: readonly PlanFeature[];
  /** Writes refused (402) until billing is fixed; reads still work, nothing is deleted. */
  readOnly: boolean;
  trialEndsAt: Date | null;
  graceEndsAt: Date | null;
}

const DAY_MS = 86_400_000;

/**
 * The one place that decides what a business may do from its subscription state:
 *
 * - billing off (not configured) or the demo business: everything, unlimited;
 * - no Stripe subscription yet: the card-free trial from the business's creation (`trialDays`,
 *   the `trialPlan`'s limits), then `trial_expired`, read-only until a plan is chosen;
 * - trialing / active: the plan's limits;
 * - past_due: the plan's limits for `graceDays` from `pastDueSince`, then read-only;
 * - canceled, unpaid, incomplete(_expired), paused: read-only (a canceled business chooses a plan
 *   again; its data stays).
 */
export function decideEntitlements(input: {
  config: PlansConfig | undefined;
  isDemo: boolean;
  vendorCreatedAt: Date;
  subscription: SubscriptionFacts | null;
  now: Date;
}): Entitlements {
  const { config, subscription, now } = input;
  if (!config || input.isDemo) {
    return {
      state: 'not_configured',
      plan: null,
      limits: UNLIMITED,
      features: ALL_FEATURES,
      readOnly: false,
      trialEndsAt: null,
      graceEndsAt: null,
    };
  }
  const limitsOf = (planId: string): PlanLimits =>
    config.plans.find((plan) => plan.id === planId)?.limits ??
    config.plans.find((plan) => plan.id === config.trialPlan)?.limits ??
    UNLIMITED;
  const featuresOf = (planId: string): readonly PlanFeature[] =>
    config.plans.find((plan) => plan.id === planId)?.features ?? [];
  const base = { trialEndsAt: subscription?.trialEndsAt ?? null, graceEndsAt: null };

  if (!subscription?.stripeSubscriptionId) {
    const trialEndsAt =
      subscription?.trialEndsAt ??
      new Date(input.vendorCreatedAt.getTime() + config.trialDays * DAY_MS);
    const running = now < trialEndsAt;
    return {
      state: running ? 'trialing' : 'trial_expired',
      plan: config.trialPlan,
      limits: limitsOf(config.trialPlan),
      // A trial tries everything; once it is over the business is read-only anyway.
      features: running ? ALL_FEATURES : featuresOf(config.trialPlan),
      readOnly: !running,
      trialEndsAt,
      graceEndsAt: null,
    };
  }
  const plan = subscription.plan;
  const limits = limitsOf(plan);
  const features = featuresOf(plan);
  switch (subscription.status) {
    case 'TRIALING':
      return { ...base, state: 'trialing', plan, limits, features: ALL_FEATURES, readOnly: false };
    case 'ACTIVE':
      return { ...base, state: 'active', plan, limits, features, readOnly: false };
    case 'PAST_DUE': {
      const since = subscription.pastDueSince ?? now;
      const graceEndsAt = new Date(since.getTime() + config.graceDays * DAY_MS);
      return {
        ...base,
        state: 'past_due',
        plan,
        limits,
        features,
        readOnly: now >= graceEndsAt,
        graceEndsAt,
      };
    }
    case 'UNPAID':
      return { ...base, state: 'unpaid', plan, limits, features, readOnly: true };
    case 'CANCELED':
      return { ...base, state: 'canceled', plan, limits, features, readOnly: true };
    case 'PAUSED':
      return { ...base, state: 'paused', plan, limits, features, readOnly: true };
    case 'INCOMPLETE':
    case 'INCOMPLETE_EXPIRED':
      return { ...base, state: 'incomplete', plan, limits, features, readOnly: true };
  }
}

/** {@link decideEntitlements} for a row of the platform-wide billing overview (operators, the trial sweep). */
export function entitlementsOfOverviewRow(
  row: BillingOverviewRow,
  config: PlansConfig | undefined,
  now: Date,
): Entitlements {
  return decideEntitlements({
    config,
    isDemo: row.isDemo,
    vendorCreatedAt: row.vendorCreatedAt,
    subscription:
      row.plan !== null && row.status !== null
        ? {
            plan: row.plan,
            status: row.status,
            stripeSubscriptionId: row.hasStripeSubscription ? 'stripe' : null,
            trialEndsAt: row.trialEndsAt,
            pastDueSince: row.pastDueSince,
          }
        : null,
    now,
  });
}

/** The cheapest plan whose limit allows `wanted` of `limit` (null: none does). */
export function planUnlocking(
  config: PlansConfig,
  limit: LimitName,
  wanted: number,
): PlanConfig | null {
  const monthly = (plan: PlanConfig) =>
    plan.prices.find((price) => price.interval === 'month')?.amountCents ?? Number.MAX_SAFE_INTEGER;
  const fits = config.plans.filter((plan) => {
    const max = plan.limits[limit];
    return max === null || wanted <= max;
  });
  return fits.sort((a, b) => monthly(a) - monthly(b))[0] ?? null;
}

/** The cheapest plan that includes `feature` (null: none does). */
export function planWithFeature(config: PlansConfig, feature: PlanFeature): PlanConfig | null {
  const monthly = (plan: PlanConfig) =>
    plan.prices.find((price) => price.interval === 'month')?.amountCents ?? Number.MAX_SAFE_INTEGER;
  const having = config.plans.filter((plan) => plan.features.includes(feature));
  return having.sort((a, b) => monthly(a) - monthly(b))[0] ?? null;
}

/** Words for a plan feature in problem details and on locked screens. */
export const FEATURE_WORDS: Record<PlanFeature, string> = {
  'square-sync': 'Square sync',
  alerts: 'Weather and event alerts',
  exports: 'Prep-list downloads (CSV and PDF)',
  'webhooks-out': 'Webhooks out',
};

/** Monthly amount of a price (yearly / 12, rounded), for MRR. */
export function monthlyCents(amountCents: number, interval: string): number {
  return interval === 'year' ? Math.round(amountCents / 12) : amountCents;
}

/** Words for a limit in problem details. */
export const LIMIT_WORDS: Record<LimitName, { one: string; many: string }> = {
  markets: { one: 'market', many: 'markets' },
  products: { one: 'product', many: 'products' },
  seats: { one: 'staff seat', many: 'staff seats' },
  apiTokens: { one: 'API token', many: 'API tokens' },
  webhookEndpoints: { one: 'webhook endpoint', many: 'webhook endpoints' },
};
