import type { PrismaClient } from '../generated/prisma/client';

/** Sessions are a platform table (no vendor_id): this repository takes the plain client. */
export class SessionsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Deletes sessions that expired or were revoked before `before`; returns how many. */
  async deleteExpired(options: { before: Date }): Promise<number> {
    const { count } = await this.prisma.session.deleteMany({
      where: { OR: [{ expiresAt: { lt: options.before } }, { revokedAt: { lt: options.before } }] },
    });
    return count;
  }
}
