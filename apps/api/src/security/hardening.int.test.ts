import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type AppDependencies } from '../app';
import type { MailMessage } from '../lib/mailer';
import {
  createHarness,
  sessionCookieOf,
  signUpThroughLink,
  type Agent,
  type Harness,
} from '../testing/harness';
import { fillUrl, oneValid, routeTableOf } from '../testing/route-table';

/**
 * The security review's medium findings (issue 16, "Security and bad input"), one describe each.
 * Every test here failed before its fix.
 */

const PUBLIC_URL = 'http://app.marketprep.test';
let h: Harness;
let owner: Agent;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  h = await createHarness({ publicUrl: PUBLIC_URL, rateLimit: false });
  owner = await h.signup({ vendorName: 'Hardening Bakery' });
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await h.close();
});

/** Another app on the harness's database (no Square), closed after the file. */
async function appWith(deps: Partial<AppDependencies>): Promise<FastifyInstance> {
  const app = await buildApp({
    db: h.db.app,
    sessionSecret: 'test-session-secret-0123456789abcdef',
    publicUrl: PUBLIC_URL,
    rateLimit: false,
    ...deps,
  });
  apps.push(app);
  return app;
}

function tokenIn(mail: { text: string } | undefined): string {
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
  if (!token) throw new Error(`no reset link in ${JSON.stringify(mail)}`);
  return token;
}

