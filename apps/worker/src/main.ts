import { join } from 'node:path';
import { REPO_ROOT, checkDatabase, createDatabaseClient } from '@marketprep/db';
import {
  BreakerRegistry,
  TokenCipher,
  createSquareClient,
  createStripeClient,
  parseTokenKeyRing,
} from '@marketprep/integrations';
import pino from 'pino';
import { loadPlansConfig, PrepListPlanner } from '@marketprep/planning';
import { loadEnv } from './env';
import { createSmtpMailer } from './jobs/billing-email.handler';
import { createJobRegistry } from './jobs/registry';
import { startBullmqRuntime, type JobRuntime } from './runtime/bullmq-runtime';
import { startInProcessRuntime } from './runtime/in-process-runtime';
import { createWorkerMetrics, serveMetrics } from './observability/metrics';
import {
  collectWorkerStatus,
  publishWorkerStatus,
  startWorkerStatusLoop,
  workerInstanceId,
} from './observability/worker-status';
import { startOutboxRelay } from './outbox/start-relay';
import { createProviders, startFakeControl } from './providers';

// The worker process: BullMQ on Redis when REDIS_URL is set, else the in-process runner. On
// SIGTERM/SIGINT running jobs finish before the process exits.

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = pino({ level: env.LOG_LEVEL, base: { service: 'worker' } });
  const db = createDatabaseClient({
    connectionString: env.DATABASE_URL,
    maxConnections: env.DATABASE_POOL_MAX,
    applicationName: 'marketprep-worker',
  });
  const database = await checkDatabase(db.prisma, 5_000);
  if (!database.ok) {
    logger.fatal({ error: database.error }, 'DATABASE_URL: database unreachable');
    await db.close();
    process.exit(1);
  }
  const breakers = new BreakerRegistry();
  // One key ring seals Square tokens and webhook endpoint secrets.
  const tokenCipher =
    env.TOKEN_ENCRYPTION_KEYS && env.TOKEN_ENCRYPTION_KEY_ID
      ? new TokenCipher(parseTokenKeyRing(env.TOKEN_ENCRYPTION_KEYS, env.TOKEN_ENCRYPTION_KEY_ID))
      : undefined;
  const square =
    env.SQUARE_APPLICATION_ID && env.SQUARE_APPLICATION_SECRET && tokenCipher
      ? {
          square: createSquareClient({
            baseUrl: env.SQUARE_BASE_URL,
            applicationId: env.SQUARE_APPLICATION_ID,
            applicationSecret: env.SQUARE_APPLICATION_SECRET,
            breaker: breakers.get('square'),
          }),
          cipher: tokenCipher,
        }
      : undefined;
  if (!square) logger.warn('Square is not configured: the square-sync job is not registered');
  if (!tokenCipher) {
    logger.warn(
      'TOKEN_ENCRYPTION_KEYS is not set: webhook deliveries cannot open sealed endpoint secrets',
    );
  }
  const now = () => new Date();
  // Counted into the metrics made below (a weather fetch runs only once jobs have started).
  const external = await createProviders(env, breakers, {
    hit: (cache) => metrics.caches.hit(cache),
    miss: (cache) => metrics.caches.miss(cache),
    fallback: (cache) => metrics.caches.fallback(cache),
  });
  if (env.PROVIDER_FAKES) logger.info('demo mode: weather and events from the local fakes');
  const background = { planner: new PrepListPlanner({ db, now }), providers: external.providers };
  // Billing: emails from the outbox (SMTP), and Stripe to cancel an erased business's plan.
  const mailer = env.SMTP_URL ? createSmtpMailer(env.SMTP_URL, env.MAIL_FROM) : undefined;
  const stripe = env.STRIPE_SECRET_KEY
    ? createStripeClient({
        secretKey: env.STRIPE_SECRET_KEY,
        // The worker verifies no webhooks; the client needs a value.
        webhookSecret: 'whsec_unused_in_the_worker',
        baseUrl: env.STRIPE_API_BASE,
        breaker: breakers.get('stripe'),
      })
    : undefined;
  // The card-free trial's notices are swept daily when billing is on (as the API: Stripe keys).
  const billingPlans = env.STRIPE_SECRET_KEY ? loadPlansConfig(env.BILLING_PLANS_FILE) : undefined;
  const jobs = createJobRegistry({
    db,
    now,
    webhooks: {
      target: {
        allowLoopback: env.WEBHOOK_ALLOW_LOOPBACK,
        requireHttps: env.NODE_ENV === 'production',
      },
      retry: { disableAfterFailures: env.WEBHOOK_DISABLE_AFTER_FAILURES },
      cipher: tokenCipher,
    },
    mailer,
    alerts: {
      vapid:
        env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY
          ? {
              publicKey: env.VAPID_PUBLIC_KEY,
              privateKey: env.VAPID_PRIVATE_KEY,
              subject: env.VAPID_SUBJECT,
            }
          : undefined,
      // The fake push service of the demo and the browser tests listens on loopback.
      allowLoopbackPush: env.NODE_ENV !== 'production',
      publicUrl: env.PUBLIC_URL,
    },
    billingPlans,
    square,
    background,
    dataRights: {
      exportDir: env.EXPORT_DIR ?? join(REPO_ROOT, '.marketprep', 'exports'),
      pseudonymKey: env.AUDIT_PSEUDONYM_KEY ?? 'development-only-audit-pseudonym-key',
      billing: stripe,
      retention: {
        webhookPayloadDays: env.RETENTION_WEBHOOK_PAYLOAD_DAYS,
        webhookIdDays: env.RETENTION_WEBHOOK_ID_DAYS,
        outboxDays: env.RETENTION_OUTBOX_DAYS,
        readNotificationDays: env.RETENTION_READ_NOTIFICATION_DAYS,
        webhookDeliveryDays: env.RETENTION_WEBHOOK_DELIVERY_DAYS,
        tokenDays: env.RETENTION_TOKEN_DAYS,
        prepListsKept: env.RETENTION_PREP_LISTS_KEPT,
        auditLogDays: env.RETENTION_AUDIT_LOG_DAYS,
        batchSize: env.RETENTION_BATCH_SIZE,
      },
      onRetentionRemoved: (rule, count) => metrics.retentionRows.inc({ rule }, count),
    },
  });
  // Status for /health/detailed goes to PostgreSQL, with or without Redis (one channel).
  const workerId = workerInstanceId();
  const status = startWorkerStatusLoop({
    collect: () => collectWorkerStatus({ db, breakers, now }),
    publish: (report) => publishWorkerStatus(db, workerId, report),
    breakers: () => breakers.states(),
    logger,
  });
  const metrics = createWorkerMetrics({ db, breakers, status: () => status.latest() });
  const runtime: JobRuntime = env.REDIS_URL
    ? await startBullmqRuntime({
        redisUrl: env.REDIS_URL,
        prefix: env.QUEUE_PREFIX,
        jobs,
        logger,
        onJobDone: (job, outcome, seconds) =>
          metrics.jobDuration.observe({ job_name: job, outcome }, seconds),
      })
    : startInProcessRuntime({ jobs, logger });
  const relay = startOutboxRelay({
    db,
    jobs,
    logger,
    redisUrl: env.REDIS_URL,
    prefix: env.QUEUE_PREFIX,
    pollMs: env.OUTBOX_POLL_MS,
    onRow: (_row, outcome) => metrics.outboxRows.inc({ outcome }),
  });
  const metricsServer = env.WORKER_METRICS_PORT
    ? await serveMetrics(metrics, env.WORKER_METRICS_PORT)
    : undefined;
  const control =
    env.PROVIDER_FAKES && env.PROVIDER_FAKES_CONTROL_PORT
      ? await startFakeControl({
          port: env.PROVIDER_FAKES_CONTROL_PORT,
          fakes: external.fakes,
          jobs,
          logger,
        })
      : undefined;
  if (control) logger.info({ url: control.url }, 'demo mode: provider fakes control listening');

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: waiting for running jobs');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    metricsServer?.close();
    // The relay first (its in-process job finishes), then the runtime's running jobs.
    void status
      .close()
      .then(() => control?.stop())
      .then(() => relay.close())
      .then(() => runtime.close())
      .then(() => external.stop())
      .then(() => db.close())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
