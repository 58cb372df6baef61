'use client';

import type { BillingStatus, PlanFeature } from '@marketprep/contracts';

import { AppLink } from '../../components/app-link';
import { useBillingStatus } from './billing.api';
import './billing.css';

/** The cheapest plan on offer that includes `feature` (by monthly list price), or null. */
export function planWithFeature(
  status: BillingStatus,
  feature: PlanFeature,
): BillingStatus['plans'][number] | null {
  const monthly = (plan: BillingStatus['plans'][number]) =>
    plan.prices.find((price) => price.interval === 'month')?.amountCents ?? Number.MAX_SAFE_INTEGER;
  return (
    status.plans
      .filter((plan) => plan.features.includes(feature))
      .sort((a, b) => monthly(a) - monthly(b))[0] ?? null
  );
}

/**
 * Whether the business's plan lacks `feature`, from GET /v1/billing (the API decides; this only
 * shows it). Unknown while loading or when billing is unreachable: not locked, and the API still
 * refuses with the same words.
 */
export function usePlanFeature(feature: PlanFeature): { locked: boolean; planName: string } {
  const { data } = useBillingStatus();
  if (!data?.configured || data.features.includes(feature)) return { locked: false, planName: '' };
  return { locked: true, planName: planWithFeature(data, feature)?.name ?? 'a higher plan' };
}

/** "Square sync is available on Market. Choose a plan": in place of a feature the plan lacks. */
export function PlanLocked({
  feature,
  what,
  compact = false,
}: {
  feature: PlanFeature;
  /** The feature as the vendor knows it, e.g. "Square sync". */
  what: string;
  compact?: boolean;
}) {
  const { locked, planName } = usePlanFeature(feature);
  if (!locked) return null;
  return (
    <p className={`plan-lock${compact ? ' plan-lock--compact' : ''}`} role="note">
      {/* Drawn, not an emoji: a machine without an emoji font showed an empty box. */}
      <svg className="plan-lock__icon" aria-hidden="true" viewBox="0 0 16 16" focusable="false">
        <rect x="3" y="7" width="10" height="8" rx="1.5" fill="currentColor" />
        <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
      </svg>{' '}
      {what} is available on {planName}. <AppLink href="/settings/billing">Choose a plan</AppLink>
    </p>
  );
}
