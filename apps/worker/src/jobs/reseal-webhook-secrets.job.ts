import { z } from 'zod';
import type { JobDefinition } from './job';

/**
 * Daily: re-seals every webhook endpoint secret not sealed with TOKEN_ENCRYPTION_KEY_ID (sealed
 * with an older key, or still in clear from before migration 20261211000300), so a key rotation
 * finishes by itself within a day, as the Square tokens' does (refresh-square-tokens).
 */
export const resealWebhookSecretsJob = {
  name: 'reseal-webhook-secrets',
  payload: z.object({}).strict(),
  attempts: 3,
  everyMs: 86_400_000,
  pattern: '50 4 * * *',
} satisfies JobDefinition<z.ZodType>;
