import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, mailedToken, sessionCookieOf, type Harness } from '../../testing/harness';

let h: Harness;
let clock = new Date('2026-11-22T12:00:00Z');

beforeAll(async () => {
  h = await createHarness({ now: () => clock, loginLimits: { perAccount: 3, perIp: 100 } });
});
afterAll(() => h.close());

describe('sign-up and sessions', () => {
  it('signs up through the emailed link: creates the business and sets an httpOnly SameSite=Lax session cookie', async () => {
    const response = await h.call(null, 'POST', '/v1/auth/signup', {
      email: '  Ana@Example.COM ',
      password: 'correct horse battery',
      name: 'Ana',
      vendorName: "Ana's Bakery",
    });
    expect(response.statusCode).toBe(202);
    // The harness runs as the demo does: the answer says where the mail went.
    expect(response.json()).toEqual({ status: 'check-email', devOutbox: '/v1/dev/outbox' });
    expect(response.cookies).toEqual([]);
    // Nothing exists until the link is used.
    expect(await h.db.app.prisma.user.count({ where: { email: 'ana@example.com' } })).toBe(0);
    const token = await mailedToken(h.app, 'ana@example.com', '/signup/confirm');
    const stored = await h.db.app.prisma.signupRequest.findFirstOrThrow({
      where: { email: 'ana@example.com' },
    });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toContain(token);

    const confirmed = await h.call(null, 'POST', '/v1/auth/signup/confirm', { token });
    expect(confirmed.statusCode).toBe(201);
    const body = confirmed.json<{
      user: { email: string };
      memberships: unknown[];
      activeVendorId: string;
    }>();
    expect(body.user.email).toBe('ana@example.com');
    expect(body.memberships).toEqual([
      { vendorId: body.activeVendorId, vendorName: "Ana's Bakery", role: 'OWNER' },
    ]);
    const cookie = confirmed.cookies.find((c) => c.name === 'mp_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const user = await h.db.app.prisma.user.findUniqueOrThrow({
      where: { email: 'ana@example.com' },
    });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    // Once only: the request is gone with its password hash.
    const again = await h.call(null, 'POST', '/v1/auth/signup/confirm', { token });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'bad-request', detail: /invalid, used or expired/ });
    expect(await h.db.app.prisma.signupRequest.count({ where: { email: 'ana@example.com' } })).toBe(
      0,
    );
  });

  it('answers a registered email exactly as a new one, mails a notice and changes nothing', async () => {
    const owner = await h.signup();
    const fresh = `fresh-${Date.now()}@example.com`;
    const attempt = (email: string) =>
      h.call(null, 'POST', '/v1/auth/signup', {
        email,
        password: 'an attacker password',
        name: 'Someone',
        vendorName: 'Other Stall',
      });
    const taken = await attempt(owner.email);
    const open = await attempt(fresh);
    expect([taken.statusCode, open.statusCode]).toEqual([202, 202]);
    expect(taken.body).toBe(open.body);
    expect(taken.headers['content-type']).toBe(open.headers['content-type']);

    const mails = (
      await h.call(null, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(owner.email)}`)
    ).json<{ data: { subject: string; text: string }[] }>().data;
    expect(mails[0]?.subject).toBe('Someone tried to sign up to MarketPrep with your address');
    expect(mails[0]?.text).toContain('/forgot-password');
    expect(mails[0]?.text).not.toMatch(/token=/);
    // The account is untouched: the old password still signs in, the attempt's does not, and the
    // attempt's request keeps no password hash.
    const oldLogin = await h.call(null, 'POST', '/v1/auth/login', {
      email: owner.email,
      password: 'a long enough password',
    });
    expect(oldLogin.statusCode).toBe(200);
    expect(oldLogin.json<{ memberships: unknown[] }>().memberships).toHaveLength(1);
    const newLogin = await h.call(null, 'POST', '/v1/auth/login', {
      email: owner.email,
      password: 'an attacker password',
    });
    expect(newLogin.statusCode).toBe(401);
    const leftover = await h.db.app.prisma.signupRequest.findMany({
      where: { email: owner.email, usedAt: null },
    });
    expect(leftover.map((r) => [r.passwordHash, r.tokenHash])).toEqual([['', null]]);
    // The new address got its link.
    expect(await mailedToken(h.app, fresh, '/signup/confirm')).toMatch(/^mp_c_/);
  });

  it('refuses an expired sign-up link and a second account confirmed for a taken address', async () => {
    const email = `late-${Date.now()}@example.com`;
    const body = { email, password: 'a long enough password', name: 'Late' };
    expect((await h.call(null, 'POST', '/v1/auth/signup', body)).statusCode).toBe(202);
    const first = await mailedToken(h.app, email, '/signup/confirm');
    expect((await h.call(null, 'POST', '/v1/auth/signup', body)).statusCode).toBe(202);
    const second = await mailedToken(h.app, email, '/signup/confirm');
    expect(second).not.toBe(first);
    // Both requests are live until the address has an account; the second then cannot make one.
    const made = await h.call(null, 'POST', '/v1/auth/signup/confirm', { token: first });
    expect(made.statusCode).toBe(201);
    expect(made.json<{ activeVendorId: string | null }>().activeVendorId).toBeNull();
    const twice = await h.call(null, 'POST', '/v1/auth/signup/confirm', { token: second });
    expect(twice.statusCode).toBe(400);
    expect(await h.db.app.prisma.user.count({ where: { email } })).toBe(1);

    const later = `later-${Date.now()}@example.com`;
    await h.call(null, 'POST', '/v1/auth/signup', { ...body, email: later });
    const token = await mailedToken(h.app, later, '/signup/confirm');
    const saved = clock;
    clock = new Date(clock.getTime() + 25 * 60 * 60_000);
    try {
      const expired = await h.call(null, 'POST', '/v1/auth/signup/confirm', { token });
      expect(expired.statusCode).toBe(400);
      expect(await h.db.app.prisma.user.count({ where: { email: later } })).toBe(0);
    } finally {
      clock = saved;
    }
    const bad = await h.call(null, 'POST', '/v1/auth/signup/confirm', { token: 'x'.repeat(10) });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses weak passwords (400) and writes nothing', async () => {
    const weak = await h.call(null, 'POST', '/v1/auth/signup', {
      email: 'weak@example.com',
      password: 'short',
      name: 'X',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ errors: [{ path: 'password' }] });
    expect(
      await h.db.app.prisma.signupRequest.count({ where: { email: 'weak@example.com' } }),
    ).toBe(0);
  });

  it('logs in and describes the session; a wrong password gets one generic 401', async () => {
    const ok = await h.call(null, 'POST', '/v1/auth/login', {
      email: 'ana@example.com',
      password: 'correct horse battery',
    });
    expect(ok.statusCode).toBe(200);
    const me = await h.app.inject({
      method: 'GET',
      url: '/v1/auth/session',
      headers: { cookie: sessionCookieOf(ok) },
    });
    expect(me.json()).toMatchObject({ user: { email: 'ana@example.com' }, isPlatformAdmin: false });

    const wrong = await h.call(null, 'POST', '/v1/auth/login', {
      email: 'ana@example.com',
      password: 'wrong password!',
    });
    const unknown = await h.call(null, 'POST', '/v1/auth/login', {
      email: 'nobody@example.com',
      password: 'wrong password!',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json<{ detail: string }>().detail).toBe(unknown.json<{ detail: string }>().detail);
  });

  it('limits failed logins per account with 429 and Retry-After', async () => {
    const agent = await h.signup();
    for (let i = 0; i < 3; i += 1) {
      expect(
        (
          await h.call(null, 'POST', '/v1/auth/login', {
            email: agent.email,
            password: 'wrong guess ' + i,
          })
        ).statusCode,
      ).toBe(401);
    }
    const blocked = await h.call(null, 'POST', '/v1/auth/login', {
      email: agent.email,
      password: 'a long enough password',
    });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    clock = new Date(clock.getTime() + 16 * 60_000);
    expect(
      (
        await h.call(null, 'POST', '/v1/auth/login', {
          email: agent.email,
          password: 'a long enough password',
        })
      ).statusCode,
    ).toBe(200);
  });

  it('refuses a cookie-authenticated write without the CSRF token (403), accepts it with', async () => {
    const agent = await h.signup();
    const without = await h.app.inject({
      method: 'POST',
      url: '/v1/vendors',
      headers: { cookie: agent.cookie },
      payload: { name: 'Second stall' },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json<{ detail: string }>().detail).toMatch(/CSRF/);
    const forged = await h.call({ ...agent, csrf: 'forged-token' }, 'POST', '/v1/vendors', {
      name: 'Second stall',
    });
    expect(forged.statusCode).toBe(403);
    const ok = await h.call(agent, 'POST', '/v1/vendors', { name: 'Second stall' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json<{ memberships: unknown[] }>().memberships).toHaveLength(2);
  });

  it('slides a session in use: still signed in after 40 days of use, signed out after a month away', async () => {
    const agent = await h.signup({ vendorName: 'Sliding Bakery' });
    const start = clock;
    const day = 24 * 60 * 60_000;
    const session = () => h.call(agent, 'GET', '/v1/auth/session');
    const sessionCookie = (response: Awaited<ReturnType<typeof session>>) =>
      response.cookies.find((c) => c.name === 'mp_session');
    try {
      // Used again within the hour: nothing written, no new cookie.
      expect(sessionCookie(await session())).toBeUndefined();
      clock = new Date(start.getTime() + 20 * day);
      const slid = await session();
      expect(slid.statusCode).toBe(200);
      const cookie = sessionCookie(slid);
      expect(cookie?.httpOnly).toBe(true);
      expect(new Date(cookie?.expires ?? 0).getTime()).toBe(clock.getTime() + 30 * day);
      // 40 days after signing in (30 was the old end): still in, and slid again.
      clock = new Date(start.getTime() + 40 * day);
      expect((await session()).statusCode).toBe(200);
      // A month and a day away: signed out.
      clock = new Date(start.getTime() + 71 * day);
      expect((await session()).statusCode).toBe(401);
    } finally {
      clock = start;
    }
  });

  it('logs out: the cookie stops working', async () => {
    const agent = await h.signup();
    expect((await h.call(agent, 'POST', '/v1/auth/logout')).statusCode).toBe(204);
    expect((await h.call(agent, 'GET', '/v1/auth/session')).statusCode).toBe(401);
  });

  it('changes the password and signs out the other sessions', async () => {
    const agent = await h.signup();
    const other = await h.call(null, 'POST', '/v1/auth/login', {
      email: agent.email,
      password: 'a long enough password',
    });
    const otherCookie = sessionCookieOf(other);

    const bad = await h.call(agent, 'POST', '/v1/auth/password', {
      currentPassword: 'not it at all',
      newPassword: 'a brand new password',
    });
    expect(bad.statusCode).toBe(400);
    const ok = await h.call(agent, 'POST', '/v1/auth/password', {
      currentPassword: 'a long enough password',
      newPassword: 'a brand new password',
    });
    expect(ok.statusCode).toBe(204);

    expect((await h.call(agent, 'GET', '/v1/auth/session')).statusCode).toBe(200);
    expect(
      (
        await h.app.inject({
          method: 'GET',
          url: '/v1/auth/session',
          headers: { cookie: otherCookie },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await h.call(null, 'POST', '/v1/auth/login', {
          email: agent.email,
          password: 'a brand new password',
        })
      ).statusCode,
    ).toBe(200);
  });

  it('resets a forgotten password through the mailed link, once', async () => {
    const agent = await h.signup();
    expect(
      (await h.call(null, 'POST', '/v1/auth/password-reset/request', { email: agent.email }))
        .statusCode,
    ).toBe(202);
    expect(
      (
        await h.call(null, 'POST', '/v1/auth/password-reset/request', {
          email: 'ghost@example.com',
        })
      ).statusCode,
    ).toBe(202);
    const outbox = await h.call(
      null,
      'GET',
      `/v1/dev/outbox?to=${encodeURIComponent(agent.email)}`,
    );
    const mail = outbox.json<{ data: { text: string }[] }>().data[0];
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
    expect(token).toBeDefined();
    expect((await h.call(null, 'GET', '/v1/dev/outbox?to=ghost%40example.com')).json()).toEqual({
      data: [],
      nextCursor: null,
    });

    const reset = await h.call(null, 'POST', '/v1/auth/password-reset', {
      token,
      newPassword: 'reset password 123',
    });
    expect(reset.statusCode).toBe(204);
    const again = await h.call(null, 'POST', '/v1/auth/password-reset', {
      token,
      newPassword: 'another password 123',
    });
    expect(again.statusCode).toBe(400);
    expect((await h.call(agent, 'GET', '/v1/auth/session')).statusCode).toBe(401);
    expect(
      (
        await h.call(null, 'POST', '/v1/auth/login', {
          email: agent.email,
          password: 'reset password 123',
        })
      ).statusCode,
    ).toBe(200);
  });

  it('switches the active business only to one the user belongs to (else 404)', async () => {
    const agent = await h.signup();
    const stranger = await h.signup();
    const own = await h.call(agent, 'POST', '/v1/auth/active-vendor', { vendorId: agent.vendorId });
    expect(own.statusCode).toBe(200);
    const foreign = await h.call(agent, 'POST', '/v1/auth/active-vendor', {
      vendorId: stranger.vendorId,
    });
    expect(foreign.statusCode).toBe(404);
  });
});
