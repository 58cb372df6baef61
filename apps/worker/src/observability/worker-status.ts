import { hostname } from 'node:os';
import { WORKER_STATUS_INTERVAL_MS, type WorkerStatus } from '@marketprep/contracts';
import {
  HealthRepository,
  listActiveVendorIds,
  SquareSyncRepository,
  withTenant,
  type DatabaseClient,
} from '@marketprep/db';
import type { BreakerRegistry } from '@marketprep/integrations';
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

/** This process's id in `monitoring.worker_status`: host and pid (a restart is a new worker). */
export function workerInstanceId(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * Stores the status in PostgreSQL (`monitoring.report_worker_status`), where `/health/detailed`
 * reads it: one channel whether or not Redis is configured.
 */
export async function publishWorkerStatus(
  db: DatabaseClient,
  workerId: string,
  status: WorkerStatus,
): Promise<void> {
  await new HealthRepository(db.prisma).reportWorkerStatus({
    workerId,
    reportedAt: new Date(status.reportedAt),
    status,
  });
}

/** A running status loop: the latest status (for metrics) and how to stop it. */
export interface WorkerStatusLoop {
  latest(): WorkerStatus | null;
  /** Collects and publishes now. */
  refresh(): Promise<WorkerStatus | null>;
  close(): Promise<void>;
}

const fingerprint = (breakers: WorkerStatus['breakers']): string =>
  JSON.stringify(Object.entries(breakers).sort(([a], [b]) => a.localeCompare(b)));

/**
 * Collects and publishes the status every 15 s (the latest is kept for the metrics). With
 * `breakers`, their states are also checked every second and a change (a breaker opening or
 * closing) is published at once, so the dashboard does not lag an outage by a whole interval.
 * Failures are logged at debug and retried on the next tick; readers treat a report older than
 * 60 s as stale.
 */
export function startWorkerStatusLoop(options: {
  collect: () => Promise<WorkerStatus>;
  publish: (status: WorkerStatus) => Promise<void>;
  logger: Logger;
  intervalMs?: number;
  /** Current breaker states (in memory, cheap): watched for changes. */
  breakers?: () => WorkerStatus['breakers'];
  watchIntervalMs?: number;
}): WorkerStatusLoop {
  let latest: WorkerStatus | null = null;
  // Breaker states of the last attempted report: a failed publish is retried by the next tick,
  // not every second.
  let attempted: string | null = null;
  let running: Promise<WorkerStatus | null> | null = null;
  const refresh = () => {
    running ??= (async () => {
      try {
        const status = await options.collect();
        attempted = fingerprint(status.breakers);
        latest = status;
        await options.publish(status);
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
  const timers = [
    setInterval(() => void refresh(), options.intervalMs ?? WORKER_STATUS_INTERVAL_MS),
  ];
  const { breakers } = options;
  if (breakers) {
    timers.push(
      setInterval(() => {
        if (!running && attempted !== null && fingerprint(breakers()) !== attempted) {
          void refresh();
        }
      }, options.watchIntervalMs ?? 1_000),
    );
  }
  for (const timer of timers) timer.unref();
  void refresh();
  return {
    latest: () => latest,
    refresh,
    async close() {
      for (const timer of timers) clearInterval(timer);
      await running;
    },
  };
}
