import { z } from 'zod';
import type { JobDefinition } from './job';

const HOUR = 3_600_000;
const none = z.object({}).strict();

/** Hourly: a refresh-weather request per vendor with active markets. */
export const scheduleWeatherRefreshJob = {
  name: 'schedule-weather-refresh',
  payload: none,
  attempts: 3,
  everyMs: HOUR,
} satisfies JobDefinition<z.ZodType>;

/** Daily: a refresh-events request per vendor. */
export const scheduleEventsRefreshJob = {
  name: 'schedule-events-refresh',
  payload: none,
  attempts: 3,
  everyMs: 24 * HOUR,
  pattern: '15 4 * * *',
} satisfies JobDefinition<z.ZodType>;

/** Nightly: a retrain-vendor request per vendor (and a weather-history backfill). */
export const scheduleNightlyRetrainJob = {
  name: 'schedule-nightly-retrain',
  payload: none,
  attempts: 3,
  everyMs: 24 * HOUR,
  pattern: '30 3 * * *',
} satisfies JobDefinition<z.ZodType>;

/** Hourly: generate-prep-list requests due at T-48h and T-24h before each upcoming market day. */
export const schedulePrepListsJob = {
  name: 'schedule-prep-lists',
  payload: none,
  attempts: 3,
  everyMs: HOUR,
} satisfies JobDefinition<z.ZodType>;
