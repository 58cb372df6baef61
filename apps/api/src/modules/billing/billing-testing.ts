import {
  BreakerRegistry,
  createStripeClient,
  createStripeFake,
  type StripeFake,
} from '@marketprep/integrations';
import type { FastifyInstance } from 'fastify';
import { createBillingConfig } from './billing-config';
import type { BillingModuleConfig } from './billing.service';

/** Prices the tests' Stripe fake serves, one per plan and interval of the shipped plans file. */
export const TEST_STRIPE_PRICES = [
  { id: 'price_starter_month', unitAmount: 1900, interval: 'month' as const },
  { id: 'price_starter_year', unitAmount: 19000, interval: 'year' as const },
  { id: 'price_market_month', unitAmount: 3900, interval: 'month' as const },
  { id: 'price_team_month', unitAmount: 7900, interval: 'month' as const },
];

/** STRIPE_PRICE_IDS for {@link TEST_STRIPE_PRICES}. */
export const TEST_STRIPE_PRICE_IDS =
  'starter:month=price_starter_month,starter:year=price_starter_year,market:month=price_market_month,team:month=price_team_month';

/** A started Stripe fake (test clock from `startsAt`), the billing config on it, and helpers. */
export interface StripeForTests {
  fake: StripeFake;
  config: BillingModuleConfig;
  /** The fake's clock: the app's `now` in billing tests. */
  now: () => Date;
  /** Delivers the fake's queued events to the app (signed), in order; returns the statuses. */
  deliver(
    app: FastifyInstance,
    options?: { twice?: boolean; shuffle?: boolean },
  ): Promise<number[]>;
  stop(): Promise<void>;
}

/** POSTs a body with a `Stripe-Signature` to the app's webhook intake. */
export function postStripeWebhook(app: FastifyInstance, rawBody: string, signature: string) {
  return app.inject({
    method: 'POST',
    url: '/v1/webhooks/stripe',
    payload: rawBody,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  });
}

/** Starts the Stripe fake for an integration test (no webhook URL: tests deliver with `deliver`). */
export async function startStripeForTests(startsAt = new Date()): Promise<StripeForTests> {
  const fake = createStripeFake({ prices: TEST_STRIPE_PRICES, now: () => startsAt });
  await fake.start();
  const now = () => new Date(fake.clock * 1000);
  const config = createBillingConfig({
    secretKey: fake.secretKey,
    webhookSecret: fake.webhookSecret,
    priceIds: TEST_STRIPE_PRICE_IDS,
    client: createStripeClient({
      secretKey: fake.secretKey,
      webhookSecret: fake.webhookSecret,
      baseUrl: fake.baseUrl,
      breaker: new BreakerRegistry().get('stripe'),
      maxNetworkRetries: 0,
      now,
    }),
  });
  return {
    fake,
    config,
    now,
    async deliver(app, options = {}) {
      let events = fake.takeEvents();
      if (options.twice) events = [...events, ...events];
      if (options.shuffle) {
        // Fisher-Yates with a fixed seed: shuffled, and the same order on every run.
        let seed = 7;
        for (let i = events.length - 1; i > 0; i -= 1) {
          seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
          const j = seed % (i + 1);
          [events[i], events[j]] = [events[j]!, events[i]!];
        }
      }
      const statuses: number[] = [];
      for (const event of events) {
        const delivery = fake.sign(event);
        const response = await postStripeWebhook(app, delivery.rawBody, delivery.signature);
        statuses.push(response.statusCode);
      }
      return statuses;
    },
    stop: () => fake.stop(),
  };
}
