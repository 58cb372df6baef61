import type { PlanFeature } from '@marketprep/contracts';
import { BillingRepository, withTenant, type DatabaseClient } from '@marketprep/db';
import { decideEntitlements, type PlansConfig } from '@marketprep/planning';

/**
 * Whether a business's plan includes `feature` now, decided by the one entitlements function the
 * API uses. Billing off (no plans: no Stripe keys, the demo) or a trial: every feature; a
 * read-only business: none.
 */
export async function vendorHasFeature(
  deps: { db: DatabaseClient; plans?: PlansConfig; now: () => Date },
  vendorId: string,
  feature: PlanFeature,
): Promise<boolean> {
  if (!deps.plans) return true;
  const { vendor, subscription } = await withTenant(deps.db.prisma, vendorId, async (tx) => {
    const repo = new BillingRepository(tx);
    return { vendor: await repo.findVendor(), subscription: await repo.findSubscription() };
  });
  if (!vendor) return false;
  const entitlements = decideEntitlements({
    config: deps.plans,
    isDemo: vendor.isDemo,
    vendorCreatedAt: vendor.createdAt,
    subscription,
    now: deps.now(),
  });
  // A read-only business (trial over, canceled, past its grace) is not served by paid features.
  return !entitlements.readOnly && entitlements.features.includes(feature);
}
