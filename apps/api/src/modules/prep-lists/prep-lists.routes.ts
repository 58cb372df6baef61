import {
  BillingProblemSchema,
  PrepListLineParamsSchema,
  PrepListOverrideBodySchema,
  PrepListParamsSchema,
  NotAMarketDayProblemSchema,
  PrepListPageSchema,
  PrepListRangeQuerySchema,
  PrepListSchema,
  ProblemSchema,
} from '@marketprep/contracts';
import type { DatabaseClient } from '@marketprep/db';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotModifiedSchema, isNotModified } from '../../lib/etag';
import { requireTenant } from '../../plugins/auth';
import { exportFileName, prepListCsv, prepListPdf } from './prep-list-export';
import { prepListRangeJson } from './prep-list-range';
import type { PrepListsService } from './prep-lists.service';

/** Dependencies of the prep-list routes. */
export interface PrepListsRoutesOptions {
  prepLists: PrepListsService;
  /** For the range of `GET /v1/prep-lists` (the market days to list). */
  db: DatabaseClient;
}

const BASE = '/v1/markets/:marketId/prep-lists/:date';
const TAGS = ['prep-lists'];
const readErrors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: NotAMarketDayProblemSchema,
  409: ProblemSchema,
};
/** Downloads are the plan feature `exports` (403 names the plan that has it). */
const downloadErrors = { ...readErrors, 403: BillingProblemSchema };

/**
 * `/v1/markets/:marketId/prep-lists/:date`: the demand engine's prep list for a market day (JSON,
 * CSV, PDF), its regeneration, and the vendor's own quantities.
 */
export const prepListsRoutes: FastifyPluginCallbackZod<PrepListsRoutesOptions> = (
  app,
  options,
  done,
) => {
  const { prepLists } = options;

  app.get(
    '/v1/prep-lists',
    {
      config: { access: { kind: 'tenant', role: 'STAFF' } },
      schema: {
        summary: 'Prep lists of a range of market days',
        description:
          'The prep list of every scheduled market day from `from` to `to` (inclusive, at most 62 days; the calendar holds the next 8 weeks), of one market or of all active markets, by date then market. Each list is what `GET /v1/markets/:marketId/prep-lists/:date` answers. Cursor-paginated (`limit` lists per page); sends an ETag and answers 304 to a matching If-None-Match.',
        tags: TAGS,
        querystring: PrepListRangeQuerySchema,
        response: {
          200: PrepListPageSchema,
          304: NotModifiedSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const json = await prepListRangeJson({
        db: options.db,
        prepLists,
        tenant: requireTenant(request),
        query: request.query,
      });
      if (isNotModified(request, reply, json)) return reply.code(304).send(null);
      return reply.type('application/json; charset=utf-8').send(json as never);
    },
  );

  app.get(
    BASE,
    {
      // Its own cache: the stored list by its inputs hash, in Redis across replicas.
      config: { access: { kind: 'tenant', role: 'STAFF' }, responseCache: false },
      schema: {
        summary: 'Get the prep list of a market day',
        description:
          "Per active product: units to bring (the demand quantile at the product's critical ratio), the P10-P90 range, expected sales and revenue, the model rung and an explanation that adds up to the P50, plus when sales, weather and events were last updated. Served from the stored list while its inputs are unchanged, recomputed when they change. Sends an ETag and answers 304 to a matching If-None-Match, so polling is cheap. `date` must be a market day of the market (scheduled, or on its weekly schedule); 404 otherwise, with the reason and the nearest market days (`previousMarketDate` / `nextMarketDate`, type `…/not-a-market-day`); 409 when the day is cancelled.",
        tags: TAGS,
        params: PrepListParamsSchema,
        response: { 200: PrepListSchema, 304: NotModifiedSchema, ...readErrors },
      },
    },
    async (request, reply) => {
      // Already serialized (and cached) by the service: sent as is, not re-encoded by zod.
      const { json, etag } = await prepLists.getPrepListJson({
        tenant: requireTenant(request),
        ...request.params,
      });
      // Pollers send the ETag back (If-None-Match) and get an empty 304 while nothing changed.
      if (isNotModified(request, reply, json, etag)) return reply.code(304).send(null);
      return reply.type('application/json; charset=utf-8').send(json as never);
    },
  );

  app.post(
    `${BASE}/regenerate`,
    {
      config: { access: { kind: 'tenant', role: 'STAFF' } },
      schema: {
        summary: 'Recompute the prep list of a market day',
        description:
          'Recomputes the list now from the stored model and the latest inputs (training the model first when it is missing or stale), even when nothing changed. Overrides of products still on the list are kept.',
        tags: TAGS,
        params: PrepListParamsSchema,
        response: { 200: PrepListSchema, ...readErrors },
      },
    },
    async (request) =>
      prepLists.getPrepList({ tenant: requireTenant(request), ...request.params, force: true }),
  );

  app.patch(
    `${BASE}/lines/:productId`,
    {
      config: { access: { kind: 'tenant', role: 'STAFF' } },
      schema: {
        summary: 'Set or clear the quantity to bring of one product',
        description:
          '`overrideQuantity` (whole units >= 0) replaces the recommendation as `effectiveQuantity`; `null` clears it. Kept when the list is recomputed. Answers the updated list.',
        tags: TAGS,
        params: PrepListLineParamsSchema,
        body: PrepListOverrideBodySchema,
        response: { 200: PrepListSchema, ...readErrors },
      },
    },
    async (request) =>
      prepLists.setOverride({
        tenant: requireTenant(request),
        ...request.params,
        overrideQuantity: request.body.overrideQuantity,
      }),
  );

  app.get(
    `${BASE}/export.csv`,
    {
      config: { access: { kind: 'tenant', role: 'STAFF' }, planFeature: 'exports' },
      schema: {
        summary: 'Download the prep list as CSV',
        description: `text/csv attachment: a header row, then one row per product (bring = the override when set, else the recommendation).`,
        tags: TAGS,
        params: PrepListParamsSchema,
        response: { 200: z.string().describe('text/csv'), ...downloadErrors },
      },
    },
    async (request, reply) => {
      const list = await prepLists.getPrepList({
        tenant: requireTenant(request),
        ...request.params,
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportFileName(list, 'csv')}"`)
        .send(prepListCsv(list));
    },
  );

  app.get(
    `${BASE}/export.pdf`,
    {
      config: { access: { kind: 'tenant', role: 'STAFF' }, planFeature: 'exports' },
      schema: {
        summary: 'Download the prep list as a printable PDF',
        description:
          'application/pdf attachment: vendor, market, date and "as of" times, then product, units to bring, range, expected sold and a short explanation per row.',
        tags: TAGS,
        params: PrepListParamsSchema,
        response: {
          200: z.instanceof(Buffer).describe('application/pdf (binary)'),
          ...downloadErrors,
        },
      },
    },
    async (request, reply) => {
      const list = await prepLists.getPrepList({
        tenant: requireTenant(request),
        ...request.params,
      });
      const pdf = await prepListPdf(list, { timeZone: list.timezone });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${exportFileName(list, 'pdf')}"`)
        .send(pdf);
    },
  );
  done();
};
