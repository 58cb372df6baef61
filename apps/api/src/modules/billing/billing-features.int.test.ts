import { randomUUID } from 'node:crypto';
import { withTenant } from '@marketprep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, sessionCookieOf, type Agent, type Harness } from '../../testing/harness';
import { expectProblem } from '../markets/catalog-test-helpers';
import { startSquareForTests } from '../square/square-testing';
import { startStripeForTests, type StripeForTests } from './billing-testing';

// Plan features, not just counts: Square sync and prep-list downloads are Market features, staff
// seats and API tokens Team ones. Each refusal is a 403 problem naming the plan that unlocks it;
// a trial and billing switched off allow everything.

let h: Harness;
let stripe: StripeForTests;
let square: Awaited<ReturnType<typeof startSquareForTests>>;
let starter: Agent;
let market: Agent;
let trialing: Agent;

const DAY = 86_400;

/** Chooses `plan` through the fake's Checkout (the rest of the trial carries over). */
async function subscribe(agent: Agent, plan: 'starter' | 'market'): Promise<void> {
  const started = await h.call(agent, 'POST', '/v1/billing/checkout', { plan, interval: 'month' });
  expect(started.statusCode, started.body).toBe(200);
  const { url } = started.json<{ url: string }>();
  expect((await fetch(`${url}/pay`, { method: 'POST', redirect: 'manual' })).status).toBe(303);
  expect((await stripe.deliver(h.app)).every((s) => s === 200)).toBe(true);
  expect((await h.call(agent, 'GET', '/v1/billing')).json()).toMatchObject({
    state: 'trialing',
    plan,
  });
}

/** Signs in again (sessions expire as the test clock jumps a month ahead). */
async function signInAgain(agent: Agent): Promise<Agent> {
  const login = await h.call(null, 'POST', '/v1/auth/login', {
    email: agent.email,
    password: 'a long enough password',
  });
  expect(login.statusCode, login.body).toBe(200);
  return {
    ...agent,
    cookie: sessionCookieOf(login),
    csrf: login.json<{ csrfToken: string }>().csrfToken,
  };
}

const features = async (agent: Agent) =>
  (await h.call(agent, 'GET', '/v1/billing')).json<{ features: string[] }>().features.sort();
const EVERYTHING = ['alerts', 'exports', 'square-sync', 'webhooks-out'];

/** A prep-list download for a market day: the feature is checked before the list is looked up. */
const download = (agent: Agent, kind: 'csv' | 'pdf') =>
  h.call(agent, 'GET', `/v1/markets/${randomUUID()}/prep-lists/2026-06-06/export.${kind}`);

beforeAll(async () => {
  stripe = await startStripeForTests();
  square = await startSquareForTests();
  h = await createHarness({
    billing: stripe.config,
    square: square.config,
    now: stripe.now,
    publicUrl: 'http://app.marketprep.test',
    rateLimit: false,
  });
  starter = await h.signup({ vendorName: 'Starter Farm' });
  market = await h.signup({ vendorName: 'Market Farm' });
  trialing = await h.signup({ vendorName: 'Trial Farm' });
  await subscribe(starter, 'starter');
  await subscribe(market, 'market');
});
afterAll(async () => {
  await h.close();
  await square.stop();
  await stripe.stop();
});

