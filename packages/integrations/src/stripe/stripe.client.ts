import Stripe from 'stripe';
import { z } from 'zod';
import type { CircuitBreakerLike } from '../http/breaker';
import {
  ProviderHttpError,
  ProviderNetworkError,
  ProviderSchemaError,
  ProviderTimeoutError,
} from '../http/errors';

/** Stripe's production API host. */
export const STRIPE_PRODUCTION_HOST = 'api.stripe.com';

/** The header Stripe signs webhooks with. */
export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

/** Webhook timestamp tolerance (seconds), Stripe's default: older signatures are refused. */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

const id = z.string().min(1).max(255);
const expandable = z
  .union([id, z.object({ id })])
  .transform((v) => (typeof v === 'string' ? v : v.id));

/** A Stripe subscription, as far as billing reads it (items carry the price and the period). */
export const StripeSubscriptionSchema = z.object({
  id,
  object: z.literal('subscription'),
  customer: expandable,
  status: z.enum([
    'trialing',
    'active',
    'past_due',
    'unpaid',
    'canceled',
    'incomplete',
    'incomplete_expired',
    'paused',
  ]),
  cancel_at_period_end: z.boolean(),
  trial_end: z.number().int().nullable(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  items: z.object({
    data: z.array(
      z.object({
        id,
        current_period_end: z.number().int().optional(),
        price: z.object({
          id,
          unit_amount: z.number().int().nullable(),
          currency: z.string(),
          recurring: z.object({ interval: z.enum(['day', 'week', 'month', 'year']) }).nullable(),
        }),
      }),
    ),
  }),
});

/** A Stripe subscription (parsed). */
export type StripeSubscription = z.infer<typeof StripeSubscriptionSchema>;

/** The envelope of a Stripe event; `data.object` is parsed per type by the caller. */
export const StripeEventSchema = z.object({
  id: z.string().regex(/^evt_[A-Za-z0-9_]{1,250}$/),
  object: z.literal('event'),
  type: z.string().min(1).max(100),
  created: z.number().int().nonnegative(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/** A verified Stripe event. */
export type StripeEvent = z.infer<typeof StripeEventSchema>;

/** A Checkout Session's fields that billing reads. */
export const StripeCheckoutSessionSchema = z.object({
  id,
  object: z.literal('checkout.session'),
  url: z.string().nullable(),
  customer: expandable.nullable(),
  subscription: expandable.nullable(),
  client_reference_id: z.string().nullable(),
  mode: z.enum(['payment', 'setup', 'subscription']),
});

/** An invoice's fields that billing reads. */
export const StripeInvoiceSchema = z.object({
  id,
  object: z.literal('invoice'),
  customer: expandable.nullable(),
  amount_due: z.number().int(),
  hosted_invoice_url: z.string().nullable().optional(),
});

const CustomerSchema = z.object({ id, object: z.literal('customer') });
const PortalSessionSchema = z.object({
  id,
  object: z.literal('billing_portal.session'),
  url: z.string(),
});

/** What billing asks of Stripe. */
export interface StripeApi {
  /** Creates the business's customer (once per business: the caller stores and reuses it). */
  createCustomer(input: {
    vendorId: string;
    name: string;
    email?: string;
  }): Promise<{ id: string }>;
  /**
   * A Checkout Session in subscription mode for one price, `client_reference_id` = the business,
   * promotion codes allowed, automatic tax off unless configured.
   */
  createCheckoutSession(input: {
    customerId: string;
    vendorId: string;
    priceId: string;
    plan: string;
    successUrl: string;
    cancelUrl: string;
    automaticTax: boolean;
    /** Keeps the rest of the card-free trial (unix seconds), when it is still running. */
    trialEnd?: number;
  }): Promise<{ id: string; url: string }>;
  /** A Billing Portal session (change plan, card, cancel, invoices). */
  createPortalSession(input: { customerId: string; returnUrl: string }): Promise<{ url: string }>;
  /** The subscription as Stripe has it now (the truth when events arrive out of order). */
  retrieveSubscription(subscriptionId: string): Promise<StripeSubscription>;
  /** Cancels a subscription at once (account erasure). */
  cancelSubscription(subscriptionId: string): Promise<void>;
  /**
   * Verifies `Stripe-Signature` over the raw body (`stripe.webhooks.constructEvent`, 300 s
   * tolerance) and parses the envelope; null when the signature or body is not valid.
   */
  verifyWebhook(rawBody: Buffer, signature: string | string[] | undefined): StripeEvent | null;
}

/** Options of {@link createStripeClient}. */
export interface StripeClientOptions {
  secretKey: string;
  webhookSecret: string;
  /** The Stripe breaker (from the `BreakerRegistry`): every call runs through it. */
  breaker: CircuitBreakerLike;
  /** `http://127.0.0.1:port` of the fake; Stripe's API when omitted. */
  baseUrl?: string;
  /** Per-request timeout. Default 10,000 ms. */
  timeoutMs?: number;
  /** The SDK's retries (with idempotency keys on POSTs). Default 2. */
  maxNetworkRetries?: number;
  /** Clock of the signature tolerance check (tests). */
  now?: () => Date;
}

function toProviderError(error: unknown, url: string, timeoutMs: number): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  if (error instanceof Stripe.errors.StripeConnectionError) {
    return /timed? ?out/i.test(error.message)
      ? new ProviderTimeoutError({ provider: 'stripe', timeoutMs, url })
      : new ProviderNetworkError({ provider: 'stripe', url, cause: error });
  }
  return new ProviderHttpError({
    provider: 'stripe',
    status: error.statusCode ?? 500,
    url,
    body: `${error.type}: ${error.message}`.slice(0, 512),
  });
}

/** Builds the Stripe client: the official `stripe` SDK (pointed at `baseUrl`) behind the breaker. */
export function createStripeClient(options: StripeClientOptions): StripeApi {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const target = options.baseUrl ? new URL(options.baseUrl) : undefined;
  const stripe = new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: timeoutMs,
    telemetry: false,
    ...(target
      ? {
          host: target.hostname,
          port: Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
          protocol: target.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
  const base = options.baseUrl ?? `https://${STRIPE_PRODUCTION_HOST}`;

  async function call<T>(path: string, task: () => Promise<unknown>, schema: z.ZodType<T>) {
    const url = `${base}${path}`;
    return options.breaker.run(async () => {
      let body: unknown;
      try {
        body = await task();
      } catch (error) {
        throw toProviderError(error, url, timeoutMs);
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        throw new ProviderSchemaError({
          provider: 'stripe',
          message: 'response does not match the expected schema',
          issues: parsed.error.issues,
          url,
        });
      }
      return parsed.data;
    });
  }

  return {
    async createCustomer({ vendorId, name, email }) {
      const customer = await call(
        '/v1/customers',
        () =>
          stripe.customers.create(
            { name, ...(email ? { email } : {}), metadata: { vendor_id: vendorId } },
            { idempotencyKey: `customer-${vendorId}` },
          ),
        CustomerSchema,
      );
      return { id: customer.id };
    },

    async createCheckoutSession(input) {
      const session = await call(
        '/v1/checkout/sessions',
        () =>
          stripe.checkout.sessions.create({
            mode: 'subscription',
            customer: input.customerId,
            client_reference_id: input.vendorId,
            line_items: [{ price: input.priceId, quantity: 1 }],
            allow_promotion_codes: true,
            automatic_tax: { enabled: input.automaticTax },
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
            metadata: { vendor_id: input.vendorId, plan: input.plan },
            subscription_data: {
              metadata: { vendor_id: input.vendorId, plan: input.plan },
              ...(input.trialEnd ? { trial_end: input.trialEnd } : {}),
            },
          }),
        StripeCheckoutSessionSchema,
      );
      if (!session.url) {
        throw new ProviderSchemaError({
          provider: 'stripe',
          message: 'checkout session has no url',
        });
      }
      return { id: session.id, url: session.url };
    },

    async createPortalSession({ customerId, returnUrl }) {
      const session = await call(
        '/v1/billing_portal/sessions',
        () => stripe.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl }),
        PortalSessionSchema,
      );
      return { url: session.url };
    },

    retrieveSubscription(subscriptionId) {
      return call(
        `/v1/subscriptions/${subscriptionId}`,
        () => stripe.subscriptions.retrieve(subscriptionId),
        StripeSubscriptionSchema,
      );
    },

    async cancelSubscription(subscriptionId) {
      await call(
        `/v1/subscriptions/${subscriptionId}`,
        () => stripe.subscriptions.cancel(subscriptionId),
        StripeSubscriptionSchema,
      );
    },

    verifyWebhook(rawBody, signature) {
      if (typeof signature !== 'string' || signature.length > 2_048) return null;
      let event: unknown;
      try {
        event = stripe.webhooks.constructEvent(
          rawBody,
          signature,
          options.webhookSecret,
          STRIPE_WEBHOOK_TOLERANCE_SECONDS,
          undefined,
          options.now ? options.now().getTime() : undefined,
        );
      } catch {
        return null;
      }
      const parsed = StripeEventSchema.safeParse(event);
      return parsed.success ? parsed.data : null;
    },
  };
}

/**
 * Signs a webhook body as Stripe does (`t=<ts>,v1=<hex HMAC-SHA256(secret, t.body)>`), with the
 * SDK's own test helper: the fake's deliveries and tests.
 */
export function signStripeWebhook(input: {
  payload: string;
  secret: string;
  timestamp?: number;
}): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload: input.payload,
    secret: input.secret,
    ...(input.timestamp !== undefined ? { timestamp: input.timestamp } : {}),
  });
}
