import type { BillingStatus } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import { bannerOf, daysUntil, isSubscribed } from './billing.api';

const base: BillingStatus = {
  configured: true,
  state: 'trialing',
  plan: 'team',
  interval: null,
  trialEndsAt: '2026-12-31T12:00:00.000Z',
  currentPeriodEnd: null,
  cancelAtPeriodEnd: false,
  pastDueSince: null,
  graceEndsAt: null,
  readOnly: false,
  hasCustomer: false,
  limits: { markets: null, products: null, seats: null, apiTokens: null, webhookEndpoints: null },
  features: ['square-sync', 'alerts', 'exports', 'webhooks-out'],
  usage: { markets: 0, products: 0, seats: 0, apiTokens: 0, webhookEndpoints: 0 },
  plans: [],
};
const now = new Date('2026-12-20T12:00:00.000Z');

describe('billing banner', () => {
  it('counts the trial days left and warns in the last three', () => {
    expect(daysUntil(base.trialEndsAt!, now)).toBe(11);
    expect(bannerOf(base, now)).toMatchObject({ tone: 'info', action: 'Choose a plan' });
    expect(bannerOf(base, now)?.text).toContain('ends in 11 days');
    expect(bannerOf(base, new Date('2026-12-29T12:00:00.000Z'))?.tone).toBe('warning');
    expect(bannerOf(base, new Date('2026-12-31T13:00:00.000Z'))?.text).toBe(
      'Your free trial ends today.',
    );
  });

  it('says nothing when billing is off or the plan is paid', () => {
    expect(bannerOf({ ...base, configured: false, state: 'not_configured' }, now)).toBeNull();
    expect(bannerOf({ ...base, state: 'active', interval: 'month' }, now)).toBeNull();
    expect(bannerOf({ ...base, interval: 'month' }, now)).toBeNull(); // a Stripe trial with a card
  });

  it('past due: update the card before the grace end, then read-only', () => {
    const pastDue = {
      ...base,
      state: 'past_due' as const,
      interval: 'month' as const,
      graceEndsAt: '2026-12-27T12:00:00.000Z',
    };
    expect(bannerOf(pastDue, now)).toMatchObject({ tone: 'warning', action: 'Update your card' });
    expect(bannerOf(pastDue, now, 'UTC')?.text).toContain('Sun, Dec 27 ');
    // A date of another year carries its year.
    const nextYear = { ...pastDue, graceEndsAt: '2027-01-03T12:00:00.000Z' };
    expect(bannerOf(nextYear, now, 'UTC')?.text).toContain('Sun, Jan 3, 2027');
    expect(bannerOf({ ...pastDue, readOnly: true }, now)?.tone).toBe('error');
    expect(bannerOf({ ...base, state: 'trial_expired', readOnly: true }, now)?.text).toContain(
      'read-only',
    );
  });

  it('is subscribed once the Stripe subscription arrived', () => {
    expect(isSubscribed(base)).toBe(false);
    expect(isSubscribed({ ...base, state: 'active', interval: 'month' })).toBe(true);
    expect(isSubscribed({ ...base, state: 'canceled', interval: 'month' })).toBe(false);
  });
});
