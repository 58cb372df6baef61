import { listActiveVendorIds, type DatabaseClient } from '@marketprep/db';
import { WeekPlanner } from '@marketprep/planning';
import { parsePayload, type JobHandler } from './job';
import { weekPlanDeadlinesJob } from './week-plan-deadlines.job';

/**
 * Builds the week-plan-deadlines handler: per business, the deadline reminder (a notification of
 * kind `week_plan.deadline_reminder`, once per deadline by its dedupe key), the outlook alerts
 * (`week_plan.outlook_changed` / `week_plan.all_clear`, once per change) and the freeze of
 * every (product, market day) whose deadline has passed (a frozen row is never rewritten), so a
 * rerun changes nothing. One business failing does not stop the others; the run then fails so
 * the queue retries it.
 */
export function createWeekPlanDeadlinesHandler(deps: {
  db: DatabaseClient;
  now: () => Date;
}): JobHandler {
  const planner = new WeekPlanner({ db: deps.db, now: deps.now });
  return async (payload, context) => {
    parsePayload(weekPlanDeadlinesJob, payload);
    const vendorIds = await listActiveVendorIds(deps.db.prisma);
    let reminded = 0;
    let outlook = 0;
    let frozen = 0;
    const failed: string[] = [];
    for (const vendorId of vendorIds) {
      try {
        const done = await planner.runDue(vendorId);
        reminded += done.reminded;
        outlook += done.outlook;
        frozen += done.frozen;
      } catch (error) {
        failed.push(vendorId);
        context.logger?.error({ err: error, vendorId }, 'week plan deadlines failed for a vendor');
      }
    }
    if (failed.length > 0) {
      throw new Error(`week plan deadlines failed for ${failed.length} of ${vendorIds.length}`);
    }
    return { businesses: vendorIds.length, reminded, outlook, frozen };
  };
}
