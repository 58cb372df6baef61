import { z } from 'zod';

/**
 * What the worker publishes about itself in Redis (`{prefix}:worker:status`, TTL 60 s, refreshed
 * every 15 s) for the API's `/health/detailed`: breaker states and Square sync lag. No secrets:
 * provider names, connection ids and numbers only.
 */
export const WorkerStatusSchema = z.object({
  version: z.literal(1),
  reportedAt: z.iso.datetime(),
  /** Circuit breaker per provider (`square`, `nws`, `open-meteo`, ...). */
  breakers: z.record(z.string(), z.enum(['closed', 'open', 'halfOpen'])),
  /** Seconds since the last successful sync, per ACTIVE Square connection id (null: never). */
  syncLagSeconds: z.record(z.string(), z.number().int().nonnegative().nullable()),
});

/** The worker's published status. */
export type WorkerStatus = z.infer<typeof WorkerStatusSchema>;

/** Redis key of the worker's status, under the queue prefix (`{mp}` by default). */
export const workerStatusKey = (prefix: string): string => `${prefix}:worker:status`;
/** The status expires this long after the last refresh (a dead worker disappears). */
export const WORKER_STATUS_TTL_SECONDS = 60;
/** The worker refreshes its status this often. */
export const WORKER_STATUS_INTERVAL_MS = 15_000;
