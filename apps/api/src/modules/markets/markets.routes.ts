import {
  MarketCreateBodySchema,
  MarketListQuerySchema,
  MarketListSchema,
  MarketParamsSchema,
  MarketSchema,
  MarketUpdateBodySchema,
  ProblemSchema,
  PLAN_LIMITED_PROBLEMS,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  IfMatchHeadersSchema,
  NotModifiedSchema,
  ifMatchOf,
  isNotModified,
  setEtag,
} from '../../lib/etag';
import { requireTenant } from '../../plugins/auth';
import type { MarketsService } from './markets.service';

/** Dependencies of the market routes. */
export interface MarketsRoutesOptions {
  markets: MarketsService;
  now: () => Date;
}

const staff = { access: { kind: 'tenant', role: 'STAFF' } } as const;
const owner = { access: { kind: 'tenant', role: 'OWNER' } } as const;
const problems = PLAN_LIMITED_PROBLEMS;
const TAGS = ['markets'];

/** `/v1/markets`: the current vendor's markets and their weekly schedules. */
export const marketsRoutes: FastifyPluginCallbackZod<MarketsRoutesOptions> = (
  app,
  options,
  done,
) => {
  app.get(
    '/v1/markets',
    {
      config: staff,
      schema: {
        summary: "List the vendor's markets",
        description:
          'Active markets ordered by name, with weekly schedule and next market day (in the market time zone). Cursor-paginated; answers 304 to a matching If-None-Match.',
        tags: TAGS,
        querystring: MarketListQuerySchema,
        response: { 200: MarketListSchema, 304: NotModifiedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const tenant = requireTenant(request);
      const body = await options.markets.listMarkets({
        vendorId: tenant.vendorId,
        now: options.now(),
        limit: request.query.limit,
        ...(request.query.cursor === undefined ? {} : { cursor: request.query.cursor }),
        includeArchived: request.query.includeArchived,
      });
      if (isNotModified(request, reply, body)) return reply.code(304).send(null);
      return body;
    },
  );

  app.get(
    '/v1/markets/:marketId',
    {
      config: staff,
      schema: {
        summary: 'Get a market',
        description: 'Archived markets stay readable (with `archivedAt`). Sends an ETag.',
        tags: TAGS,
        params: MarketParamsSchema,
        response: { 200: MarketSchema, 304: NotModifiedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const body = await options.markets.getMarket(
        requireTenant(request),
        request.params.marketId,
        options.now(),
      );
      if (isNotModified(request, reply, body)) return reply.code(304).send(null);
      return body;
    },
  );

  app.post(
    '/v1/markets',
    {
      config: owner,
      schema: {
        summary: 'Create a market',
        description:
          'Owners only. Validates coordinates, the IANA time zone and the country (holidays). The weekly schedule (weekday 0 = Monday) puts the next 8 weeks of market days on the calendar. `expectedSize` ("about half of Riverside") must name another active market of the vendor (400 otherwise).',
        tags: TAGS,
        body: MarketCreateBodySchema,
        response: { 201: MarketSchema, ...problems, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const market = await options.markets.createMarket(requireTenant(request), request.body, {
        requestId: request.id,
        now: options.now(),
      });
      setEtag(reply, market);
      return reply.status(201).send(market);
    },
  );

  app.patch(
    '/v1/markets/:marketId',
    {
      config: owner,
      schema: {
        summary: 'Change a market',
        description:
          'Owners only. Only the fields sent change; `schedule` replaces the whole weekly schedule and re-plans the next 8 weeks of market days (days already planned by hand stay); `expectedSize` left out is kept, null clears it, and naming the market itself or a market that is not another active one of the vendor is a 400 that changes nothing. Honours If-Match (412 when the market changed since it was read).',
        tags: TAGS,
        params: MarketParamsSchema,
        headers: IfMatchHeadersSchema,
        body: MarketUpdateBodySchema,
        response: { 200: MarketSchema, ...problems, 409: ProblemSchema, 412: ProblemSchema },
      },
    },
    async (request, reply) => {
      const ifMatch = ifMatchOf(request);
      const market = await options.markets.updateMarket(
        requireTenant(request),
        request.params.marketId,
        request.body,
        { requestId: request.id, now: options.now(), ...(ifMatch ? { ifMatch } : {}) },
      );
      setEtag(reply, market);
      return market;
    },
  );

  app.delete(
    '/v1/markets/:marketId',
    {
      config: owner,
      schema: {
        summary: 'Archive a market',
        description:
          'Owners only. The market leaves the list and gets no new market days; its sales, market days and history are kept. Markets whose `expectedSize` compared with it lose that size. Honours If-Match.',
        tags: TAGS,
        params: MarketParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 204: z.null(), ...problems, 412: ProblemSchema },
      },
    },
    async (request, reply) => {
      const ifMatch = ifMatchOf(request);
      await options.markets.archiveMarket(requireTenant(request), request.params.marketId, {
        requestId: request.id,
        now: options.now(),
        ...(ifMatch ? { ifMatch } : {}),
      });
      return reply.status(204).send(null);
    },
  );
  done();
};
