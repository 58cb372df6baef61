import type { MailMessage, Mailer } from './mailer';

/** Options of {@link QueuedMailer}. */
export interface QueuedMailerOptions {
  /** The transport that really sends (SMTP). */
  transport: Mailer;
  /** Called when a message is given up after its last attempt (log it). */
  onGiveUp?: (error: unknown, message: MailMessage) => void;
  /** Called on each failed attempt that will be retried. */
  onRetry?: (error: unknown, message: MailMessage, attempt: number) => void;
  /** Attempts per message (default 8: about 4 minutes of retries). */
  maxAttempts?: number;
  /** First retry delay in ms (doubles each time, jittered; default 1,000). */
  baseDelayMs?: number;
  /** Messages held at most; older ones are dropped first (default 1,000). */
  capacity?: number;
}

interface Pending {
  message: MailMessage;
  attempts: number;
}

/**
 * The API's mail outbox: `send` queues the message and returns at once, and a background loop
 * delivers it through the transport, retrying with jittered exponential backoff. A request that
 * mails (password reset, invitation) therefore answers the same whether or not SMTP is up, which
 * also keeps the answer from telling a registered address from an unknown one.
 *
 * In memory on purpose: a reset or invitation message carries a live link, a secret that must not
 * be written to the database in clear; a message lost with the process is asked for again.
 */
export class QueuedMailer implements Mailer {
  private readonly queue: Pending[] = [];
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private closed = false;

  constructor(private readonly options: QueuedMailerOptions) {}

  /** Queues the message; never throws for a transport failure. */
  send(message: MailMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error('mail queue closed'));
    this.queue.push({ message, attempts: 0 });
    // Over capacity the oldest waiting messages go; the head may be in delivery and stays.
    const capacity = Math.max(1, this.options.capacity ?? 1_000);
    const excess = this.queue.length - capacity - (this.running ? 1 : 0);
    if (excess > 0) this.queue.splice(this.running ? 1 : 0, excess);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return Promise.resolve();
  }

  /** Messages not delivered yet. */
  pending(): number {
    return this.queue.length;
  }

  /** Waits until the queue is empty (tests, graceful shutdown), at most `timeoutMs`. */
  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length > 0 && Date.now() < deadline) {
      this.wake?.();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Stops retrying; messages still queued are dropped. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

  private async drain(): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    const base = this.options.baseDelayMs ?? 1_000;
    while (!this.closed && this.queue.length > 0) {
      const item = this.queue[0]!;
      try {
        item.attempts += 1;
        await this.options.transport.send(item.message);
        this.queue.shift();
      } catch (error) {
        if (item.attempts >= maxAttempts) {
          this.queue.shift();
          this.options.onGiveUp?.(error, item.message);
          continue;
        }
        this.options.onRetry?.(error, item.message, item.attempts);
        const delay = base * 2 ** (item.attempts - 1) * (0.5 + Math.random() / 2);
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, delay);
          this.timer.unref();
        });
        this.wake = null;
      }
    }
  }
}
