import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderBreaker } from '../http/breaker';
import { isProviderHttpError } from '../http/errors';
import { createStripeClient, type StripeApi } from '../stripe/stripe.client';
import { readContractJson } from '../testing/provider-contracts';
import { createStripeFake, type StripeFake } from './stripe.fake';

// The Stripe fake against Stripe's published sample objects (stripe-mock's fixtures3.json,
// vendored under third_party/provider-contracts/stripe): every answer has exactly the published
// fields with the published types, driven through the official SDK as the app drives it.

type Json = Record<string, unknown>;
const fixtures = (readContractJson('stripe/fixtures3.json') as { resources: Record<string, Json> })
  .resources;

const kind = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** Fields missing, extra, or of another type than in the published sample (null fits anything). */
function shapeProblems(actual: unknown, sample: unknown, path = ''): string[] {
  if (sample === null || actual === null) return [];
  if (kind(actual) !== kind(sample)) return [`${path}: ${kind(actual)} instead of ${kind(sample)}`];
  if (Array.isArray(sample) && Array.isArray(actual)) {
    const first: unknown = (sample as unknown[])[0];
    return first === undefined
      ? []
      : actual.flatMap((item, i) => shapeProblems(item, first, `${path}[${i}]`));
  }
  if (kind(sample) !== 'object') return [];
  const a = actual as Json;
  const s = sample as Json;
  // Maps keyed by the caller (metadata) have no fixed keys; an event's object is its own resource
  // (checked as that resource).
  if (path.endsWith('metadata') || path === 'event.data.object') return [];
  return [
    ...Object.keys(s)
      .filter((key) => !(key in a))
      .map((key) => `${path}.${key}: missing`),
    ...Object.keys(a)
      .filter((key) => !(key in s))
      .map((key) => `${path}.${key}: not in the published object`),
    ...Object.keys(s)
      .filter((key) => key in a)
      .flatMap((key) => shapeProblems(a[key], s[key], `${path}.${key}`)),
  ];
}

