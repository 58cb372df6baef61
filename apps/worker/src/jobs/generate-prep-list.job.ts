import { z } from 'zod';
import type { JobDefinition } from './job';

/**
 * Computes and stores the prep list of one market day (T-48h and T-24h before it opens, and when
 * its inputs change). Idempotent: with unchanged inputs the stored list is kept.
 */
export const generatePrepListJob = {
  name: 'generate-prep-list',
  payload: z
    .object({
      vendorId: z.uuid(),
      marketId: z.uuid(),
      date: z.iso.date(),
      trigger: z.enum(['scheduled-t48', 'scheduled-t24', 'inputs-changed']).optional(),
    })
    .strict(),
  attempts: 3,
} satisfies JobDefinition<z.ZodType>;
