import { checkDatabase, type DatabaseClient } from '@marketprep/db';
import { LivenessSchema, ProblemSchema, ReadinessSchema } from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';

/** Dependencies of the health routes. */
export interface HealthRoutesOptions {
  db: DatabaseClient;
}

/** `/health/live` (process up) and `/health/ready` (database answers as the app role). */
export const healthRoutes: FastifyPluginCallbackZod<HealthRoutesOptions> = (app, { db }, done) => {
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
          'Answers 503 with the failing check when a dependency needed to serve is down.',
        tags: ['health'],
        response: { 200: ReadinessSchema, 503: ReadinessSchema, 500: ProblemSchema },
      },
    },
    async (_request, reply) => {
      const database = await checkDatabase(db.prisma);
      const body = {
        status: database.ok ? ('ok' as const) : ('down' as const),
        checks: {
          database: {
            status: database.ok ? ('ok' as const) : ('down' as const),
            latencyMs: database.latencyMs,
            ...(database.error ? { detail: 'database unreachable' } : {}),
          },
        },
      };
      if (!database.ok) {
        app.log.warn({ error: database.error }, 'readiness: database check failed');
        return reply.status(503).header('retry-after', '5').send(body);
      }
      return body;
    },
  );
  done();
};
