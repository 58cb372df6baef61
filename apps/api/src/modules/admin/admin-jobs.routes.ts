import {
  AdminFailedJobsQuerySchema,
  AdminJobParamsSchema,
  FailedJobListSchema,
  JobRetriedSchema,
  ProblemSchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { AdminJobsService } from './admin-jobs.service';

const operators = { access: { kind: 'admin' } } as const;
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const TAGS = ['admin'];

/** `/v1/admin/jobs`: failed background work, for platform operators. */
export const adminJobsRoutes: FastifyPluginCallbackZod<{ jobs: AdminJobsService }> = (
  app,
  { jobs },
  done,
) => {
  app.get(
    '/v1/admin/jobs/failed',
    {
      config: operators,
      schema: {
        summary: 'List failed background jobs',
        description:
          'FAILED outbox rows, newest first (bad payload, unknown job, or attempts used up): job, ' +
          'attempts, last error, request id and the id fields of the payload. Platform admins only.',
        tags: TAGS,
        querystring: AdminFailedJobsQuerySchema,
        response: { 200: FailedJobListSchema, ...problems },
      },
    },
    async (request) => jobs.listFailed(request.query.limit, request.query.cursor),
  );

  app.post(
    '/v1/admin/jobs/:outboxId/retry',
    {
      config: operators,
      schema: {
        summary: 'Retry a failed background job',
        description:
          'Sets the FAILED outbox row PENDING again (attempts reset, due now); the relay dispatches ' +
          'it. 404 when no FAILED row has this id; 409 when the same work (dedupe key) is already ' +
          'pending. Platform admins only.',
        tags: TAGS,
        params: AdminJobParamsSchema,
        response: { 200: JobRetriedSchema, ...problems, 409: ProblemSchema },
      },
    },
    async (request) => jobs.retry(request.params.outboxId),
  );
  done();
};
