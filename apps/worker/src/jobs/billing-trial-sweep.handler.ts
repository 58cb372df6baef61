import { listBillingOverview, withTenant, type DatabaseClient } from '@marketprep/db';
import {
  entitlementsOfOverviewRow,
  giveCardFreeTrialNotice,
  trialNoticeDue,
  type PlansConfig,
} from '@marketprep/planning';
import { billingTrialSweepJob } from './billing-trial-sweep.job';
import { parsePayload, type JobHandler } from './job';

/**
 * Builds the billing-trial-sweep handler: reads every business's billing row (one platform-wide
 * query), and for each whose card-free trial ends within the notice window or has ended, gives the
 * notice in its own tenant transaction (the same code the API runs on `GET /v1/billing`). A notice
 * already given (by the API or an earlier run) writes nothing again, so reruns are safe.
 */
export function createBillingTrialSweepHandler(deps: {
  db: DatabaseClient;
  now: () => Date;
  plans: PlansConfig;
}): JobHandler {
  return async (payload, context) => {
    parsePayload(billingTrialSweepJob, payload);
    const now = deps.now();
    const rows = await listBillingOverview(deps.db.prisma);
    let due = 0;
    let told = 0;
    for (const row of rows) {
      const entitlements = entitlementsOfOverviewRow(row, deps.plans, now);
      if (!trialNoticeDue(entitlements, row.hasStripeSubscription, now)) continue;
      due++;
      // Decided again inside the business's transaction, from its rows as they are now.
      const given = await withTenant(deps.db.prisma, row.vendorId, (tx) =>
        giveCardFreeTrialNotice(tx, {
          vendorId: row.vendorId,
          plans: deps.plans,
          now,
          requestId: context.requestId ?? null,
        }),
      );
      told += given?.told ?? 0;
    }
    return { businesses: rows.length, due, ownersTold: told };
  };
}
