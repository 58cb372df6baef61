import type { PrismaClient } from '../generated/prisma/client';
import { tenantSql, type TenantTransaction } from '../tenant';

/** Stripe's subscription statuses, as stored (upper case). */
export type StoredSubscriptionStatus =
  | 'TRIALING'
  | 'ACTIVE'
  | 'PAST_DUE'
  | 'UNPAID'
  | 'CANCELED'
  | 'INCOMPLETE'
  | 'INCOMPLETE_EXPIRED'
  | 'PAUSED';

/** The subscription row of a business. */
export interface SubscriptionRecord {
  vendorId: string;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  plan: string;
  status: StoredSubscriptionStatus;
  priceId: string | null;
  interval: string | null;
  amountCents: number | null;
  currency: string | null;
  trialEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  pastDueSince: Date | null;
  stripeEventCreatedAt: Date | null;
}

/** A Stripe subscription's state to store (from an event or a fetch). */
export interface SubscriptionStateWrite {
  stripeSubscriptionId: string;
  plan: string;
  status: StoredSubscriptionStatus;
  priceId: string | null;
  interval: string | null;
  amountCents: number | null;
  currency: string | null;
  trialEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** Stripe's `created` of the event (or the fetch time) this state is from. */
  observedAt: Date;
}

/** What a business has, counted against its plan's limits. */
export interface BillingUsage {
  markets: number;
  products: number;
  seats: number;
  apiTokens: number;
  webhookEndpoints: number;
}

/** One business in the operators' billing overview. */
export interface BillingOverviewRow {
  vendorId: string;
  name: string;
  isDemo: boolean;
  vendorCreatedAt: Date;
  plan: string | null;
  status: StoredSubscriptionStatus | null;
  interval: string | null;
  amountCents: number | null;
  trialEndsAt: Date | null;
  pastDueSince: Date | null;
  /** A Stripe subscription exists (not only the card-free trial). */
  hasStripeSubscription: boolean;
}

const select = {
  vendorId: true,
  stripeCustomerId: true,
  stripeSubscriptionId: true,
  plan: true,
  status: true,
  priceId: true,
  interval: true,
  amountCents: true,
  currency: true,
  trialEndsAt: true,
  currentPeriodEnd: true,
  cancelAtPeriodEnd: true,
  pastDueSince: true,
  stripeEventCreatedAt: true,
} as const;

/**
 * The current business's subscription and usage. Takes a tenant-scoped transaction (withTenant),
 * or, for webhook intake, one scoped to a Stripe customer id (withScope externalAccountId), in
 * which only that customer's subscription is visible.
 */
