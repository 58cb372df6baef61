import { randomBytes, randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { join } from 'node:path';
import { REPO_ROOT, type DatabaseClient } from '@marketprep/db';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { LoginThrottle } from './lib/login-throttle';
import { QueuedMailer } from './lib/mail-queue';
import { DevOutboxMailer, LogMailer, type Mailer } from './lib/mailer';
import { adminJobsRoutes } from './modules/admin/admin-jobs.routes';
import { AdminJobsService } from './modules/admin/admin-jobs.service';
import { apiTokensRoutes } from './modules/api-tokens/api-tokens.routes';
import { ApiTokensService } from './modules/api-tokens/api-tokens.service';
import { auditRoutes } from './modules/audit/audit.routes';
import { AuditService } from './modules/audit/audit.service';
import { authRoutes } from './modules/auth/auth.routes';
import { checkInsRoutes } from './modules/check-ins/check-ins.routes';
import { CheckInsService } from './modules/check-ins/check-ins.service';
import { AuthService } from './modules/auth/auth.service';
import { dataRightsRoutes } from './modules/data-rights/data-rights.routes';
import { replayRoutes } from './modules/replay/replay.routes';
import { ReplayService } from './modules/replay/replay.service';
import { DataRightsService } from './modules/data-rights/data-rights.service';
import { devRoutes } from './modules/dev/dev.routes';
import { eventsRoutes } from './modules/events/events.routes';
import { geoRoutes } from './modules/geo/geo.routes';
import { EventsService } from './modules/events/events.service';
import { healthRoutes } from './modules/health/health.routes';
import { insightsRoutes } from './modules/insights/insights.routes';
import { importsRoutes } from './modules/imports/imports.routes';
import { ImportsService } from './modules/imports/imports.service';
import { InsightsService } from './modules/insights/insights.service';
import { marketsRoutes } from './modules/markets/markets.routes';
import { MarketsService } from './modules/markets/markets.service';
import { marketDaysRoutes } from './modules/market-days/market-days.routes';
import { MarketDaysService } from './modules/market-days/market-days.service';
import { notificationsRoutes } from './modules/notifications/notifications.routes';
import { NotificationsService } from './modules/notifications/notifications.service';
import { productsRoutes } from './modules/products/products.routes';
import { ProductsService } from './modules/products/products.service';
import { prepListsRoutes } from './modules/prep-lists/prep-lists.routes';
import { plansRoutes } from './modules/plans/plans.routes';
import { PlansService } from './modules/plans/plans.service';
import { preOrdersRoutes } from './modules/pre-orders/pre-orders.routes';
import { PreOrdersService } from './modules/pre-orders/pre-orders.service';
import { salesRoutes } from './modules/sales/sales.routes';
import { SalesService } from './modules/sales/sales.service';
import { PrepListsService } from './modules/prep-lists/prep-lists.service';
import { teamRoutes } from './modules/team/team.routes';
import {
  adminBillingRoutes,
  billingGuardPlugin,
  billingRoutes,
  stripeWebhookRoutes,
} from './modules/billing/billing.routes';
import { registerBillingMetrics } from './modules/billing/billing.metrics';
import { BillingService, type BillingModuleConfig } from './modules/billing/billing.service';
import { squareRoutes, squareWebhookRoutes } from './modules/square/square.routes';
import { SquareService, type SquareModuleConfig } from './modules/square/square.service';
import { TeamService } from './modules/team/team.service';
import { alertChannelsRoutes } from './modules/alert-channels/alert-channels.routes';
import { AlertChannelsService } from './modules/alert-channels/alert-channels.service';
import { vendorSettingsRoutes } from './modules/vendor-settings/vendor-settings.routes';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes';
import { WebhooksService } from './modules/webhooks/webhooks.service';
import type { TokenCipher, WebhookTargetPolicy } from '@marketprep/integrations';
import { VendorSettingsService } from './modules/vendor-settings/vendor-settings.service';
import { authPlugin } from './plugins/auth';
import type { AuthLookupCache } from './plugins/shared-auth-cache';
import { idempotencyPlugin } from './plugins/idempotency';
import { withOperationSecurity } from './plugins/openapi-security';
import { databaseWatchPlugin } from './plugins/database-watch';
import { overloadPlugin, type OverloadSettings } from './plugins/overload';
import { registerErrorHandler } from './plugins/error-handler';
import { createApiMetrics, metricsPlugin, type ApiMetrics } from './plugins/metrics';
import { responseCachePlugin, type ResponseCacheOptions } from './plugins/response-cache';
import { DEFAULT_RATE_LIMITS, rateLimitPlugin, type RateLimitSettings } from './plugins/rate-limit';
import { answerFrameworkError, requestContextPlugin } from './plugins/request-context';
import type { Redis } from 'ioredis';

/** Everything the app needs from outside; the composition root (server.ts or a test) provides it. */
export interface AppDependencies {
  db: DatabaseClient;
  /** Fastify logger options (pino), or false. */
  logger?: FastifyServerOptions['logger'];
  /**
   * Serve the in-memory mail outbox at `/v1/dev/outbox` to loopback callers (`npm start`'s demo,
   * tests). Only without a `mailer`; otherwise mail without SMTP goes to the server log.
   */
  devOutbox?: boolean;
  /**
   * How many reverse proxies in front of the API to trust for `X-Forwarded-For` (TRUST_PROXY):
   * 1 behind the web app alone, 2 behind a TLS proxy and the web app; 0 when clients connect directly.
   * Default 1 (the web app's proxy on this machine).
   */
  trustProxyHops?: number;
  /** Key of the CSRF HMAC; random per process when omitted (development, tests). */
  sessionSecret?: string;
  /** Mail transport; without it the dev outbox (`devOutbox`) or the server log. */
  mailer?: Mailer;
  /** Public origin of the web app (links in emails, CORS). */
  publicUrl?: string;
  /** Further origins allowed by CORS. */
  corsOrigins?: string[];
  /** Secure cookies (production, behind TLS). */
  secureCookies?: boolean;
  /** Clock, injectable for tests. */
  now?: () => Date;
  /** Largest accepted body in bytes. */
  bodyLimit?: number;
  /** Failed logins allowed per account / per IP in 15 minutes. */
  loginLimits?: { perAccount: number; perIp: number };
  /** Largest CSV accepted by the sales import (bytes); 50 MB when omitted. */
  importMaxBytes?: number;
  /**
   * The PostgreSQL watch (probe period and answer time, ms): routes answer 503 at once while the
   * database is away or frozen (server.ts turns it on). Off when omitted: test files share a busy
   * machine, where a starved probe would read as an outage.
   */
  databaseWatch?: { intervalMs?: number; timeoutMs?: number };
  /**
   * Load shedding (@fastify/under-pressure): past any of these, requests get 503 + Retry-After
   * before every request turns slow (server.ts sets it from OVERLOAD_*). Off when omitted:
   * tests drive the event loop flat out through `inject` on purpose.
   */
  overload?: OverloadSettings;
  /**
   * Redis (rate-limit counters, queue depth, the auth lookups every replica shares); in-process
   * limits and auth cache without it.
   */
  redis?: Redis;
  /** The answer cache of tenant GETs (plugins/response-cache.ts); false turns it off (benches). */
  responseCache?: false | Pick<ResponseCacheOptions, 'maxBytes' | 'maxEntryBytes'>;
  /** Auth lookup cache instead of the default (Redis when `redis` is given, else in-process). */
  authCache?: AuthLookupCache | false;
  /** Global rate limits (defaults: DEFAULT_RATE_LIMITS), or false to switch them off (tests). */
  rateLimit?: Partial<Omit<RateLimitSettings, 'redis' | 'onFallback'>> | false;
  /** Prometheus metrics of this app; a fresh registry when omitted. */
  metrics?: ApiMetrics;
  /** Export Node's process metrics too (server.ts). */
  processMetrics?: boolean;
  /** Bearer token of the Prometheus scraper (/metrics, /health/detailed). */
  metricsToken?: string;
  /** Production mode: /metrics is never public. */
  production?: boolean;
  /** VAPID public key of Web Push (VAPID_PUBLIC_KEY); push subscriptions answer 503 without it. */
  pushPublicKey?: string;
  /** BullMQ key prefix, for queue depth in /health/detailed. */
  queuePrefix?: string;
  /** Square client, token cipher and webhook settings; without them Square routes answer 503. */
  square?: SquareModuleConfig;
  /** Stripe client, plans and prices; without them billing is "not configured" (nothing limited). */
  billing?: BillingModuleConfig;
  /** Private directory of export archives, shared with the worker (EXPORT_DIR). */
  exportDir?: string;
  /**
   * Which webhook endpoint URLs owners may register (the worker checks every connection again).
   * Default: https and no loopback in production; loopback allowed otherwise.
   */
  webhookTargets?: WebhookTargetPolicy;
  /**
   * The TOKEN_ENCRYPTION_KEYS cipher that seals webhook endpoint secrets (default: the Square
   * config's, the same ring); without either, registering an endpoint answers 503.
   */
  tokenCipher?: TokenCipher;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Builds the API: plugins, routes and the one error handler. Never listens (server.ts does), so
 * tests drive it with `app.inject`.
 */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  const publicUrl = (deps.publicUrl ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  const sessionSecret = deps.sessionSecret ?? randomBytes(32).toString('base64url');
  const trustProxyHops = deps.trustProxyHops ?? 1;
  const outbox = !deps.mailer && deps.devOutbox ? new DevOutboxMailer() : undefined;

  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimit ?? 1_048_576,
    // A caller's request id is kept when it looks like one, so logs join up across services.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Exactly this many hops of X-Forwarded-For are believed: a client cannot pick its own
    // address (per-IP limits, login throttle) by sending the header itself.
    // (proxy-addr counts hops from the socket: hop 0 is the peer, 1 the address it forwarded, ...)
    trustProxy: (_address: string, hop: number) => hop < trustProxyHops,
    // `__proto__` / `constructor.prototype` keys in a JSON body are refused with 400.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();

  // A configured transport (SMTP) sits behind the in-process mail queue: requests that mail
  // answer at once, delivery retries in the background, failures only reach the log.
  const mailQueue = deps.mailer
    ? new QueuedMailer({
        transport: deps.mailer,
        onRetry: (err: unknown, message, attempt) =>
          app.log.warn({ err, to: message.to, attempt }, 'mail not sent yet; retrying'),
        onGiveUp: (err: unknown, message) =>
          app.log.error({ err, to: message.to }, 'mail not sent; gave up'),
      })
    : undefined;
  app.addHook('onClose', async () => {
    await mailQueue?.flush(5_000);
    mailQueue?.close();
  });
  const mailer: Mailer = mailQueue ?? outbox ?? new LogMailer(app.log);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  const metrics =
    deps.metrics ?? createApiMetrics({ db: deps.db, processMetrics: deps.processMetrics });
  await app.register(requestContextPlugin);
  if (deps.overload) await app.register(overloadPlugin, deps.overload);
  if (deps.databaseWatch) {
    await app.register(databaseWatchPlugin, {
      db: deps.db,
      ...deps.databaseWatch,
      onChange: (available, error) =>
        available
          ? app.log.info('database answers again')
          : app.log.error({ error }, 'database away: answering 503 until it answers again'),
    });
  }
  await app.register(metricsPlugin, { metrics });
  if (deps.rateLimit !== false) {
    let lastFallbackLog = 0;
    await app.register(rateLimitPlugin, {
      ...DEFAULT_RATE_LIMITS,
      ...deps.rateLimit,
      redis: deps.redis,
      onFallback: (error) => {
        metrics.rateLimitFallbacks.inc();
        if (Date.now() - lastFallbackLog > 30_000) {
          lastFallbackLog = Date.now();
          app.log.warn({ err: error }, 'rate limits: Redis unavailable, limiting in-process');
        }
      },
    });
  }
  app.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });

  await app.register(helmet, {
    // The API serves JSON; only Swagger UI renders HTML, and it brings its own CSP (staticCSP).
    contentSecurityPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  const allowedOrigins = new Set([new URL(publicUrl).origin, ...(deps.corsOrigins ?? [])]);
  await app.register(cors, {
    origin: (origin, callback) => callback(null, !origin || allowedOrigins.has(origin)),
    credentials: true,
    // @fastify/cors allows only GET, HEAD and POST by default; the API's writes use the rest.
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'content-type',
      'authorization',
      'x-csrf-token',
      'x-request-id',
      'if-none-match',
      'if-match',
      'idempotency-key',
    ],
    exposedHeaders: ['x-request-id', 'etag', 'retry-after', 'idempotent-replayed'],
  });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'MarketPrep API',
        version: '1.0.0',
        description:
          'Prep lists for farmers-market vendors. Authenticate with the session cookie (browser; send x-csrf-token on writes) or `Authorization: Bearer <API token>`. Errors are application/problem+json with a stable `code` (docs/errors.md). Writes of a business accept `Idempotency-Key` (the first answer is replayed for 24 h). Lists answer `{ data, nextCursor }` and take `limit` and `cursor`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'mp_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: withOperationSecurity(jsonSchemaTransform),
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  await app.register(authPlugin, {
    db: deps.db,
    sessionSecret,
    now,
    redis: deps.redis,
    secureCookies: deps.secureCookies ?? false,
    ...(deps.authCache === undefined ? {} : { cache: deps.authCache }),
  });
  const billing = new BillingService({ db: deps.db, config: deps.billing, publicUrl, now });
  await app.register(billingGuardPlugin, { billing });
  // After authentication and the billing guard: their refusals are never stored as answers.
  await app.register(idempotencyPlugin, {
    db: deps.db,
    now,
    cipher: deps.tokenCipher ?? deps.square?.cipher,
  });
  // Last of the preHandlers before the handler: only authorized reads reach the cache.
  if (deps.responseCache !== false) {
    await app.register(responseCachePlugin, { db: deps.db, now, metrics, ...deps.responseCache });
  }
  registerBillingMetrics(metrics.registry, billing);

  // With SMTP, account emails (sign-up links, resets) go through the PostgreSQL outbox to the
  // worker, which retries them; the demo's and tests' go straight to the dev outbox.
  const auth = new AuthService({
    db: deps.db,
    accountEmail: deps.mailer ? 'outbox' : mailer,
    sessionSecret,
    publicUrl,
    now,
  });
  const throttle = new LoginThrottle({
    perAccount: deps.loginLimits?.perAccount ?? 10,
    perIp: deps.loginLimits?.perIp ?? 50,
    windowMs: 15 * 60_000,
    now: () => now().getTime(),
  });
  await app.register(healthRoutes, {
    db: deps.db,
    redis: deps.redis,
    metrics,
    metricsToken: deps.metricsToken,
    production: deps.production,
    queuePrefix: deps.queuePrefix,
    now,
  });
  await app.register(authRoutes, { auth, throttle, secureCookies: deps.secureCookies ?? false });
  await app.register(teamRoutes, {
    team: new TeamService({ db: deps.db, mailer, publicUrl, now, limits: billing }),
    auth,
  });
  await app.register(apiTokensRoutes, {
    tokens: new ApiTokensService({ db: deps.db, now, limits: billing }),
  });
  await app.register(marketsRoutes, { markets: new MarketsService(deps.db, billing), now });
  await app.register(geoRoutes);
  await app.register(marketDaysRoutes, { marketDays: new MarketDaysService(deps.db) });
  await app.register(eventsRoutes, { events: new EventsService(deps.db) });
  await app.register(productsRoutes, { products: new ProductsService(deps.db, billing) });
  await app.register(vendorSettingsRoutes, {
    settings: new VendorSettingsService({ db: deps.db }),
  });
  await app.register(alertChannelsRoutes, {
    alerts: new AlertChannelsService({
      db: deps.db,
      now,
      pushPublicKey: deps.pushPublicKey,
      // The fake push service of tests and the demo listens on loopback; never in production.
      allowLoopbackPush: !deps.production,
    }),
  });
  await app.register(notificationsRoutes, {
    notifications: new NotificationsService({ db: deps.db, now }),
  });
  const prepLists = new PrepListsService({ db: deps.db, now, metrics, redis: deps.redis });
  await app.register(prepListsRoutes, { db: deps.db, prepLists });
  await app.register(plansRoutes, { plans: new PlansService({ db: deps.db, now, prepLists }) });
  await app.register(preOrdersRoutes, { preOrders: new PreOrdersService({ db: deps.db, now }) });
  await app.register(checkInsRoutes, { checkIns: new CheckInsService({ db: deps.db, now }) });
  await app.register(insightsRoutes, { insights: new InsightsService({ db: deps.db, now }) });
  await app.register(importsRoutes, {
    imports: new ImportsService({
      db: deps.db,
      now,
      maxBytes: deps.importMaxBytes,
      limits: billing,
    }),
  });
  await app.register(salesRoutes, { sales: new SalesService({ db: deps.db, now }) });
  const square = new SquareService({
    db: deps.db,
    config: deps.square,
    stateKey: sessionSecret,
    publicUrl,
    now,
    limits: billing,
  });
  await app.register(squareRoutes, { square });
  await app.register(squareWebhookRoutes, { square });
  await app.register(billingRoutes, { billing });
  await app.register(stripeWebhookRoutes, { billing });
  await app.register(adminBillingRoutes, { billing });
  await app.register(auditRoutes, { audit: new AuditService({ db: deps.db }) });
  await app.register(dataRightsRoutes, {
    dataRights: new DataRightsService({
      db: deps.db,
      now,
      exportDir: deps.exportDir ?? join(REPO_ROOT, '.marketprep', 'exports'),
    }),
  });
  await app.register(replayRoutes, { replay: new ReplayService({ db: deps.db }) });
  await app.register(adminJobsRoutes, { jobs: new AdminJobsService({ db: deps.db, now }) });
  await app.register(webhooksRoutes, {
    webhooks: new WebhooksService({
      db: deps.db,
      now,
      target: deps.webhookTargets ?? {
        allowLoopback: !deps.production,
        requireHttps: deps.production ?? false,
      },
      cipher: deps.tokenCipher ?? deps.square?.cipher,
      limits: billing,
    }),
  });
  if (outbox) await app.register(devRoutes, { outbox });
  return app;
}
