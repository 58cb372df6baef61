import type { TenantTransaction } from '../tenant';

/** An API token as stored (never the secret). */
export interface ApiTokenRecord {
  id: string;
  vendorId: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

const tokenSelect = {
  id: true,
  vendorId: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
} as const;

/**
 * API tokens. `findByHash` needs a transaction scoped with `tokenHash` (token_lookup policy); the
 * rest a tenant-scoped one.
 */
export class ApiTokensRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** The token whose hash is in scope, whatever its state (the caller checks expiry/revocation). */
  async findByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    return this.tx.apiToken.findFirst({ where: { tokenHash }, select: tokenSelect });
  }

  /** Stores a new token. */
  async createToken(data: {
    vendorId: string;
    createdByUserId: string | null;
    name: string;
    prefix: string;
    tokenHash: string;
    scopes: string[];
    expiresAt: Date | null;
  }): Promise<ApiTokenRecord> {
    return this.tx.apiToken.create({ data, select: tokenSelect });
  }

  /** The current vendor's tokens, newest first. */
  async listTokens(): Promise<ApiTokenRecord[]> {
    return this.tx.apiToken.findMany({ select: tokenSelect, orderBy: { createdAt: 'desc' } });
  }

  /** Revokes a token of the current vendor; returns false when there is no such token. */
  async revokeToken(id: string, now: Date): Promise<boolean> {
    const existing = await this.tx.apiToken.findFirst({
      where: { id },
      select: { id: true, revokedAt: true },
    });
    if (!existing) return false;
    if (!existing.revokedAt)
      await this.tx.apiToken.update({ where: { id }, data: { revokedAt: now } });
    return true;
  }

  /** Records use, at most once a minute per token to keep reads cheap. */
  async touchToken(id: string, now: Date): Promise<void> {
    await this.tx.apiToken.updateMany({
      where: {
        id,
        OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }],
      },
      data: { lastUsedAt: now },
    });
  }
}
