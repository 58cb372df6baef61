import {
  AuditRepository,
  InvitationsRepository,
  MembershipsRepository,
  UsersRepository,
  withScope,
  withTenant,
  type DatabaseClient,
} from '@marketprep/db';
import type { MemberRole } from '@marketprep/contracts';
import { AppError } from '../../errors';
import type { Mailer } from '../../lib/mailer';
import { generateSecret, sha256Hex } from '../../lib/secrets';
import type { TenantContext } from '../../plugins/auth';
import type { PlanLimitCheck } from '../billing/plan-limits';

const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

/** The team of a business: members and invitations. */
export class TeamService {
  constructor(
    private readonly deps: {
      db: DatabaseClient;
      mailer: Mailer;
      publicUrl: string;
      now: () => Date;
      /** Billing's plan limits (none: unlimited). */
      limits?: PlanLimitCheck;
    },
  ) {}

  /** Members of the current business. */
  async listMembers(tenant: TenantContext) {
    return withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new MembershipsRepository(tx).listMembers(),
    );
  }

  /** Open invitations of the current business. */
  async listInvitations(tenant: TenantContext) {
    return withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new InvitationsRepository(tx).listOpen(this.deps.now()),
    );
  }

  /** Invites someone by email; the link works once, for a week. */
  async invite(tenant: TenantContext, email: string, role: MemberRole, requestId: string) {
    if (role !== 'OWNER') await this.deps.limits?.assertCanAdd(tenant.vendorId, 'seats');
    const secret = generateSecret('mp_i_');
    const now = this.deps.now();
    const { invitation, vendorName } = await withTenant(
      this.deps.db.prisma,
      tenant.vendorId,
      async (tx) => {
        const created = await new InvitationsRepository(tx).createInvitation({
          vendorId: tenant.vendorId,
          email,
          role,
          tokenHash: sha256Hex(secret),
          invitedByUserId: tenant.userId ?? '',
          expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
        });
        await new AuditRepository(tx).record({
          vendorId: tenant.vendorId,
          actorUserId: tenant.userId,
          actorType: 'user',
          action: 'team.invited',
          targetType: 'invitation',
          targetId: created.id,
          requestId,
          metadata: { role },
        });
        const vendor = await tx.vendor.findFirst({ select: { name: true } });
        return { invitation: created, vendorName: vendor?.name ?? 'a business' };
      },
    );
    await this.deps.mailer.send({
      to: email,
      subject: `You are invited to ${vendorName} on MarketPrep`,
      text: `You have been invited to join ${vendorName} on MarketPrep as ${role === 'OWNER' ? 'an owner' : 'staff'}.\n\nAccept within 7 days: ${this.deps.publicUrl}/accept-invite?token=${secret}\n`,
    });
    return invitation;
  }

  /** Accepts an invitation for the signed-in user (whose email must match); returns the vendor id. */
  async accept(userId: string, token: string): Promise<string> {
    const tokenHash = sha256Hex(token);
    const invitation = await withScope(this.deps.db.prisma, { tokenHash }, (tx) =>
      new InvitationsRepository(tx).findByHash(tokenHash),
    );
    const now = this.deps.now();
    if (
      !invitation ||
      invitation.acceptedAt ||
      invitation.revokedAt ||
      invitation.expiresAt <= now
    ) {
      throw new AppError(
        'BAD_REQUEST',
        'This invitation is invalid, used or expired. Ask for a new one.',
      );
    }
    const user = await new UsersRepository(this.deps.db.prisma).findById(userId);
    if (!user || user.email !== invitation.email) {
      throw new AppError(
        'FORBIDDEN',
        `This invitation is for ${invitation.email}; sign in with that email to accept it.`,
      );
    }
    await withTenant(this.deps.db.prisma, invitation.vendorId, async (tx) => {
      if (!(await new InvitationsRepository(tx).markAccepted(invitation.id, now))) {
        throw new AppError('BAD_REQUEST', 'This invitation was just used.');
      }
      await new MembershipsRepository(tx).addMember(invitation.vendorId, userId, invitation.role);
      await new AuditRepository(tx).record({
        vendorId: invitation.vendorId,
        actorUserId: userId,
        actorType: 'user',
        action: 'team.joined',
        targetType: 'user',
        targetId: userId,
      });
    });
    return invitation.vendorId;
  }

  /** Removes a member; the last owner cannot be removed. */
  async removeMember(tenant: TenantContext, userId: string, requestId: string): Promise<void> {
    await withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const memberships = new MembershipsRepository(tx);
      const role = await memberships.findRole(userId);
      if (!role) throw new AppError('NOT_FOUND', 'No such member.');
      if (role === 'OWNER' && (await memberships.countOwners()) <= 1) {
        throw new AppError(
          'CONFLICT',
          'A business needs at least one owner. Make someone else an owner first.',
        );
      }
      await memberships.removeMember(userId);
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: 'user',
        action: 'team.removed',
        targetType: 'user',
        targetId: userId,
        requestId,
      });
    });
  }
}
