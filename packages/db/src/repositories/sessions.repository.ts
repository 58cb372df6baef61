import type { PrismaClient } from '../generated/prisma/client';

/** A live session with what authorization needs. */
export interface SessionRecord {
  id: string;
  userId: string;
  activeVendorId: string | null;
  expiresAt: Date;
  user: { email: string; name: string; isPlatformAdmin: boolean };
}

/** Sessions are a platform table (no vendor_id): this repository takes the plain client. */
export class SessionsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Stores a new session (only the token's hash). */
  async createSession(data: {
    userId: string;
    tokenHash: string;
    activeVendorId: string | null;
    expiresAt: Date;
    ip?: string;
    userAgent?: string;
  }): Promise<{ id: string }> {
    return this.prisma.session.create({ data, select: { id: true } });
  }

  /** The session for a token hash, if it exists, is not revoked or expired, and its user is active. */
  async findActiveSession(tokenHash: string, now: Date): Promise<SessionRecord | null> {
    const row = await this.prisma.session.findFirst({
      where: { tokenHash, revokedAt: null, expiresAt: { gt: now }, user: { deletedAt: null } },
      select: {
        id: true,
        userId: true,
        activeVendorId: true,
        expiresAt: true,
        user: { select: { email: true, name: true, platformAdmin: { select: { userId: true } } } },
      },
    });
    if (!row) return null;
    return {
      id: row.id,
      userId: row.userId,
      activeVendorId: row.activeVendorId,
      expiresAt: row.expiresAt,
      user: {
        email: row.user.email,
        name: row.user.name,
        isPlatformAdmin: !!row.user.platformAdmin,
      },
    };
  }

  /** Moves the expiry forward (sliding sessions) and records activity. */
  async touchSession(id: string, now: Date, expiresAt: Date): Promise<void> {
    await this.prisma.session.updateMany({
      where: { id, revokedAt: null },
      data: { lastSeenAt: now, expiresAt },
    });
  }

  /** Switches the vendor the session works in. */
  async setActiveVendor(id: string, vendorId: string): Promise<void> {
    await this.prisma.session.update({ where: { id }, data: { activeVendorId: vendorId } });
  }

  /** Revokes one session (logout). */
  async revokeSession(id: string, now: Date): Promise<void> {
    await this.prisma.session.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: now },
    });
  }

  /** Revokes every session of a user except `keepId` (after a password change or reset). */
  async revokeUserSessions(userId: string, now: Date, keepId?: string): Promise<number> {
    const { count } = await this.prisma.session.updateMany({
      where: { userId, revokedAt: null, ...(keepId ? { id: { not: keepId } } : {}) },
      data: { revokedAt: now },
    });
    return count;
  }

  /** Deletes sessions that expired or were revoked before `before`; returns how many. */
  async deleteExpired(options: { before: Date }): Promise<number> {
    const { count } = await this.prisma.session.deleteMany({
      where: { OR: [{ expiresAt: { lt: options.before } }, { revokedAt: { lt: options.before } }] },
    });
    return count;
  }
}
