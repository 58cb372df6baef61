import { z } from 'zod';
import type { JobDefinition } from './job';

/** Observed weather (Open-Meteo archive) for a vendor's past market days that have none. */
export const backfillWeatherHistoryJob = {
  name: 'backfill-weather-history',
  payload: z.object({ vendorId: z.uuid(), marketId: z.uuid().optional() }).strict(),
  attempts: 5,
} satisfies JobDefinition<z.ZodType>;
