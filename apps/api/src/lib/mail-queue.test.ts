import { describe, expect, it } from 'vitest';
import { QueuedMailer } from './mail-queue';
import type { MailMessage } from './mailer';

const message = (to: string): MailMessage => ({ to, subject: 'Reset', text: 'link' });

describe('QueuedMailer', () => {
  it('answers at once and delivers after the transport recovers, in order', async () => {
    const sent: string[] = [];
    let failures = 3;
    const retries: number[] = [];
    const queue = new QueuedMailer({
      transport: {
        send(m) {
          if (failures > 0) {
            failures -= 1;
            return Promise.reject(new Error('SMTP down'));
          }
          sent.push(m.to);
          return Promise.resolve();
        },
      },
      baseDelayMs: 5,
      onRetry: (_error, _message, attempt) => retries.push(attempt),
    });
    await queue.send(message('a@example.com'));
    await queue.send(message('b@example.com'));
    expect(queue.pending()).toBe(2);
    await queue.flush(2_000);
    expect(sent).toEqual(['a@example.com', 'b@example.com']);
    expect(retries).toEqual([1, 2, 3]);
    expect(queue.pending()).toBe(0);
  });

  it('gives a message up after its last attempt and goes on with the next', async () => {
    const givenUp: string[] = [];
    const sent: string[] = [];
    const queue = new QueuedMailer({
      transport: {
        send(m) {
          if (m.to === 'bad@example.com') return Promise.reject(new Error('550 no such user'));
          sent.push(m.to);
          return Promise.resolve();
        },
      },
      maxAttempts: 2,
      baseDelayMs: 1,
      onGiveUp: (_error, m) => givenUp.push(m.to),
    });
    await queue.send(message('bad@example.com'));
    await queue.send(message('good@example.com'));
    await queue.flush(2_000);
    expect(givenUp).toEqual(['bad@example.com']);
    expect(sent).toEqual(['good@example.com']);
  });

  it('keeps at most its capacity, dropping the oldest', async () => {
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const sent: string[] = [];
    const queue = new QueuedMailer({
      transport: {
        async send(m) {
          await blocked;
          sent.push(m.to);
        },
      },
      capacity: 2,
    });
    for (const to of ['1@x.test', '2@x.test', '3@x.test', '4@x.test'])
      await queue.send(message(to));
    release();
    await queue.flush(2_000);
    // The first was already being sent when the others arrived; of the waiting ones the newest stay.
    expect(sent).toEqual(['1@x.test', '3@x.test', '4@x.test']);
  });
});
