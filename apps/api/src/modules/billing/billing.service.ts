import type {
  AdminBilling,
  BillingInterval,
  BillingStatus,
  PlanFeature,
  PlanLimits,
} from '@marketprep/contracts';
import {
  AuditRepository,
  BillingRepository,
  listBillingOverview,
  MembershipsRepository,
  withScope,
  withTenant,
  type DatabaseClient,
  type StoredSubscriptionStatus,
  type SubscriptionRecord,
  type TenantTransaction,
  WebhookEventsRepository,
} from '@marketprep/db';
import {
  isProviderError,
  StripeCheckoutSessionSchema,
  StripeInvoiceSchema,
  StripeSubscriptionSchema,
  type StripeApi,
  type StripeEvent,
  type StripeSubscription,
} from '@marketprep/integrations';
import { AppError } from '../../errors';
import {
  decideEntitlements,
  entitlementsOfOverviewRow,
  giveCardFreeTrialNotice,
  LIMIT_WORDS,
  monthlyCents,
  noticeDay as day,
  notifyOwners,
  planUnlocking,
  planWithFeature,
  FEATURE_WORDS,
  trialNoticeDue,
  UNLIMITED,
  type BillingNotice,
  type Entitlements,
  type LimitName,
  type PlansConfig,
  type TrialNotice,
} from '@marketprep/planning';
import type { TenantContext } from '../../plugins/auth';
import type { PlanLimitExceeded } from './plan-limits';

/** What the billing module needs when Stripe is configured. */
export interface BillingModuleConfig {
  client: StripeApi;
  plans: PlansConfig;
  /** Stripe Price id per `plan:interval` (STRIPE_PRICE_IDS). */
  priceIds: Record<string, string>;
  /** Stripe Tax on Checkout (off by default). */
  automaticTax?: boolean;
}

/** Events that change a subscription's state (the subscription is fetched, then applied). */
const SUBSCRIPTION_EVENTS = new Set([
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'customer.subscription.trial_will_end',
  'invoice.paid',
  'invoice.payment_failed',
]);

const CUSTOMER_ID = /^cus_[A-Za-z0-9_]{1,200}$/;
const SUBSCRIPTION_ID = /^sub_[A-Za-z0-9_]{1,200}$/;
const CACHE_MS = 5_000;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function toStoredStatus(status: StripeSubscription['status']): StoredSubscriptionStatus {
  return status.toUpperCase() as StoredSubscriptionStatus;
}

/**
 * Billing: the plan and state of a business, Checkout and portal sessions, Stripe webhook intake,
 * and the entitlement checks other modules call. Without configuration (no Stripe keys, the demo)
 * billing is "not configured" and nothing is limited.
 */
export class BillingService {
  private readonly cache = new Map<string, { at: number; value: Entitlements }>();

  constructor(
    private readonly deps: {
      db: DatabaseClient;
      config: BillingModuleConfig | undefined;
      publicUrl: string;
      now: () => Date;
    },
  ) {}

  /** Billing is on (Stripe keys and plans configured). */
  get configured(): boolean {
    return this.deps.config !== undefined;
  }

  private get config(): BillingModuleConfig {
    if (!this.deps.config) throw new AppError('UNAVAILABLE', 'Billing is not configured.');
    return this.deps.config;
  }

  private async load(tx: TenantTransaction): Promise<{
    entitlements: Entitlements;
    subscription: SubscriptionRecord | null;
  }> {
    const repo = new BillingRepository(tx);
    const [vendor, subscription] = await Promise.all([repo.findVendor(), repo.findSubscription()]);
    const entitlements = decideEntitlements({
      config: this.deps.config?.plans,
      isDemo: vendor?.isDemo ?? false,
      vendorCreatedAt: vendor?.createdAt ?? this.deps.now(),
      subscription,
      now: this.deps.now(),
    });
    return { entitlements, subscription };
  }

