import {
  PLAN_LIMITED_PROBLEMS,
  InvitationAcceptBodySchema,
  InvitationCreateBodySchema,
  InvitationSchema,
  ProblemSchema,
  SessionSchema,
  TeamSchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
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
    '/v1/team',
    {
      config: { access: { kind: 'tenant', role: 'OWNER', sessionOnly: true } },
      schema: {
        summary: 'Members and open invitations',
        tags: ['team'],
        response: { 200: TeamSchema, ...problems },
      },
    },
    async (request) => {
      const result = await team.getTeam(requireTenant(request));
      return {
        members: result.members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() })),
        invitations: result.invitations.map((i) => ({
          ...i,
          expiresAt: i.expiresAt.toISOString(),
          acceptedAt: iso(i.acceptedAt),
        })),
      };
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
