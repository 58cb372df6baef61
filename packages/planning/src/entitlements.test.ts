import { describe, expect, it } from 'vitest';
import {
  ALL_FEATURES,
  decideEntitlements,
  planWithFeature,
  monthlyCents,
  planUnlocking,
  UNLIMITED,
  loadPlansConfig,
  type SubscriptionFacts,
} from './entitlements';

const config = loadPlansConfig();
const created = new Date('2026-11-01T15:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(created.getTime() + days * DAY);
const sub = (facts: Partial<SubscriptionFacts>): SubscriptionFacts => ({
  plan: 'starter',
  status: 'ACTIVE',
  stripeSubscriptionId: 'sub_1',
  trialEndsAt: null,
  pastDueSince: null,
  ...facts,
});
const decide = (subscription: SubscriptionFacts | null, now: Date, isDemo = false) =>
  decideEntitlements({ config, isDemo, vendorCreatedAt: created, subscription, now });

describe('plan features', () => {
  it('billing off, the demo and any trial have every feature; a paid plan only its own', () => {
    const off = decideEntitlements({
      config: undefined,
      isDemo: false,
      vendorCreatedAt: created,
      subscription: null,
      now: at(400),
    });
    expect(off.features).toEqual(ALL_FEATURES);
    expect(decide(sub({}), at(400), true).features).toEqual(ALL_FEATURES);
    expect(decide(null, at(10)).features).toEqual(ALL_FEATURES);
    // A Stripe trial of Starter tries everything too, until it is paid.
    expect(decide(sub({ status: 'TRIALING' }), at(10)).features).toEqual(ALL_FEATURES);
    expect(decide(sub({}), at(40)).features).toEqual([]);
    expect(decide(sub({ plan: 'market' }), at(40)).features).toEqual([
      'square-sync',
      'alerts',
      'exports',
    ]);
    // Past due within the grace period keeps the plan's features.
    const pastDue = sub({ plan: 'market', status: 'PAST_DUE', pastDueSince: at(39) });
    expect(decide(pastDue, at(40)).features).toContain('exports');
  });

  it('planWithFeature names the cheapest plan that has it', () => {
    expect(planWithFeature(config, 'square-sync')?.id).toBe('market');
    expect(planWithFeature(config, 'exports')?.id).toBe('market');
    expect(planWithFeature(config, 'webhooks-out')?.id).toBe('team');
    expect(
      planWithFeature(
        { ...config, plans: config.plans.filter((p) => p.id === 'starter') },
        'alerts',
      ),
    ).toBeNull();
  });
});

describe('decideEntitlements', () => {
  it('billing off or the demo: everything, unlimited', () => {
    const off = decideEntitlements({
      config: undefined,
      isDemo: false,
      vendorCreatedAt: created,
      subscription: null,
      now: at(400),
    });
    expect(off).toMatchObject({
      state: 'not_configured',
      plan: null,
      readOnly: false,
      limits: UNLIMITED,
    });
    expect(decide(sub({ status: 'CANCELED' }), at(400), true).state).toBe('not_configured');
  });

  it('the card-free trial runs 30 days from creation with the trial plan, then read-only', () => {
    expect(decide(null, at(29.9))).toMatchObject({
      state: 'trialing',
      plan: 'team',
      readOnly: false,
      trialEndsAt: at(30),
    });
    expect(decide(null, at(30))).toMatchObject({ state: 'trial_expired', readOnly: true });
    // A customer without a subscription yet (Checkout started) keeps the stored trial end.
    const started = sub({ stripeSubscriptionId: null, status: 'TRIALING', trialEndsAt: at(30) });
    expect(decide(started, at(31)).state).toBe('trial_expired');
  });

  it('active and trialing subscriptions get their plan’s limits', () => {
    expect(decide(sub({}), at(100))).toMatchObject({
      state: 'active',
      readOnly: false,
      limits: { markets: 1, products: 30, seats: 0, apiTokens: 0 },
    });
    expect(decide(sub({ status: 'TRIALING', plan: 'market' }), at(3)).limits.markets).toBe(5);
  });

  it('past due: writable for the grace period from the failed payment, then read-only', () => {
    const pastDue = sub({ status: 'PAST_DUE', pastDueSince: at(60) });
    expect(decide(pastDue, at(66.9))).toMatchObject({
      state: 'past_due',
      readOnly: false,
      graceEndsAt: at(67),
    });
    expect(decide(pastDue, at(67))).toMatchObject({ state: 'past_due', readOnly: true });
  });

  it('canceled, unpaid, incomplete and paused are read-only', () => {
    for (const [status, state] of [
      ['CANCELED', 'canceled'],
      ['UNPAID', 'unpaid'],
      ['INCOMPLETE', 'incomplete'],
      ['INCOMPLETE_EXPIRED', 'incomplete'],
      ['PAUSED', 'paused'],
    ] as const) {
      expect(decide(sub({ status }), at(90))).toMatchObject({ state, readOnly: true });
    }
  });
});

describe('planUnlocking', () => {
  it('names the cheapest plan that allows one more', () => {
    expect(planUnlocking(config, 'markets', 2)?.id).toBe('market');
    expect(planUnlocking(config, 'markets', 6)?.id).toBe('team');
    expect(planUnlocking(config, 'products', 31)?.id).toBe('market');
    expect(planUnlocking(config, 'seats', 1)?.id).toBe('team');
    expect(planUnlocking(config, 'apiTokens', 1)?.id).toBe('team');
    expect(planUnlocking(config, 'markets', 1)?.id).toBe('starter');
  });
});

describe('monthlyCents', () => {
  it('counts yearly prices as a twelfth', () => {
    expect(monthlyCents(1900, 'month')).toBe(1900);
    expect(monthlyCents(19000, 'year')).toBe(1583);
  });
});
