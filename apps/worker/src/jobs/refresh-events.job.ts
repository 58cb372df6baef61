import { z } from 'zod';
import type { JobDefinition } from './job';

/** Ticketmaster events near each of a vendor's markets (skipped without a key). Daily. */
export const refreshEventsJob = {
  name: 'refresh-events',
  payload: z.object({ vendorId: z.uuid() }).strict(),
  attempts: 3,
} satisfies JobDefinition<z.ZodType>;
