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
 * Development and test transport: keeps the last messages in memory so a developer (or a browser
 * test) can read the links at `GET /v1/dev/outbox`. No mail server is needed to run or test.
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
