import { z } from 'zod';
import type { JobDefinition } from './job';

/** Housekeeping: drop sessions that expired or were revoked more than a day ago. */
export const expireSessionsJob = {
  name: 'expire-sessions',
  payload: z.object({}).strict(),
  attempts: 3,
  everyMs: 60 * 60 * 1000,
} satisfies JobDefinition<z.ZodType>;
