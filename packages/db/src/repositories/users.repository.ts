import type { PrismaClient } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';

/** A user as the API needs it. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  isPlatformAdmin: boolean;
}

type Db = PrismaClient | TenantTransaction;

const userSelect = {
  id: true,
  email: true,
  name: true,
  passwordHash: true,
  platformAdmin: { select: { userId: true } },
} as const;

function toRecord(row: {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  platformAdmin: { userId: string } | null;
}): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    passwordHash: row.passwordHash,
    isPlatformAdmin: !!row.platformAdmin,
  };
}

/** Users are a platform table (no vendor_id); works on the plain client or inside a transaction. */
export class UsersRepository {
  constructor(private readonly db: Db) {}

  /** Finds an active (not erased) user by lower-cased email. */
  async findByEmail(email: string): Promise<UserRecord | null> {
    const row = await this.db.user.findFirst({
      where: { email, deletedAt: null },
      select: userSelect,
    });
    return row ? toRecord(row) : null;
  }

  /** Finds an active user by id. */
  async findById(id: string): Promise<UserRecord | null> {
    const row = await this.db.user.findFirst({
      where: { id, deletedAt: null },
      select: userSelect,
    });
    return row ? toRecord(row) : null;
  }

  /** Creates a user; returns null when the email is taken. */
  async createUser(data: {
    email: string;
    name: string;
    passwordHash: string;
  }): Promise<UserRecord | null> {
    const created = await this.db.user.createMany({ data, skipDuplicates: true });
    return created.count ? this.findByEmail(data.email) : null;
  }

  /** Replaces the password hash. */
  async updatePassword(userId: string, passwordHash: string): Promise<void> {
    await this.db.user.update({ where: { id: userId }, data: { passwordHash } });
  }

  /** Grants platform-admin rights (operators; never vendor data). */
  async grantPlatformAdmin(userId: string): Promise<void> {
    await this.db.platformAdmin.createMany({ data: [{ userId }], skipDuplicates: true });
  }
}
