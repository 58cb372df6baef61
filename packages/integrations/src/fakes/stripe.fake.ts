import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signStripeWebhook } from '../stripe/stripe.client';
import { FakeHttpServer, type FakeHandlerRequest, type FakeResponse } from './fake-server';

/** The secret key the Stripe fake accepts unless told otherwise. */
export const FAKE_STRIPE_SECRET_KEY = 'sk_test_fake_marketprep';

/** A price the fake serves: id, amount and interval. */
export interface FakeStripePrice {
  id: string;
  unitAmount: number;
  interval: 'month' | 'year';
  currency?: string;
}

/** Options of the Stripe fake. */
export interface StripeFakeOptions {
  secretKey?: string;
  /** Endpoint secret the deliveries are signed with (`whsec_...`); random when omitted. */
  webhookSecret?: string;
  /** Where events are POSTed (`/v1/webhooks/stripe`); none: kept for `takeEvents()`. */
  webhookUrl?: string;
  /** Deliver each event as it happens (default true when `webhookUrl` is set). */
  autoDeliver?: boolean;
  prices?: FakeStripePrice[];
  /** The fake's clock (advanced with `advanceClock`); the real clock when omitted. */
  now?: () => Date;
}

/** A signed delivery, ready to POST. */
export interface FakeStripeDelivery {
  eventId: string;
  type: string;
  rawBody: string;
  signature: string;
}

type Json = Record<string, unknown>;

interface FakeSubscription {
  id: string;
  customer: string;
  priceId: string;
  status: string;
  created: number;
  trialEnd: number | null;
  periodStart: number;
  periodEnd: number;
  cancelAtPeriodEnd: boolean;
  canceledAt: number | null;
  metadata: Record<string, string>;
  /** A card was given in Checkout: renewals charge it. */
  hasCard: boolean;
}

interface FakeCheckoutSession {
  id: string;
  customer: string;
  priceId: string;
  clientReferenceId: string | null;
  successUrl: string;
  cancelUrl: string;
  status: 'open' | 'complete' | 'expired';
  subscription: string | null;
  trialEnd: number | null;
  metadata: Record<string, string>;
  subscriptionMetadata: Record<string, string>;
  allowPromotionCodes: boolean;
  automaticTax: boolean;
  created: number;
}

const DAY = 86_400;

/** Stripe's published sample objects (stripe-mock's fixtures), the templates of every answer. */
function loadFixtures(): Record<string, Json> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const file = path.resolve(
    here,
    '../../../../third_party/provider-contracts/stripe/fixtures3.json',
  );
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { resources: Record<string, Json> };
  return parsed.resources;
}

let fixtures: Record<string, Json> | undefined;
function template(resource: string): Json {
  fixtures ??= loadFixtures();
  const found = fixtures[resource];
  if (!found) throw new Error(`no Stripe fixture for ${resource}`);
  return structuredClone(found);
}

/**
 * Parses Stripe's form encoding (`a[b][0][c]=v`, what the SDK sends) into nested objects and
 * arrays.
 */
export function parseStripeForm(body: string): Json {
  const root: Json = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.replace(/\]/g, '').split('[');
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, index) => {
      const last = index === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[index + 1] ?? '');
      const container = node as Record<string, unknown>;
      if (last) {
        container[part] = value;
        return;
      }
      container[part] ??= nextIsIndex ? [] : {};
      node = container[part] as Record<string, unknown>;
    });
  }
  return root;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * A local fake of the Stripe endpoints billing uses: customers, Checkout Sessions (with a hosted
 * page that "pays"), Billing Portal sessions (a hosted page that cancels or switches plan),
 * subscriptions, prices and events. Answers are Stripe's published fixtures with the fake's
 * values filled in. It signs and sends webhooks like Stripe (`Stripe-Signature`), advances a test
 * clock (trial end, renewals, a failed payment) and fails in the usual ways (`setMode`).
 */
