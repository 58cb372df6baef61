import { createMailCatcher, type MailCatcher } from '@marketprep/integrations';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountEmailHandler } from '../../../../worker/src/jobs/account-email.handler';
import { accountEmailJob } from '../../../../worker/src/jobs/account-email.job';
import { createSmtpMailer } from '../../../../worker/src/jobs/billing-email.handler';
import { OutboxRelay } from '../../../../worker/src/outbox/relay';
import { buildApp } from '../../app';
import { createHarness, type Agent, type Harness } from '../../testing/harness';

/**
 * Account emails in production (issue 16): with SMTP configured the API never sends sign-up or
 * reset mail itself; it writes an account-email row to the PostgreSQL outbox, the same for a
 * registered and an unknown address, and the worker's job mints the link and sends it over SMTP,
 * retried by the outbox while the mail server is away. Runs the worker's relay in-process against
 * a real SMTP server on loopback (the demo's mail catcher) that can be switched off.
 */

const PUBLIC_URL = 'https://app.marketprep.test';
let h: Harness;
let prod: FastifyInstance;
let owner: Agent;
let catcher: MailCatcher;
let smtpUp = false;
// The relay's clock runs ahead of the database's by `ahead`, which `later()` moves past a backoff.
let ahead = 1_000;
const clock = () => new Date(Date.now() + ahead);
let relay: OutboxRelay;

beforeAll(async () => {
  h = await createHarness({ publicUrl: PUBLIC_URL, rateLimit: false });
  owner = await h.signup({ vendorName: 'Outbox Bakery' });
  // The production configuration: a mail transport (SMTP) is set, so account mail goes through the
  // outbox. The API's own transport must never be used for it.
  prod = await buildApp({
    db: h.db.app,
    sessionSecret: 'test-session-secret-0123456789abcdef',
    publicUrl: PUBLIC_URL,
    rateLimit: false,
    mailer: { send: () => Promise.reject(new Error('the API sent account mail itself')) },
  });
  catcher = createMailCatcher();
  await catcher.start();
  const smtp = createSmtpMailer(catcher.smtpUrl, 'MarketPrep <no-reply@marketprep.test>');
  const handler = createAccountEmailHandler({
    db: h.db.app,
    now: clock,
    publicUrl: PUBLIC_URL,
    mailer: {
      send: (message) =>
        smtpUp
          ? smtp.send(message)
          : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:465')),
    },
  });
  relay = new OutboxRelay({
    db: h.db.app,
    jobs: [{ definition: accountEmailJob, handler }],
    logger: pino({ level: 'silent' }),
    mode: { kind: 'in-process' },
    now: clock,
    backoff: { baseMs: 1_000, maxMs: 1_000 },
  });
});
afterAll(async () => {
  await prod.close();
  await catcher.stop();
  await h.close();
});

interface OutboxRow {
  id: string;
  status: string;
  attempts: number;
  payload: Record<string, unknown>;
}

function accountEmailRows(): Promise<OutboxRow[]> {
  return h.db.app.prisma.$queryRaw<OutboxRow[]>`
    SELECT id::text, status::text, attempts, payload FROM outbox
     WHERE job_name = 'account-email' ORDER BY created_at, id`;
}

/** Runs the relay until nothing is due at the current clock. */
async function drain(): Promise<void> {
  while ((await relay.tick()) > 0);
}

/** Moves the relay's clock past the backoff and runs what is due. */
async function later(): Promise<void> {
  ahead += 1_500;
  await drain();
}

function linkIn(to: string, path: string): string | undefined {
  const text = catcher.messages(to)[0]?.text ?? '';
  return new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(text)?.[1];
}

