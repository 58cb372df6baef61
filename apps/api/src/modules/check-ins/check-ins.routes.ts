import {
  CheckInListQuerySchema,
  CheckInListSchema,
  CheckInParamsSchema,
  CheckInReceiptSchema,
  CheckInSchema,
  CheckInStatsQuerySchema,
  CheckInStatsSchema,
  CheckInSubmitBodySchema,
  CheckInSubmitHeadersSchema,
  NotAMarketDayProblemSchema,
  ProblemSchema,
  prefersMinimalReturn,
} from '@marketprep/contracts';
import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { NotModifiedSchema, isNotModified } from '../../lib/etag';
import { requireTenant } from '../../plugins/auth';
import type { CheckInsService } from './check-ins.service';

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const staff = { access: { kind: 'tenant', role: 'STAFF' } } as const;

/** Pack-up check-ins: `/v1/markets/:marketId/check-ins/:date`, `/v1/check-ins`, `/v1/check-ins/stats`. */
export const checkInsRoutes: FastifyPluginCallbackZod<{ checkIns: CheckInsService }> = (
  app,
  { checkIns },
  done,
) => {
  app.get(
    '/v1/markets/:marketId/check-ins/:date',
    {
      config: staff,
      schema: {
        summary: 'Check-in form of a market day',
        description:
          "One line per active product (and any product already checked in). Stored values when the product was checked in; otherwise prefilled: `brought` = the current prep list quantity (override if any), `sold` = units in the sales data. Also the market day opening and closing instants. Only for market days: a stored SCHEDULED day, or a weekday of the weekly schedule in its season; any other date is a 404 whose detail says why (no market that weekday, or out of season) and names the nearest market days, also given as `previousMarketDate` / `nextMarketDate` (type `…/not-a-market-day`), a cancelled market day a 409. `checkInOpen` is false while the day is still ahead in the market's time zone (a PUT answers 400 until then). Sends an ETag; answers 304 to a matching If-None-Match.",
        tags: ['check-ins'],
        params: CheckInParamsSchema,
        response: {
          200: CheckInSchema,
          304: NotModifiedSchema,
          ...problems,
          404: NotAMarketDayProblemSchema,
          409: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const form = await checkIns.getCheckIn(requireTenant(request), request.params);
      if (isNotModified(request, reply, form)) return reply.code(304).send(null);
      return form;
    },
  );

  app.put(
    '/v1/markets/:marketId/check-ins/:date',
    {
      config: staff,
      schema: {
        summary: 'Submit the pack-up check-in of a market day',
        description:
          'Stores one row per (market day, product) in one transaction: all lines or none. Idempotent: send the same `clientSubmissionId` on every retry; a replay writes nothing and answers the stored check-in with `replayed: true`. A newer submission (new id) replaces the values of the products it names. Rules per line: numbers >= 0 with at most 3 decimals; wasted + donated <= leftOver <= brought; sold <= brought; `soldOutAt` (ISO instant or local `HH:MM`, on the market day) only when leftOver is 0; rating 1..5; each product once. Only for market days (as GET): another date is a 404 with the reason, a cancelled day a 409, and nothing is written. Requests a model retrain. Answers the whole check-in form, or with `Prefer: return=minimal` a short CheckInReceipt (which lines were written), with `Preference-Applied: return=minimal`.',
        tags: ['check-ins'],
        params: CheckInParamsSchema,
        headers: CheckInSubmitHeadersSchema,
        body: CheckInSubmitBodySchema,
        response: {
          200: z.union([CheckInSchema, CheckInReceiptSchema]),
          ...problems,
          404: NotAMarketDayProblemSchema,
          409: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const minimal = prefersMinimalReturn(request.headers.prefer);
      const answer = await checkIns.submitCheckIn(
        requireTenant(request),
        request.params,
        request.body,
        { requestId: request.id, minimal },
      );
      reply.header('vary', 'Prefer');
      if (minimal) reply.header('preference-applied', 'return=minimal');
      // The hottest write: serialized as built (the service composes exactly the schemas' shapes;
      // the fuzz tests check answers against them) instead of re-encoded through zod.
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(answer) as never);
    },
  );

  app.get(
    '/v1/check-ins',
    {
      config: staff,
      schema: {
        summary: 'List market days with a check-in',
        description:
          'Newest first, with totals per market day. Cursor pagination: pass `nextCursor` back as `cursor` until it is null.',
        tags: ['check-ins'],
        querystring: CheckInListQuerySchema,
        response: { 200: CheckInListSchema, ...problems },
      },
    },
    (request) => checkIns.listCheckIns(requireTenant(request), request.query),
  );

  app.get(
    '/v1/check-ins/stats',
    {
      config: staff,
      schema: {
        summary: 'Accuracy, waste and sell-out statistics',
        description:
          'Over the last `days` days (default 56, each market in its own time zone), per market and per product at each market: mean absolute error and bias of the prep-list quantity against units sold (sell-out days are censored and left out of the error), waste rate, sell-out rate, money left on the table and waste cost in minor units.',
        tags: ['check-ins'],
        querystring: CheckInStatsQuerySchema,
        response: { 200: CheckInStatsSchema, ...problems },
      },
    },
    (request) => checkIns.getStats(requireTenant(request), request.query),
  );
  done();
};
