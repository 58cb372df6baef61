import { MarketListSchema, ProblemSchema } from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { requireTenant } from '../../plugins/auth';
import type { MarketsService } from './markets.service';

/** Dependencies of the market routes. */
export interface MarketsRoutesOptions {
  markets: MarketsService;
  now: () => Date;
}

/** `/v1/markets`: the current vendor's markets. */
export const marketsRoutes: FastifyPluginCallbackZod<MarketsRoutesOptions> = (
  app,
  options,
  done,
) => {
  app.get(
    '/v1/markets',
    {
      config: { access: { kind: 'tenant', role: 'STAFF' } },
      schema: {
        summary: "List the vendor's markets",
        description: 'Active markets ordered by name, with weekly schedule and next market day.',
        tags: ['markets'],
        response: { 200: MarketListSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      const tenant = requireTenant(request);
      const data = await options.markets.listMarkets({
        vendorId: tenant.vendorId,
        now: options.now(),
      });
      return { data };
    },
  );
  done();
};