describe('password reset through the outbox', () => {
  it('answers 202 alike for a registered and an unknown address, writing the same one row', async () => {
    smtpUp = true;
    await drain();
    const before = await accountEmailRows();
    const resets = await h.db.app.prisma.passwordResetToken.count();
    const request = (email: string) =>
      prod.inject({ method: 'POST', url: '/v1/auth/password-reset/request', payload: { email } });
    const known = await request(owner.email);
    const unknown = await request('ghost-outbox@example.com');
    expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
    expect(known.body).toBe(unknown.body);
    expect(known.headers['content-type']).toBe(unknown.headers['content-type']);
    expect(known.json()).toEqual({ status: 'sent-if-known' });
    const rows = (await accountEmailRows()).slice(before.length);
    expect(rows.map((r) => [r.status, r.payload])).toEqual([
      ['PENDING', { kind: 'password-reset', email: owner.email }],
      ['PENDING', { kind: 'password-reset', email: 'ghost-outbox@example.com' }],
    ]);
    // No link exists before the worker sends one: nothing in the answer's path told them apart.
    expect(await h.db.app.prisma.passwordResetToken.count()).toBe(resets);

    // Timing: both requests do the same work (one outbox insert). Interleaved, medians of 15 each.
    const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
    for (let i = 0; i < 15; i += 1) {
      for (const [kind, email] of [
        ['known', owner.email],
        ['unknown', `ghost-${i}@example.com`],
      ] as const) {
        const start = process.hrtime.bigint();
        expect((await request(email)).statusCode).toBe(202);
        times[kind].push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[7]!;
    const gap = Math.abs(median(times.known) - median(times.unknown));
    console.info(
      `reset request median: registered ${median(times.known).toFixed(1)} ms, unknown ${median(times.unknown).toFixed(1)} ms`,
    );
    expect(gap).toBeLessThan(Math.max(10, median(times.unknown)));
    await drain();
  });

  it('keeps the mail queued while SMTP fails and delivers it, with a working link, when SMTP returns', async () => {
    await drain();
    const before = (await accountEmailRows()).length;
    smtpUp = false;
    const response = await prod.inject({
      method: 'POST',
      url: '/v1/auth/password-reset/request',
      payload: { email: owner.email },
    });
    expect(response.statusCode).toBe(202);
    const sentBefore = catcher.messages(owner.email).length;
    await drain();
    let [row] = (await accountEmailRows()).slice(before);
    expect(row).toMatchObject({ status: 'PENDING', attempts: 1 });
    await later();
    [row] = (await accountEmailRows()).slice(before);
    expect(row).toMatchObject({ status: 'PENDING', attempts: 2 });
    expect(catcher.messages(owner.email)).toHaveLength(sentBefore);

    smtpUp = true;
    await later();
    [row] = (await accountEmailRows()).slice(before);
    expect(row).toMatchObject({ status: 'DISPATCHED', attempts: 3 });
    expect(catcher.messages(owner.email)).toHaveLength(sentBefore + 1);
    expect(catcher.messages(owner.email)[0]?.subject).toBe('Reset your MarketPrep password');
    const token = linkIn(owner.email, '/reset-password');
    expect(token).toBeDefined();
    // Each failed attempt minted a link that was never mailed; only the delivered one is live.
    expect(
      await h.db.app.prisma.passwordResetToken.count({
        where: { userId: owner.userId, usedAt: null },
      }),
    ).toBe(1);
    const reset = await prod.inject({
      method: 'POST',
      url: '/v1/auth/password-reset',
      payload: { token, newPassword: 'a password from the outbox' },
    });
    expect(reset.statusCode).toBe(204);
    const login = await prod.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: owner.email, password: 'a password from the outbox' },
    });
    expect(login.statusCode).toBe(200);
    // The unknown addresses of the first test got nothing.
    expect(catcher.messages('ghost-outbox@example.com')).toEqual([]);
  });
});

describe('sign-up through the outbox', () => {
  it('mails a new address its link and a registered one a notice, from the same answer', async () => {
    smtpUp = true;
    await drain();
    const fresh = `outbox-new-${Date.now()}@example.com`;
    const signup = (email: string) =>
      prod.inject({
        method: 'POST',
        url: '/v1/auth/signup',
        payload: {
          email,
          password: 'a long enough password',
          name: 'Olive',
          vendorName: 'Olive Oils',
        },
      });
    const taken = await signup(owner.email);
    const open = await signup(fresh);
    expect([taken.statusCode, open.statusCode]).toEqual([202, 202]);
    expect(taken.body).toBe(open.body);
    expect(taken.json()).toEqual({ status: 'check-email' });
    await drain();

    expect(catcher.messages(owner.email)[0]?.subject).toBe(
      'Someone tried to sign up to MarketPrep with your address',
    );
    expect(linkIn(owner.email, '/signup/confirm')).toBeUndefined();
    const token = linkIn(fresh, '/signup/confirm');
    expect(token).toBeDefined();
    const confirmed = await prod.inject({
      method: 'POST',
      url: '/v1/auth/signup/confirm',
      payload: { token },
    });
    expect(confirmed.statusCode).toBe(201);
    expect(confirmed.json()).toMatchObject({
      user: { email: fresh },
      memberships: [{ vendorName: 'Olive Oils', role: 'OWNER' }],
    });
    expect(
      (await accountEmailRows()).filter((r) => r.payload.kind === 'signup').map((r) => r.status),
    ).toEqual(['DISPATCHED', 'DISPATCHED']);
  });
});
