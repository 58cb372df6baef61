import type { ClaimedOutboxRow, DatabaseClient } from '@marketprep/db';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RegisteredJob } from '../jobs/registry';
import { DEFAULT_QUEUE_NAME } from '../runtime/bullmq-runtime';
import { OutboxRelay, type OutboxRelayOptions } from './relay';

/** A started relay and how to stop it. */
export interface StartedRelay {
  relay: OutboxRelay;
  close(): Promise<void>;
}

/**
 * Starts the outbox relay: with `redisUrl` it adds rows to the BullMQ queue through its own
 * fail-fast connection (no offline queue, so a Redis outage is an error at once and the row waits
 * in PostgreSQL); without it the relay runs the handlers in this process.
 */
export function startOutboxRelay(options: {
  db: DatabaseClient;
  jobs: readonly RegisteredJob[];
  logger: Logger;
  redisUrl?: string;
  prefix?: string;
  queueName?: string;
  pollMs?: number;
  backoff?: OutboxRelayOptions['backoff'];
  onRow?: (row: ClaimedOutboxRow, outcome: 'dispatched' | 'done' | 'retry' | 'failed') => void;
}): StartedRelay {
  let queue: Queue | undefined;
  let connection: Redis | undefined;
  if (options.redisUrl) {
    connection = new Redis(options.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      // Reconnect forever, at most every second: Redis coming back is noticed quickly.
      retryStrategy: (times) => Math.min(times * 100, 1_000),
    });
    connection.on('error', () => undefined);
    queue = new Queue(options.queueName ?? DEFAULT_QUEUE_NAME, {
      connection,
      prefix: options.prefix ?? '{mp}',
    });
    queue.on('error', (error) =>
      options.logger.debug({ err: error }, 'outbox relay: queue connection error'),
    );
  }
  const relay = new OutboxRelay({
    db: options.db,
    jobs: options.jobs,
    logger: options.logger,
    mode: queue ? { kind: 'bullmq', queue } : { kind: 'in-process' },
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.onRow ? { onRow: options.onRow } : {}),
  });
  relay.start();
  options.logger.info({ mode: queue ? 'bullmq' : 'in-process' }, 'outbox relay started');
  return {
    relay,
    async close() {
      await relay.close();
      await queue?.close().catch(() => undefined);
      connection?.disconnect();
    },
  };
}