export class StripeFake extends FakeHttpServer {
  readonly secretKey: string;
  readonly webhookSecret: string;
  webhookUrl: string | undefined;
  private readonly autoDeliver: boolean;
  private readonly prices = new Map<string, FakeStripePrice>();
  private readonly customers = new Map<string, Json>();
  private readonly sessions = new Map<string, FakeCheckoutSession>();
  private readonly portals = new Map<string, { customer: string; returnUrl: string }>();
  private readonly subscriptions = new Map<string, FakeSubscription>();
  private readonly events: Json[] = [];
  private readonly pending: Json[] = [];
  private offsetSeconds = 0;
  private failNextPayments = 0;
  private readonly baseNow: () => Date;
  private seq = 0;
  /** Deliveries that did not get a 2xx (kept to resend). */
  readonly failedDeliveries: FakeStripeDelivery[] = [];

  constructor(options: StripeFakeOptions = {}) {
    super(
      'stripe',
      (request) => this.route(request),
      (status) => ({
        status,
        body: { error: { type: 'api_error', message: 'The fake is failing on purpose.' } },
      }),
    );
    this.secretKey = options.secretKey ?? FAKE_STRIPE_SECRET_KEY;
    this.webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(24).toString('hex')}`;
    this.webhookUrl = options.webhookUrl;
    this.autoDeliver = options.autoDeliver ?? options.webhookUrl !== undefined;
    this.baseNow = options.now ?? (() => new Date());
    for (const price of options.prices ?? []) this.prices.set(price.id, price);
  }

  /** The fake's current time (unix seconds), the test clock included. */
  get clock(): number {
    return Math.floor(this.baseNow().getTime() / 1000) + this.offsetSeconds;
  }

  /** Adds a price the fake knows. */
  addPrice(price: FakeStripePrice): void {
    this.prices.set(price.id, price);
  }

  /** The next `count` charges (renewal or retry) fail: invoice.payment_failed, past_due. */
  failNextPayment(count = 1): void {
    this.failNextPayments = count;
  }

  /** Every event created so far, oldest first. */
  listEvents(): readonly Json[] {
    return this.events;
  }

  /** Events not delivered yet (when not delivering automatically), removed from the queue. */
  takeEvents(): Json[] {
    return this.pending.splice(0);
  }

  /** Queues events again (a redelivery after the endpoint failed). */
  requeue(events: readonly Json[]): void {
    this.pending.push(...events);
  }

  /** Signs an event as Stripe does, with the fake's endpoint secret (or `secret`). */
  sign(event: Json, options: { secret?: string; timestamp?: number } = {}): FakeStripeDelivery {
    const rawBody = JSON.stringify(event);
    return {
      eventId: String(event.id),
      type: String(event.type),
      rawBody,
      signature: signStripeWebhook({
        payload: rawBody,
        secret: options.secret ?? this.webhookSecret,
        timestamp: options.timestamp ?? this.clock,
      }),
    };
  }

  /** POSTs a delivery to the webhook URL; returns the status (0 when unreachable). */
  async deliver(delivery: FakeStripeDelivery): Promise<number> {
    if (!this.webhookUrl) return 0;
    try {
      const response = await fetch(this.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': delivery.signature },
        body: delivery.rawBody,
      });
      await response.arrayBuffer();
      if (response.status >= 300) this.failedDeliveries.push(delivery);
      return response.status;
    } catch {
      this.failedDeliveries.push(delivery);
      return 0;
    }
  }

  /** Sends the queued events in order (what Stripe does, one after another). */
  async flush(): Promise<number[]> {
    const statuses: number[] = [];
    for (const event of this.takeEvents()) statuses.push(await this.deliver(this.sign(event)));
    return statuses;
  }

  /**
   * Advances the test clock: a trial whose end passes converts (card: active with an invoice
   * paid; no card: canceled), a period whose end passes renews (paid, or past_due when a payment
   * is set to fail), a past_due subscription is retried each day (paid when no failure is set).
   * Webhooks follow, as Stripe sends them.
   */
  async advanceClock(seconds: number): Promise<void> {
    this.offsetSeconds += Math.max(0, Math.floor(seconds));
    const now = this.clock;
    for (const sub of this.subscriptions.values()) {
      const wasPastDue = sub.status === 'past_due';
      if (sub.status === 'trialing' && sub.trialEnd !== null) {
        if (sub.trialEnd - 3 * DAY <= now && !sub.metadata.__trialWillEndSent) {
          sub.metadata.__trialWillEndSent = '1';
          this.emit('customer.subscription.trial_will_end', this.subscriptionJson(sub));
        }
        if (sub.trialEnd <= now) {
          if (sub.cancelAtPeriodEnd) this.cancel(sub, sub.trialEnd);
          else if (sub.hasCard) this.charge(sub, sub.trialEnd);
          else this.cancel(sub, now);
        }
      }
      while (sub.status === 'active' && sub.periodEnd <= now) {
        if (sub.cancelAtPeriodEnd) {
          this.cancel(sub, sub.periodEnd);
          break;
        }
        this.charge(sub, sub.periodEnd);
      }
      if (wasPastDue && sub.status === 'past_due' && this.failNextPayments === 0) {
        this.charge(sub, now, true);
      }
    }
    if (this.autoDeliver) await this.flush();
  }

  /** Pays the open invoice of a past_due subscription now (the owner updated the card). */
  async recoverPayment(subscriptionId: string): Promise<void> {
    const sub = this.subscriptions.get(subscriptionId);
    if (sub?.status === 'past_due') {
      this.failNextPayments = 0;
      this.charge(sub, this.clock, true);
    }
    if (this.autoDeliver) await this.flush();
  }

  /** The subscription of a customer (tests, the demo's control). */
  findSubscriptionByCustomer(customerId: string): string | undefined {
    for (const sub of this.subscriptions.values()) if (sub.customer === customerId) return sub.id;
    return undefined;
  }

  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}_fake${this.seq.toString().padStart(6, '0')}${randomBytes(4).toString('hex')}`;
  }

  private emit(type: string, object: Json): void {
    const event = template('event');
    Object.assign(event, {
      id: this.nextId('evt'),
      type,
      created: this.clock,
      livemode: false,
      api_version: '2026-11-18.endive',
      pending_webhooks: this.webhookUrl ? 1 : 0,
      data: { object },
      request: { id: null, idempotency_key: null },
    });
    this.events.push(event);
    this.pending.push(event);
  }

  private charge(sub: FakeSubscription, at: number, retry = false): void {
    const price = this.prices.get(sub.priceId);
    const invoice = this.invoiceJson(sub, price?.unitAmount ?? 0);
    if (this.failNextPayments > 0) {
      this.failNextPayments -= 1;
      if (!retry) this.startPeriod(sub, at);
      sub.status = 'past_due';
      this.emit('invoice.payment_failed', { ...invoice, status: 'open', attempted: true });
      this.emit('customer.subscription.updated', this.subscriptionJson(sub));
      return;
    }
    if (!retry) this.startPeriod(sub, at);
    sub.status = 'active';
    this.emit('invoice.paid', { ...invoice, status: 'paid', amount_paid: invoice.amount_due });
    this.emit('customer.subscription.updated', this.subscriptionJson(sub));
  }

  private startPeriod(sub: FakeSubscription, at: number): void {
    const interval = this.prices.get(sub.priceId)?.interval ?? 'month';
    sub.periodStart = at;
    sub.periodEnd = at + (interval === 'year' ? 365 : 30) * DAY;
  }

  private cancel(sub: FakeSubscription, at: number): void {
    sub.status = 'canceled';
    sub.canceledAt = at;
    this.emit('customer.subscription.deleted', this.subscriptionJson(sub));
  }

  private priceJson(price: FakeStripePrice): Json {
    const json = template('price');
    Object.assign(json, {
      id: price.id,
      unit_amount: price.unitAmount,
      unit_amount_decimal: String(price.unitAmount),
      currency: price.currency ?? 'usd',
      recurring: {
        interval: price.interval,
        interval_count: 1,
        meter: null,
        usage_type: 'licensed',
        trial_period_days: null,
      },
      created: this.clock,
    });
    return json;
  }

  private subscriptionJson(sub: FakeSubscription): Json {
    const json = template('subscription');
    const price = this.prices.get(sub.priceId);
    const items = json.items as { data: Json[] } & Json;
    const item = structuredClone(items.data[0] ?? {});
    Object.assign(item, {
      id: `si_${sub.id.slice(4)}`,
      subscription: sub.id,
      price: price ? this.priceJson(price) : item.price,
      quantity: 1,
      current_period_start: sub.periodStart,
      current_period_end: sub.periodEnd,
      created: sub.created,
    });
    const metadata = Object.fromEntries(
      Object.entries(sub.metadata).filter(([key]) => !key.startsWith('__')),
    );
    Object.assign(json, {
      id: sub.id,
      customer: sub.customer,
      status: sub.status,
      created: sub.created,
      start_date: sub.created,
      billing_cycle_anchor: sub.periodStart,
      cancel_at_period_end: sub.cancelAtPeriodEnd,
      cancel_at: sub.cancelAtPeriodEnd ? sub.periodEnd : null,
      canceled_at: sub.canceledAt,
      ended_at: sub.status === 'canceled' ? sub.canceledAt : null,
      trial_start: sub.trialEnd ? sub.created : null,
      trial_end: sub.trialEnd,
      metadata,
      livemode: false,
      test_clock: null,
      items: { ...items, data: [item], url: `/v1/subscription_items?subscription=${sub.id}` },
    });
    return json;
  }

  private invoiceJson(sub: FakeSubscription, amount: number): Json {
    const json = template('invoice');
    Object.assign(json, {
      id: this.nextId('in'),
      customer: sub.customer,
      amount_due: amount,
      amount_paid: 0,
      amount_remaining: amount,
      billing_reason: 'subscription_cycle',
      created: this.clock,
      livemode: false,
      hosted_invoice_url: null,
    });
    return json;
  }

  private sessionJson(session: FakeCheckoutSession, baseUrl: string): Json {
    const json = template('checkout.session');
    Object.assign(json, {
      id: session.id,
      object: 'checkout.session',
      mode: 'subscription',
      customer: session.customer,
      client_reference_id: session.clientReferenceId,
      subscription: session.subscription,
      success_url: session.successUrl,
      cancel_url: session.cancelUrl,
      status: session.status,
      payment_status: session.status === 'complete' ? 'paid' : 'unpaid',
      allow_promotion_codes: session.allowPromotionCodes,
      metadata: session.metadata,
      url: session.status === 'open' ? `${baseUrl}/checkout/${session.id}` : null,
      created: session.created,
      expires_at: session.created + DAY,
      livemode: false,
    });
    (json.automatic_tax as Json).enabled = session.automaticTax;
    return json;
  }

  private stripeError(status: number, message: string, param?: string): FakeResponse {
    return {
      status,
      body: {
        error: {
          type: status === 401 ? 'invalid_request_error' : 'invalid_request_error',
          message,
          ...(param ? { param } : {}),
        },
      },
    };
  }

  private html(title: string, body: string): FakeResponse {
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}button{font-size:1rem;padding:.6rem 1rem;margin:.3rem 0;width:100%}p.note{color:#555}</style></head><body>${body}</body></html>`,
    };
  }

  private redirect(location: string): FakeResponse {
    return { status: 303, body: '', contentType: 'text/plain', headers: { location } };
  }

  private route(request: FakeHandlerRequest): FakeResponse {
    const { url, baseUrl } = request;
    const method = request.method ?? 'GET';
    const pathname = url.pathname;
    const form = parseStripeForm(request.body ?? '');

    // Hosted pages (the browser, no API key).
    let match = /^\/checkout\/(cs_[\w]+)(\/pay)?$/.exec(pathname);
    if (match) {
      const session = this.sessions.get(match[1] ?? '');
      if (!session) return this.html('Not found', '<h1>This checkout link is not valid.</h1>');
      if (match[2] && method === 'POST') return this.completeCheckout(session);
      const price = this.prices.get(session.priceId);
      const amount = price ? `$${(price.unitAmount / 100).toFixed(2)} / ${price.interval}` : '';
      return this.html(
        'Checkout (Stripe fake)',
        `<h1>Subscribe</h1><p>${session.metadata.plan ?? ''} ${amount}</p><p class="note">Stripe test mode (local fake): no card is charged.</p><form method="post" action="/checkout/${session.id}/pay"><button type="submit">Pay and subscribe</button></form><p><a href="${session.cancelUrl}">Back</a></p>`,
      );
    }
    match = /^\/portal\/(bps_[\w]+)(\/cancel)?$/.exec(pathname);
    if (match) {
      const portal = this.portals.get(match[1] ?? '');
      if (!portal) return this.html('Not found', '<h1>This billing link is not valid.</h1>');
      const subId = this.findSubscriptionByCustomer(portal.customer);
      const sub = subId ? this.subscriptions.get(subId) : undefined;
      if (match[2] && method === 'POST') {
        if (sub && sub.status !== 'canceled') {
          sub.cancelAtPeriodEnd = true;
          this.emit('customer.subscription.updated', this.subscriptionJson(sub));
          if (this.autoDeliver) void this.flush();
        }
        return this.redirect(portal.returnUrl);
      }
      return this.html(
        'Billing (Stripe fake)',
        `<h1>Manage billing</h1><p>Subscription: ${sub ? sub.status : 'none'}${sub?.cancelAtPeriodEnd ? ' (cancels at period end)' : ''}</p><form method="post" action="/portal/${match[1]}/cancel"><button type="submit">Cancel plan</button></form><p><a href="${portal.returnUrl}">Return to MarketPrep</a></p>`,
      );
    }

    // The demo's test-clock controls (loopback only, like the fake itself).
    if (method === 'POST' && pathname === '/_fake/advance') {
      const days = Number(url.searchParams.get('days') ?? '1');
      if (!Number.isFinite(days) || days < 0 || days > 400)
        return this.stripeError(400, 'days 0..400');
      void this.advanceClock(days * DAY);
      return { status: 202, body: { advancedDays: days, clock: this.clock + days * DAY } };
    }
    if (method === 'POST' && pathname === '/_fake/fail-next-payment') {
      this.failNextPayment(Number(url.searchParams.get('count') ?? '1') || 1);
      return { status: 202, body: { failing: true } };
    }

    // The API (secret key).
    const auth = request.headers?.authorization;
    if (auth !== `Bearer ${this.secretKey}`) {
      return this.stripeError(401, 'Invalid API Key provided.');
    }
    if (method === 'POST' && pathname === '/v1/customers') {
      const customer = template('customer');
      Object.assign(customer, {
        id: this.nextId('cus'),
        name: text(form.name) ?? null,
        email: text(form.email) ?? null,
        metadata: (form.metadata as Json | undefined) ?? {},
        created: this.clock,
        livemode: false,
        discount: null,
      });
      this.customers.set(String(customer.id), customer);
      return { status: 200, body: customer };
    }
    match = /^\/v1\/customers\/(cus_\w+)$/.exec(pathname);
    if (match && method === 'GET') {
      const customer = this.customers.get(match[1] ?? '');
      return customer
        ? { status: 200, body: customer }
        : this.stripeError(404, `No such customer: '${match[1]}'`, 'id');
    }
    if (method === 'POST' && pathname === '/v1/checkout/sessions') {
      return this.createCheckout(form, baseUrl);
    }
    match = /^\/v1\/checkout\/sessions\/(cs_\w+)$/.exec(pathname);
    if (match && method === 'GET') {
      const session = this.sessions.get(match[1] ?? '');
      return session
        ? { status: 200, body: this.sessionJson(session, baseUrl) }
        : this.stripeError(404, `No such checkout.session: '${match[1]}'`, 'session');
    }
    if (method === 'POST' && pathname === '/v1/billing_portal/sessions') {
      const customer = text(form.customer);
      const returnUrl = text(form.return_url);
      if (!customer || !this.customers.has(customer)) {
        return this.stripeError(400, `No such customer: '${customer ?? ''}'`, 'customer');
      }
      const id = this.nextId('bps');
      this.portals.set(id, { customer, returnUrl: returnUrl ?? baseUrl });
      const json = template('billing_portal.session');
      Object.assign(json, {
        id,
        customer,
        return_url: returnUrl ?? null,
        url: `${baseUrl}/portal/${id}`,
        created: this.clock,
        livemode: false,
        flow: null,
      });
      return { status: 200, body: json };
    }
    match = /^\/v1\/subscriptions\/(sub_\w+)$/.exec(pathname);
    if (match) {
      const sub = this.subscriptions.get(match[1] ?? '');
      if (!sub) return this.stripeError(404, `No such subscription: '${match[1]}'`, 'id');
      if (method === 'DELETE' && sub.status !== 'canceled') this.cancel(sub, this.clock);
      if (method === 'DELETE' && this.autoDeliver) void this.flush();
      return { status: 200, body: this.subscriptionJson(sub) };
    }
    match = /^\/v1\/prices\/([\w]+)$/.exec(pathname);
    if (match && method === 'GET') {
      const price = this.prices.get(match[1] ?? '');
      return price
        ? { status: 200, body: this.priceJson(price) }
        : this.stripeError(404, `No such price: '${match[1]}'`, 'price');
    }
    match = /^\/v1\/events\/(evt_\w+)$/.exec(pathname);
    if (match && method === 'GET') {
      const event = this.events.find((e) => e.id === match?.[1]);
      return event
        ? { status: 200, body: event }
        : this.stripeError(404, `No such event: '${match[1]}'`, 'id');
    }
    return this.stripeError(404, `Unrecognized request URL (${method}: ${pathname}).`);
  }

  private createCheckout(form: Json, baseUrl: string): FakeResponse {
    if (form.mode !== 'subscription')
      return this.stripeError(400, 'Only subscription mode.', 'mode');
    const customer = text(form.customer);
    if (!customer || !this.customers.has(customer)) {
      return this.stripeError(400, `No such customer: '${customer ?? ''}'`, 'customer');
    }
    const lineItems = Array.isArray(form.line_items) ? (form.line_items as Json[]) : [];
    const priceId = text(lineItems[0]?.price);
    if (!priceId || !this.prices.has(priceId)) {
      return this.stripeError(400, `No such price: '${priceId ?? ''}'`, 'line_items[0][price]');
    }
    const successUrl = text(form.success_url);
    const cancelUrl = text(form.cancel_url);
    if (!successUrl || !cancelUrl)
      return this.stripeError(400, 'Missing success_url.', 'success_url');
    const subscriptionData = (form.subscription_data as Json | undefined) ?? {};
    const trialEnd = Number(text(subscriptionData.trial_end) ?? NaN);
    const session: FakeCheckoutSession = {
      id: this.nextId('cs_test'),
      customer,
      priceId,
      clientReferenceId: text(form.client_reference_id) ?? null,
      successUrl,
      cancelUrl,
      status: 'open',
      subscription: null,
      trialEnd: Number.isFinite(trialEnd) && trialEnd > this.clock ? trialEnd : null,
      metadata: (form.metadata as Record<string, string> | undefined) ?? {},
      subscriptionMetadata: (subscriptionData.metadata as Record<string, string> | undefined) ?? {},
      allowPromotionCodes: form.allow_promotion_codes === 'true',
      automaticTax: (form.automatic_tax as Json | undefined)?.enabled === 'true',
      created: this.clock,
    };
    this.sessions.set(session.id, session);
    return { status: 200, body: this.sessionJson(session, baseUrl) };
  }

  /** The hosted page's "Pay": the subscription starts, the events follow, back to success_url. */
  private completeCheckout(session: FakeCheckoutSession): FakeResponse {
    const back = session.successUrl.replace('{CHECKOUT_SESSION_ID}', session.id);
    if (session.status !== 'open') return this.redirect(back);
    const now = this.clock;
    const sub: FakeSubscription = {
      id: this.nextId('sub'),
      customer: session.customer,
      priceId: session.priceId,
      status: session.trialEnd ? 'trialing' : 'active',
      created: now,
      trialEnd: session.trialEnd,
      periodStart: now,
      periodEnd: session.trialEnd ?? now,
      cancelAtPeriodEnd: false,
      canceledAt: null,
      metadata: { ...session.subscriptionMetadata },
      hasCard: true,
    };
    if (!session.trialEnd) this.startPeriod(sub, now);
    this.subscriptions.set(sub.id, sub);
    session.status = 'complete';
    session.subscription = sub.id;
    this.emit('customer.subscription.created', this.subscriptionJson(sub));
    if (!session.trialEnd) {
      const price = this.prices.get(sub.priceId);
      const invoice = this.invoiceJson(sub, price?.unitAmount ?? 0);
      this.emit('invoice.paid', { ...invoice, status: 'paid', amount_paid: invoice.amount_due });
    }
    this.emit('checkout.session.completed', this.sessionJson(session, ''));
    if (this.autoDeliver) void this.flush();
    return this.redirect(back);
  }
}

/** Creates (does not start) a Stripe fake. */
export function createStripeFake(options: StripeFakeOptions = {}): StripeFake {
  return new StripeFake(options);
}
