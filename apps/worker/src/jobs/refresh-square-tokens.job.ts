import { z } from 'zod';
import type { JobDefinition } from './job';

const DAY = 86_400_000;

/**
 * Daily: one `refresh-square-token` request per Square connection whose token expires within
 * {@link SQUARE_REFRESH_WITHIN_MS} (or is sealed with an old key), through the outbox.
 */
export const refreshSquareTokensJob = {
  name: 'refresh-square-tokens',
  payload: z.object({}).strict(),
  attempts: 3,
  everyMs: DAY,
  pattern: '45 4 * * *',
} satisfies JobDefinition<z.ZodType>;

/** Refreshes one connection's Square token (and re-seals it with the current key). Ids only. */
export const refreshSquareTokenJob = {
  name: 'refresh-square-token',
  payload: z.object({ vendorId: z.uuid(), connectionId: z.uuid() }).strict(),
  attempts: 5,
} satisfies JobDefinition<z.ZodType>;

/**
 * Square: refresh at least every 7 days (access tokens live 30 days); the scheduled job refreshes
 * tokens expiring within 7 days, so a week of failed daily attempts is left before expiry.
 */
export const SQUARE_REFRESH_WITHIN_MS = 7 * DAY;
/** square-sync refreshes first when its token expires within a day. */
export const SQUARE_SYNC_REFRESH_WITHIN_MS = DAY;
