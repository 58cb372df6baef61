import {
  AccountErasureBodySchema,
  AccountExportSchema,
  BusinessErasureBodySchema,
  BusinessErasureSchema,
  BusinessErasureStateSchema,
  DataExportListSchema,
  ShortListQuerySchema,
  DataExportParamsSchema,
  DataExportSchema,
  ProblemSchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { descending, pageInMemory } from '../../lib/pagination';
import { SESSION_COOKIE, requireSession, requireTenant } from '../../plugins/auth';
import type { DataRightsService } from './data-rights.service';

const owner = { access: { kind: 'tenant', role: 'OWNER', sessionOnly: true } } as const;
const user = { access: { kind: 'user' } } as const;
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const TAGS = ['data-rights'];

/**
 * Data rights: `/v1/data-exports` (owners export the business; the worker builds the zip; the
 * download works once, for 24 hours), `/v1/vendor/erasure` (delete the business after a 7-day
 * grace, restore meanwhile) and `/v1/account` (a user's own export and deletion).
 */
export const dataRightsRoutes: FastifyPluginCallbackZod<{
  dataRights: DataRightsService;
}> = (app, { dataRights }, done) => {
  app.post(
    '/v1/data-exports',
    {
      config: owner,
      schema: {
        summary: 'Export the business',
        description:
          'Queues an export of every record of the business (zip: one CSV per entity, manifest.json with counts and SHA-256 checksums, README). Answers 202 with the new export, or 200 with the one already queued or running. Poll it for progress; its download link lasts 24 hours and works once.',
        tags: TAGS,
        response: { 200: DataExportSchema, 202: DataExportSchema, ...problems },
      },
    },
    async (request, reply) => {
      const result = await dataRights.requestExport(requireTenant(request), request.id);
      return reply.code(result.created ? 202 : 200).send(result.export);
    },
  );

  app.get(
    '/v1/data-exports',
    {
      config: owner,
      schema: {
        summary: 'List exports',
        description: 'The 20 latest exports of the business, newest first. Cursor-paginated.',
        tags: TAGS,
        querystring: ShortListQuerySchema,
        response: { 200: DataExportListSchema, ...problems },
      },
    },
    async (request) =>
      pageInMemory(
        await dataRights.listExports(requireTenant(request)),
        request.query,
        (e) => [e.requestedAt, e.id],
        descending,
      ),
  );

  app.get(
    '/v1/data-exports/:exportId',
    {
      config: owner,
      schema: {
        summary: 'Get an export',
        tags: TAGS,
        params: DataExportParamsSchema,
        response: { 200: DataExportSchema, ...problems },
      },
    },
    async (request) => dataRights.getExport(requireTenant(request), request.params.exportId),
  );

  app.get(
    '/v1/data-exports/:exportId/download',
    {
      config: owner,
      schema: {
        summary: 'Download an export (once)',
        description:
          'The zip archive. Works once per export and for 24 hours after it was built; afterwards (or while it is still being built) 409 says what to do.',
        tags: TAGS,
        params: DataExportParamsSchema,
        produces: ['application/zip'],
        response: {
          200: z.any().describe('application/zip'),
          409: ProblemSchema,
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const file = await dataRights.downloadExport(
        requireTenant(request),
        request.params.exportId,
        request.id,
      );
      return reply
        .header('content-type', 'application/zip')
        .header('content-length', String(file.sizeBytes))
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.stream);
    },
  );

  app.get(
    '/v1/vendor/erasure',
    {
      config: owner,
      schema: {
        summary: 'Pending deletion of the business',
        tags: TAGS,
        response: { 200: BusinessErasureStateSchema, ...problems },
      },
    },
    async (request) => ({ erasure: await dataRights.getErasure(requireTenant(request)) }),
  );

  app.post(
    '/v1/vendor/erasure',
    {
      config: owner,
      schema: {
        summary: 'Delete the business',
        description:
          "Schedules the deletion of the business and every record of it in 7 days (restore until then). `confirm` must be the business's exact name. Square is disconnected and the subscription cancelled when it runs; the audit log is kept pseudonymized.",
        tags: TAGS,
        body: BusinessErasureBodySchema,
        response: { 202: BusinessErasureSchema, 409: ProblemSchema, ...problems },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          await dataRights.requestErasure(requireTenant(request), request.body.confirm, request.id),
        ),
  );

  app.delete(
    '/v1/vendor/erasure',
    {
      config: owner,
      schema: {
        summary: 'Restore the business',
        description: 'Cancels the pending deletion (during the 7-day grace period).',
        tags: TAGS,
        response: { 200: BusinessErasureSchema, ...problems },
      },
    },
    async (request) => dataRights.cancelErasure(requireTenant(request), request.id),
  );

  app.get(
    '/v1/account/export',
    {
      // The account, its memberships and sessions: all under the answer cache's 'user' key.
      config: { ...user, responseCache: 'user' },
      schema: {
        summary: 'Export my account data',
        description: 'The signed-in user’s own data: account, memberships and sign-in sessions.',
        tags: TAGS,
        response: { 200: AccountExportSchema, ...problems },
      },
    },
    async (request, reply) => {
      const body = await dataRights.exportAccount(requireSession(request).session.userId);
      return reply
        .header('content-disposition', 'attachment; filename="marketprep-account.json"')
        .send(body);
    },
  );

  app.post(
    '/v1/account/delete',
    {
      config: user,
      schema: {
        summary: 'Delete my account',
        description:
          'Deletes the signed-in account (and signs it out everywhere) after `confirm` is its email. Refused with 409 while the user is the last owner of a business that still exists.',
        tags: TAGS,
        body: AccountErasureBodySchema,
        response: { 204: z.null(), 409: ProblemSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { session } = requireSession(request);
      await dataRights.deleteAccount(
        session.userId,
        session.user.email,
        request.body.confirm,
        request.id,
      );
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );
  done();
};
