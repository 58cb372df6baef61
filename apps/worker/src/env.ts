import { z } from 'zod';

// The worker's configuration, parsed once at start-up (STYLE.md #10).

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
  /**
   * BullMQ on Redis; required in production. Without it (development) jobs run in-process from
   * the PostgreSQL outbox.
   */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Prefix of BullMQ keys; `{mp}` is a Redis Cluster hash tag so a queue stays in one slot. */
  QUEUE_PREFIX: z.string().min(1).default('{mp}'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Weather and events providers (base URLs are the public ones unless pointed at fakes). */
  NWS_USER_AGENT: z.string().min(1).default('MarketPrep (ops@marketprep.example)'),
  NWS_BASE_URL: z.url().optional(),
  OPEN_METEO_BASE_URL: z.url().optional(),
  OPEN_METEO_ARCHIVE_URL: z.url().optional(),
  /** Without a key the events provider is off (refresh-events skips; not an error). */
  TICKETMASTER_API_KEY: z.string().min(1).optional(),
  TICKETMASTER_BASE_URL: z.url().optional(),
  /** Demo mode: start the local provider fakes in-process and point the clients at them. */
  PROVIDER_FAKES: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  /**
   * Demo mode only: port on 127.0.0.1 of the fakes' control server (switch a fake to failing,
   * run a schedule now); unset = off.
   */
  PROVIDER_FAKES_CONTROL_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /** Port of the worker's Prometheus `/metrics` (breakers, outbox backlog); unset = off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /** Outbox relay poll interval (ms). */
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  /** Square app credentials (as the API's); without them the square-sync job is not registered. */
  SQUARE_APPLICATION_ID: z.string().min(1).optional(),
  SQUARE_APPLICATION_SECRET: z.string().min(1).optional(),
  /** Square API origin: https://connect.squareup.com, the sandbox, or the local fake. */
  SQUARE_BASE_URL: z.url().default('https://connect.squareup.com'),
  /** Token encryption key ring "k1:<base64 32 bytes>,k2:..." and the current key id. */
  TOKEN_ENCRYPTION_KEYS: z.string().min(1).optional(),
  TOKEN_ENCRYPTION_KEY_ID: z.string().min(1).optional(),
  /** Private directory of data export archives, shared with the API (default .marketprep/exports). */
  EXPORT_DIR: z.string().min(1).optional(),
  /**
   * Key of the stable pseudonyms an erased business's audit log keeps (32+ characters). Required
   * in production; a fixed development key otherwise. Changing it breaks the link between old and
   * new pseudonyms only.
   */
  AUDIT_PSEUDONYM_KEY: z
    .string()
    .min(32, 'AUDIT_PSEUDONYM_KEY must be at least 32 characters')
    .optional(),
  /** Retention periods (SECURITY.md, Retention). */
  RETENTION_WEBHOOK_PAYLOAD_DAYS: z.coerce.number().int().min(1).default(30),
  RETENTION_WEBHOOK_ID_DAYS: z.coerce.number().int().min(4).default(90),
  RETENTION_OUTBOX_DAYS: z.coerce.number().int().min(1).default(7),
  RETENTION_READ_NOTIFICATION_DAYS: z.coerce.number().int().min(1).default(90),
  RETENTION_WEBHOOK_DELIVERY_DAYS: z.coerce.number().int().min(1).default(30),
  RETENTION_TOKEN_DAYS: z.coerce.number().int().min(0).default(1),
  RETENTION_PREP_LISTS_KEPT: z.coerce.number().int().min(0).default(3),
  RETENTION_AUDIT_LOG_DAYS: z.coerce.number().int().min(30).default(730),
  /** SMTP for the billing emails (as the API's). Unset: they are logged, not sent. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().default('MarketPrep <no-reply@marketprep.app>'),
  /**
   * Web Push (issue 19): the VAPID key pair (base64url, as `web-push generate-vapid-keys` prints;
   * npm start generates a demo pair) and the contact push services may write to. Unset: push off.
   */
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{80,100}$/)
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{40,50}$/)
    .optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)/)
    .default('mailto:alerts@marketprep.app'),
  /** The web app's origin, for the links in alert emails (as the API's). */
  PUBLIC_URL: z.url().optional(),
  /** Stripe, to cancel a business's subscription when it is erased (as the API's). */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(live|test)_\w+$/)
    .optional(),
  /** The billing plans file, as the API's (default apps/api/config/billing-plans.json). */
  BILLING_PLANS_FILE: z.string().min(1).optional(),
  /** Stripe API origin; only the local fake (npm start's demo) sets it. */
  STRIPE_API_BASE: z.url().optional(),
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(10).max(10_000).default(1_000),
  /**
   * Webhooks out may go to loopback addresses (tests, the demo's local receiver); refused in
   * production. Private, link-local and metadata addresses are refused regardless.
   */
  WEBHOOK_ALLOW_LOOPBACK: z
    .enum(['true', 'false', '1', '0'])
    .transform((value) => value === 'true' || value === '1')
    .default(false),
  /** Failed attempts in a row after which a webhook endpoint is turned off. */
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(10_000).default(100),
});

/** The worker's parsed configuration. */
export type WorkerEnv = z.infer<typeof EnvSchema>;

/** Parses the environment, or throws one readable message naming every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  // An empty variable (`REDIS_URL=`) means "not set", as in most shells' .env conventions.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid worker configuration: ${problems}`);
  }
  // The fakes stand in for the real providers: never in production, and their control only
  // where they run.
  const env = parsed.data;
  if (env.NODE_ENV === 'production' && env.PROVIDER_FAKES) {
    throw new Error('Invalid worker configuration: PROVIDER_FAKES must be false in production');
  }
  if (env.NODE_ENV === 'production' && !env.REDIS_URL) {
    throw new Error(
      'Invalid worker configuration: REDIS_URL is required in production (the in-process runner is for development: it does not spread jobs across workers)',
    );
  }
  if (env.NODE_ENV === 'production' && env.WEBHOOK_ALLOW_LOOPBACK) {
    throw new Error(
      'Invalid worker configuration: WEBHOOK_ALLOW_LOOPBACK must be false in production',
    );
  }
  if (env.NODE_ENV === 'production' && !env.AUDIT_PSEUDONYM_KEY) {
    throw new Error('Invalid worker configuration: AUDIT_PSEUDONYM_KEY is required in production');
  }
  if (
    env.NODE_ENV === 'production' &&
    !(env.TOKEN_ENCRYPTION_KEYS && env.TOKEN_ENCRYPTION_KEY_ID)
  ) {
    throw new Error(
      'Invalid worker configuration: TOKEN_ENCRYPTION_KEYS and TOKEN_ENCRYPTION_KEY_ID are required in production (webhook secrets and Square tokens are sealed with them; the same values as the API)',
    );
  }
  if (env.PROVIDER_FAKES_CONTROL_PORT !== undefined && !env.PROVIDER_FAKES) {
    throw new Error(
      'Invalid worker configuration: PROVIDER_FAKES_CONTROL_PORT needs PROVIDER_FAKES=true',
    );
  }
  return env;
}
