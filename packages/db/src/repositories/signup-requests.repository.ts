import type { PrismaClient } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';

type Db = PrismaClient | TenantTransaction;

/** A sign-up waiting for its emailed link. */
export interface SignupRequestRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  vendorName: string | null;
  expiresAt: Date;
}

const select = {
  id: true,
  email: true,
  name: true,
  passwordHash: true,
  vendorName: true,
  expiresAt: true,
} as const;

/**
 * Sign-ups by emailed link (platform table, no RLS). The request is stored whether or not the
 * address has an account, so the sign-up answer and its cost are the same for both; the mail job
 * decides what to send. Only the link's SHA-256 is stored.
 */
export class SignupRequestsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores a request (the password already hashed). The worker's retention job removes requests
   * a day after their link expired or was used (`RETENTION_TOKEN_DAYS`).
   */
  async createRequest(data: {
    email: string;
    name: string;
    passwordHash: string;
    vendorName: string | null;
    expiresAt: Date;
  }): Promise<string> {
    const created = await this.db.signupRequest.create({ data, select: { id: true } });
    return created.id;
  }

  /** An unused request by id (the mail job), or null. */
  async findPending(id: string): Promise<SignupRequestRecord | null> {
    return this.db.signupRequest.findFirst({ where: { id, usedAt: null }, select });
  }

  /**
   * Sets the link of a request (its SHA-256) and its expiry; a link sent earlier for the same
   * request stops working. False when the request is gone, used or scrubbed.
   */
  async setToken(id: string, tokenHash: string, expiresAt: Date): Promise<boolean> {
    const { count } = await this.db.signupRequest.updateMany({
      where: { id, usedAt: null, passwordHash: { not: '' } },
      data: { tokenHash, expiresAt },
    });
    return count === 1;
  }

  /**
   * Wipes the password hash of a request whose address already has an account: it can never be
   * confirmed, and a retry of its mail still finds it (to send the notice again). The
   * retention job removes it a day after it expires.
   */
  async scrubRequest(id: string): Promise<void> {
    await this.db.signupRequest.updateMany({
      where: { id },
      data: { passwordHash: '', tokenHash: null },
    });
  }

  /** Deletes a request (once its account exists). */
  async deleteRequest(id: string): Promise<void> {
    await this.db.signupRequest.deleteMany({ where: { id } });
  }

  /**
   * Consumes a link exactly once: marks the request used and returns it, or null when the link is
   * unknown, used or expired. The conditional update makes two concurrent uses yield one winner.
   */
  async consumeToken(tokenHash: string, now: Date): Promise<SignupRequestRecord | null> {
    const row = await this.db.signupRequest.findUnique({ where: { tokenHash }, select });
    if (!row) return null;
    const { count } = await this.db.signupRequest.updateMany({
      where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    return count === 1 ? row : null;
  }
}
