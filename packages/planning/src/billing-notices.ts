import {
  BillingRepository,
  MembershipsRepository,
  NotificationsRepository,
  OutboxRepository,
  type TenantTransaction,
} from '@marketprep/db';
import { decideEntitlements, type Entitlements, type PlansConfig } from './entitlements';

/** The worker job that emails the owners about billing (trial ending, payment failed, canceled). */
export const BILLING_EMAIL_JOB = 'billing-email';

/** Days before the card-free trial ends that its owners are told. */
export const TRIAL_NOTICE_DAYS = 3;

const DAY_MS = 86_400_000;

/** A billing notice to the owners: in the app, and by email through the outbox. */
export interface BillingNotice {
  kind:
    'billing.trial_ending' | 'billing.payment_failed' | 'billing.canceled' | 'billing.trial_ended';
  title: string;
  body: string;
  /** Given once per owner: a notice with a key already used changes nothing. */
  dedupeKey: string;
}

/** A date as billing notices write it (`Dec 6, 2026`, UTC). */
export function noticeDay(date: Date): string {
  return date.toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * Tells the owners of the transaction's business, in the app and by email through the outbox,
 * in the caller's transaction. Once per owner and notice (dedupe key): a notice already given
 * writes nothing again. Returns how many owners were newly told.
 */
export async function notifyOwners(
  tx: TenantTransaction,
  vendorId: string,
  notice: BillingNotice,
  requestId: string | null,
): Promise<number> {
  const owners = (await new MembershipsRepository(tx).listMembers()).filter(
    (member) => member.role === 'OWNER',
  );
  const notifications = new NotificationsRepository(tx);
  let told = 0;
  for (const owner of owners) {
    const created = await notifications.createNotification({
      vendorId,
      userId: owner.userId,
      kind: notice.kind,
      title: notice.title,
      body: notice.body,
      data: { href: '/settings/billing' },
      dedupeKey: `${notice.dedupeKey}:${owner.userId}`,
    });
    // One email per notice: a notice already given (same dedupe key) sends nothing again.
    if (!created) continue;
    told++;
    await new OutboxRepository(tx).enqueue({
      jobName: BILLING_EMAIL_JOB,
      payload: {
        vendorId,
        userId: owner.userId,
        kind: notice.kind,
        subject: notice.title,
        text: notice.body,
      },
      dedupeKey: `${notice.dedupeKey}:${owner.userId}`,
      requestId,
    });
  }
  return told;
}

/** A card-free trial notice. */
export type TrialNotice = 'trial_ending' | 'trial_ended';

/**
 * Which card-free trial notice is due now, from the business's entitlements (a business with a
 * Stripe subscription hears from Stripe's events instead: pass `hasStripeSubscription`).
 */
export function trialNoticeDue(
  entitlements: Entitlements,
  hasStripeSubscription: boolean,
  now: Date,
): TrialNotice | null {
  const ends = entitlements.trialEndsAt;
  if (hasStripeSubscription || !ends) return null;
  if (entitlements.state === 'trial_expired') return 'trial_ended';
  if (
    entitlements.state === 'trialing' &&
    ends.getTime() - now.getTime() <= TRIAL_NOTICE_DAYS * DAY_MS
  ) {
    return 'trial_ending';
  }
  return null;
}

/**
 * The card-free trial's notices for the transaction's business, once each: {@link
 * TRIAL_NOTICE_DAYS} days before it ends, and when it ended without a plan (read-only). Stripe
 * sends no events for a trial it does not know, so the app gives them: the API when the business
 * is seen (`GET /v1/billing`), the worker's daily `billing-trial-sweep` for everyone else. Returns
 * the notice due (given now or before), or null.
 */
export async function giveCardFreeTrialNotice(
  tx: TenantTransaction,
  input: { vendorId: string; plans: PlansConfig; now: Date; requestId?: string | null },
): Promise<{ notice: TrialNotice; told: number } | null> {
  const repo = new BillingRepository(tx);
  const [vendor, subscription] = await Promise.all([repo.findVendor(), repo.findSubscription()]);
  if (!vendor) return null;
  const entitlements = decideEntitlements({
    config: input.plans,
    isDemo: vendor.isDemo,
    vendorCreatedAt: vendor.createdAt,
    subscription,
    now: input.now,
  });
  const due = trialNoticeDue(entitlements, Boolean(subscription?.stripeSubscriptionId), input.now);
  if (!due || !entitlements.trialEndsAt) return null;
  const notice: BillingNotice =
    due === 'trial_ended'
      ? {
          kind: 'billing.trial_ended',
          title: 'Your free trial has ended',
          body: 'Your MarketPrep trial ended. Your prep lists stay readable; choose a plan in Settings → Billing to keep planning.',
          dedupeKey: `billing-trial-ended:${input.vendorId}`,
        }
      : {
          kind: 'billing.trial_ending',
          title: 'Your free trial ends soon',
          body: `Your MarketPrep trial ends on ${noticeDay(entitlements.trialEndsAt)}. Choose a plan in Settings → Billing to keep everything as it is.`,
          dedupeKey: `billing-trial-ending:${input.vendorId}`,
        };
  const told = await notifyOwners(tx, input.vendorId, notice, input.requestId ?? null);
  return { notice: due, told };
}
