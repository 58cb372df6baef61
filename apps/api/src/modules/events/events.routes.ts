import {
  EventCreateBodySchema,
  EventListQuerySchema,
  EventListSchema,
  EventParamsSchema,
  EventSchema,
  MarketParamsSchema,
  ProblemSchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireTenant } from '../../plugins/auth';
import type { EventsService } from './events.service';

/** Dependencies of the event routes. */
export interface EventsRoutesOptions {
  events: EventsService;
}

const staff = { access: { kind: 'tenant', role: 'STAFF' } } as const;
const owner = { access: { kind: 'tenant', role: 'OWNER' } } as const;
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const TAGS = ['events'];

/** `/v1/markets/:marketId/events`: events near a market (Ticketmaster's and the vendor's own). */
export const eventsRoutes: FastifyPluginCallbackZod<EventsRoutesOptions> = (app, options, done) => {
  app.get(
    '/v1/markets/:marketId/events',
    {
      config: staff,
      schema: {
        summary: "List a market's events",
        description:
          'Events near the market from both sources (`TICKETMASTER`, `VENDOR`), ordered by date then id, optionally within `from`..`to` (inclusive local dates). Cursor-paginated.',
        tags: TAGS,
        params: MarketParamsSchema,
        querystring: EventListQuerySchema,
        response: { 200: EventListSchema, ...problems },
      },
    },
    async (request) =>
      options.events.listEvents(requireTenant(request), request.params.marketId, request.query),
  );

  app.post(
    '/v1/markets/:marketId/events',
    {
      config: staff,
      schema: {
        summary: 'Add an event',
        description:
          'Staff and owners (they run the stall). Stores an event the vendor knows about (source `VENDOR`); it counts in the prep list of that date, which is regenerated when the day is planned.',
        tags: TAGS,
        params: MarketParamsSchema,
        body: EventCreateBodySchema,
        response: { 201: EventSchema, ...problems, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const event = await options.events.createEvent(
        requireTenant(request),
        request.params.marketId,
        request.body,
        { requestId: request.id },
      );
      return reply.status(201).send(event);
    },
  );

  app.delete(
    '/v1/markets/:marketId/events/:eventId',
    {
      config: owner,
      schema: {
        summary: 'Delete an event',
        description:
          'Owners only. Only events the vendor entered (source `VENDOR`) can be deleted; a Ticketmaster event answers 409.',
        tags: TAGS,
        params: EventParamsSchema,
        response: { 204: z.null(), ...problems, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      await options.events.deleteEvent(
        requireTenant(request),
        request.params.marketId,
        request.params.eventId,
        { requestId: request.id },
      );
      return reply.status(204).send(null);
    },
  );
  done();
};
