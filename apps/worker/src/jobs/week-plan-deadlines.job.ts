import { z } from 'zod';
import type { JobDefinition } from './job';

/**
 * Every 10 minutes: for every business with an active market, the week's plan reminders (once per
 * deadline, within 3 hours before it) and the freeze of each product's quantities at its decision
 * deadline (docs/week-plan.md).
 */
export const weekPlanDeadlinesJob = {
  name: 'week-plan-deadlines',
  payload: z.object({}).strict(),
  attempts: 3,
  everyMs: 10 * 60 * 1000,
  pattern: '*/10 * * * *',
} satisfies JobDefinition<z.ZodType>;
