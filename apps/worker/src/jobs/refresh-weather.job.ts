import { z } from 'zod';
import type { JobDefinition } from './job';

/**
 * Weather for one vendor's market days in the next 10 days through the chain (NWS, Open-Meteo,
 * climatology); stores FORECAST rows, never stale or empty values. Hourly, fanned out per vendor.
 */
export const refreshWeatherJob = {
  name: 'refresh-weather',
  payload: z.object({ vendorId: z.uuid() }).strict(),
  attempts: 3,
} satisfies JobDefinition<z.ZodType>;