  /** What the business may do now (cached a few seconds per process; webhooks clear it). */
  async entitlementsOf(vendorId: string): Promise<Entitlements> {
    if (!this.configured)
      return decideEntitlements({
        config: undefined,
        isDemo: false,
        vendorCreatedAt: this.deps.now(),
        subscription: null,
        now: this.deps.now(),
      });
    const hit = this.cache.get(vendorId);
    // The app's clock, so a cached answer never outlives a trial or grace period that just ended.
    const nowMs = this.deps.now().getTime();
    if (hit && nowMs - hit.at < CACHE_MS) return hit.value;
    const { entitlements } = await withTenant(this.deps.db.prisma, vendorId, (tx) => this.load(tx));
    this.cache.set(vendorId, { at: nowMs, value: entitlements });
    if (this.cache.size > 10_000) this.cache.clear();
    return entitlements;
  }

  /** `GET /v1/billing`. */
  async status(tenant: TenantContext): Promise<BillingStatus> {
    const now = this.deps.now();
    const { entitlements, subscription, usage } = await withTenant(
      this.deps.db.prisma,
      tenant.vendorId,
      async (tx) => ({
        ...(await this.load(tx)),
        usage: await new BillingRepository(tx).countUsage(now),
      }),
    );
    if (trialNoticeDue(entitlements, Boolean(subscription?.stripeSubscriptionId), now)) {
      await this.notifyCardFreeTrial(tenant.vendorId);
    }
    const config = this.deps.config;
    const interval =
      subscription?.interval === 'month' || subscription?.interval === 'year'
        ? subscription.interval
        : null;
    return {
      configured: config !== undefined && entitlements.state !== 'not_configured',
      state: entitlements.state,
      plan: entitlements.plan,
      interval: subscription?.stripeSubscriptionId ? interval : null,
      trialEndsAt: iso(entitlements.trialEndsAt),
      currentPeriodEnd: iso(subscription?.currentPeriodEnd ?? null),
      cancelAtPeriodEnd: subscription?.cancelAtPeriodEnd ?? false,
      pastDueSince: iso(subscription?.status === 'PAST_DUE' ? subscription.pastDueSince : null),
      graceEndsAt: iso(entitlements.graceEndsAt),
      readOnly: entitlements.readOnly,
      hasCustomer: Boolean(subscription?.stripeCustomerId),
      limits: entitlements.limits,
      features: [...entitlements.features],
      usage,
      plans: (config?.plans.plans ?? []).map((plan) => ({
        id: plan.id,
        name: plan.name,
        description: plan.description,
        limits: plan.limits,
        features: plan.features,
        prices: plan.prices.map((price) => ({
          ...price,
          available: Boolean(config?.priceIds[`${plan.id}:${price.interval}`]),
        })),
      })),
    };
  }

  /**
   * Refuses a write when the business is read-only (402: trial over, past due beyond the grace
   * period, canceled). Reads are never refused.
   */
  async assertWritable(vendorId: string): Promise<void> {
    const entitlements = await this.entitlementsOf(vendorId);
    if (!entitlements.readOnly) return;
    const why: Record<string, string> = {
      trial_expired: 'Your free trial has ended.',
      past_due: 'Your payment is past due and the grace period is over.',
      canceled: 'Your subscription was canceled.',
      unpaid: 'Your subscription is unpaid.',
      incomplete: 'Your subscription is not complete.',
      paused: 'Your subscription is paused.',
    };
    throw new AppError(
      'PAYMENT_REQUIRED',
      `${why[entitlements.state] ?? 'Billing needs attention.'} Your data is safe and still readable; an owner can choose a plan or update the card in Settings → Billing to make changes again.`,
      undefined,
      { limit: 'readOnly', requiredPlan: entitlements.plan },
    );
  }

