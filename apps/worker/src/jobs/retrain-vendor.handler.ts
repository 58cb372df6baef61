import { parsePayload, type JobHandler } from './job';
import {
  requestWork,
  upcomingMarketDays,
  withVendor,
  type BackgroundDeps,
} from './background-deps';
import { retrainVendorJob } from './retrain-vendor.job';

/** Prep lists of market days this close are regenerated after a retrain (the model changed). */
const REGENERATE_WITHIN_DAYS = 2;

/** Trains the vendor's model (shared code with the API), then refreshes imminent prep lists. */
export function createRetrainVendorHandler(deps: BackgroundDeps): JobHandler {
  return async (payload, context) => {
    const { vendorId } = parsePayload(retrainVendorJob, payload);
    const record = await deps.planner.trainVendorModel(vendorId, 'retrain-job');
    const now = deps.now();
    const days = await withVendor(deps.db, vendorId, async (repo) =>
      upcomingMarketDays(repo, await repo.listMarkets(), now, REGENERATE_WITHIN_DAYS),
    );
    for (const day of days) {
      await requestWork(deps.db, vendorId, {
        jobName: 'generate-prep-list',
        payload: { vendorId, marketId: day.market.id, date: day.date, trigger: 'inputs-changed' },
        dedupeKey: `prep:${day.market.id}:${day.date}:inputs`,
        requestId: context.requestId ?? null,
      });
    }
    return { modelVersionId: record.id, observations: record.observationCount };
  };
}
