import {
  PLAN_LIMITED_PROBLEMS,
  InvitationAcceptBodySchema,
  InvitationCreateBodySchema,
  InvitationSchema,
  ProblemSchema,
  InvitationListSchema,
  MemberListSchema,
  SessionSchema,
  ShortListQuerySchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ascending, descending, pageInMemory } from '../../lib/pagination';
import { requireSession, requireTenant } from '../../plugins/auth';
import type { AuthService } from '../auth/auth.service';
import type { TeamService } from './team.service';

const problems = {
  ...PLAN_LIMITED_PROBLEMS,
  409: ProblemSchema,
};
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** `/v1/team`: members, invitations, accepting an invitation. Owners only, in person. */
export const teamRoutes: FastifyPluginCallbackZod<{ team: TeamService; auth: AuthService }> = (
  app,
  { team, auth },
  done,
) => {
  app.get(
    '/v1/team/members',
    {
      config: { access: { kind: 'tenant', role: 'OWNER', sessionOnly: true } },
      schema: {
        summary: 'List members',
        description: 'The people of the business with their role, by name. Cursor-paginated.',
        tags: ['team'],
        querystring: ShortListQuerySchema,
        response: { 200: MemberListSchema, ...problems },
      },
    },
    async (request) => {
      const members = (await team.listMembers(requireTenant(request)))
        .map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() }))
        .sort((a, b) => ascending(a.name, b.name) || ascending(a.userId, b.userId));
      return pageInMemory(members, request.query, (m) => [m.name, m.userId], ascending);
    },
  );

  app.get(
    '/v1/team/invitations',
    {
      config: { access: { kind: 'tenant', role: 'OWNER', sessionOnly: true } },
      schema: {
        summary: 'List open invitations',
        description:
          'Invitations not yet accepted and not expired, newest first (latest expiry first). Cursor-paginated.',
        tags: ['team'],
        querystring: ShortListQuerySchema,
        response: { 200: InvitationListSchema, ...problems },
      },
    },
    async (request) => {
      const invitations = (await team.listInvitations(requireTenant(request)))
        .map((i) => ({
          ...i,
          expiresAt: i.expiresAt.toISOString(),
          acceptedAt: iso(i.acceptedAt),
        }))
        .sort((a, b) => descending(a.expiresAt, b.expiresAt) || descending(a.id, b.id));
      return pageInMemory(invitations, request.query, (i) => [i.expiresAt, i.id], descending);
    },
  );

  app.post(
    '/v1/team/invitations',
    {
      config: { access: { kind: 'tenant', role: 'OWNER', sessionOnly: true } },
      schema: {
        summary: 'Invite someone by email',
        description: 'Mails a one-time link valid for 7 days.',
        tags: ['team'],
        body: InvitationCreateBodySchema,
        response: { 201: InvitationSchema, ...problems },
      },
    },
    async (request, reply) => {
      const invitation = await team.invite(
        requireTenant(request),
        request.body.email,
        request.body.role,
        request.id,
      );
      return reply
        .status(201)
        .send({ ...invitation, expiresAt: invitation.expiresAt.toISOString(), acceptedAt: null });
    },
  );

  app.post(
    '/v1/team/invitations/accept',
    {
      config: { access: { kind: 'user' } },
      schema: {
        summary: 'Accept an invitation',
        description:
          'The signed-in account must have the invited email; the business becomes the active one.',
        tags: ['team'],
        body: InvitationAcceptBodySchema,
        response: { 200: SessionSchema, ...problems },
      },
    },
    async (request) => {
      const { session, secret } = requireSession(request);
      const vendorId = await team.accept(session.userId, request.body.token);
      return auth.setActiveVendor(session, secret, vendorId);
    },
  );

  app.delete(
    '/v1/team/members/:userId',
    {
      config: { access: { kind: 'tenant', role: 'OWNER', sessionOnly: true } },
      schema: {
        summary: 'Remove a member',
        tags: ['team'],
        params: z.object({ userId: z.uuid() }),
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await team.removeMember(requireTenant(request), request.params.userId, request.id);
      return reply.status(204).send(null);
    },
  );
  done();
};
