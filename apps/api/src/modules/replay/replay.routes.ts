import {
  ProblemSchema,
  ReplayRunListSchema,
  ReplayRunSchema,
  ReplayStartBodySchema,
  ShortListQuerySchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors';
import { descending, pageInMemory } from '../../lib/pagination';
import { requireTenant } from '../../plugins/auth';
import type { ReplayService } from './replay.service';

const TAGS = ['replay'];
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/**
 * `/v1/replays`: "your last season, replayed" (docs/replay.md). The owner queues a replay of the
 * last months; the worker replays each past market day with the demand engine and scores it in
 * money; the team reads the latest replay, its progress, then its result.
 */
export const replayRoutes: FastifyPluginCallbackZod<{ replay: ReplayService }> = (
  app,
  { replay },
  done,
) => {
  app.post(
    '/v1/replays',
    {
      config: { access: { kind: 'tenant', role: 'OWNER' } },
      schema: {
        summary: 'Replay the last season',
        description:
          "Queues a replay of the business's last `months` (1-24, default 12) of market days: what MarketPrep would have said the evening before, against the rule of thumb and, where the check-in says, what was brought, scored in money with each product's price, cost and salvage value. Answers 202 with the new replay, or 200 with the one already queued or running. Poll `GET /v1/replays/latest` for its progress and result.",
        tags: TAGS,
        body: ReplayStartBodySchema,
        response: { 200: ReplayRunSchema, 202: ReplayRunSchema, ...problems },
      },
    },
    async (request, reply) => {
      const result = await replay.requestReplay(
        requireTenant(request),
        request.body.months,
        request.id,
      );
      return reply.code(result.created ? 202 : 200).send(result.run);
    },
  );

  app.get(
    '/v1/replays',
    {
      config: { access: { kind: 'tenant', role: 'STAFF' } },
      schema: {
        summary: 'List replays',
        description:
          'The 20 newest replays of the business, newest first (an empty list before the first one), each as `GET /v1/replays/latest` answers it. Cursor-paginated.',
        tags: TAGS,
        querystring: ShortListQuerySchema,
        response: { 200: ReplayRunListSchema, ...problems },
      },
    },
    async (request) =>
      pageInMemory(
        await replay.listReplays(requireTenant(request)),
        request.query,
        (run) => [run.requestedAt, run.id],
        descending,
      ),
  );

  app.get(
    '/v1/replays/latest',
    {
      config: { access: { kind: 'tenant', role: 'STAFF' } },
      schema: {
        summary: 'Get the latest replay',
        description:
          'The newest replay of the business: `pending` or `running` with `progress` (0-100), then `completed` with its `result` (totals, months and every market day; totals are the sums of the days), or `failed` with the reason. 404 when none was asked for.',
        tags: TAGS,
        response: { 200: ReplayRunSchema, ...problems },
      },
    },
    async (request) => {
      const run = await replay.latestReplay(requireTenant(request));
      if (!run) throw new AppError('NOT_FOUND', 'No replay yet: ask for one first.');
      return run;
    },
  );
  done();
};
