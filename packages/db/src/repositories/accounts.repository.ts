import type { PrismaClient } from '../generated/prisma/client';

/** What a user's own data export holds (their account, not a business's data). */
export interface AccountDataRecord {
  id: string;
  email: string;
  name: string;
  createdAt: Date;
  emailVerifiedAt: Date | null;
  sessions: {
    createdAt: Date;
    lastSeenAt: Date;
    expiresAt: Date;
    revokedAt: Date | null;
    ip: string | null;
    userAgent: string | null;
  }[];
}

/** A user's own account: their data export and the erasure of the account (platform tables). */
export class AccountsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The account's own data (profile and sign-in sessions). */
  async findAccountData(userId: string): Promise<AccountDataRecord | null> {
    return this.prisma.user.findFirst({
      where: { id: userId, deletedAt: null },
      select: {
        id: true,
        email: true,
        name: true,
        createdAt: true,
        emailVerifiedAt: true,
        sessions: {
          select: {
            createdAt: true,
            lastSeenAt: true,
            expiresAt: true,
            revokedAt: true,
            ip: true,
            userAgent: true,
          },
          orderBy: { createdAt: 'asc' },
        },
      },
    });
  }

  /**
   * Erases the account: personal fields scrubbed (the row stays so audit entries keep a
   * pseudonymous actor id), every session and reset token deleted.
   */
  async eraseUser(userId: string, now: Date): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.session.deleteMany({ where: { userId } }),
      this.prisma.passwordResetToken.deleteMany({ where: { userId } }),
      this.prisma.platformAdmin.deleteMany({ where: { userId } }),
      this.prisma.user.update({
        where: { id: userId },
        data: {
          email: `deleted-${userId}@erased.invalid`,
          name: '',
          passwordHash: '!erased',
          emailVerifiedAt: null,
          deletedAt: now,
        },
      }),
    ]);
  }
}
