import { createServer, type Server } from 'node:http';
import { HealthRepository, type DatabaseClient } from '@marketprep/db';
import type { BreakerRegistry, SharedCacheCounters } from '@marketprep/integrations';
import type { WorkerStatus } from '@marketprep/contracts';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const BREAKER_VALUE = { closed: 0, halfOpen: 1, open: 2 } as const;

/** The worker's Prometheus metrics: provider breakers, outbox backlog and relay outcomes. */
export interface WorkerMetrics {
  registry: Registry;
  /** Rows removed by the retention job, by rule. */
  retentionRows: Counter<'rule'>;
  /** Counts one relayed outbox row by outcome. */
  outboxRows: Counter<'outcome'>;
  /**
   * Duration of one BullMQ job run by job name and outcome (completed, failed). The label is
   * `job_name`, not `job`: Prometheus's own `job` target label would rename it `exported_job`.
   */
  jobDuration: Histogram<'job_name' | 'outcome'>;
  /**
   * The worker's shared caches (the weather answers in Redis): `cache_hits_total`,
   * `cache_misses_total`, `cache_fallbacks_total` by `cache`, the API's names, so one panel shows
   * both processes.
   */
  caches: SharedCacheCounters;
}

/** Builds the registry; gauges are read at scrape time (breaker states, outbox backlog). */
export function createWorkerMetrics(deps: {
  db: DatabaseClient;
  breakers: BreakerRegistry;
  /** The latest worker status (sync lag per connection); no sync lag series without it. */
  status?: () => WorkerStatus | null;
}): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'marketprep_worker_' });
  new Gauge({
    name: 'marketprep_worker_breaker_state',
    help: 'Provider circuit breaker: 0 closed, 1 half-open, 2 open',
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      for (const [provider, state] of Object.entries(deps.breakers.states())) {
        this.set({ provider }, BREAKER_VALUE[state]);
      }
    },
  });
  new Gauge({
    name: 'marketprep_breaker_state',
    help: 'Provider circuit breaker: 0 closed, 1 half-open, 2 open',
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      for (const [provider, state] of Object.entries(deps.breakers.states())) {
        this.set({ provider }, BREAKER_VALUE[state]);
      }
    },
  });
  new Gauge({
    name: 'marketprep_sync_lag_seconds',
    help: 'Seconds since the last successful Square sync, per ACTIVE connection id (-1: never)',
    labelNames: ['connection'],
    registers: [registry],
    collect() {
      this.reset();
      const status = deps.status?.();
      for (const [connection, lag] of Object.entries(status?.syncLagSeconds ?? {})) {
        this.set({ connection }, lag ?? -1);
      }
    },
  });
  const health = new HealthRepository(deps.db.prisma);
  new Gauge({
    name: 'marketprep_outbox_backlog',
    help: 'Outbox rows by status (PENDING waiting for dispatch, FAILED kept for operators)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const backlog = await health.outboxBacklog();
      this.set({ status: 'pending' }, backlog.pending);
      this.set({ status: 'failed' }, backlog.failed);
    },
  });
  new Gauge({
    name: 'marketprep_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest PENDING outbox row (0 when none)',
    registers: [registry],
    async collect() {
      const backlog = await health.outboxBacklog();
      const age = backlog.oldestPendingAt
        ? (Date.now() - backlog.oldestPendingAt.getTime()) / 1000
        : 0;
      this.set(Math.max(0, age));
    },
  });
  const outboxRows = new Counter({
    name: 'marketprep_outbox_rows_total',
    help: 'Outbox rows handled by the relay, by outcome (dispatched, done, retry, failed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'marketprep_job_duration_seconds',
    help: 'BullMQ job runs by job name and outcome (completed, failed): duration in seconds',
    labelNames: ['job_name', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const retentionRows = new Counter({
    name: 'marketprep_retention_rows_total',
    help: 'Rows removed (or webhook payloads emptied) by the retention job, by rule',
    labelNames: ['rule'] as const,
    registers: [registry],
  });
  const cacheCounter = (name: string, help: string) =>
    new Counter({ name, help, labelNames: ['cache'] as const, registers: [registry] });
  const hits = cacheCounter('cache_hits_total', 'Cache hits by cache name');
  const misses = cacheCounter(
    'cache_misses_total',
    'Cache misses by cache name (hit rate = hits / (hits + misses))',
  );
  const fallbacks = cacheCounter(
    'cache_fallbacks_total',
    'Redis failed or was slow, so the source (the provider) was asked instead, by cache name',
  );
  const caches: SharedCacheCounters = {
    hit: (cache) => hits.inc({ cache }),
    miss: (cache) => misses.inc({ cache }),
    fallback: (cache) => fallbacks.inc({ cache }),
  };
  return { registry, outboxRows, jobDuration, retentionRows, caches };
}

/** Serves `GET /metrics` on `port` (127.0.0.1 unless `host` says otherwise). */
export async function serveMetrics(
  metrics: WorkerMetrics,
  port: number,
  host = '127.0.0.1',
): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    metrics.registry
      .metrics()
      .then((body) => {
        response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
      })
      .catch(() => response.writeHead(503).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
