import { createBackfillWeatherHistoryHandler } from './backfill-weather-history.handler';
import { backfillWeatherHistoryJob } from './backfill-weather-history.job';
import type { BackgroundDeps } from './background-deps';
import { createGeneratePrepListHandler } from './generate-prep-list.handler';
import { generatePrepListJob } from './generate-prep-list.job';
import { createRefreshEventsHandler } from './refresh-events.handler';
import { refreshEventsJob } from './refresh-events.job';
import { createRefreshWeatherHandler } from './refresh-weather.handler';
import { refreshWeatherJob } from './refresh-weather.job';
import type { JobDefinition, JobHandler } from './job';
import { createRetrainVendorHandler } from './retrain-vendor.handler';
import { retrainVendorJob } from './retrain-vendor.job';
import { createScheduleHandler } from './schedules.handler';
import {
  scheduleEventsRefreshJob,
  scheduleNightlyRetrainJob,
  schedulePrepListsJob,
  scheduleWeatherRefreshJob,
} from './schedules.job';
import { createSendAlertsHandler } from './send-alerts.handler';
import { sendAlertsJob } from './send-alerts.job';
import type { z } from 'zod';

/**
 * The jobs that keep prep lists fresh: requested work (retrain, prep lists, weather, events,
 * alerts) and the schedules that request it per vendor.
 */
export function createBackgroundJobs(
  deps: BackgroundDeps,
): { definition: JobDefinition<z.ZodType>; handler: JobHandler }[] {
  return [
    { definition: retrainVendorJob, handler: createRetrainVendorHandler(deps) },
    { definition: generatePrepListJob, handler: createGeneratePrepListHandler(deps) },
    { definition: refreshWeatherJob, handler: createRefreshWeatherHandler(deps) },
    { definition: backfillWeatherHistoryJob, handler: createBackfillWeatherHistoryHandler(deps) },
    { definition: refreshEventsJob, handler: createRefreshEventsHandler(deps) },
    { definition: sendAlertsJob, handler: createSendAlertsHandler(deps) },
    ...[
      scheduleWeatherRefreshJob,
      scheduleEventsRefreshJob,
      scheduleNightlyRetrainJob,
      schedulePrepListsJob,
    ].map((definition) => ({ definition, handler: createScheduleHandler(deps, definition) })),
  ];
}
