import type { PrismaClient } from '../generated/prisma/client';

/** Password-reset tokens (platform table; only the token's hash is stored). */
export class PasswordResetsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Stores a reset token for a user. */
  async createReset(data: { userId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
    await this.prisma.passwordResetToken.create({ data });
  }

  /**
   * Consumes a reset token exactly once: marks it used and returns its user, or null when it is
   * unknown, used or expired. The conditional update makes two concurrent uses yield one winner.
   */
  async consumeReset(tokenHash: string, now: Date): Promise<string | null> {
    const row = await this.prisma.passwordResetToken.findUnique({
      where: { tokenHash },
      select: { id: true, userId: true },
    });
    if (!row) return null;
    const { count } = await this.prisma.passwordResetToken.updateMany({
      where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    return count === 1 ? row.userId : null;
  }
}