  /**
   * What adding `count` more markets / products / staff seats / API tokens would pass of the
   * plan (null: it fits), with the words of the refusal and the plan that unlocks it. The import
   * preview shows it before a commit; {@link assertCanAdd} refuses with it.
   */
  async checkAdd(vendorId: string, limit: LimitName, count = 1): Promise<PlanLimitExceeded | null> {
    if (count <= 0) return null;
    if (!this.configured) return null;
    const entitlements = await this.entitlementsOf(vendorId);
    const max = entitlements.limits[limit];
    if (max === null) return null;
    const now = this.deps.now();
    const usage = await withTenant(this.deps.db.prisma, vendorId, (tx) =>
      new BillingRepository(tx).countUsage(now),
    );
    const current = usage[limit];
    if (current + count <= max) return null;
    const plans = this.deps.config?.plans;
    const unlocking = plans ? planUnlocking(plans, limit, current + count) : null;
    const words = LIMIT_WORDS[limit];
    const planName =
      plans?.plans.find((plan) => plan.id === entitlements.plan)?.name ?? entitlements.plan;
    const has =
      max === 0
        ? `Your ${planName} plan does not include ${words.many}.`
        : `Your ${planName} plan includes ${max} ${max === 1 ? words.one : words.many}${count > 1 ? `; you have ${current} and this adds ${count}` : ''}.`;
    const unlocks = unlocking
      ? `The ${unlocking.name} plan unlocks ${unlocking.limits[limit] === null ? `unlimited ${words.many}` : `up to ${unlocking.limits[limit]} ${words.many}`}.`
      : '';
    return {
      limit,
      allowed: max,
      current,
      adding: count,
      requiredPlan: unlocking?.id ?? null,
      message: `${has} ${unlocks}`.trim(),
    };
  }

  /**
   * Refuses adding `count` more markets / products / staff seats / API tokens beyond the plan
   * (403, naming the plan that unlocks it): one from a form, or all a CSV import or a Square
   * mapping would create. Counted before the write: two adds racing at the limit may both pass
   * (over by one add), which the next add corrects; no lock is held across modules for it.
   */
  async assertCanAdd(vendorId: string, limit: LimitName, count = 1): Promise<void> {
    const exceeded = await this.checkAdd(vendorId, limit, count);
    if (!exceeded) return;
    throw new AppError('FORBIDDEN', exceeded.message, undefined, {
      code: 'plan-limit',
      limit,
      requiredPlan: exceeded.requiredPlan,
    });
  }

  /**
   * Refuses a request that needs a plan feature the business's plan lacks (403, naming the
   * cheapest plan that has it). Billing off or any trial: everything is allowed.
   */
  async assertFeature(vendorId: string, feature: PlanFeature): Promise<void> {
    if (!this.configured) return;
    const entitlements = await this.entitlementsOf(vendorId);
    if (entitlements.features.includes(feature)) return;
    const plans = this.deps.config?.plans;
    const unlocking = plans ? planWithFeature(plans, feature) : null;
    const planName =
      plans?.plans.find((plan) => plan.id === entitlements.plan)?.name ?? entitlements.plan;
    throw new AppError(
      'FORBIDDEN',
      `${FEATURE_WORDS[feature]} ${feature === 'webhooks-out' || feature === 'alerts' ? 'are' : 'is'} not included in your ${planName} plan.${unlocking ? ` Available on ${unlocking.name}: an owner can choose it in Settings → Billing.` : ''}`,
      undefined,
      { code: 'plan-feature', feature, requiredPlan: unlocking?.id ?? null },
    );
  }

  /** The limits of a business now (UNLIMITED when billing is off). */
  async limitsOf(vendorId: string): Promise<PlanLimits> {
    if (!this.configured) return UNLIMITED;
    return (await this.entitlementsOf(vendorId)).limits;
  }

