import {
  BillingProblemSchema,
  ProblemSchema,
  SalesBatchBodySchema,
  SalesBatchResultSchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { requireTenant } from '../../plugins/auth';
import type { SalesService } from './sales.service';

/** `POST /v1/sales`: sales from other point-of-sale systems, as JSON. */
export const salesRoutes: FastifyPluginCallbackZod<{ sales: SalesService }> = (
  app,
  { sales },
  done,
) => {
  app.post(
    '/v1/sales',
    {
      config: { access: { kind: 'tenant', role: 'OWNER' } },
      schema: {
        summary: 'Send a batch of sales lines',
        description:
          "For point-of-sale systems other than Square. Each line names a market and product by id and carries the system's own `lineId`: a line sent again (same `source` and `lineId`) replaces the earlier one, so a batch sent twice changes nothing. The batch is checked whole with the CSV import's rules and written all or nothing: any bad line answers 400 `sales-batch-invalid` naming every failing line (`lines.<index>.<field>`). Daily totals are recomputed and the forecast retrained. Send an `Idempotency-Key` to get the first answer back on a retry.",
        tags: ['sales'],
        body: SalesBatchBodySchema,
        response: {
          200: SalesBatchResultSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          402: BillingProblemSchema,
          403: ProblemSchema,
          409: ProblemSchema,
          413: ProblemSchema,
          503: ProblemSchema,
        },
      },
    },
    async (request) => sales.receiveBatch(requireTenant(request), request.body, request.id),
  );
  done();
};
