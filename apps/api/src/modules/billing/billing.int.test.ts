import type { BillingStatus } from '@marketprep/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, sessionCookieOf, type Agent, type Harness } from '../../testing/harness';
import { expectProblem, joinAs } from '../markets/catalog-test-helpers';
import { postStripeWebhook, startStripeForTests, type StripeForTests } from './billing-testing';
import { BillingService } from './billing.service';

const DAY = 86_400;
const publicUrl = 'http://app.marketprep.test';

let h: Harness;
let stripe: StripeForTests;
let admin: pg.Client;

/**
 * Each block gets its own API, database and Stripe fake: the test clock only moves forward, and
 * a business's card-free trial runs from its creation.
 */
function freshWorld(): void {
  beforeAll(async () => {
    stripe = await startStripeForTests();
    h = await createHarness({
      billing: stripe.config,
      now: stripe.now,
      publicUrl,
      rateLimit: false,
    });
    admin = new pg.Client({ connectionString: h.db.adminUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await h.close();
    await stripe.stop();
  });
}

/** Signs `agent` in again (sessions expire as the test clock jumps weeks ahead). */
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

/** Advances Stripe's test clock (and the app's), delivers the events, signs in again. */
async function advance(days: number, agent: Agent): Promise<Agent> {
  await stripe.fake.advanceClock(days * DAY);
  const statuses = await stripe.deliver(h.app);
  expect(statuses.every((s) => s === 200)).toBe(true);
  return signInAgain(agent);
}

const market = (name: string) => ({
  name,
  latitude: 41.88,
  longitude: -87.63,
  timezone: 'America/Chicago',
  countryCode: 'US',
  regionCode: 'IL',
});

async function status(agent: Agent): Promise<BillingStatus> {
  const response = await h.call(agent, 'GET', '/v1/billing');
  expect(response.statusCode, response.body).toBe(200);
  return response.json<BillingStatus>();
}

/** Owner chooses `plan`, pays on the fake's Checkout page; nothing delivered yet. */
async function checkoutAndPay(owner: Agent, plan: string, interval = 'month') {
  const started = await h.call(owner, 'POST', '/v1/billing/checkout', { plan, interval });
  expect(started.statusCode, started.body).toBe(200);
  const { url } = started.json<{ url: string }>();
  const page = await fetch(url);
  expect(await page.text()).toContain('Pay and subscribe');
  const paid = await fetch(`${url}/pay`, { method: 'POST', redirect: 'manual' });
  expect(paid.status).toBe(303);
  expect(paid.headers.get('location')).toBe(`${publicUrl}/settings/billing?checkout=success`);
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

describe('plans, trial, checkout and portal', () => {
  freshWorld();
  let owner: Agent;
  let staff: Agent;

  beforeAll(async () => {
    owner = await h.signup({ vendorName: 'Billing Bakery' });
    staff = await joinAs(h, owner, 'STAFF');
  });

  it('a new business is in its 30-day card-free trial, with the trial plan’s limits', async () => {
    const body = await status(owner);
    expect(body).toMatchObject({
      configured: true,
      state: 'trialing',
      plan: 'team',
      readOnly: false,
    });
    const days = (Date.parse(body.trialEndsAt!) - stripe.now().getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30.01);
    expect(body.plans.map((p) => p.id)).toEqual(['starter', 'market', 'team']);
    expect(body.usage.seats).toBe(1);
  });

  it('counts what the limits count: active products and live API tokens, seats with staff', async () => {
    // A business of its own: the tests below count this describe's owner's products and tokens.
    const biz = await h.signup({ vendorName: 'Usage Bakery' });
    const product = async (name: string) => {
      const created = await h.call(biz, 'POST', '/v1/products', { name, priceMinor: 500 });
      expect(created.statusCode, created.body).toBe(201);
      return created.json<{ id: string }>().id;
    };
    await product('Sourdough');
    const retired = await product('Fruitcake');
    expect(
      (await h.call(biz, 'PATCH', `/v1/products/${retired}`, { active: false })).statusCode,
    ).toBe(200);
    const token = async (name: string) =>
      (await h.call(biz, 'POST', '/v1/api-tokens', { name, scopes: ['read'] })).json<{
        id: string;
      }>().id;
    await token('till');
    const revoked = await token('old till');
    expect((await h.call(biz, 'DELETE', `/v1/api-tokens/${revoked}`)).statusCode).toBe(204);
    // Another business's rows are not this one's usage.
    const other = await h.signup({ vendorName: 'Other Bakery' });
    await h.call(other, 'POST', '/v1/products', { name: 'Rye', priceMinor: 400 });
    const { usage } = await status(biz);
    expect(usage).toEqual({ markets: 0, products: 1, seats: 0, apiTokens: 1, webhookEndpoints: 0 });
  });

  it('a staff member can open neither Checkout nor the portal', async () => {
    expectProblem(await h.call(staff, 'POST', '/v1/billing/checkout', { plan: 'starter' }), 403);
    expectProblem(await h.call(staff, 'POST', '/v1/billing/portal'), 403);
    expect(
      await count('SELECT count(*) n FROM subscriptions WHERE vendor_id = $1', [owner.vendorId]),
    ).toBe(0);
  });

  it('the portal needs a plan first; unknown plans and missing prices are 400', async () => {
    expectProblem(await h.call(owner, 'POST', '/v1/billing/portal'), 409);
    expectProblem(await h.call(owner, 'POST', '/v1/billing/checkout', { plan: 'gold' }), 400);
    const noYear = expectProblem(
      await h.call(owner, 'POST', '/v1/billing/checkout', { plan: 'team', interval: 'year' }),
      400,
    );
    expect(noYear.detail).toContain('not offered yearly');
  });

  it('checkout creates the customer once, and checkout completed makes the business active', async () => {
    const first = await h.call(owner, 'POST', '/v1/billing/checkout', { plan: 'starter' });
    expect(first.statusCode, first.body).toBe(200);
    await checkoutAndPay(owner, 'starter');
    const customers = stripe.fake.requests.filter(
      (r) => r.method === 'POST' && r.path === '/v1/customers',
    );
    expect(customers).toHaveLength(1);
    const sessions = stripe.fake.requests.filter((r) => r.path === '/v1/checkout/sessions');
    expect(sessions).toHaveLength(2);

    // Before the webhook: still the trial.
    expect((await status(owner)).state).toBe('trialing');
    const statuses = await stripe.deliver(h.app);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const body = await status(owner);
    // The card-free trial carries over into the Stripe subscription.
    expect(body).toMatchObject({
      state: 'trialing',
      plan: 'starter',
      interval: 'month',
      hasCustomer: true,
    });

    // A second checkout while subscribed is refused: the portal changes plans.
    expectProblem(await h.call(owner, 'POST', '/v1/billing/checkout', { plan: 'market' }), 409);
    const portal = await h.call(owner, 'POST', '/v1/billing/portal');
    expect(portal.statusCode, portal.body).toBe(200);
    const page = await fetch(portal.json<{ url: string }>().url);
    expect(await page.text()).toContain('Manage billing');
  });

  it('each plan limit refuses the next market / product / seat / API token, naming the plan', async () => {
    // Starter: 1 market, 30 products, no staff seats (one member already), no API tokens.
    expect((await h.call(owner, 'POST', '/v1/markets', market('Main St'))).statusCode).toBe(201);
    const second = expectProblem(await h.call(owner, 'POST', '/v1/markets', market('Second')), 403);
    expect(second).toMatchObject({ limit: 'markets', requiredPlan: 'market' });
    expect(second.detail).toContain('Market plan unlocks up to 5 markets');

    for (let i = 0; i < 30; i += 1) {
      const made = await h.call(owner, 'POST', '/v1/products', {
        name: `Loaf ${i}`,
        priceMinor: 500,
      });
      expect(made.statusCode, made.body).toBe(201);
    }
    const product = expectProblem(
      await h.call(owner, 'POST', '/v1/products', { name: 'Loaf 31', priceMinor: 500 }),
      403,
    );
    expect(product).toMatchObject({ limit: 'products', requiredPlan: 'market' });

    const seat = expectProblem(
      await h.call(owner, 'POST', '/v1/team/invitations', {
        email: 'x@example.com',
        role: 'STAFF',
      }),
      403,
    );
    expect(seat).toMatchObject({ limit: 'seats', requiredPlan: 'team' });
    const token = expectProblem(
      await h.call(owner, 'POST', '/v1/api-tokens', { name: 'pos', scopes: ['read'] }),
      403,
    );
    expect(token).toMatchObject({ limit: 'apiTokens', requiredPlan: 'team' });
    expect(
      await count('SELECT count(*) n FROM markets WHERE vendor_id = $1', [owner.vendorId]),
    ).toBe(1);
    expect(
      await count('SELECT count(*) n FROM products WHERE vendor_id = $1', [owner.vendorId]),
    ).toBe(30);
  });

  it('trial end with a card: active; payment failed -> past_due -> grace -> read-only -> paid -> active', async () => {
    // Trial ends (card on file): the first invoice is paid.
    owner = await advance(31, owner);
    expect((await status(owner)).state).toBe('active');

    // The renewal fails: past_due, banner with the grace end, writes still allowed.
    stripe.fake.failNextPayment(5);
    owner = await advance(30, owner);
    let body = await status(owner);
    expect(body).toMatchObject({ state: 'past_due', readOnly: false });
    expect(Date.parse(body.graceEndsAt!) - Date.parse(body.pastDueSince!)).toBe(7 * DAY * 1000);
    const notices = await admin.query<{ kind: string; user_id: string }>(
      "SELECT kind, user_id FROM notifications WHERE vendor_id = $1 AND kind LIKE 'billing.%' ORDER BY created_at",
      [owner.vendorId],
    );
    // Stripe's trial_will_end (3 days before the trial ended), then the failed renewal.
    expect(notices.rows).toEqual([
      { kind: 'billing.trial_ending', user_id: owner.userId },
      { kind: 'billing.payment_failed', user_id: owner.userId },
    ]);
    expect(
      await count(
        "SELECT count(*) n FROM outbox WHERE job_name = 'billing-email' AND payload->>'vendorId' = $1 AND payload->>'kind' = 'billing.payment_failed'",
        [owner.vendorId],
      ),
    ).toBe(1);
    const renamed = await h.call(owner, 'POST', '/v1/products', { name: 'x', priceMinor: 1 });
    expect(renamed.statusCode).toBe(403); // the plan's limit, not billing: writes still pass the guard

    // Past the grace period (retries keep failing): read-only, reads still work.
    owner = await advance(8, owner);
    body = await status(owner);
    expect(body).toMatchObject({ state: 'past_due', readOnly: true });
    const refused = expectProblem(await h.call(owner, 'POST', '/v1/markets', market('Third')), 402);
    expect(refused).toMatchObject({ limit: 'readOnly' });
    expect((await h.call(owner, 'GET', '/v1/markets')).statusCode).toBe(200);
    expect(
      await count('SELECT count(*) n FROM products WHERE vendor_id = $1', [owner.vendorId]),
    ).toBe(30);
    // Billing itself stays reachable: the owner can still fix the card.
    expect((await h.call(owner, 'POST', '/v1/billing/portal')).statusCode).toBe(200);

    // The card is updated: the open invoice is paid, active again, writes allowed.
    const subId = stripe.fake.findSubscriptionByCustomer(
      (
        await admin.query<{ c: string }>(
          'SELECT stripe_customer_id c FROM subscriptions WHERE vendor_id = $1',
          [owner.vendorId],
        )
      ).rows[0]!.c,
    )!;
    await stripe.fake.recoverPayment(subId);
    await stripe.deliver(h.app);
    body = await status(owner);
    expect(body).toMatchObject({ state: 'active', readOnly: false, pastDueSince: null });
    const archived = await h.call(owner, 'GET', '/v1/markets');
    const marketId = archived.json<{ data: { id: string }[] }>().data[0]!.id;
    const patched = await h.call(owner, 'PATCH', `/v1/markets/${marketId}`, {
      name: 'Main Street',
    });
    expect(patched.statusCode, patched.body).toBe(200);
  });
});

describe('webhook intake', () => {
  freshWorld();
  let owner: Agent;

  beforeAll(async () => {
    owner = await h.signup({ vendorName: 'Webhook Farm' });
  });

  it('a forged signature is 400 and writes nothing', async () => {
    await checkoutAndPay(owner, 'market');
    const events = stripe.fake.takeEvents();
    const before = await count('SELECT count(*) n FROM webhook_events', []);
    for (const event of events) {
      const good = stripe.fake.sign(event);
      const forged = stripe.fake.sign(event, { secret: 'whsec_not_the_secret' });
      const flipped = good.signature.replace(
        /v1=(.)/,
        (_, c: string) => `v1=${c === 'a' ? 'b' : 'a'}`,
      );
      for (const signature of [forged.signature, flipped, 'garbage', '']) {
        const response = await postStripeWebhook(h.app, good.rawBody, signature);
        expectProblem(response, 400);
      }
      // A valid signature over another body.
      const tampered = await postStripeWebhook(
        h.app,
        good.rawBody.replace('"livemode":false', '"livemode":true'),
        good.signature,
      );
      expectProblem(tampered, 400);
    }
    // An old signature (beyond the 5-minute tolerance) is refused too.
    const stale = stripe.fake.sign(events[0]!, { timestamp: stripe.fake.clock - 301 });
    const old = await postStripeWebhook(h.app, stale.rawBody, stale.signature);
    expectProblem(old, 400);
    expect(await count('SELECT count(*) n FROM webhook_events', [])).toBe(before);
    expect((await status(owner)).plan).toBe('team'); // still the trial
    // Stripe would redeliver them: queue them again for the next test.
    stripe.fake.requeue(events);
  });

  it('each webhook delivered twice and shuffled has one effect', async () => {
    const statuses = await stripe.deliver(h.app, { twice: true, shuffle: true });
    expect(statuses.every((s) => s === 200)).toBe(true);
    const ids = await admin.query<{ event_id: string; n: string }>(
      "SELECT event_id, count(*) n FROM webhook_events WHERE provider = 'STRIPE' GROUP BY event_id",
    );
    expect(ids.rows.every((r) => r.n === '1')).toBe(true);
    const audits = await admin.query<{ event_id: string; n: string }>(
      "SELECT metadata->>'eventId' event_id, count(*) n FROM audit_log WHERE vendor_id = $1 AND action LIKE 'billing.%' AND metadata ? 'eventId' GROUP BY 1",
      [owner.vendorId],
    );
    expect(audits.rows.length).toBe(statuses.length / 2);
    expect(audits.rows.every((r) => r.n === '1')).toBe(true);
    expect(await status(owner)).toMatchObject({ state: 'trialing', plan: 'market' });
  });

  it('an old event arriving late cannot regress the state (the subscription is fetched)', async () => {
    // Cancel in the portal: cancel_at_period_end, then the period passes: deleted.
    const portal = (await h.call(owner, 'POST', '/v1/billing/portal')).json<{ url: string }>().url;
    const early = stripe.fake
      .listEvents()
      .filter((e) => e.type === 'customer.subscription.created');
    const canceled = await fetch(`${portal}/cancel`, { method: 'POST', redirect: 'manual' });
    expect(canceled.status).toBe(303);
    await stripe.deliver(h.app);
    expect((await status(owner)).cancelAtPeriodEnd).toBe(true);
    owner = await advance(31, owner);
    const ended = await status(owner);
    expect(ended).toMatchObject({ state: 'canceled', readOnly: true });
    // A (new) delivery of the old "created" event: Stripe says canceled, so canceled it stays.
    const replay = { ...early.at(-1)!, id: `evt_late${Date.now()}` };
    const delivery = stripe.fake.sign(replay);
    const late = await postStripeWebhook(h.app, delivery.rawBody, delivery.signature);
    expect(late.statusCode).toBe(200);
    expect((await status(owner)).state).toBe('canceled');
    const kinds = await admin.query<{ kind: string }>(
      "SELECT kind FROM notifications WHERE vendor_id = $1 AND kind LIKE 'billing.%'",
      [owner.vendorId],
    );
    expect(kinds.rows.map((r) => r.kind)).toContain('billing.canceled');
  });

  it('Stripe down while confirming: 503 with Retry-After, nothing recorded, the retry applies it', async () => {
    const other = await h.signup({ vendorName: 'Retry Farm' });
    await checkoutAndPay(other, 'starter');
    const events = stripe.fake.takeEvents();
    const before = await count('SELECT count(*) n FROM webhook_events', []);
    stripe.fake.setMode('error500');
    const delivery = stripe.fake.sign(
      events.find((e) => e.type === 'customer.subscription.created')!,
    );
    const failed = await postStripeWebhook(h.app, delivery.rawBody, delivery.signature);
    expectProblem(failed, 503);
    expect(failed.headers['retry-after']).toBe('30');
    expect(await count('SELECT count(*) n FROM webhook_events', [])).toBe(before);
    stripe.fake.setMode('ok');
    const retried = await postStripeWebhook(h.app, delivery.rawBody, delivery.signature);
    expect(retried.statusCode).toBe(200);
    expect((await status(other)).plan).toBe('starter');
  });
});

describe('the card-free trial ends without a plan', () => {
  freshWorld();
  it('becomes read-only (reads work) and the owners are told once, in the app and by email', async () => {
    let owner = await h.signup({ vendorName: 'Trial Only' });
    expect((await h.call(owner, 'POST', '/v1/markets', market('Early'))).statusCode).toBe(201);
    // Three days before the end: the owners are told once (in the app and by email).
    owner = await advance(28, owner);
    expect(await status(owner)).toMatchObject({ state: 'trialing', readOnly: false });
    await status(owner);
    expect(
      await count(
        "SELECT count(*) n FROM outbox WHERE job_name = 'billing-email' AND payload->>'vendorId' = $1 AND payload->>'kind' = 'billing.trial_ending'",
        [owner.vendorId],
      ),
    ).toBe(1);
    owner = await advance(3, owner);
    const body = await status(owner);
    expect(body).toMatchObject({ state: 'trial_expired', readOnly: true, hasCustomer: false });
    expectProblem(await h.call(owner, 'POST', '/v1/markets', market('Late')), 402);
    expect((await h.call(owner, 'GET', '/v1/markets')).statusCode).toBe(200);
    // Its data stays the owner's: an export can still be requested.
    expect([200, 202]).toContain((await h.call(owner, 'POST', '/v1/data-exports')).statusCode);

    // Reading the status (every page does, for the banner) gave the notice once; again: nothing.
    const billing = new BillingService({
      db: h.db.app,
      config: stripe.config,
      publicUrl,
      now: stripe.now,
    });
    expect(await billing.notifyCardFreeTrial(owner.vendorId!)).toBe('trial_ended');
    await status(owner);
    expect(
      await count(
        "SELECT count(*) n FROM notifications WHERE vendor_id = $1 AND kind = 'billing.trial_ended'",
        [owner.vendorId],
      ),
    ).toBe(1);
    expect(
      await count(
        "SELECT count(*) n FROM outbox WHERE job_name = 'billing-email' AND payload->>'vendorId' = $1 AND payload->>'kind' = 'billing.trial_ended'",
        [owner.vendorId],
      ),
    ).toBe(1);
    // Choosing a plan is still possible: Checkout opens.
    expect(
      (await h.call(owner, 'POST', '/v1/billing/checkout', { plan: 'starter' })).statusCode,
    ).toBe(200);
  });
});

describe('operators', () => {
  freshWorld();
  it('/metrics counts businesses by billing state', async () => {
    await h.signup({ vendorName: 'Ended Trial' });
    let response0 = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(response0.body).toContain('marketprep_billing_businesses{state="trialing"} 1');
    await stripe.fake.advanceClock(31 * DAY);
    const response = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('marketprep_billing_businesses{state="trial_expired"} 1');
    expect(response.body).toContain('marketprep_billing_businesses{state="trialing"} 0');
    response0 = response;
  });
});

describe('without Stripe keys', () => {
  it('billing is "not configured" and nothing is limited', async () => {
    const plain = await createHarness({ rateLimit: false });
    try {
      const owner = await plain.signup({ vendorName: 'No Billing' });
      const body = (await plain.call(owner, 'GET', '/v1/billing')).json<BillingStatus>();
      expect(body).toMatchObject({
        configured: false,
        state: 'not_configured',
        readOnly: false,
        plan: null,
      });
      for (const name of ['A', 'B', 'C']) {
        expect((await plain.call(owner, 'POST', '/v1/markets', market(name))).statusCode).toBe(201);
      }
      expectProblem(
        await plain.call(owner, 'POST', '/v1/billing/checkout', { plan: 'starter' }),
        503,
      );
      const hook = await postStripeWebhook(plain.app, '{}', 't=1,v1=00');
      expectProblem(hook, 503);
    } finally {
      await plain.close();
    }
  });
});