  /** `POST /v1/billing/checkout`: a Checkout Session for the plan, the customer created once. */
  async startCheckout(
    tenant: TenantContext,
    input: { plan: string; interval: BillingInterval },
    requestId: string,
  ): Promise<{ url: string }> {
    const config = this.config;
    const plan = config.plans.plans.find((p) => p.id === input.plan);
    if (!plan) throw new AppError('BAD_REQUEST', `There is no plan "${input.plan}".`);
    const priceId = config.priceIds[`${plan.id}:${input.interval}`];
    if (!priceId) {
      throw new AppError(
        'BAD_REQUEST',
        `The ${plan.name} plan is not offered ${input.interval === 'year' ? 'yearly' : 'monthly'}.`,
      );
    }
    const { entitlements, subscription, vendorName, ownerEmail } = await withTenant(
      this.deps.db.prisma,
      tenant.vendorId,
      async (tx) => {
        const loaded = await this.load(tx);
        const vendor = await new BillingRepository(tx).findVendor();
        const members = await new MembershipsRepository(tx).listMembers();
        return {
          ...loaded,
          vendorName: vendor?.name ?? 'MarketPrep business',
          ownerEmail: members.find((m) => m.userId === tenant.userId)?.email,
        };
      },
    );
    if (entitlements.state === 'not_configured') {
      throw new AppError('CONFLICT', 'Billing does not apply to this business (demo).');
    }
    if (
      subscription?.stripeSubscriptionId &&
      ['ACTIVE', 'TRIALING', 'PAST_DUE'].includes(subscription.status)
    ) {
      throw new AppError(
        'CONFLICT',
        'This business already has a subscription: use "Manage billing" to change the plan or the card.',
      );
    }
    const customerId = await this.ensureCustomer(tenant.vendorId, {
      name: vendorName,
      email: ownerEmail,
      existing: subscription?.stripeCustomerId ?? null,
      trialEndsAt: entitlements.trialEndsAt ?? this.deps.now(),
      trialPlan: config.plans.trialPlan,
    });
    // The rest of the card-free trial carries over (Stripe needs a trial end 2+ days ahead).
    const trialEnd =
      !subscription?.stripeSubscriptionId &&
      entitlements.trialEndsAt &&
      entitlements.trialEndsAt.getTime() - this.deps.now().getTime() > 2 * 86_400_000
        ? Math.floor(entitlements.trialEndsAt.getTime() / 1000)
        : undefined;
    const base = this.deps.publicUrl;
    const session = await this.callStripe(() =>
      config.client.createCheckoutSession({
        customerId,
        vendorId: tenant.vendorId,
        priceId,
        plan: plan.id,
        successUrl: `${base}/settings/billing?checkout=success`,
        cancelUrl: `${base}/settings/billing?checkout=canceled`,
        automaticTax: config.automaticTax ?? false,
        trialEnd,
      }),
    );
    await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: 'user',
        action: 'billing.checkout_started',
        targetType: 'subscription',
        targetId: session.id,
        requestId,
        metadata: { plan: plan.id, interval: input.interval },
      }),
    );
    return { url: session.url };
  }

  /** `POST /v1/billing/portal`: a Billing Portal session for the business's customer. */
  async openPortal(tenant: TenantContext): Promise<{ url: string }> {
    const config = this.config;
    const subscription = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new BillingRepository(tx).findSubscription(),
    );
    if (!subscription?.stripeCustomerId) {
      throw new AppError('CONFLICT', 'Choose a plan first: there is no billing account yet.');
    }
    const customerId = subscription.stripeCustomerId;
    return this.callStripe(() =>
      config.client.createPortalSession({
        customerId,
        returnUrl: `${this.deps.publicUrl}/settings/billing`,
      }),
    );
  }

  /**
   * Account erasure (issue 18): cancels the business's Stripe subscription at once, if billing
   * exists and one is live. Safe to call twice; a no-op without billing.
   */
  async cancelBillingForErasure(vendorId: string): Promise<{ canceled: boolean }> {
    if (!this.deps.config) return { canceled: false };
    const client = this.deps.config.client;
    const subscription = await withTenant(this.deps.db.prisma, vendorId, (tx) =>
      new BillingRepository(tx).findSubscription(),
    );
    const id = subscription?.stripeSubscriptionId;
    if (!id || ['CANCELED', 'INCOMPLETE_EXPIRED'].includes(subscription.status)) {
      return { canceled: false };
    }
    await this.callStripe(() => client.cancelSubscription(id));
    this.cache.delete(vendorId);
    return { canceled: true };
  }

  /**
   * `POST /v1/webhooks/stripe`: verifies the signature on the raw body (400 when it does not
   * match: nothing written), then records the event id in the same transaction as its effect, so
   * a duplicate changes nothing. Subscription state is fetched from Stripe (the truth now), so
   * events arriving out of order cannot regress it. Any failure answers 5xx: Stripe retries.
   */
  async receiveWebhook(input: {
    rawBody: Buffer;
    signature: string | string[] | undefined;
    requestId: string;
  }): Promise<{ received: true; duplicate: boolean }> {
    const config = this.config;
    const event = config.client.verifyWebhook(input.rawBody, input.signature);
    if (!event) {
      throw new AppError(
        'BAD_REQUEST',
        'Invalid or missing Stripe-Signature, or not a Stripe event.',
      );
    }
    const customerId = this.customerOf(event);
    const wanted = SUBSCRIPTION_EVENTS.has(event.type) && customerId !== null;
    // The subscription now, from Stripe, before any transaction is open.
    const subscription = wanted ? await this.fetchSubscriptionFor(event, customerId) : null;

    const result = await withScope(
      this.deps.db.prisma,
      customerId ? { externalAccountId: customerId } : {},
      async (tx) => {
        const stored = customerId
          ? await new BillingRepository(tx).findByCustomer(customerId)
          : null;
        const recorded = await this.recordEvent(tx, event, customerId);
        if (!recorded || !wanted || !stored) return { recorded, vendorId: stored?.vendorId };
        // Effects run as the business (RLS): from here on the transaction is its tenant's.
        await tx.$executeRaw`select set_config('app.vendor_id', ${stored.vendorId}, true)`;
        await this.applyEvent(tx, event, stored, subscription, input.requestId);
        return { recorded, vendorId: stored.vendorId };
      },
    );
    if (result.vendorId) this.cache.delete(result.vendorId);
    return { received: true, duplicate: !result.recorded };
  }

  private recordEvent(tx: TenantTransaction, event: StripeEvent, customerId: string | null) {
    // The envelope only: the object (names, emails, amounts) stays at Stripe.
    return new WebhookEventsRepository(tx).record({
      provider: 'STRIPE',
      eventId: event.id,
      eventType: event.type,
      externalAccountId: customerId,
      payload: { id: event.id, type: event.type, created: event.created },
      processedAt: this.deps.now(),
    });
  }

  private customerOf(event: StripeEvent): string | null {
    const customer = event.data.object.customer;
    const id =
      typeof customer === 'string'
        ? customer
        : customer && typeof customer === 'object' && 'id' in customer
          ? customer.id
          : null;
    return typeof id === 'string' && CUSTOMER_ID.test(id) ? id : null;
  }

  /** The subscription an event is about, fetched from Stripe (null: none, e.g. an invoice of none). */
  private async fetchSubscriptionFor(
    event: StripeEvent,
    customerId: string | null,
  ): Promise<StripeSubscription | null> {
    const object = event.data.object;
    let subscriptionId: string | null = null;
    if (event.type.startsWith('customer.subscription.')) {
      const parsed = StripeSubscriptionSchema.safeParse(object);
      subscriptionId = parsed.success ? parsed.data.id : null;
    } else if (event.type === 'checkout.session.completed') {
      const parsed = StripeCheckoutSessionSchema.safeParse(object);
      subscriptionId = parsed.success ? parsed.data.subscription : null;
    } else if (event.type.startsWith('invoice.')) {
      // Invoices name their subscription in different places across API versions; the stored
      // subscription of the customer is the one (one per business).
      const parsed = StripeInvoiceSchema.safeParse(object);
      if (parsed.success && customerId) {
        const stored = await withScope(
          this.deps.db.prisma,
          { externalAccountId: customerId },
          (tx) => new BillingRepository(tx).findByCustomer(customerId),
        );
        subscriptionId = stored?.stripeSubscriptionId ?? null;
      }
    }
    if (!subscriptionId || !SUBSCRIPTION_ID.test(subscriptionId)) return null;
    const id = subscriptionId;
    return this.callStripe(() => this.config.client.retrieveSubscription(id), true);
  }

  private async applyEvent(
    tx: TenantTransaction,
    event: StripeEvent,
    stored: SubscriptionRecord,
    subscription: StripeSubscription | null,
    requestId: string,
  ): Promise<void> {
    let current = stored;
    if (subscription && subscription.customer === stored.stripeCustomerId) {
      const item = subscription.items.data[0];
      const interval = item?.price.recurring?.interval;
      const plan =
        subscription.metadata?.plan ??
        Object.entries(this.config.priceIds)
          .find(([, id]) => id === item?.price.id)?.[0]
          .split(':')[0] ??
        stored.plan;
      const applied = await new BillingRepository(tx).applySubscriptionState(stored, {
        stripeSubscriptionId: subscription.id,
        plan,
        status: toStoredStatus(subscription.status),
        priceId: item?.price.id ?? null,
        interval: interval === 'month' || interval === 'year' ? interval : null,
        amountCents: item?.price.unit_amount ?? null,
        currency: item?.price.currency ?? null,
        trialEndsAt: subscription.trial_end ? new Date(subscription.trial_end * 1000) : null,
        currentPeriodEnd: item?.current_period_end
          ? new Date(item.current_period_end * 1000)
          : null,
        cancelAtPeriodEnd: subscription.cancel_at_period_end,
        observedAt: this.deps.now(),
      });
      if (applied) current = applied;
    }
    const notice = this.noticeFor(event, current);
    if (notice) await notifyOwners(tx, current.vendorId, notice, requestId);
    await new AuditRepository(tx).record({
      vendorId: current.vendorId,
      actorUserId: null,
      actorType: 'system',
      action: `billing.${event.type}`,
      targetType: 'subscription',
      targetId: current.stripeSubscriptionId ?? event.id,
      requestId,
      metadata: { eventId: event.id, status: current.status, plan: current.plan },
    });
  }

  private noticeFor(event: StripeEvent, current: SubscriptionRecord): BillingNotice | null {
    const config = this.config.plans;
    switch (event.type) {
      case 'invoice.payment_failed': {
        const graceEnds = new Date(
          (current.pastDueSince ?? this.deps.now()).getTime() + config.graceDays * 86_400_000,
        );
        return {
          kind: 'billing.payment_failed',
          title: 'Payment failed: update your card',
          body: `We could not charge your card for MarketPrep. Update it in Settings → Billing before ${day(graceEnds)}; after that the business becomes read-only (nothing is deleted).`,
          dedupeKey: `billing-payment-failed:${event.id}`,
        };
      }
      case 'customer.subscription.trial_will_end':
        return {
          kind: 'billing.trial_ending',
          title: 'Your trial ends soon',
          body: `Your MarketPrep trial ends on ${current.trialEndsAt ? day(current.trialEndsAt) : 'soon'}. Your plan continues with the card you gave.`,
          dedupeKey: `billing-trial-ending:${current.stripeSubscriptionId ?? event.id}`,
        };
      case 'customer.subscription.deleted':
        return {
          kind: 'billing.canceled',
          title: 'Your subscription ended',
          body: 'Your MarketPrep subscription was canceled. Your data stays readable; choose a plan in Settings → Billing to make changes again.',
          dedupeKey: `billing-canceled:${event.id}`,
        };
      default:
        return null;
    }
  }

  /**
   * The card-free trial's notices, once each (shared with the worker's daily sweep, which tells
   * the businesses nobody opens): given when the business is next seen (`GET /v1/billing`, which
   * every signed-in page reads for the banner). Returns the notice due, or null.
   */
  async notifyCardFreeTrial(vendorId: string): Promise<TrialNotice | null> {
    const plans = this.deps.config?.plans;
    if (!plans) return null;
    const now = this.deps.now();
    const given = await withTenant(this.deps.db.prisma, vendorId, (tx) =>
      giveCardFreeTrialNotice(tx, { vendorId, plans, now }),
    );
    return given?.notice ?? null;
  }

  /** `GET /v1/admin/billing`: businesses by plan and status, trials ending, past due, MRR. */
  async adminOverview(): Promise<AdminBilling> {
    const rows = await listBillingOverview(this.deps.db.prisma);
    const config = this.deps.config?.plans;
    const now = this.deps.now();
    const counts = new Map<string, number>();
    const trialsEnding: AdminBilling['trialsEnding'] = [];
    const pastDue: AdminBilling['pastDue'] = [];
    let mrr = 0;
    for (const row of rows) {
      const e = entitlementsOfOverviewRow(row, config, now);
      const plan = e.plan ?? 'none';
      const key = `${plan}\u0000${e.state}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (
        e.state === 'trialing' &&
        e.trialEndsAt &&
        e.trialEndsAt.getTime() - now.getTime() <= 7 * 86_400_000
      ) {
        trialsEnding.push({
          vendorId: row.vendorId,
          name: row.name,
          trialEndsAt: e.trialEndsAt.toISOString(),
        });
      }
      if (e.state === 'past_due') {
        pastDue.push({
          vendorId: row.vendorId,
          name: row.name,
          plan,
          pastDueSince: iso(row.pastDueSince),
        });
      }
      if ((e.state === 'active' || e.state === 'past_due') && row.amountCents !== null) {
        mrr += monthlyCents(row.amountCents, row.interval ?? 'month');
      }
    }
    return {
      configured: config !== undefined,
      mrrCents: mrr,
      byPlanAndStatus: [...counts.entries()]
        .map(([key, count]) => {
          const [plan = '', status = ''] = key.split('\u0000');
          return { plan, status, count };
        })
        .sort((a, b) => a.plan.localeCompare(b.plan) || a.status.localeCompare(b.status)),
      trialsEnding: trialsEnding.sort((a, b) => a.trialEndsAt.localeCompare(b.trialEndsAt)),
      pastDue,
    };
  }

  /** Businesses per billing state, for /metrics. */
  async countByState(): Promise<Map<string, number>> {
    const overview = await this.adminOverview();
    const counts = new Map<string, number>();
    for (const row of overview.byPlanAndStatus) {
      counts.set(row.status, (counts.get(row.status) ?? 0) + row.count);
    }
    return counts;
  }

  /** Stripe unreachable or failing: 503 (Retry-After from the route), so the caller tries again. */
  private async callStripe<T>(task: () => Promise<T>, webhook = false): Promise<T> {
    try {
      return await task();
    } catch (error) {
      if (isProviderError(error)) {
        throw new AppError(
          'UNAVAILABLE',
          webhook
            ? 'Stripe could not be reached to confirm the subscription; retry later.'
            : 'Stripe is not answering right now; try again in a minute.',
        );
      }
      throw error;
    }
  }

  /** The business's Stripe customer: the stored one, or a new one stored once. */
  private async ensureCustomer(
    vendorId: string,
    input: {
      name: string;
      email: string | undefined;
      existing: string | null;
      trialEndsAt: Date;
      trialPlan: string;
    },
  ): Promise<string> {
    if (input.existing) return input.existing;
    const created = await this.callStripe(() =>
      this.config.client.createCustomer({ vendorId, name: input.name, email: input.email }),
    );
    return withTenant(this.deps.db.prisma, vendorId, (tx) =>
      new BillingRepository(tx).attachCustomer({
        vendorId,
        stripeCustomerId: created.id,
        plan: input.trialPlan,
        trialEndsAt: input.trialEndsAt,
      }),
    );
  }
}
