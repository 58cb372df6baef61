import { prepareAccountEmail, type DatabaseClient } from '@marketprep/db';
import { accountEmailJob } from './account-email.job';
import type { BillingMailer } from './billing-email.handler';
import { parsePayload, type JobHandler } from './job';

/**
 * Builds the account-email handler: mints the link and sends the mail (SMTP). A failed send throws,
 * so the outbox retries it; the retry mints a new link and kills the unsent one, so only the link
 * in the mail that arrives works. The API queues these only when it has SMTP, so a worker without
 * SMTP_URL or PUBLIC_URL is misconfigured: the job fails (and is retried) rather than dropping a
 * password reset silently.
 */
export function createAccountEmailHandler(deps: {
  db: DatabaseClient;
  now: () => Date;
  mailer?: BillingMailer;
  publicUrl?: string;
}): JobHandler {
  return async (payload, context) => {
    const job = parsePayload(accountEmailJob, payload);
    if (!deps.mailer || !deps.publicUrl) {
      throw new Error('account email not sent: the worker needs SMTP_URL and PUBLIC_URL');
    }
    const message = await prepareAccountEmail(deps.db.prisma, job, {
      publicUrl: deps.publicUrl.replace(/\/+$/, ''),
      now: deps.now(),
    });
    if (!message) return { sent: false, kind: job.kind };
    await deps.mailer.send(message);
    context.logger?.info({ kind: job.kind }, 'account email sent');
    return { sent: true, kind: job.kind };
  };
}