async function newestResetToken(email: string): Promise<string> {
  const outbox = await h.call(null, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(email)}`);
  return tokenIn(outbox.json<{ data: { text: string }[] }>().data[0]);
}

describe('/v1/dev/outbox (reset and invitation links)', () => {
  it('does not exist unless the demo asks for it', async () => {
    const app = await appWith({});
    const response = await app.inject({ method: 'GET', url: '/v1/dev/outbox' });
    expect(response.statusCode).toBe(404);
  });

  it('answers only callers on this machine, however X-Forwarded-For is set', async () => {
    const local = await h.app.inject({ method: 'GET', url: '/v1/dev/outbox' });
    expect(local.statusCode).toBe(200);
    // A browser elsewhere through the web proxy (which forwards the address it saw), also one
    // that claims to be 127.0.0.1 itself.
    for (const forwarded of ['203.0.113.9', '127.0.0.1, 203.0.113.9', '::1, 203.0.113.9']) {
      const remote = await h.app.inject({
        method: 'GET',
        url: '/v1/dev/outbox',
        headers: { 'x-forwarded-for': forwarded },
      });
      expect(remote.statusCode, forwarded).toBe(404);
      expect(remote.body).not.toContain('token=');
    }
  });
});

describe('anonymous requests', () => {
  it('get 401 on every tenant read, also where the demo vendor id used to open them', async () => {
    // The configuration `npm start`'s demo ran with: a demo vendor id, anonymous GETs allowed.
    const demo = await appWith({
      devOutbox: true,
      ...({ demoVendorId: owner.vendorId } as Partial<AppDependencies>),
    });
    const reads = routeTableOf(demo).filter(
      (route) => route.method === 'GET' && route.access?.kind === 'tenant',
    );
    expect(reads.length).toBeGreaterThan(10);
    const answered: string[] = [];
    for (const route of reads) {
      const params = Object.fromEntries(
        route.params.map((p) => [p, /date/i.test(p) ? '2026-11-28' : owner.vendorId!]),
      );
      // A valid query, so validation (which runs first) lets the request reach authorization.
      const query = route.schemas.querystring
        ? (oneValid(route.schemas.querystring, {}, route.url) as Record<string, unknown>)
        : {};
      const search = new URLSearchParams(
        Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
      ).toString();
      const url = fillUrl(route.url, params) + (search ? `?${search}` : '');
      const response = await demo.inject({ method: 'GET', url });
      if (response.statusCode !== 401) answered.push(`${url}: ${response.statusCode}`);
    }
    expect(answered).toEqual([]);
  });
});

describe('Cache-Control on authenticated answers', () => {
  it('is no-store on what a signed-in caller reads and on the answer that signs in', async () => {
    for (const url of ['/v1/auth/session', '/v1/markets', '/v1/products']) {
      const response = await h.call(owner, 'GET', url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('no-store');
    }
    const login = await h.call(null, 'POST', '/v1/auth/login', {
      email: owner.email,
      password: 'a long enough password',
    });
    expect(login.statusCode).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
  });
});

describe('CORS preflight', () => {
  it('allows the methods the API uses to the app origin, and nothing to another origin', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      const response = await h.app.inject({
        method: 'OPTIONS',
        url: '/v1/markets/6a0f3c2e-9d1b-4c4e-8f1a-000000000001',
        headers: { origin: PUBLIC_URL, 'access-control-request-method': method },
      });
      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(PUBLIC_URL);
      expect(String(response.headers['access-control-allow-methods']).split(/,\s*/)).toContain(
        method,
      );
    }
    const foreign = await h.app.inject({
      method: 'OPTIONS',
      url: '/v1/markets',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' },
    });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('client address behind proxies (TRUST_PROXY)', () => {
  const WEB = '172.18.0.3';
  const TLS_PROXY = '172.18.0.2';

  async function failLogin(app: FastifyInstance, remoteAddress: string, forwarded?: string) {
    return app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress,
      headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
      payload: { email: `nobody-${Math.random()}@example.com`, password: 'wrong password!' },
    });
  }

  it('browser -> web -> API (1 hop): each browser is limited alone; a forged header changes nothing', async () => {
    const app = await appWith({ trustProxyHops: 1, loginLimits: { perAccount: 100, perIp: 3 } });
    // The web proxy appends the address it saw; the browser rotates a forged one in front.
    for (let i = 0; i < 3; i += 1) {
      const response = await failLogin(app, WEB, `10.0.0.${i}, 198.51.100.7`);
      expect(response.statusCode).toBe(401);
    }
    const limited = await failLogin(app, WEB, '10.9.9.9, 198.51.100.7');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another browser behind the same web container is not limited with it.
    expect((await failLogin(app, WEB, '198.51.100.8')).statusCode).toBe(401);
  });

  it('browser -> TLS proxy -> web -> API (2 hops): the TLS proxy saw the browser', async () => {
    const app = await appWith({ trustProxyHops: 2, loginLimits: { perAccount: 100, perIp: 3 } });
    for (let i = 0; i < 3; i += 1) {
      const forged = `10.1.0.${i}, 198.51.100.7, ${TLS_PROXY}`;
      expect((await failLogin(app, WEB, forged)).statusCode).toBe(401);
    }
    expect((await failLogin(app, WEB, `10.2.0.1, 198.51.100.7, ${TLS_PROXY}`)).statusCode).toBe(
      429,
    );
    expect((await failLogin(app, WEB, `198.51.100.8, ${TLS_PROXY}`)).statusCode).toBe(401);
  });

  it('clients straight to the API (0 hops): X-Forwarded-For is ignored', async () => {
    const app = await appWith({ trustProxyHops: 0, loginLimits: { perAccount: 100, perIp: 3 } });
    for (let i = 0; i < 3; i += 1) {
      expect((await failLogin(app, '198.51.100.9', `10.3.0.${i}`)).statusCode).toBe(401);
    }
    expect((await failLogin(app, '198.51.100.9', '10.3.9.9')).statusCode).toBe(429);
  });
});

describe('password reset links', () => {
  it('keeps one live link per user: a new request revokes the older link', async () => {
    const agent = await h.signup();
    await h.call(null, 'POST', '/v1/auth/password-reset/request', { email: agent.email });
    const older = await newestResetToken(agent.email);
    await h.call(null, 'POST', '/v1/auth/password-reset/request', { email: agent.email });
    const newer = await newestResetToken(agent.email);
    expect(newer).not.toBe(older);

    const stale = await h.call(null, 'POST', '/v1/auth/password-reset', {
      token: older,
      newPassword: 'stale link password',
    });
    expect(stale.statusCode).toBe(400);
    const fresh = await h.call(null, 'POST', '/v1/auth/password-reset', {
      token: newer,
      newPassword: 'fresh link password',
    });
    expect(fresh.statusCode).toBe(204);
  });

  it('revokes every link when the password is changed', async () => {
    const agent = await h.signup({ password: 'the first password' });
    await h.call(null, 'POST', '/v1/auth/password-reset/request', { email: agent.email });
    const token = await newestResetToken(agent.email);
    const changed = await h.call(agent, 'POST', '/v1/auth/password', {
      currentPassword: 'the first password',
      newPassword: 'the second password',
    });
    expect(changed.statusCode).toBe(204);
    const used = await h.call(null, 'POST', '/v1/auth/password-reset', {
      token,
      newPassword: 'an attacker password',
    });
    expect(used.statusCode).toBe(400);
    const login = await h.call(null, 'POST', '/v1/auth/login', {
      email: agent.email,
      password: 'the second password',
    });
    expect(login.statusCode).toBe(200);
  });

  it('revokes the other links of the user when one is used (rows, not only the answer)', async () => {
    const agent = await h.signup();
    // Two links written as two concurrent requests could: straight into the table.
    await h.call(null, 'POST', '/v1/auth/password-reset/request', { email: agent.email });
    const token = await newestResetToken(agent.email);
    const reset = await h.call(null, 'POST', '/v1/auth/password-reset', {
      token,
      newPassword: 'used link password',
    });
    expect(reset.statusCode).toBe(204);
    const live = await h.db.app.prisma.passwordResetToken.count({
      where: { userId: agent.userId, usedAt: null },
    });
    expect(live).toBe(0);
  });
});

describe('password change', () => {
  it('limits wrong current passwords like failed sign-ins (429 with Retry-After)', async () => {
    const app = await appWith({ devOutbox: true, loginLimits: { perAccount: 3, perIp: 100 } });
    const email = `limit-${Date.now()}@example.com`;
    const signup = await signUpThroughLink(app, {
      email,
      password: 'the right password',
      name: 'Limit',
    });
    const cookie = sessionCookieOf(signup);
    const csrf = signup.json<{ csrfToken: string }>().csrfToken;
    const change = (currentPassword: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/auth/password',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { currentPassword, newPassword: 'a completely new password' },
      });
    for (let i = 0; i < 3; i += 1) expect((await change(`guess number ${i}`)).statusCode).toBe(400);
    const limited = await change('the right password');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('password reset request when the mail server fails', () => {
  it('answers 202 for a registered address as for an unknown one: the mail waits in the outbox', async () => {
    const sent: MailMessage[] = [];
    const app = await appWith({
      mailer: {
        send(message) {
          sent.push(message);
          return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:465'));
        },
      },
    });
    const request = (email: string) =>
      app.inject({ method: 'POST', url: '/v1/auth/password-reset/request', payload: { email } });
    const known = await request(owner.email);
    const unknown = await request('ghost-smtp@example.com');
    expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
    expect(known.body).toBe(unknown.body);
    // The request never touches SMTP; the worker sends and retries (account-email.int.test.ts).
    expect(sent).toEqual([]);
    const queued = await h.db.app.prisma.$queryRaw<{ payload: { email: string } }[]>`
      SELECT payload FROM outbox WHERE job_name = 'account-email' ORDER BY created_at, id`;
    expect(queued.map((r) => r.payload.email)).toEqual([owner.email, 'ghost-smtp@example.com']);
  });
});

describe('sales import', () => {
  it('refuses a country that ISO 3166 does not assign (ZZ), with a 400 problem', async () => {
    for (const code of ['ZZ', 'XX', 'AA']) {
      const response = await h.call(
        owner,
        'POST',
        `/v1/imports/preview?fileName=sales.csv&marketCountryCode=${code}`,
        'date,market,product,quantity\n2025-06-07,Main St,Bread,3\n',
        { 'content-type': 'text/csv' },
      );
      expect(response.statusCode, code).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const us = await h.call(
      owner,
      'POST',
      '/v1/imports/preview?fileName=sales.csv&marketCountryCode=us',
      'date,market,product,quantity\n2025-06-07,Main St,Bread,3\n',
      { 'content-type': 'text/csv' },
    );
    expect(us.statusCode, us.body).toBe(200);
  });

  it('refuses control characters in the file name and dates outside 1900-2200 (400, not 500)', async () => {
    const csv = 'date,market,product,quantity\n2025-06-07,Main St,Bread,3\n';
    for (const name of ['%00', 'a%00b.csv', 'x%0Ay.csv', '%1B%5B31m']) {
      const response = await h.call(owner, 'POST', `/v1/imports/preview?fileName=${name}`, csv, {
        'content-type': 'text/csv',
      });
      expect(response.statusCode, name).toBe(400);
    }
    // Validation runs before the market is looked up: any market id shows it.
    const market = '/v1/markets/6a0f3c2e-9d1b-4c4e-8f1a-000000000001';
    for (const date of ['0000-01-01', '0001-01-01', '1899-12-31', '2201-01-01', '9999-12-31']) {
      for (const url of [
        `${market}/market-days?from=${date}`,
        `${market}/events?from=2026-01-01&to=${date}`,
        `${market}/prep-lists/${date}`,
      ]) {
        const response = await h.call(owner, 'GET', url);
        expect(response.statusCode, url).toBe(400);
      }
    }
    for (const date of ['1900-01-01', '2200-12-31']) {
      const edge = await h.call(owner, 'GET', `${market}/market-days?from=${date}`);
      expect(edge.statusCode, date).toBe(404);
    }
  });
});