describe('plan features', () => {
  it('a trial tries everything, whichever plan was chosen', async () => {
    for (const agent of [starter, market, trialing])
      expect(await features(agent)).toEqual(EVERYTHING);
    expect((await download(starter, 'csv')).statusCode).toBe(404);
    const connect = await h.call(starter, 'GET', '/v1/integrations/square/connect');
    expect(connect.statusCode, connect.body).toBe(200);
    const token = await h.call(trialing, 'POST', '/v1/api-tokens', {
      name: 'pos',
      scopes: ['read'],
    });
    expect(token.statusCode, token.body).toBe(201);
  });

  it('once paid, GET /v1/billing lists only the plan’s features', async () => {
    // The trial ends with the card on file: the first invoices are paid.
    await stripe.fake.advanceClock(31 * DAY);
    expect((await stripe.deliver(h.app)).every((s) => s === 200)).toBe(true);
    starter = await signInAgain(starter);
    market = await signInAgain(market);
    expect((await h.call(starter, 'GET', '/v1/billing')).json()).toMatchObject({
      state: 'active',
      plan: 'starter',
    });
    expect(await features(starter)).toEqual([]);
    expect(await features(market)).toEqual(['alerts', 'exports', 'square-sync']);
  });

  it('prep-list downloads are a Market feature', async () => {
    for (const kind of ['csv', 'pdf'] as const) {
      const refused = expectProblem(await download(starter, kind), 403);
      expect(refused).toMatchObject({ feature: 'exports', requiredPlan: 'market' });
      expect(refused.detail).toContain('not included in your Starter plan');
      expect(refused.detail).toContain('Available on Market');
      // Past the feature check: the unknown market is what answers now.
      expect((await download(market, kind)).statusCode).toBe(404);
    }
  });

  it('Square sync is a Market feature: connecting and mapping are refused on Starter', async () => {
    const connect = expectProblem(
      await h.call(starter, 'GET', '/v1/integrations/square/connect'),
      403,
    );
    expect(connect).toMatchObject({ feature: 'square-sync', requiredPlan: 'market' });
    expect(
      expectProblem(await h.call(starter, 'PUT', '/v1/integrations/square/mapping', {}), 403),
    ).toMatchObject({ feature: 'square-sync', requiredPlan: 'market' });
    // Status (to show the locked card) and nothing else still answers.
    expect((await h.call(starter, 'GET', '/v1/integrations/square')).statusCode).toBe(200);
    const started = await h.call(market, 'GET', '/v1/integrations/square/connect');
    expect(started.statusCode, started.body).toBe(200);
  });

  it('the Square mapping’s "create market" past the Market plan’s 5 markets names Team', async () => {
    const vendorId = market.vendorId!;
    await withTenant(h.db.app.prisma, vendorId, (tx) =>
      tx.market.createMany({
        data: Array.from({ length: 5 }, (_, i) => ({
          vendorId,
          name: `Market ${i}`,
          latitude: 41.88,
          longitude: -87.63,
          timezone: 'America/Chicago',
          countryCode: 'US',
        })),
      }),
    );
    const started = await h.call(market, 'GET', '/v1/integrations/square/connect');
    const consent = await fetch(started.json<{ authorizeUrl: string }>().authorizeUrl, {
      redirect: 'manual',
    });
    const back = new URL(consent.headers.get('location')!);
    expect((await h.call(market, 'GET', `${back.pathname}${back.search}`)).statusCode).toBe(302);
    const refused = expectProblem(
      await h.call(market, 'PUT', '/v1/integrations/square/mapping', {
        locations: [{ locationId: 'LFAKEGRANDARMY', createMarket: true }],
      }),
      403,
    );
    expect(refused).toMatchObject({ limit: 'markets', requiredPlan: 'team' });
  });

  it('staff seats and API tokens are Team features, on Starter and Market alike', async () => {
    for (const agent of [starter, market]) {
      const seat = expectProblem(
        await h.call(agent, 'POST', '/v1/team/invitations', {
          email: `staff-${randomUUID().slice(0, 8)}@example.com`,
          role: 'STAFF',
        }),
        403,
      );
      expect(seat).toMatchObject({ limit: 'seats', requiredPlan: 'team' });
      const token = expectProblem(
        await h.call(agent, 'POST', '/v1/api-tokens', { name: 'pos', scopes: ['read'] }),
        403,
      );
      expect(token).toMatchObject({ limit: 'apiTokens', requiredPlan: 'team' });
    }
  });
});

describe('plan features with billing not configured', () => {
  it('limits nothing', async () => {
    const off = await createHarness({ rateLimit: false });
    try {
      const agent = await off.signup({ vendorName: 'Demo-like Farm' });
      const billing = (await off.call(agent, 'GET', '/v1/billing')).json<{
        state: string;
        features: string[];
      }>();
      expect(billing.state).toBe('not_configured');
      expect(billing.features).toHaveLength(4);
      const csv = await off.call(
        agent,
        'GET',
        `/v1/markets/${randomUUID()}/prep-lists/2026-06-06/export.csv`,
      );
      expect(csv.statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
