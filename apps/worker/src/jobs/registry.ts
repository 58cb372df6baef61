import type { DatabaseClient } from '@marketprep/db';
import { createBackgroundJobs } from './background-jobs';
import type { BackgroundDeps } from './background-deps';
import { createExpireSessionsHandler } from './expire-sessions.handler';
import { expireSessionsJob } from './expire-sessions.job';
import type { JobDefinition, JobHandler } from './job';
import { createSquareSyncHandler, type SquareSyncDeps } from './square-sync.handler';
import { squareSyncJob } from './square-sync.job';
import {
  createRefreshSquareTokenHandler,
  createRefreshSquareTokensHandler,
} from './refresh-square-tokens.handler';
import { refreshSquareTokenJob, refreshSquareTokensJob } from './refresh-square-tokens.job';
import type { z } from 'zod';

/** A definition with its handler, ready for either runtime. */
export interface RegisteredJob {
  definition: JobDefinition<z.ZodType>;
  handler: JobHandler;
}

/** Every job the worker runs. Later issues add sync, weather, prep-list and retrain jobs here. */
export function createJobRegistry(deps: {
  db: DatabaseClient;
  now: () => Date;
  /** Square client and token cipher; without them (Square not configured) no square-sync job. */
  square?: Omit<SquareSyncDeps, 'db' | 'now'>;
  /** Planner and provider clients: the weather, events, prep-list, retrain and alert jobs. */
  background?: Omit<BackgroundDeps, 'db' | 'now'>;
}): RegisteredJob[] {
  const jobs: RegisteredJob[] = [
    { definition: expireSessionsJob, handler: createExpireSessionsHandler(deps) },
  ];
  if (deps.square) {
    jobs.push({
      definition: squareSyncJob,
      handler: createSquareSyncHandler({ ...deps.square, db: deps.db, now: deps.now }),
    });
    const refreshDeps = { ...deps.square, db: deps.db, now: deps.now };
    jobs.push(
      {
        definition: refreshSquareTokensJob,
        handler: createRefreshSquareTokensHandler(refreshDeps),
      },
      { definition: refreshSquareTokenJob, handler: createRefreshSquareTokenHandler(refreshDeps) },
    );
  }
  if (deps.background) {
    jobs.push(...createBackgroundJobs({ ...deps.background, db: deps.db, now: deps.now }));
  }
  return jobs;
}
