import { BreakerRegistry, createStripeClient, type StripeApi } from '@marketprep/integrations';
import { loadPlansConfig, type PlansConfig } from '@marketprep/planning';
import type { BillingModuleConfig } from './billing.service';

const PRICE_ENTRY = /^([a-z][a-z0-9-]{0,31}):(month|year)=(price_[A-Za-z0-9_]{1,200})$/;

/**
 * Parses STRIPE_PRICE_IDS (`starter:month=price_123,starter:year=price_456,...`) into
 * `{ 'starter:month': 'price_123', ... }`, checking each plan exists.
 */
export function parsePriceIds(value: string, plans: PlansConfig): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = PRICE_ENTRY.exec(entry);
    if (!match) {
      throw new Error(
        `Invalid STRIPE_PRICE_IDS entry "${entry}": expected plan:month=price_... or plan:year=price_...`,
      );
    }
    const [, plan = '', interval = '', price = ''] = match;
    if (!plans.plans.some((p) => p.id === plan)) {
      throw new Error(`STRIPE_PRICE_IDS names plan "${plan}", which the plans file does not have`);
    }
    result[`${plan}:${interval}`] = price;
  }
  return result;
}

/** Builds the billing module's configuration from the API's settings (server.ts, tests). */
export function createBillingConfig(options: {
  secretKey: string;
  webhookSecret: string;
  priceIds: string;
  /** The Stripe fake's origin in demo mode; Stripe's API otherwise. */
  baseUrl?: string;
  automaticTax?: boolean;
  plansFile?: string;
  /** A client to use instead of the SDK one (tests). */
  client?: StripeApi;
  breakers?: BreakerRegistry;
}): BillingModuleConfig {
  const plans = loadPlansConfig(options.plansFile);
  return {
    plans,
    priceIds: parsePriceIds(options.priceIds, plans),
    automaticTax: options.automaticTax ?? false,
    client:
      options.client ??
      createStripeClient({
        secretKey: options.secretKey,
        webhookSecret: options.webhookSecret,
        baseUrl: options.baseUrl,
        breaker: (options.breakers ?? new BreakerRegistry()).get('stripe'),
      }),
  };
}
