import nodemailer from 'nodemailer';
import { MembershipsRepository, withTenant, type DatabaseClient } from '@marketprep/db';
import { billingEmailJob } from './billing-email.job';
import { parsePayload, type JobHandler } from './job';

/** Sends one email (SMTP in production). */
export interface BillingMailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/**
 * Builds the billing-email handler: looks up the owner's address and sends. Without a mailer
 * (no SMTP_URL: development, the demo) the message is logged instead. A member who left gets
 * nothing. A failed send throws, so the outbox retries it (attempts 8); a retry after a crash
 * between sending and acknowledging may send it twice, which is the usual at-least-once of mail.
 */
export function createBillingEmailHandler(deps: {
  db: DatabaseClient;
  mailer?: BillingMailer;
}): JobHandler {
  return async (payload, context) => {
    const job = parsePayload(billingEmailJob, payload);
    const member = await withTenant(deps.db.prisma, job.vendorId, async (tx) =>
      (await new MembershipsRepository(tx).listMembers()).find((m) => m.userId === job.userId),
    );
    if (!member) return { sent: false, reason: 'not-a-member' };
    if (!deps.mailer) {
      context.logger?.info(
        { kind: job.kind, subject: job.subject, userId: job.userId },
        'billing email not sent (no SMTP_URL): logged instead',
      );
      return { sent: false, reason: 'no-smtp' };
    }
    await deps.mailer.send({ to: member.email, subject: job.subject, text: job.text });
    return { sent: true };
  };
}

/** The SMTP transport (SMTP_URL, MAIL_FROM), as the API's. */
export function createSmtpMailer(url: string, from: string): BillingMailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
  };
}
