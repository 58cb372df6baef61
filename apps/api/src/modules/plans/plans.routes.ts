import {
  BillingProblemSchema,
  ProblemSchema,
  WeekPlanAnswerSchema,
  WeekPlanQuerySchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotModifiedSchema, isNotModified } from '../../lib/etag';
import { requireTenant } from '../../plugins/auth';
import type { PlansService } from './plans.service';
import { weekPlanFileName, weekPlanPdf } from './week-plan-pdf';

const staff = { access: { kind: 'tenant', role: 'STAFF' } } as const;
const problems = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  409: ProblemSchema,
  503: ProblemSchema,
};

/** `/v1/plans/week`: the week's plan across markets. */
export const plansRoutes: FastifyPluginCallbackZod<{ plans: PlansService }> = (
  app,
  { plans },
  done,
) => {
  app.get(
    '/v1/plans/week',
    {
      config: staff,
      schema: {
        summary: "The week's plan",
        description:
          "Per product, what to make (or pick) by its decision deadline for each scheduled market day of the seven dates from `from`: the prep list's quantity, pre-orders on top, the standing minimum, kept stock carried over within shelf life, whole batches, and a shared capacity allocated where the next unit earns most (`cut`, `cutNote`). Days past their deadline are `frozen` and no longer change. `health` is how far to trust it: the worst verdict of the market days' prep lists (docs/input-health.md), each reason that is not good once with the market days it holds for, and each day's verdict. With no capacity, batches of 1, no pre-orders and nothing carried over, `make` equals the prep lists' quantities. `from` within four weeks back and eight ahead (400). Sends an ETag; answers 304 to a matching If-None-Match.",
        tags: ['plans'],
        querystring: WeekPlanQuerySchema,
        response: { 200: WeekPlanAnswerSchema, 304: NotModifiedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const plan = await plans.getWeekPlan(requireTenant(request), request.query.from);
      if (isNotModified(request, reply, plan)) return reply.code(304).send(null);
      return plan;
    },
  );
  app.get(
    '/v1/plans/week/export.pdf',
    {
      config: { ...staff, planFeature: 'exports' },
      schema: {
        summary: "Download the week's plan as a printable PDF",
        description:
          'application/pdf attachment for the kitchen or the field crew: the week and its totals, then per product and market day what to make by when, carried over, pre-orders, bring, cut, and the rain plan where rain is forecast; each cut explained under the table. The same plan as `GET /v1/plans/week` (a read past a deadline freezes what it prints).',
        tags: ['plans'],
        querystring: WeekPlanQuerySchema,
        response: {
          200: z.instanceof(Buffer).describe('application/pdf (binary)'),
          ...problems,
          // A plan without exports answers 403 with the billing problem (as the prep list's PDF).
          403: BillingProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const plan = await plans.getWeekPlan(requireTenant(request), request.query.from);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${weekPlanFileName(plan)}"`)
        .send(await weekPlanPdf(plan));
    },
  );
  done();
};
