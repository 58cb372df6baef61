import nodemailer, { type Transporter } from 'nodemailer';

/** One outgoing email. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends the account emails (password reset, invitations). */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** A sent message as the development outbox keeps it. */
export interface OutboxMail extends MailMessage {
  id: number;
  sentAt: string;
}

/**
 * Demo and test transport: keeps the last messages in memory so a developer (or a browser test)
 * can read the links at `GET /v1/dev/outbox`, which answers loopback callers only.
 */
export class DevOutboxMailer implements Mailer {
  private readonly messages: OutboxMail[] = [];
  private next = 1;

  constructor(private readonly capacity = 200) {}

  send(message: MailMessage): Promise<void> {
    this.messages.push({ ...message, id: this.next++, sentAt: new Date().toISOString() });
    if (this.messages.length > this.capacity) this.messages.shift();
    return Promise.resolve();
  }

  /** Messages, newest first, optionally only those to `to`. */
  list(to?: string): OutboxMail[] {
    return this.messages.filter((m) => !to || m.to === to).reverse();
  }
}

/** Where {@link LogMailer} writes. */
export interface MailLog {
  warn(details: object, message: string): void;
}

/**
 * Development without SMTP and without the demo outbox: each message goes to the server log,
 * which only the operator reads. Nothing is reachable over HTTP.
 */
export class LogMailer implements Mailer {
  constructor(private readonly log: MailLog) {}

  send(message: MailMessage): Promise<void> {
    this.log.warn({ mail: message }, 'mail not sent (no SMTP_URL): written to this log instead');
    return Promise.resolve();
  }
}

/** Production transport: SMTP from configuration. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(url);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, ...message });
  }
}
