import { checkDatabase, createDatabaseClient } from '@marketprep/db';
import pino from 'pino';
import { loadEnv } from './env';
import { createJobRegistry } from './jobs/registry';
import { startBullmqRuntime, type JobRuntime } from './runtime/bullmq-runtime';
import { startInProcessRuntime } from './runtime/in-process-runtime';

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
  const jobs = createJobRegistry({ db, now: () => new Date() });
  const runtime: JobRuntime = env.REDIS_URL
    ? await startBullmqRuntime({ redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX, jobs, logger })
    : startInProcessRuntime({ jobs, logger });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: waiting for running jobs');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    void runtime
      .close()
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
