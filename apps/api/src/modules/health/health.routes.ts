import { checkDatabase, type DatabaseClient } from '@marketprep/db';
import {
  HealthDetailedSchema,
  LivenessSchema,
  ProblemSchema,
  ReadinessSchema,
} from '@marketprep/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Access } from '../../plugins/auth';
import type { ApiMetrics } from '../../plugins/metrics';
import { safeEqual } from '../../lib/secrets';
import { AppError } from '../../errors';
import { checkHealthDetailed } from './health.service';

/** Dependencies of the health routes. */
export interface HealthRoutesOptions {
  db: DatabaseClient;
  /** Redis used by the API (rate limits, queue depth); absent when not configured. */
  redis?: Redis;
  /** This app's metrics; `/metrics` is registered only when given. */
  metrics?: ApiMetrics;
  /**
   * Bearer token for scrapers (`Authorization: Bearer <token>`) on `/metrics` and
   * `/health/detailed`. Platform admins (session) are always let in.
   */
  metricsToken?: string;
  /** In production `/metrics` is never public (admin or token). */
  production?: boolean;
  /** BullMQ key prefix and queue names whose waiting jobs are reported. */
  queuePrefix?: string;
  queueNames?: string[];
  now?: () => Date;
}

const problems = { 401: ProblemSchema, 403: ProblemSchema, 429: ProblemSchema };

/**
 * Not ready: problem+json like every other 503, so an answer made elsewhere (load shedding, the
 * error handler) fits this route's response schema too; `check` names the failing dependency.
 */
const NotReadySchema = ProblemSchema.extend({
  check: z.enum(['database']).optional().describe('The failing check, when one failed'),
});

/** Seconds an orchestrator is told to wait before probing a not-ready instance again. */
const NOT_READY_RETRY_AFTER_S = 5;

/** `/health/live` (process up) and `/health/ready` (database answers as the app role). */
export const healthRoutes: FastifyPluginCallbackZod<HealthRoutesOptions> = (app, options, done) => {
  const { db } = options;
  app.get(
    '/health/live',
    {
      config: { access: { kind: 'public' } },
      schema: {
        summary: 'Liveness: the process is running',
        tags: ['health'],
        response: { 200: LivenessSchema },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      config: { access: { kind: 'public' } },
      schema: {
        summary: 'Readiness: the database answers',
        description:
          'Answers 503 problem+json with Retry-After when a dependency needed to serve is down ' +
          '(`check` names it) or while the instance sheds load.',
        tags: ['health'],
        response: { 200: ReadinessSchema, 503: NotReadySchema, 500: ProblemSchema },
      },
    },
    async (_request, reply) => {
      const database = await checkDatabase(db.prisma);
      if (!database.ok) {
        app.log.warn({ error: database.error }, 'readiness: database check failed');
        void reply.header('retry-after', String(NOT_READY_RETRY_AFTER_S));
        throw new AppError(
          'UNAVAILABLE',
          'The database is not answering; this instance cannot serve right now.',
          undefined,
          { check: 'database' },
        );
      }
      return {
        status: 'ok' as const,
        checks: { database: { status: 'ok' as const, latencyMs: database.latencyMs } },
      };
    },
  );

  const { metricsToken } = options;
  // A scraper's token is checked before the auth plugin (which would take any Bearer value for an
  // API token): a request carrying it is answered right here in onRequest.
  const answerTokenHolder =
    (answer: (reply: FastifyReply) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const given = request.headers.authorization;
      if (!metricsToken || typeof given !== 'string') return;
      if (!safeEqual(given, `Bearer ${metricsToken}`)) return;
      await answer(reply);
      return reply;
    };
  const now = options.now ?? (() => new Date());
  const detailed = () =>
    checkHealthDetailed({
      db,
      redis: options.redis,
      queuePrefix: options.queuePrefix ?? '{mp}',
      queueNames: options.queueNames ?? ['maintenance'],
      now: now(),
    });

  app.get(
    '/health/detailed',
    {
      config: { access: { kind: 'admin' } },
      onRequest: answerTokenHolder(async (reply) => reply.send(await detailed())),
      schema: {
        summary: 'Every dependency, for operators',
        description:
          'Database and Redis (latency), queue depth (PostgreSQL outbox and BullMQ waiting jobs), ' +
          "each provider's circuit breaker, and the age of the newest sales and weather data across " +
          'vendors; each ok / degraded / down. Platform admins (session) or `Authorization: Bearer ' +
          '<METRICS_TOKEN>`.',
        tags: ['health'],
        response: { 200: HealthDetailedSchema, ...problems },
      },
    },
    () => detailed(),
  );

  const metrics = options.metrics;
  if (metrics) {
    // Open in development when no token is configured; otherwise operators or the scraper only.
    const access: Access =
      !metricsToken && !options.production ? { kind: 'public' } : { kind: 'admin' };
    const sendMetrics = async (reply: FastifyReply) =>
      reply
        .header('cache-control', 'no-store')
        .type(metrics.registry.contentType)
        .send(await metrics.registry.metrics());
    app.get(
      '/metrics',
      {
        config: { access },
        onRequest: answerTokenHolder(sendMetrics),
        schema: {
          summary: 'Prometheus metrics',
          description:
            'Prometheus text format: `http_request_duration_seconds` (by method, route template, ' +
            'status class), `http_errors_total`, `db_pool_connections`, `cache_hits_total` / ' +
            '`cache_misses_total`, `rate_limit_store_fallbacks_total`. Public only in development ' +
            'without METRICS_TOKEN; otherwise `Authorization: Bearer <METRICS_TOKEN>` or a platform ' +
            'admin session.',
          tags: ['health'],
          produces: ['text/plain'],
          response: {
            200: z
              .string()
              .describe('Prometheus text exposition format (text/plain; version=0.0.4)'),
            ...problems,
          },
        },
      },
      (_request, reply) => sendMetrics(reply),
    );
  }
  done();
};
