import type { DatabaseClient } from '@marketprep/db';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The API's Prometheus metrics, one registry per app instance (tests build many apps; the global
 * default registry would collide). Modules that cache count hits and misses here:
 * `metrics.cacheHits.inc({ cache: 'prep-list' })`, `metrics.cacheMisses.inc({ cache: 'prep-list' })`.
 */
export interface ApiMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  httpErrors: Counter<'method' | 'route' | 'status'>;
  cacheHits: Counter<'cache'>;
  cacheMisses: Counter<'cache'>;
  /** Lookups a shared (Redis) cache could not answer, which went to PostgreSQL instead. */
  cacheFallbacks: Counter<'cache'>;
  rateLimitFallbacks: Counter;
}

/** Options of {@link createApiMetrics}. */
export interface ApiMetricsOptions {
  /** The pool whose size is exported (total / idle / waiting connections). */
  db?: DatabaseClient;
  /** Also export Node's process metrics (heap, event loop, GC): on in server.ts, off in tests. */
  processMetrics?: boolean;
}

/** Creates the metrics of one app instance. */
export function createApiMetrics(options: ApiMetricsOptions = {}): ApiMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const httpErrors = new Counter({
    name: 'http_errors_total',
    help: 'HTTP answers with status >= 400, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const cacheHits = new Counter({
    name: 'cache_hits_total',
    help: 'Cache hits by cache name',
    labelNames: ['cache'] as const,
    registers: [registry],
  });
  const cacheMisses = new Counter({
    name: 'cache_misses_total',
    help: 'Cache misses by cache name (hit rate = hits / (hits + misses))',
    labelNames: ['cache'] as const,
    registers: [registry],
  });
  const cacheFallbacks = new Counter({
    name: 'cache_fallbacks_total',
    help: 'Cache lookups answered by PostgreSQL because Redis failed or was slow, by cache name',
    labelNames: ['cache'] as const,
    registers: [registry],
  });
  const rateLimitFallbacks = new Counter({
    name: 'rate_limit_store_fallbacks_total',
    help: 'Rate-limit decisions taken by the in-process store because Redis failed or was slow',
    registers: [registry],
  });
  const pool = options.db?.pool;
  if (pool) {
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections by state (total, idle, waiting clients)',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
  return {
    registry,
    httpDuration,
    httpErrors,
    cacheHits,
    cacheMisses,
    cacheFallbacks,
    rateLimitFallbacks,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus metrics (plugins/metrics.ts). */
    metrics: ApiMetrics;
  }
}

/**
 * Records every answer: duration histogram and error counter, labelled by the route template
 * (`/v1/markets/:marketId`, never the raw URL, so ids cannot explode the label set).
 */
export const metricsPlugin = fp(
  (app: FastifyInstance, options: { metrics: ApiMetrics }, done: (err?: Error) => void) => {
    const { metrics } = options;
    app.decorate('metrics', metrics);
    app.addHook('onResponse', (request, reply, next) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const status = reply.statusCode;
      metrics.httpDuration.observe(
        { method: request.method, route, status_class: `${Math.floor(status / 100)}xx` },
        reply.elapsedTime / 1000,
      );
      if (status >= 400) {
        metrics.httpErrors.inc({ method: request.method, route, status: String(status) });
      }
      next();
    });
    done();
  },
  { name: 'metrics' },
);
