import type { DatabaseClient } from '@marketprep/db';
import { createExpireSessionsHandler } from './expire-sessions.handler';
import { expireSessionsJob } from './expire-sessions.job';
import type { JobDefinition, JobHandler } from './job';
import type { z } from 'zod';

/** A definition with its handler, ready for either runtime. */
export interface RegisteredJob {
  definition: JobDefinition<z.ZodType>;
  handler: JobHandler;
}

/** Every job the worker runs. Later issues add sync, weather, prep-list and retrain jobs here. */
export function createJobRegistry(deps: { db: DatabaseClient; now: () => Date }): RegisteredJob[] {
  return [{ definition: expireSessionsJob, handler: createExpireSessionsHandler(deps) }];
}
