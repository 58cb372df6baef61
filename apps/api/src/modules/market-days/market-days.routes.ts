import {
  MarketDayCreateBodySchema,
  MarketDayListQuerySchema,
  MarketDayListSchema,
  MarketDayParamsSchema,
  MarketDaySchema,
  MarketDayUpdateBodySchema,
  MarketParamsSchema,
  ProblemSchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  IfMatchHeadersSchema,
  NotModifiedSchema,
  ifMatchOf,
  isNotModified,
  setEtag,
} from '../../lib/etag';
import { requireTenant } from '../../plugins/auth';
import type { MarketDaysService } from './market-days.service';

const staff = { access: { kind: 'tenant', role: 'STAFF' } } as const;
const owner = { access: { kind: 'tenant', role: 'OWNER' } } as const;
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const TAGS = ['market-days'];

/** Market days: `/v1/markets/:marketId/market-days` and `/v1/market-days/:marketDayId`. */
export const marketDaysRoutes: FastifyPluginCallbackZod<{ marketDays: MarketDaysService }> = (
  app,
  { marketDays },
  done,
) => {
  app.get(
    '/v1/markets/:marketId/market-days',
    {
      config: staff,
      schema: {
        summary: "List a market's days",
        description:
          'By date, optionally within `from`-`to` (inclusive local dates) and of one status. Cursor-paginated; answers 304 to a matching If-None-Match.',
        tags: TAGS,
        params: MarketParamsSchema,
        querystring: MarketDayListQuerySchema,
        response: { 200: MarketDayListSchema, 304: NotModifiedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const body = await marketDays.listMarketDays(
        requireTenant(request),
        request.params.marketId,
        request.query,
      );
      if (isNotModified(request, reply, body)) return reply.code(304).send(null);
      return body;
    },
  );

  app.post(
    '/v1/markets/:marketId/market-days',
    {
      config: owner,
      schema: {
        summary: 'Add a one-off market day',
        description:
          "Owners only. A date outside the weekly schedule (holiday market, make-up day). Times default to the schedule's for that date; 409 when the date is already on the calendar.",
        tags: TAGS,
        params: MarketParamsSchema,
        body: MarketDayCreateBodySchema,
        response: { 201: MarketDaySchema, ...problems, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const day = await marketDays.createMarketDay(
        requireTenant(request),
        request.params.marketId,
        request.body,
        { requestId: request.id },
      );
      setEtag(reply, day);
      return reply.status(201).send(day);
    },
  );

  app.get(
    '/v1/market-days/:marketDayId',
    {
      config: staff,
      schema: {
        summary: 'Get a market day',
        tags: TAGS,
        params: MarketDayParamsSchema,
        response: { 200: MarketDaySchema, 304: NotModifiedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const body = await marketDays.getMarketDay(
        requireTenant(request),
        request.params.marketDayId,
      );
      if (isNotModified(request, reply, body)) return reply.code(304).send(null);
      return body;
    },
  );

  app.patch(
    '/v1/market-days/:marketDayId',
    {
      config: staff,
      schema: {
        summary: 'Change a market day',
        description:
          "Staff may cancel or re-open the day and edit its notes; changing the day's opening or closing time is for owners (403 otherwise). Honours If-Match.",
        tags: TAGS,
        params: MarketDayParamsSchema,
        headers: IfMatchHeadersSchema,
        body: MarketDayUpdateBodySchema,
        response: { 200: MarketDaySchema, ...problems, 412: ProblemSchema },
      },
    },
    async (request, reply) => {
      const ifMatch = ifMatchOf(request);
      const day = await marketDays.updateMarketDay(
        requireTenant(request),
        request.params.marketDayId,
        request.body,
        { requestId: request.id, ...(ifMatch ? { ifMatch } : {}) },
      );
      setEtag(reply, day);
      return day;
    },
  );
  done();
};
