import type { PrismaClient } from '../generated/prisma/client';

/** Password-reset tokens (platform table; only the token's hash is stored). */
export class PasswordResetsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Stores a reset token for a user as their only live one: every earlier unused link is revoked
   * in the same transaction (the user row is locked, so two concurrent requests leave one link).
   */
  async createReset(data: { userId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM users WHERE id = ${data.userId}::uuid FOR UPDATE`;
      await tx.passwordResetToken.updateMany({
        where: { userId: data.userId, usedAt: null },
        data: { usedAt: new Date() },
      });
      await tx.passwordResetToken.create({ data });
    });
  }

  /** Revokes every unused reset link of the user (after a password change or a reset). */
  async revokeUserResets(userId: string, now: Date): Promise<number> {
    const { count } = await this.prisma.passwordResetToken.updateMany({
      where: { userId, usedAt: null },
      data: { usedAt: now },
    });
    return count;
  }

  /**
   * Consumes a reset token exactly once: marks it used and returns its user, or null when it is
   * unknown, used, revoked or expired. The conditional update makes two concurrent uses yield one
   * winner; the user's other links are revoked with it.
   */
  async consumeReset(tokenHash: string, now: Date): Promise<string | null> {
    const row = await this.prisma.passwordResetToken.findUnique({
      where: { tokenHash },
      select: { id: true, userId: true },
    });
    if (!row) return null;
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.passwordResetToken.updateMany({
        where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (count !== 1) return null;
      await tx.passwordResetToken.updateMany({
        where: { userId: row.userId, usedAt: null },
        data: { usedAt: now },
      });
      return row.userId;
    });
  }
}
