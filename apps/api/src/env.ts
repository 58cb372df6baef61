import { z } from 'zod';

// The API's whole configuration, parsed once at start-up (STYLE.md #10). Nothing else reads
// process.env; everything below receives this object.

const booleanString = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(1).max(65_535).default(4000),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Until accounts exist (issue 4), requests without credentials act as this vendor, read-only.
   * Set by `npm start` for the seeded demo vendor; unset in production.
   */
  DEMO_VENDOR_ID: z.uuid().optional(),
  /**
   * Reverse proxies in front of the API whose X-Forwarded-For entry is believed: 1 behind the web
   * app alone (npm start, compose), 2 with a TLS proxy before the web app, 0 for direct clients.
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(1),
  /** Load shedding (503 + Retry-After): mean event-loop delay (ms) past which requests are shed. */
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(10).default(200),
  /** Load shedding: event-loop utilization (0..1) past which requests are shed. */
  OVERLOAD_MAX_EVENT_LOOP_UTILIZATION: z.coerce.number().min(0.1).max(1).default(0.98),
  /** Load shedding: V8 heap in use (bytes) past which requests are shed; unset: no bound. */
  OVERLOAD_MAX_HEAP_BYTES: z.coerce.number().int().min(1_048_576).optional(),
  /** Load shedding: resident set size (bytes) past which requests are shed; unset: no bound. */
  OVERLOAD_MAX_RSS_BYTES: z.coerce.number().int().min(1_048_576).optional(),
  /** Log every request line (off in tests). */
  LOG_REQUESTS: booleanString.default(true),
  /** Signs CSRF tokens. Required in production (32+ random characters); random per process otherwise. */
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  /** The web app's public origin: links in emails, allowed CORS origin. */
  PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
  /**
   * Web Push (issue 19): the VAPID public key browsers subscribe with (base64url; the worker holds
   * the private key). npm start generates a demo pair; unset: push is off.
   */
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{80,100}$/)
    .optional(),
  /** Extra origins allowed to call the API from a browser, comma-separated. */
  CORS_ORIGINS: z.string().default(''),
  /** Private directory of data export archives, shared with the worker (default .marketprep/exports). */
  EXPORT_DIR: z.string().min(1).optional(),
  /** SMTP transport URL (smtps://user:pass@host:465). Without it mail goes to the dev outbox. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().default('MarketPrep <no-reply@marketprep.app>'),
  /**
   * Redis for shared rate-limit counters and queue depth. Required in production; without it
   * (development) the limits are in-process.
   */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** BullMQ key prefix (as the worker's), for queue depth in /health/detailed. */
  QUEUE_PREFIX: z.string().min(1).default('{mp}'),
  /**
   * Bearer token for Prometheus on /metrics and /health/detailed. Unset: /metrics is public in
   * development and admin-only in production.
   */
  METRICS_TOKEN: z.string().min(24, 'METRICS_TOKEN must be at least 24 characters').optional(),
  /** Window of the rate limits (ms). */
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1_000).default(60_000),
  /** Requests per window per IP without credentials. */
  RATE_LIMIT_ANONYMOUS_MAX: z.coerce.number().int().min(1).default(600),
  /** Requests per window per session or API token. */
  RATE_LIMIT_IDENTITY_MAX: z.coerce.number().int().min(1).default(1_200),
  /** Requests per window per IP that carry credentials (bounds credential rotation). */
  RATE_LIMIT_IP_MAX: z.coerce.number().int().min(1).default(6_000),
  /**
   * Memory of the answer cache of GETs, per API process (MiB; 0 turns it off). Answers are kept
   * while the business's data version and the minute are unchanged (plugins/response-cache.ts).
   */
  ANSWER_CACHE_MB: z.coerce.number().int().min(0).max(4_096).default(64),
  /** Largest accepted request body in bytes (413 above). */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(104_857_600).default(1_048_576),
  /** Square OAuth application (Developer Dashboard). Unset in development: Square answers 503. */
  SQUARE_APPLICATION_ID: z.string().min(1).optional(),
  SQUARE_APPLICATION_SECRET: z.string().min(1).optional(),
  /** Square API origin: https://connect.squareup.com, the sandbox, or the local fake. */
  SQUARE_BASE_URL: z.url().default('https://connect.squareup.com'),
  /** Signature key of the webhook subscription. */
  SQUARE_WEBHOOK_SIGNATURE_KEY: z.string().min(1).optional(),
  /** The notification URL registered with Square, byte for byte (it is part of the signature). */
  SQUARE_WEBHOOK_URL: z.url().optional(),
  /** OAuth token encryption keys "k1:<base64 32 bytes>,k2:..." and the id new tokens use. */
  TOKEN_ENCRYPTION_KEYS: z.string().min(1).optional(),
  TOKEN_ENCRYPTION_KEY_ID: z.string().min(1).optional(),
  /** Stripe secret key (sk_live_/sk_test_/rk_). Unset: billing "not configured", nothing limited. */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(live|test)_\w+$/)
    .optional(),
  /** Signing secret of the /v1/webhooks/stripe endpoint (whsec_...). Required with the key. */
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_\w+$/)
    .optional(),
  /** Stripe Price per plan and interval: "starter:month=price_...,starter:year=price_...,...". */
  STRIPE_PRICE_IDS: z.string().default(''),
  /** Stripe API origin; only the local fake (npm start's demo) sets it. */
  STRIPE_API_BASE: z.url().optional(),
  /** Stripe Tax on Checkout (off by default). */
  STRIPE_AUTOMATIC_TAX: booleanString.default(false),
  /** The plans file (default apps/api/config/billing-plans.json). */
  BILLING_PLANS_FILE: z.string().min(1).optional(),
  /** Webhook endpoints may be loopback URLs (the demo's, tests'); refused in production. */
  WEBHOOK_ALLOW_LOOPBACK: booleanString.default(false),
});