export class BillingRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** The business's subscription row, if any. */
  findSubscription(): Promise<SubscriptionRecord | null> {
    return this.tx.subscription.findFirst({ select });
  }

  /** The subscription of a Stripe customer (visible by vendor, or by the customer lookup). */
  findByCustomer(stripeCustomerId: string): Promise<SubscriptionRecord | null> {
    return this.tx.subscription.findFirst({ where: { stripeCustomerId }, select });
  }

  /** When the business was created (its card-free trial runs from here) and whether it is the demo. */
  async findVendor(): Promise<{ createdAt: Date; isDemo: boolean; name: string } | null> {
    return this.tx.vendor.findFirst({
      where: { deletedAt: null },
      select: { createdAt: true, isDemo: true, name: true },
    });
  }

  /**
   * Links the business to its Stripe customer, once: creates the row (still in its trial) or sets
   * the customer on it. Returns the customer id stored (an earlier one wins).
   */
  async attachCustomer(input: {
    vendorId: string;
    stripeCustomerId: string;
    plan: string;
    trialEndsAt: Date;
  }): Promise<string> {
    const existing = await this.tx.subscription.findFirst({
      select: { stripeCustomerId: true },
    });
    if (existing?.stripeCustomerId) return existing.stripeCustomerId;
    if (existing) {
      await this.tx.subscription.updateMany({
        data: { stripeCustomerId: input.stripeCustomerId },
      });
    } else {
      await this.tx.subscription.create({
        data: {
          vendorId: input.vendorId,
          stripeCustomerId: input.stripeCustomerId,
          plan: input.plan,
          status: 'TRIALING',
          trialEndsAt: input.trialEndsAt,
        },
      });
    }
    return input.stripeCustomerId;
  }

  /**
   * Applies a Stripe subscription state unless a newer one was applied already (events arrive in
   * any order). `pastDueSince` is set when the status becomes PAST_DUE and cleared when it leaves
   * it. Returns the stored row, or null when the state was older (nothing written).
   */
  async applySubscriptionState(
    current: SubscriptionRecord,
    state: SubscriptionStateWrite,
  ): Promise<SubscriptionRecord | null> {
    if (current.stripeEventCreatedAt && state.observedAt < current.stripeEventCreatedAt) {
      return null;
    }
    const pastDueSince =
      state.status === 'PAST_DUE' ? (current.pastDueSince ?? state.observedAt) : null;
    await this.tx.subscription.updateMany({
      where: { vendorId: current.vendorId },
      data: {
        stripeSubscriptionId: state.stripeSubscriptionId,
        plan: state.plan,
        status: state.status,
        priceId: state.priceId,
        interval: state.interval,
        amountCents: state.amountCents,
        currency: state.currency,
        trialEndsAt: state.trialEndsAt,
        currentPeriodEnd: state.currentPeriodEnd,
        cancelAtPeriodEnd: state.cancelAtPeriodEnd,
        pastDueSince,
        stripeEventCreatedAt: state.observedAt,
      },
    });
    return this.tx.subscription.findFirst({ where: { vendorId: current.vendorId }, select });
  }

  /**
   * Markets, products, staff seats (members and open invitations), live API tokens and webhook
   * endpoints (turned off ones too: turning one back on adds nothing to count).
   */
  async countUsage(now: Date): Promise<BillingUsage> {
    // One statement (six Prisma counts were six); row-level security scopes every table.
    const [row] = await tenantSql(this.tx).query<{
      markets: number;
      products: number;
      staff: number;
      invitations: number;
      api_tokens: number;
      webhook_endpoints: number;
    }>(
      `SELECT (SELECT count(*) FROM markets WHERE archived_at IS NULL)::int AS markets,
              (SELECT count(*) FROM products WHERE active)::int AS products,
              (SELECT count(*) FROM memberships WHERE role <> 'OWNER')::int AS staff,
              (SELECT count(*) FROM invitations
                WHERE role <> 'OWNER' AND accepted_at IS NULL AND revoked_at IS NULL
                  AND expires_at > $1)::int AS invitations,
              (SELECT count(*) FROM api_tokens
                WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1))::int
                AS api_tokens,
              (SELECT count(*) FROM webhook_endpoints)::int AS webhook_endpoints`,
      [now],
    );
    return {
      markets: row?.markets ?? 0,
      products: row?.products ?? 0,
      seats: (row?.staff ?? 0) + (row?.invitations ?? 0),
      apiTokens: row?.api_tokens ?? 0,
      webhookEndpoints: row?.webhook_endpoints ?? 0,
    };
  }
}

/**
 * Every business's plan and status, platform-wide (operators' view, /metrics, the trial
 * reminders), through `monitoring.billing_overview()` (migration `*_billing`): billing fields and
 * names only.
 */
export async function listBillingOverview(prisma: PrismaClient): Promise<BillingOverviewRow[]> {
  const rows = await prisma.$queryRaw<
    {
      vendor_id: string;
      name: string;
      is_demo: boolean;
      vendor_created_at: Date;
      plan: string | null;
      status: StoredSubscriptionStatus | null;
      interval: string | null;
      amount_cents: number | null;
      trial_ends_at: Date | null;
      past_due_since: Date | null;
      has_stripe_subscription: boolean;
    }[]
  >`SELECT vendor_id::text AS vendor_id, name, is_demo, vendor_created_at, plan, status,
           "interval", amount_cents, trial_ends_at, past_due_since,
           has_stripe_subscription
      FROM monitoring.billing_overview()`;
  return rows.map((row) => ({
    vendorId: row.vendor_id,
    name: row.name,
    isDemo: row.is_demo,
    vendorCreatedAt: row.vendor_created_at,
    plan: row.plan,
    status: row.status,
    interval: row.interval,
    amountCents: row.amount_cents,
    trialEndsAt: row.trial_ends_at,
    pastDueSince: row.past_due_since,
    hasStripeSubscription: row.has_stripe_subscription,
  }));
}
