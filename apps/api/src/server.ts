import { createDatabaseClient } from '@marketprep/db';
import { Redis } from 'ioredis';
import { buildApp } from './app';
import { createBillingConfig } from './modules/billing/billing-config';
import { loadEnv } from './env';
import { serializeRequest } from './lib/log-redaction';
import { SmtpMailer } from './lib/mailer';
import {
  BreakerRegistry,
  TokenCipher,
  createSquareClient,
  parseTokenKeyRing,
} from '@marketprep/integrations';

// Starts the API: parse env, connect, listen, and close gracefully on SIGTERM/SIGINT (in-flight
// requests finish, then the pool closes).

async function main(): Promise<void> {
  const env = loadEnv();
  const db = createDatabaseClient({
    connectionString: env.DATABASE_URL,
    maxConnections: env.DATABASE_POOL_MAX,
    applicationName: 'marketprep-api',
    // A database that does not accept a connection within 1.5 s is away: answer 503, not wait.
    connectionTimeoutMs: 1_500,
  });
  // Redis for rate-limit counters and queue depth. Commands fail fast while it is down (no
  // offline queue), so a request never waits on Redis: the rate limiter decides in-process.
  const redis = env.REDIS_URL
    ? new Redis(env.REDIS_URL, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2_000,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      })
    : undefined;
  let redisErrorLogged = 0;
  redis?.on('error', (error: Error) => {
    if (Date.now() - redisErrorLogged < 30_000) return;
    redisErrorLogged = Date.now();
    console.error(`Redis unavailable (${error.message}); rate limits run in-process meanwhile`);
  });
  // One key ring seals Square tokens and webhook endpoint secrets (required in production).
  const tokenCipher =
    env.TOKEN_ENCRYPTION_KEYS && env.TOKEN_ENCRYPTION_KEY_ID
      ? new TokenCipher(parseTokenKeyRing(env.TOKEN_ENCRYPTION_KEYS, env.TOKEN_ENCRYPTION_KEY_ID))
      : undefined;
  // Square is on when its app, webhook and token keys are all configured (required in production).
  const square =
    env.SQUARE_APPLICATION_ID &&
    env.SQUARE_APPLICATION_SECRET &&
    env.SQUARE_WEBHOOK_SIGNATURE_KEY &&
    env.SQUARE_WEBHOOK_URL &&
    tokenCipher
      ? {
          client: createSquareClient({
            baseUrl: env.SQUARE_BASE_URL,
            applicationId: env.SQUARE_APPLICATION_ID,
            applicationSecret: env.SQUARE_APPLICATION_SECRET,
            breaker: new BreakerRegistry().get('square'),
          }),
          cipher: tokenCipher,
          webhookSignatureKey: env.SQUARE_WEBHOOK_SIGNATURE_KEY,
          webhookUrl: env.SQUARE_WEBHOOK_URL,
        }
      : undefined;
  // Billing is on when a Stripe key is configured (the webhook secret comes with it, see env.ts).
  const billing =
    env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET
      ? createBillingConfig({
          secretKey: env.STRIPE_SECRET_KEY,
          webhookSecret: env.STRIPE_WEBHOOK_SECRET,
          priceIds: env.STRIPE_PRICE_IDS,
          baseUrl: env.STRIPE_API_BASE,
          automaticTax: env.STRIPE_AUTOMATIC_TAX,
          plansFile: env.BILLING_PLANS_FILE,
        })
      : undefined;
  const app = await buildApp({
    billing,
    exportDir: env.EXPORT_DIR,
    pushPublicKey: env.VAPID_PUBLIC_KEY,
    square,
    db,
    redis,
    rateLimit: {
      windowMs: env.RATE_LIMIT_WINDOW_MS,
      anonymousMax: env.RATE_LIMIT_ANONYMOUS_MAX,
      identityMax: env.RATE_LIMIT_IDENTITY_MAX,
      ipMax: env.RATE_LIMIT_IP_MAX,
    },
    bodyLimit: env.BODY_LIMIT_BYTES,
    responseCache:
      env.ANSWER_CACHE_MB === 0 ? false : { maxBytes: env.ANSWER_CACHE_MB * 1024 * 1024 },
    metricsToken: env.METRICS_TOKEN,
    processMetrics: true,
    production: env.NODE_ENV === 'production',
    webhookTargets: {
      allowLoopback: env.WEBHOOK_ALLOW_LOOPBACK,
      requireHttps: env.NODE_ENV === 'production',
    },
    tokenCipher,
    queuePrefix: env.QUEUE_PREFIX,
    // npm start's demo (DEMO_VENDOR_ID set, never in production) keeps mail readable on loopback.
    devOutbox: env.DEMO_VENDOR_ID !== undefined,
    trustProxyHops: env.TRUST_PROXY,
    // 503 with Retry-After at once while PostgreSQL is away or frozen (plugins/database-watch.ts).
    databaseWatch: {},
    overload: {
      maxEventLoopDelayMs: env.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
      maxEventLoopUtilization: env.OVERLOAD_MAX_EVENT_LOOP_UTILIZATION,
      maxHeapUsedBytes: env.OVERLOAD_MAX_HEAP_BYTES,
      maxRssBytes: env.OVERLOAD_MAX_RSS_BYTES,
    },
    sessionSecret: env.SESSION_SECRET,
    publicUrl: env.PUBLIC_URL,
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    secureCookies: env.NODE_ENV === 'production',
    mailer: env.SMTP_URL ? new SmtpMailer(env.SMTP_URL, env.MAIL_FROM) : undefined,
    logger: {
      level: env.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      // The Square OAuth callback carries a one-time code and state in its query string.
      serializers: { req: serializeRequest },
    },
  });
  app.server.keepAliveTimeout = 72_000;
  app.server.headersTimeout = 75_000;
  app.server.requestTimeout = 30_000;

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void app
      .close()
      .then(() => redis?.quit().catch(() => redis.disconnect()))
      .then(() => db.close())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  try {
    await app.listen({ host: env.API_HOST, port: env.API_PORT });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(
        `API_PORT ${env.API_PORT} is already in use: stop what uses it or set API_PORT.`,
      );
    } else {
      console.error(`API failed to start: ${(error as Error).message}`);
    }
    redis?.disconnect();
    await db.close();
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
