import type { TenantTransaction } from '../tenant';
import type { Role } from './memberships.repository';

/** An invitation as stored (never the token). */
export interface InvitationRecord {
  id: string;
  vendorId: string;
  email: string;
  role: Role;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

const invitationSelect = {
  id: true,
  vendorId: true,
  email: true,
  role: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
} as const;

/** Team invitations. `findByHash` needs a `tokenHash`-scoped transaction; the rest a tenant one. */
export class InvitationsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Creates an invitation for the current vendor. */
  async createInvitation(data: {
    vendorId: string;
    email: string;
    role: Role;
    tokenHash: string;
    invitedByUserId: string;
    expiresAt: Date;
  }): Promise<InvitationRecord> {
    return this.tx.invitation.create({ data, select: invitationSelect });
  }

  /** The invitation whose hash is in scope. */
  async findByHash(tokenHash: string): Promise<InvitationRecord | null> {
    return this.tx.invitation.findFirst({ where: { tokenHash }, select: invitationSelect });
  }

  /** Marks an invitation accepted, once; false when it was already used or revoked. */
  async markAccepted(id: string, now: Date): Promise<boolean> {
    const { count } = await this.tx.invitation.updateMany({
      where: { id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    return count === 1;
  }

  /** Open invitations of the current vendor. */
  async listOpen(now: Date): Promise<InvitationRecord[]> {
    return this.tx.invitation.findMany({
      where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      select: invitationSelect,
      orderBy: { createdAt: 'desc' },
    });
  }
}
