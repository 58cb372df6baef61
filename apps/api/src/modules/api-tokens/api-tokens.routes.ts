import {
  ApiTokenCreateBodySchema,
  ApiTokenCreatedSchema,
  ApiTokenListSchema,
  PLAN_LIMITED_PROBLEMS,
  ShortListQuerySchema,
} from '@marketprep/contracts';
import type { ApiTokenRecord } from '@marketprep/db';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { descending, pageInMemory } from '../../lib/pagination';
import { requireTenant } from '../../plugins/auth';
import type { ApiTokensService } from './api-tokens.service';

const problems = PLAN_LIMITED_PROBLEMS;
const owner = { access: { kind: 'tenant', role: 'OWNER', sessionOnly: true } } as const;

function toDto(t: ApiTokenRecord) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes.filter((s): s is 'read' | 'write' => s === 'read' || s === 'write'),
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

/** `/v1/api-tokens`: owners manage tokens in person (a token cannot mint tokens). */
export const apiTokensRoutes: FastifyPluginCallbackZod<{ tokens: ApiTokensService }> = (
  app,
  { tokens },
  done,
) => {
  app.get(
    '/v1/api-tokens',
    {
      config: owner,
      schema: {
        summary: 'List API tokens',
        description: 'Newest first, revoked ones included (with `revokedAt`). Cursor-paginated.',
        tags: ['api-tokens'],
        querystring: ShortListQuerySchema,
        response: { 200: ApiTokenListSchema, ...problems },
      },
    },
    async (request) =>
      pageInMemory(
        (await tokens.listTokens(requireTenant(request))).map(toDto),
        request.query,
        (t) => [t.createdAt, t.id],
        descending,
      ),
  );

  app.post(
    '/v1/api-tokens',
    {
      // A retry with the same Idempotency-Key gets the same token back; it is stored sealed.
      config: { ...owner, idempotency: 'sealed' },
      schema: {
        summary: 'Create an API token',
        description:
          'The token is in this answer only; store it. Use it as `Authorization: Bearer <token>`.',
        tags: ['api-tokens'],
        body: ApiTokenCreateBodySchema,
        response: { 201: ApiTokenCreatedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { record, token } = await tokens.createToken(
        requireTenant(request),
        request.body,
        request.id,
      );
      return reply.status(201).send({ ...toDto(record), token });
    },
  );

  app.delete(
    '/v1/api-tokens/:id',
    {
      config: owner,
      schema: {
        summary: 'Revoke an API token',
        tags: ['api-tokens'],
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await tokens.revokeToken(requireTenant(request), request.params.id, request.id);
      return reply.status(204).send(null);
    },
  );
  done();
};
