import { AuditLogPageSchema, AuditLogQuerySchema, ProblemSchema } from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { requireTenant } from '../../plugins/auth';
import type { AuditService } from './audit.service';

const owner = { access: { kind: 'tenant', role: 'OWNER' } } as const;
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/** `GET /v1/audit-log`: the business's audit trail, for owners. */
export const auditRoutes: FastifyPluginCallbackZod<{ audit: AuditService }> = (
  app,
  { audit },
  done,
) => {
  app.get(
    '/v1/audit-log',
    {
      config: owner,
      schema: {
        summary: 'Read the audit trail',
        description:
          'Who changed what and when, newest first: sign-ins, changes to markets, products, prep lists and the team, exports and deletions requested. Filter by `actor` (user id), `entity` (target type such as `market`, or an action family such as `auth` or `data_export`) and `from`/`to` (UTC dates, inclusive). Cursor-paginated.',
        tags: ['audit'],
        querystring: AuditLogQuerySchema,
        response: { 200: AuditLogPageSchema, ...problems },
      },
    },
    async (request) => audit.listEntries(requireTenant(request), request.query),
  );
  done();
};