// The whole value is a placeholder (a prefix test would refuse 1 in 32 random base64 secrets, the
// ones starting with x or 0).
const PLACEHOLDER = /^(change-?me|secret|password|x+|0+|test|dev|placeholder)[\W\d_]*$/i;

/** Words that mark a secret someone typed rather than generated. */
const TYPED_WORDS =
  /(change-?me|replace|openssl|secret|passw(or)?d|example|placeholder|marketprep|session|qwerty|letmein)/i;

/**
 * Why a production secret is too weak to sign sessions, or undefined when it looks generated
 * (`openssl rand -base64 32`, `openssl rand -hex 32`). Catches what people type instead: words,
 * a short unit repeated ("abcabc..."), runs of neighbouring characters ("abcdef...", "123456...")
 * and secrets drawn from few distinct characters.
 */
export function weakSecretReason(secret: string): string | undefined {
  if (secret.length < 32) return 'is shorter than 32 characters';
  if (TYPED_WORDS.test(secret)) return 'contains a placeholder word';
  if (new Set(secret).size < 10) return 'uses fewer than 10 distinct characters';
  for (let period = 1; period <= secret.length / 2; period += 1) {
    if (secret.slice(period) === secret.slice(0, secret.length - period)) {
      return 'repeats a short pattern';
    }
  }
  let neighbours = 0;
  for (let i = 1; i < secret.length; i += 1) {
    if (Math.abs(secret.charCodeAt(i) - secret.charCodeAt(i - 1)) <= 1) neighbours += 1;
  }
  // Random base64 has a neighbouring pair about 1 time in 20 (hex 1 in 5); a typed run has them
  // throughout.
  if (neighbours > secret.length / 2) return 'is a run of neighbouring characters';
  return undefined;
}

/** The API's parsed configuration. */
export type ApiEnv = z.infer<typeof EnvSchema>;

/** Parses the environment, or throws one readable message naming every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): ApiEnv {
  // An empty variable (`REDIS_URL=`) means "not set", as in most shells' .env conventions.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid API configuration: ${problems}`);
  }
  const env = parsed.data;
  if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
    throw new Error(
      'Invalid API configuration: STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY (webhooks are how subscriptions reach the app)',
    );
  }
  if (env.NODE_ENV === 'production' && env.WEBHOOK_ALLOW_LOOPBACK) {
    throw new Error(
      'Invalid API configuration: WEBHOOK_ALLOW_LOOPBACK must be false in production',
    );
  }
  if (env.NODE_ENV === 'production') {
    if (env.DEMO_VENDOR_ID) {
      throw new Error('Invalid API configuration: DEMO_VENDOR_ID must not be set in production');
    }
    const weakness = env.SESSION_SECRET ? weakSecretReason(env.SESSION_SECRET) : 'is not set';
    if (weakness) {
      throw new Error(
        `Invalid API configuration: SESSION_SECRET ${weakness}; in production it must be a random value of 32+ characters (openssl rand -base64 32)`,
      );
    }
    if (env.STRIPE_API_BASE) {
      throw new Error(
        'Invalid API configuration: STRIPE_API_BASE (the local Stripe fake) must not be set in production',
      );
    }
    if (!env.REDIS_URL) {
      throw new Error(
        'Invalid API configuration: REDIS_URL is required in production (rate limits and the login throttle are shared through it by every API process)',
      );
    }
    if (env.METRICS_TOKEN && PLACEHOLDER.test(env.METRICS_TOKEN)) {
      throw new Error(
        'Invalid API configuration: METRICS_TOKEN must be a random value in production',
      );
    }
    const missingSquare = (
      [
        'SQUARE_APPLICATION_ID',
        'SQUARE_APPLICATION_SECRET',
        'SQUARE_WEBHOOK_SIGNATURE_KEY',
        'SQUARE_WEBHOOK_URL',
        'TOKEN_ENCRYPTION_KEYS',
        'TOKEN_ENCRYPTION_KEY_ID',
      ] as const
    ).filter((name) => !env[name]);
    if (missingSquare.length > 0) {
      throw new Error(
        `Invalid API configuration: ${missingSquare.join(', ')} required in production (Square connect and token encryption)`,
      );
    }
    if (env.SQUARE_APPLICATION_SECRET && PLACEHOLDER.test(env.SQUARE_APPLICATION_SECRET)) {
      throw new Error(
        'Invalid API configuration: SQUARE_APPLICATION_SECRET looks like a placeholder',
      );
    }
    if (!env.SMTP_URL) {
      throw new Error(
        'Invalid API configuration: SMTP_URL is required in production (password resets and invitations send mail)',
      );
    }
  }
  return parsed.data;
}
