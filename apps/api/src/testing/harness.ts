import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { DEMO_LOGIN, DEMO_VENDOR_ID, seedDemoVendor } from '@marketprep/db';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppDependencies } from '../app';
import { startSquareForTests } from '../modules/square/square-testing';

/** A signed-in browser: its cookie and CSRF token. */
export interface Agent {
  email: string;
  userId: string;
  vendorId: string | null;
  cookie: string;
  csrf: string;
}

/** An API on a fresh database, with helpers to sign people up. */
export interface Harness {
  db: TestDatabase;
  app: FastifyInstance;
  /** Signs a new person up (with a business unless `vendorName` is null). */
  signup(options?: {
    vendorName?: string | null;
    email?: string;
    password?: string;
  }): Promise<Agent>;
  /** Sends a request as `agent` (cookie + CSRF), or anonymously. */
  call(
    agent: Agent | null,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Reads the session cookie (`name=value`) from a response. */
export function sessionCookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'mp_session');
  if (!cookie) throw new Error(`no session cookie in ${response.statusCode} ${response.body}`);
  return `mp_session=${cookie.value}`;
}

/**
 * The token of the newest link to `path` (`/signup/confirm`, `/reset-password`) mailed to `to`, read
 * from the dev outbox (the harness's default mail transport).
 */
export async function mailedToken(app: FastifyInstance, to: string, path: string): Promise<string> {
  const outbox = await app.inject({
    method: 'GET',
    url: `/v1/dev/outbox?to=${encodeURIComponent(to)}`,
  });
  const mails = outbox.json<{ data?: { text: string }[] }>().data ?? [];
  for (const mail of mails) {
    const token = new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text)?.[1];
    if (token) return token;
  }
  throw new Error(`no ${path} link mailed to ${to} (outbox: ${outbox.statusCode} ${outbox.body})`);
}

/**
 * Signs up as a person does: the sign-up (202), then the link mailed to the dev outbox. Returns the
 * confirmation's answer (201 with the session cookie); throws when either step fails.
 */
export async function signUpThroughLink(
  app: FastifyInstance,
  body: { email: string; password: string; name: string; vendorName?: string },
): Promise<LightMyRequestResponse> {
  const response = await app.inject({ method: 'POST', url: '/v1/auth/signup', payload: body });
  if (response.statusCode !== 202)
    throw new Error(`signup failed: ${response.statusCode} ${response.body}`);
  const confirmed = await app.inject({
    method: 'POST',
    url: '/v1/auth/signup/confirm',
    payload: { token: await mailedToken(app, body.email.trim().toLowerCase(), '/signup/confirm') },
  });
  if (confirmed.statusCode !== 201)
    throw new Error(`signup confirm failed: ${confirmed.statusCode} ${confirmed.body}`);
  return confirmed;
}

/** Builds a harness; call `close()` in afterAll. */
export async function createHarness(deps: Partial<AppDependencies> = {}): Promise<Harness> {
  const db = await createTestDatabase();
  // Square runs on its local fake unless the test passes its own `square` (or `square: undefined`
  // to see the "not configured" answers), as demo mode does.
  const squareFake = 'square' in deps ? undefined : await startSquareForTests();
  const app = await buildApp({
    db: db.app,
    sessionSecret: 'test-session-secret-0123456789abcdef',
    square: squareFake?.config,
    devOutbox: true,
    ...deps,
  });
  const call: Harness['call'] = (agent, method, url, body, headers = {}) =>
    app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      headers: {
        ...(agent ? { cookie: agent.cookie, 'x-csrf-token': agent.csrf } : {}),
        ...headers,
      },
    });
  return {
    db,
    app,
    call,
    async signup(options = {}) {
      const email = options.email ?? `user-${randomUUID().slice(0, 8)}@example.com`;
      const confirmed = await signUpThroughLink(app, {
        email,
        password: options.password ?? 'a long enough password',
        name: 'Test Person',
        ...(options.vendorName === null ? {} : { vendorName: options.vendorName ?? 'Test Bakery' }),
      });
      const session = confirmed.json<{
        user: { id: string };
        activeVendorId: string | null;
        csrfToken: string;
      }>();
      return {
        email,
        userId: session.user.id,
        vendorId: session.activeVendorId,
        cookie: sessionCookieOf(confirmed),
        csrf: session.csrfToken,
      };
    },
    async close() {
      await app.close();
      await squareFake?.stop();
      await db.drop();
    },
  };
}

/**
 * Seeds the demo vendor (two years of history up to `today`) into the harness's fresh database
 * and signs its owner in. Call before anyone signs up: the seed refuses a database with users.
 */
export async function seedAndSignInDemo(
  h: Harness,
  options: { today: string; now: Date },
): Promise<Agent> {
  const seeded = await seedDemoVendor({ prisma: h.db.app.prisma, ...options });
  if (!seeded.seeded) throw new Error('the demo vendor was not seeded');
  const login = await h.call(null, 'POST', '/v1/auth/login', DEMO_LOGIN);
  if (login.statusCode !== 200) throw new Error(`demo login: ${login.statusCode} ${login.body}`);
  return {
    email: DEMO_LOGIN.email,
    userId: login.json<{ user: { id: string } }>().user.id,
    vendorId: DEMO_VENDOR_ID,
    cookie: sessionCookieOf(login),
    csrf: login.json<{ csrfToken: string }>().csrfToken,
  };
}
