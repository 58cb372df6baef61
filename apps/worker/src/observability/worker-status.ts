import {
  WORKER_STATUS_INTERVAL_MS,
  WORKER_STATUS_TTL_SECONDS,
  workerStatusKey,
  type WorkerStatus,
} from '@marketprep/contracts';
import {
  listActiveVendorIds,
  SquareSyncRepository,
  withTenant,
  type DatabaseClient,
} from '@marketprep/db';
import type { BreakerRegistry } from '@marketprep/integrations';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The worker's status: breaker state per provider and the sync lag (now - lastSyncedAt, seconds)
 * of each ACTIVE Square connection. Connections are read per vendor under withTenant (vendors
 * from `monitoring.active_vendor_ids()`), ids and numbers only.
 */
export async function collectWorkerStatus(deps: {
  db: DatabaseClient;
  breakers: BreakerRegistry;
  now: () => Date;
}): Promise<WorkerStatus> {
  const syncLagSeconds: Record<string, number | null> = {};
  for (const vendorId of await listActiveVendorIds(deps.db.prisma)) {
    const connection = await withTenant(deps.db.prisma, vendorId, (tx) =>
      new SquareSyncRepository(tx).findConnection(),
    );
    if (connection?.status !== 'ACTIVE') continue;
    syncLagSeconds[connection.id] = connection.lastSyncedAt
      ? Math.max(0, Math.round((deps.now().getTime() - connection.lastSyncedAt.getTime()) / 1000))
      : null;
  }
  return {
    version: 1,
    reportedAt: deps.now().toISOString(),
    breakers: deps.breakers.states(),
    syncLagSeconds,
  };
}

/** Writes the status under `{prefix}:worker:status` with a 60 s TTL. */
export async function publishWorkerStatus(
  redis: Redis,
  prefix: string,
  status: WorkerStatus,
): Promise<void> {
  await redis.set(workerStatusKey(prefix), JSON.stringify(status), 'EX', WORKER_STATUS_TTL_SECONDS);
}

/** A running status loop: the latest status (for metrics) and how to stop it. */
export interface WorkerStatusLoop {
  latest(): WorkerStatus | null;
  /** Collects (and publishes, with Redis) now. */
  refresh(): Promise<WorkerStatus | null>;
  close(): Promise<void>;
}

/**
 * Collects the status every 15 s (kept for the metrics) and, with Redis, publishes it for the
 * API. Failures are logged at debug and retried on the next tick; the key then expires.
 */
export function startWorkerStatusLoop(options: {
  collect: () => Promise<WorkerStatus>;
  redis?: Redis;
  prefix: string;
  logger: Logger;
  intervalMs?: number;
}): WorkerStatusLoop {
  let latest: WorkerStatus | null = null;
  let running: Promise<WorkerStatus | null> | null = null;
  const refresh = () => {
    running ??= (async () => {
      try {
        const status = await options.collect();
        latest = status;
        if (options.redis) await publishWorkerStatus(options.redis, options.prefix, status);
        return status;
      } catch (error) {
        options.logger.debug({ err: error }, 'worker status: not published');
        return null;
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void refresh(), options.intervalMs ?? WORKER_STATUS_INTERVAL_MS);
  timer.unref();
  void refresh();
  return {
    latest: () => latest,
    refresh,
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
