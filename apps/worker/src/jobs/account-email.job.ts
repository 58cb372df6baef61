import { ACCOUNT_EMAIL_JOB, AccountEmailPayloadSchema } from '@marketprep/db';
import type { JobDefinition } from './job';

/**
 * An account email (issue 16): a sign-up confirmation or "you already have an account" notice, or
 * a password-reset link, requested by the API through the outbox when SMTP is configured. The
 * payload names the sign-up request or the address, never a link: the link is minted when sent.
 */
export const accountEmailJob = {
  name: ACCOUNT_EMAIL_JOB,
  payload: AccountEmailPayloadSchema,
  // About 4 minutes of the outbox's backoff; a link asked for again after that is a new request.
  attempts: 8,
} satisfies JobDefinition<typeof AccountEmailPayloadSchema>;
