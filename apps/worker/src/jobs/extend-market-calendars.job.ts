import { z } from 'zod';
import type { JobDefinition } from './job';

/**
 * Daily: every business's market calendar holds the days its weekly schedules open through the
 * planning horizon (8 weeks), so the markets' next market day, the dashboard's next two weeks and
 * the week's plan see them long after the last schedule edit.
 */
export const extendMarketCalendarsJob = {
  name: 'extend-market-calendars',
  payload: z.object({}).strict(),
  attempts: 3,
  everyMs: 24 * 60 * 60 * 1000,
  pattern: '10 3 * * *',
} satisfies JobDefinition<z.ZodType>;
