import { listActiveVendorIds } from '@marketprep/db';
import {
  requestWork,
  upcomingMarketDays,
  withVendor,
  type BackgroundDeps,
} from './background-deps';
import { parsePayload, type JobHandler } from './job';
import type {
  scheduleEventsRefreshJob,
  scheduleNightlyRetrainJob,
  schedulePrepListsJob,
  scheduleWeatherRefreshJob,
} from './schedules.job';

const HOUR = 3_600_000;
/** Prep lists are generated this many hours before a market day opens. */
export const PREP_LIST_LEAD_HOURS = [48, 24] as const;

type Schedule =
  | typeof scheduleWeatherRefreshJob
  | typeof scheduleEventsRefreshJob
  | typeof scheduleNightlyRetrainJob
  | typeof schedulePrepListsJob;

/**
 * A schedule's run: one outbox request per vendor with active markets (deduplicated while
 * pending), so per-vendor work goes through the same relay, retries and logs as requested work.
 */
export function createScheduleHandler(deps: BackgroundDeps, schedule: Schedule): JobHandler {
  return async (payload) => {
    parsePayload(schedule, payload);
    const vendorIds = await listActiveVendorIds(deps.db.prisma);
    let requested = 0;
    for (const vendorId of vendorIds) {
      for (const work of await workFor(deps, schedule.name, vendorId)) {
        const result = await requestWork(deps.db, vendorId, work);
        if (!result.deduplicated) requested++;
      }
    }
    return { vendors: vendorIds.length, requested };
  };
}

async function workFor(
  deps: BackgroundDeps,
  name: Schedule['name'],
  vendorId: string,
): Promise<Parameters<typeof requestWork>[2][]> {
  switch (name) {
    case 'schedule-weather-refresh':
      return [
        {
          jobName: 'refresh-weather',
          payload: { vendorId },
          dedupeKey: `refresh-weather:${vendorId}`,
        },
      ];
    case 'schedule-events-refresh':
      return [
        {
          jobName: 'refresh-events',
          payload: { vendorId },
          dedupeKey: `refresh-events:${vendorId}`,
        },
      ];
    case 'schedule-nightly-retrain':
      return [
        {
          jobName: 'backfill-weather-history',
          payload: { vendorId },
          dedupeKey: `backfill-weather:${vendorId}`,
        },
        // The same key the API's check-ins and imports use: one pending retrain per vendor.
        { jobName: 'retrain-vendor', payload: { vendorId }, dedupeKey: `retrain:${vendorId}` },
      ];
    default:
      return prepListWork(deps, vendorId);
  }
}

/**
 * generate-prep-list requests due at T-48h and T-24h of each market day in the next three days,
 * written only when that moment is within the next two hours (the schedule runs hourly): the row
 * waits in the outbox until it is due, and reruns collapse into it by dedupe key.
 */
async function prepListWork(
  deps: BackgroundDeps,
  vendorId: string,
): Promise<Parameters<typeof requestWork>[2][]> {
  const now = deps.now();
  const days = await withVendor(deps.db, vendorId, async (repo) =>
    upcomingMarketDays(repo, await repo.listMarkets(), now, 3),
  );
  const work: Parameters<typeof requestWork>[2][] = [];
  for (const day of days) {
    for (const lead of PREP_LIST_LEAD_HOURS) {
      const due = new Date(day.opensAt.getTime() - lead * HOUR);
      const ahead = due.getTime() - now.getTime();
      if (ahead <= 0 || ahead > 2 * HOUR) continue;
      work.push({
        jobName: 'generate-prep-list',
        payload: {
          vendorId,
          marketId: day.market.id,
          date: day.date,
          trigger: lead === 48 ? 'scheduled-t48' : 'scheduled-t24',
        },
        dedupeKey: `prep:${day.market.id}:${day.date}:t${lead}`,
        availableAt: due,
      });
    }
  }
  return work;
}
