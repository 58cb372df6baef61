import { z } from 'zod';
import type { JobDefinition } from './job';

/** Deletes what is kept no longer than its retention period (SECURITY.md, Retention). */
export const retentionJob = {
  name: 'retention',
  payload: z.object({}).strict(),
  attempts: 3,
  everyMs: 6 * 60 * 60 * 1000,
  pattern: '20 3 * * *',
} satisfies JobDefinition<z.ZodType>;
