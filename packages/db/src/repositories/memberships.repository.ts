import type { TenantTransaction } from '../tenant';

/** Role of a member in a vendor. */
export type Role = 'OWNER' | 'STAFF';

/** A vendor the user belongs to. */
export interface MembershipSummary {
  vendorId: string;
  vendorName: string;
  role: Role;
}

/** A member of the current vendor. */
export interface MemberRecord {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

/**
 * Memberships and the vendor rows around them. `listForUser` needs a transaction scoped with
 * `userId` (member_lookup policy); everything else a tenant-scoped one.
 */
export class MembershipsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Every vendor the scoped user belongs to (not erased), by name. */
  async listForUser(userId: string): Promise<MembershipSummary[]> {
    const rows = await this.tx.membership.findMany({
      where: { userId, vendor: { deletedAt: null } },
      select: { vendorId: true, role: true, vendor: { select: { name: true } } },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((r) => ({ vendorId: r.vendorId, vendorName: r.vendor.name, role: r.role }));
  }

  /** The user's role in the current tenant, or null when they are not a member. */
  async findRole(userId: string): Promise<Role | null> {
    const row = await this.tx.membership.findFirst({ where: { userId }, select: { role: true } });
    return row?.role ?? null;
  }

  /** Creates the tenant's vendor row and makes `userId` its owner. */
  async createVendorWithOwner(data: {
    vendorId: string;
    name: string;
    slug: string;
    timezone?: string;
    currency?: string;
    userId: string;
  }): Promise<void> {
    await this.tx.vendor.create({
      data: {
        id: data.vendorId,
        name: data.name,
        slug: data.slug,
        ...(data.timezone ? { timezone: data.timezone } : {}),
        ...(data.currency ? { currency: data.currency } : {}),
      },
    });
    await this.tx.membership.create({
      data: { vendorId: data.vendorId, userId: data.userId, role: 'OWNER' },
    });
  }

  /** Adds a member (idempotent: an existing member keeps their role). */
  async addMember(vendorId: string, userId: string, role: Role): Promise<void> {
    await this.tx.membership.createMany({
      data: [{ vendorId, userId, role }],
      skipDuplicates: true,
    });
  }

  /** Members of the current vendor. */
  async listMembers(): Promise<MemberRecord[]> {
    const rows = await this.tx.membership.findMany({
      select: {
        userId: true,
        role: true,
        createdAt: true,
        user: { select: { name: true, email: true } },
      },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((r) => ({
      userId: r.userId,
      name: r.user.name,
      email: r.user.email,
      role: r.role,
      joinedAt: r.createdAt,
    }));
  }

  /** Removes a member; returns false when there was none. */
  async removeMember(userId: string): Promise<boolean> {
    const { count } = await this.tx.membership.deleteMany({ where: { userId } });
    return count > 0;
  }

  /**
   * Number of owners of the current vendor (the last owner cannot leave), their rows locked until
   * the transaction ends: two owners leaving at once are counted one after the other, so the
   * second sees itself as the last.
   */
  async countOwners(): Promise<number> {
    const rows = await this.tx.$queryRaw<{ owners: bigint }[]>`
      SELECT count(*) AS owners
      FROM (SELECT 1 FROM memberships WHERE role = 'OWNER' FOR UPDATE) AS locked`;
    return Number(rows[0]?.owners ?? 0);
  }
}
