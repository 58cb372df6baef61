import { z } from 'zod';
import type { JobDefinition } from './job';

/**
 * Daily: the card-free trial's notices (ending within 3 days, ended) to every business whose
 * trial is due one, so a business nobody opens still hears; each notice once per owner.
 */
export const billingTrialSweepJob = {
  name: 'billing-trial-sweep',
  payload: z.object({}).strict(),
  attempts: 3,
  everyMs: 24 * 60 * 60 * 1000,
  pattern: '0 14 * * *',
} satisfies JobDefinition<z.ZodType>;
