import { GeoLookupQuerySchema, GeoLookupResultSchema, ProblemSchema } from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { lookupPlaces } from './place-lookup';

const staff = { access: { kind: 'tenant', role: 'STAFF' } } as const;

/**
 * `/v1/geo/lookup`: a market's coordinates and time zone from a US ZIP code or town name, answered
 * from the ZIP code dataset bundled with the API (no outside service, works offline).
 */
export const geoRoutes: FastifyPluginCallbackZod = (app, _options, done) => {
  app.get(
    '/v1/geo/lookup',
    {
      config: staff,
      schema: {
        summary: 'Look up a place by US ZIP code or town',
        description:
          'A ZIP code (`60614`, `60614-1234`) gives that ZIP code; a town (`Evanston, IL`, `Evanston Illinois`, `Evanston`) gives the towns of that name, biggest first, or those starting with it. Each with latitude and longitude (a town: the median of its ZIP codes), state and IANA time zone. At most 8; nothing found is an empty list. Answered offline from a bundled dataset.',
        tags: ['markets'],
        querystring: GeoLookupQuerySchema,
        response: {
          200: GeoLookupResultSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
        },
      },
    },
    (request) =>
      Promise.resolve({
        data: lookupPlaces(request.query.q).slice(0, request.query.limit),
        nextCursor: null,
      }),
  );
  done();
};
