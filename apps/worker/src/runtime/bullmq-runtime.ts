import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { InvalidPayloadError } from '../jobs/job';
import type { RegisteredJob } from '../jobs/registry';
import { splitJobData } from '../outbox/relay';

/** The one queue every job runs on (the relay adds requested work to it too). */
export const DEFAULT_QUEUE_NAME = 'maintenance';

/** A running job runtime. */
export interface JobRuntime {
  /** Waits for running jobs to finish, then stops. */
  close(): Promise<void>;
}

/** Options for {@link startBullmqRuntime}. */
export interface BullmqRuntimeOptions {
  redisUrl: string;
  prefix: string;
  queueName?: string;
  jobs: RegisteredJob[];
  logger: Logger;
  concurrency?: number;
  /** Called after each job run (metrics): its name, outcome and duration in seconds. */
  onJobDone?: (job: string, outcome: 'completed' | 'failed', seconds: number) => void;
}

/**
 * Runs the jobs on BullMQ: one queue, a worker dispatching by job name, and a job scheduler per
 * repeating job. A bad payload becomes UnrecoverableError (kept in the failed set, not retried).
 */
export async function startBullmqRuntime(options: BullmqRuntimeOptions): Promise<JobRuntime> {
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  // BullMQ workers block on Redis; they need their own connection with no request retry limit.
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  // Redis outages are logged by the worker's 'error' handler; ioredis reconnects by itself.
  connection.on('error', (error) => options.logger.debug({ err: error }, 'redis connection error'));
  const queue = new Queue(queueName, { connection, prefix: options.prefix });
  const byName = new Map(options.jobs.map((job) => [job.definition.name, job]));

  for (const { definition } of options.jobs) {
    if (definition.everyMs || definition.pattern) {
      await queue.upsertJobScheduler(
        definition.name,
        definition.pattern ? { pattern: definition.pattern } : { every: definition.everyMs },
        {
          name: definition.name,
          data: {},
          opts: {
            attempts: definition.attempts,
            backoff: { type: 'exponential', delay: 5_000 },
            removeOnComplete: 1_000,
            removeOnFail: 5_000,
          },
        },
      );
    }
  }

  const worker = new Worker(
    queueName,
    async (job) => {
      const registered = byName.get(job.name);
      if (!registered) throw new UnrecoverableError(`No handler for job ${job.name}`);
      const started = performance.now();
      let outcome: 'completed' | 'failed' = 'failed';
      try {
        // Work requested through the outbox carries the request id beside the payload.
        const { payload, requestId } = splitJobData(job.data);
        const logger = options.logger.child({
          job: job.name,
          jobId: job.id,
          ...(requestId ? { requestId } : {}),
        });
        const result = await registered.handler(payload, {
          jobId: job.id ?? '',
          ...(requestId ? { requestId } : {}),
          logger,
        });
        outcome = 'completed';
        return result;
      } catch (error) {
        if (error instanceof InvalidPayloadError) throw new UnrecoverableError(error.message);
        throw error;
      } finally {
        options.onJobDone?.(job.name, outcome, (performance.now() - started) / 1000);
      }
    },
    { connection, prefix: options.prefix, concurrency: options.concurrency ?? 4 },
  );
  worker.on('failed', (job, error) =>
    options.logger.warn({ job: job?.name, jobId: job?.id, err: error }, 'job failed'),
  );
  worker.on('error', (error) => options.logger.error({ err: error }, 'worker error'));
  await worker.waitUntilReady();
  options.logger.info({ queue: queueName, jobs: [...byName.keys()] }, 'BullMQ worker ready');

  return {
    async close() {
      await worker.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
