import {
  BillingRedirectSchema,
  BillingStatusSchema,
  formatLocalDate,
  type BillingStatus,
} from '@marketprep/contracts';
import { useQuery } from '@tanstack/react-query';

import { currentYearIn, toLocalDate } from '../../lib/format';
import { apiFetch } from '../../lib/session';

/** Query key of the business's billing status. */
export const billingKey = ['billing'] as const;

/** How often the status is read again while a just-paid Checkout is being confirmed. */
export const CONFIRM_POLL_MS = 1_500;

/** The plan, state and limits; polled while `confirming` (back from Checkout, webhook pending). */
export function useBillingStatus(options: { confirming?: boolean; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: billingKey,
    queryFn: ({ signal }) => apiFetch({ path: '/v1/billing', schema: BillingStatusSchema, signal }),
    enabled: options.enabled ?? true,
    refetchInterval: (q) =>
      options.confirming && !isSubscribed(q.state.data) ? CONFIRM_POLL_MS : false,
  });
}

/** A Stripe subscription is in place (the Checkout's webhook arrived). */
export function isSubscribed(status: BillingStatus | undefined): boolean {
  return (
    status !== undefined &&
    status.interval !== null &&
    ['active', 'trialing', 'past_due'].includes(status.state)
  );
}

/** Starts Stripe Checkout for the plan and sends the browser there. */
export async function startCheckout(plan: string, interval: 'month' | 'year'): Promise<void> {
  const { url } = await apiFetch({
    path: '/v1/billing/checkout',
    method: 'POST',
    json: { plan, interval },
    schema: BillingRedirectSchema,
  });
  window.location.assign(url);
}

/** Opens the Stripe Billing Portal (change plan, card, cancel, invoices). */
export async function openBillingPortal(): Promise<void> {
  const { url } = await apiFetch({
    path: '/v1/billing/portal',
    method: 'POST',
    schema: BillingRedirectSchema,
  });
  window.location.assign(url);
}

const DAY_MS = 86_400_000;

/**
 * A billing date as the app writes dates, "Mon, Jan 4", with the year when it is another year's
 * ("Mon, Jan 4, 2027"), on the viewer's calendar.
 */
export function formatBillingDate(
  iso: string,
  now = new Date(),
  timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone,
): string {
  return formatLocalDate(toLocalDate(new Date(iso), timeZone), {
    currentYear: currentYearIn(now, timeZone),
  });
}

/** Whole days from `now` until `iso` (0 on the last day). */
export function daysUntil(iso: string, now: Date): number {
  return Math.max(0, Math.ceil((Date.parse(iso) - now.getTime()) / DAY_MS));
}

/** What the banner says, or null when billing needs no word (not configured, active). */
export function bannerOf(
  status: BillingStatus,
  now: Date,
  timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone,
): { tone: 'info' | 'warning' | 'error'; text: string; action: string } | null {
  if (!status.configured) return null;
  const date = (iso: string) => formatBillingDate(iso, now, timeZone);
  switch (status.state) {
    case 'trialing': {
      if (status.interval !== null || !status.trialEndsAt) return null;
      const days = daysUntil(status.trialEndsAt, now);
      return {
        tone: days <= 3 ? 'warning' : 'info',
        text:
          days === 0
            ? 'Your free trial ends today.'
            : `Your free trial ends in ${days} ${days === 1 ? 'day' : 'days'} (${date(status.trialEndsAt)}).`,
        action: 'Choose a plan',
      };
    }
    case 'past_due':
      return status.readOnly
        ? {
            tone: 'error',
            text: 'Your payment is overdue: the business is read-only until the card is updated. Nothing was deleted.',
            action: 'Update your card',
          }
        : {
            tone: 'warning',
            text: `Your last payment failed. Update your card before ${status.graceEndsAt ? date(status.graceEndsAt) : 'the end of the grace period'} to keep making changes.`,
            action: 'Update your card',
          };
    case 'trial_expired':
      return {
        tone: 'error',
        text: 'Your free trial has ended: the business is read-only. Your prep lists are still here.',
        action: 'Choose a plan',
      };
    case 'canceled':
    case 'unpaid':
    case 'incomplete':
    case 'paused':
      return {
        tone: 'error',
        text: 'Your subscription is not active: the business is read-only. Nothing was deleted.',
        action: 'Choose a plan',
      };
    default:
      return null;
  }
}