let fake: StripeFake;
let client: StripeApi;
const raw = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${fake.baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${fake.secretKey}`, ...init.headers },
  });
  return { status: response.status, body: (await response.json()) as Json };
};

beforeAll(async () => {
  fake = createStripeFake({
    prices: [{ id: 'price_basic_month', unitAmount: 1900, interval: 'month' }],
  });
  await fake.start();
  client = createStripeClient({
    secretKey: fake.secretKey,
    webhookSecret: fake.webhookSecret,
    baseUrl: fake.baseUrl,
    breaker: new ProviderBreaker('stripe'),
    maxNetworkRetries: 0,
  });
});
afterAll(async () => {
  await fake.stop();
});

describe('Stripe fake: answers as Stripe publishes them', () => {
  it('customer, checkout session, subscription, price, portal session and events', async () => {
    const customer = await client.createCustomer({
      vendorId: 'v-1',
      name: 'Bakery',
      email: 'o@example.com',
    });
    const session = await client.createCheckoutSession({
      customerId: customer.id,
      vendorId: 'v-1',
      priceId: 'price_basic_month',
      plan: 'starter',
      successUrl: 'https://app.example/ok',
      cancelUrl: 'https://app.example/no',
      automaticTax: false,
    });
    const paid = await fetch(`${session.url}/pay`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    const events = fake.listEvents();
    expect(events.map((e) => e.type)).toEqual([
      'customer.subscription.created',
      'invoice.paid',
      'checkout.session.completed',
    ]);
    const subscriptionId = String((events[0]!.data as { object: Json }).object.id);
    const portal = await raw('/v1/billing_portal/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ customer: customer.id, return_url: 'https://app.example/b' }),
    });

    const answers: [string, Json][] = [
      ['customer', (await raw(`/v1/customers/${customer.id}`)).body],
      ['checkout.session', (await raw(`/v1/checkout/sessions/${session.id}`)).body],
      ['subscription', (await raw(`/v1/subscriptions/${subscriptionId}`)).body],
      ['price', (await raw('/v1/prices/price_basic_month')).body],
      ['billing_portal.session', portal.body],
      ['event', (await raw(`/v1/events/${String(events[0]!.id)}`)).body],
      ['invoice', (events[1]!.data as { object: Json }).object],
    ];
    for (const [resource, body] of answers) {
      expect(body.object ?? resource, resource).toBe(resource === 'event' ? 'event' : resource);
      expect(shapeProblems(body, fixtures[resource], resource)).toEqual([]);
    }
    // The values the app relies on.
    const subscription = await client.retrieveSubscription(subscriptionId);
    expect(subscription).toMatchObject({
      status: 'active',
      customer: customer.id,
      cancel_at_period_end: false,
    });
    expect(subscription.items.data[0]?.price).toMatchObject({
      id: 'price_basic_month',
      unit_amount: 1900,
    });
    const completed = (events[2]!.data as { object: Json }).object;
    expect(completed).toMatchObject({
      client_reference_id: 'v-1',
      mode: 'subscription',
      subscription: subscriptionId,
    });
  });

  it('signs webhooks that the SDK verifies, and refuses what is not signed with its secret', () => {
    const event = fake.listEvents()[0]!;
    const delivery = fake.sign(event);
    const verified = Stripe.webhooks.constructEvent(
      delivery.rawBody,
      delivery.signature,
      fake.webhookSecret,
    );
    expect(verified.id).toBe(event.id);
    expect(client.verifyWebhook(Buffer.from(delivery.rawBody), delivery.signature)?.id).toBe(
      event.id,
    );
    const forged = fake.sign(event, { secret: 'whsec_other' });
    expect(client.verifyWebhook(Buffer.from(delivery.rawBody), forged.signature)).toBeNull();
  });

  it('answers Stripe’s error envelope: 401 without the key, 404 for unknown ids, 400 for bad input', async () => {
    const anonymous = await fetch(`${fake.baseUrl}/v1/customers`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect((await raw('/v1/subscriptions/sub_nope')).body).toMatchObject({
      error: { type: 'invalid_request_error', param: 'id' },
    });
    await expect(
      client.createCheckoutSession({
        customerId: 'cus_unknown',
        vendorId: 'v',
        priceId: 'price_basic_month',
        plan: 'starter',
        successUrl: 'https://a/ok',
        cancelUrl: 'https://a/no',
        automaticTax: false,
      }),
    ).rejects.toSatisfy(
      (error) => isProviderHttpError(error) && error.status === 400 && !error.retryable,
    );
  });

  it('fails in the usual ways: a 500 is a retryable provider error', async () => {
    fake.setMode('error500', { times: 1 });
    await expect(client.retrieveSubscription('sub_x')).rejects.toSatisfy(
      (error) => isProviderHttpError(error) && error.status === 500 && error.retryable,
    );
  });

  it('test clock: trial_will_end, trial end, a failed renewal, recovery', async () => {
    // A fake of its own: the clock moves every subscription it holds.
    const fake = createStripeFake({
      prices: [{ id: 'price_basic_month', unitAmount: 1900, interval: 'month' }],
    });
    await fake.start();
    const client = createStripeClient({
      secretKey: fake.secretKey,
      webhookSecret: fake.webhookSecret,
      baseUrl: fake.baseUrl,
      breaker: new ProviderBreaker('stripe'),
      maxNetworkRetries: 0,
    });
    const customer = await client.createCustomer({ vendorId: 'v-2', name: 'Farm' });
    const session = await client.createCheckoutSession({
      customerId: customer.id,
      vendorId: 'v-2',
      priceId: 'price_basic_month',
      plan: 'starter',
      successUrl: 'https://a/ok',
      cancelUrl: 'https://a/no',
      automaticTax: false,
      trialEnd: fake.clock + 10 * 86_400,
    });
    await fetch(`${session.url}/pay`, { method: 'POST', redirect: 'manual' });
    fake.takeEvents();
    await fake.advanceClock(8 * 86_400);
    expect(fake.takeEvents().map((e) => e.type)).toEqual(['customer.subscription.trial_will_end']);
    await fake.advanceClock(3 * 86_400);
    expect(fake.takeEvents().map((e) => e.type)).toEqual([
      'invoice.paid',
      'customer.subscription.updated',
    ]);
    fake.failNextPayment(1);
    await fake.advanceClock(30 * 86_400);
    expect(fake.takeEvents().map((e) => e.type)).toEqual([
      'invoice.payment_failed',
      'customer.subscription.updated',
    ]);
    const id = fake.findSubscriptionByCustomer(customer.id)!;
    expect((await client.retrieveSubscription(id)).status).toBe('past_due');
    await fake.recoverPayment(id);
    expect((await client.retrieveSubscription(id)).status).toBe('active');
    await fake.stop();
  });
});
