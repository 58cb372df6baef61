import { z } from 'zod';

/**
 * What each worker process reports about itself for the API's `/health/detailed`: breaker states
 * and Square sync lag. Stored in PostgreSQL (`monitoring.worker_status`, one row per worker,
 * refreshed every 15 s and at once when a breaker changes state), so it reaches the API with or
 * without Redis. No secrets: provider names, connection ids and numbers only.
 */
export const WorkerStatusSchema = z.object({
  version: z.literal(1),
  reportedAt: z.iso.datetime(),
  /** Circuit breaker per provider (`square`, `nws`, `open-meteo`, ...). */
  breakers: z.record(z.string(), z.enum(['closed', 'open', 'halfOpen'])),
  /** Seconds since the last successful sync, per ACTIVE Square connection id (null: never). */
  syncLagSeconds: z.record(z.string(), z.number().int().nonnegative().nullable()),
});

/** The worker's reported status. */
export type WorkerStatus = z.infer<typeof WorkerStatusSchema>;

/** A worker whose newest report is older than this is not reporting (stale). */
export const WORKER_STATUS_STALE_AFTER_SECONDS = 60;
/** The worker refreshes its status this often (and at once when a breaker changes state). */
export const WORKER_STATUS_INTERVAL_MS = 15_000;
