import {
  PreOrderCreateBodySchema,
  PreOrderListQuerySchema,
  PreOrderListSchema,
  PreOrderParamsSchema,
  PreOrderPickupBodySchema,
  PreOrderPickupParamsSchema,
  PreOrderSchema,
  ProblemSchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ascending, pageInMemory } from '../../lib/pagination';
import { requireTenant } from '../../plugins/auth';
import type { PreOrdersService } from './pre-orders.service';

// Staff take orders at the stall, so they may record and cancel them.
const staff = { access: { kind: 'tenant', role: 'STAFF' } } as const;
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const TAGS = ['pre-orders'];

/** `/v1/pre-orders`: orders for pickup at a market, one-off or weekly. */
export const preOrdersRoutes: FastifyPluginCallbackZod<{ preOrders: PreOrdersService }> = (
  app,
  { preOrders },
  done,
) => {
  app.get(
    '/v1/pre-orders',
    {
      config: staff,
      schema: {
        summary: 'List pre-orders',
        description:
          'Orders with a possible pickup in [`from`, `to`] (either may be left open), by first date. Weekly orders repeat every 7 days from `firstDate` through `untilDate`. Cursor-paginated.',
        tags: TAGS,
        querystring: PreOrderListQuerySchema,
        response: { 200: PreOrderListSchema, ...problems },
      },
    },
    async (request) =>
      pageInMemory(
        await preOrders.listPreOrders(requireTenant(request), request.query),
        request.query,
        (p) => [p.firstDate, p.id],
        ascending,
      ),
  );

  app.post(
    '/v1/pre-orders',
    {
      config: staff,
      schema: {
        summary: 'Record a pre-order',
        description:
          "Known demand added on top of the walk-up forecast in the week's plan. `firstDate` must be a scheduled market day of the market (400); the product and market must be yours (404).",
        tags: TAGS,
        body: PreOrderCreateBodySchema,
        response: { 201: PreOrderSchema, ...problems },
      },
    },
    async (request, reply) => {
      const created = await preOrders.createPreOrder(requireTenant(request), request.body, {
        requestId: request.id,
      });
      return reply.status(201).send(created);
    },
  );

  app.put(
    '/v1/pre-orders/:preOrderId/pickups/:date',
    {
      config: staff,
      schema: {
        summary: 'Record whether a pickup happened',
        description:
          "`pickedUp: false` marks the order's pickup on `date` as missed (a no-show, or called off that day): its units are not taken out of what was sold when the model learns, and a day still ahead is planned without them. `true` undoes it. Idempotent. `date` must be a pickup date of the order (400); the order must be yours (404).",
        tags: TAGS,
        params: PreOrderPickupParamsSchema,
        body: PreOrderPickupBodySchema,
        response: { 200: PreOrderSchema, ...problems },
      },
    },
    async (request) =>
      preOrders.setPickup(requireTenant(request), request.params, request.body.pickedUp, {
        requestId: request.id,
      }),
  );

  app.delete(
    '/v1/pre-orders/:preOrderId',
    {
      config: staff,
      schema: {
        summary: 'Cancel a pre-order',
        description:
          "Cancels its pickups from the market's today on; days already frozen keep their numbers. An order with pickups before today is ended after the last of them (`untilDate`), so what it sold stays in the history the engine learns from; one without, or with none to come (a record entered by mistake), is deleted. A pickup that did not happen is marked with `PUT /v1/pre-orders/:preOrderId/pickups/:date` instead.",
        tags: TAGS,
        params: PreOrderParamsSchema,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await preOrders.deletePreOrder(requireTenant(request), request.params.preOrderId, {
        requestId: request.id,
      });
      return reply.status(204).send(null);
    },
  );
  done();
};
