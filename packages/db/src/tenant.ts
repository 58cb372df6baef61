import type { PrismaClient } from './generated/prisma/client';

/** A Prisma transaction client scoped by RLS settings (what repositories receive). */
export type TenantTransaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Raised when a scope value is not what it claims to be (never reaches the database). */
export class InvalidTenantError extends Error {
  constructor(what: string, value: string) {
    super(`Not a ${what}: ${JSON.stringify(value).slice(0, 60)}`);
    this.name = 'InvalidTenantError';
  }
}

/** Options for {@link withTenant} and {@link withScope}. */
export interface WithTenantOptions {
  /** Transaction timeout (ms). */
  timeoutMs?: number;
  /** How long to wait for a pooled connection (ms). */
  maxWaitMs?: number;
}

/**
 * What a transaction may see under row-level security (prisma/migrations):
 * - `vendorId`: that vendor's rows, read and write (tenant_isolation);
 * - `userId`: that user's memberships and the vendors they belong to, read only;
 * - `tokenHash`: the API token or invitation with that SHA-256, read only;
 * - `externalAccountId`: the provider connection of that external account (Square merchant id),
 *   read only; set only after a webhook's signature checked out.
 */
export interface DbScope {
  vendorId?: string;
  userId?: string;
  tokenHash?: string;
  externalAccountId?: string;
}

const EXTERNAL_ACCOUNT_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * Runs `fn` in one transaction with the given RLS settings. Settings are transaction-local
 * (`set_config(..., true)`): they end with the transaction, so a pooled connection never carries
 * one request's scope into the next.
 */
export async function withScope<T>(
  prisma: PrismaClient,
  scope: DbScope,
  fn: (tx: TenantTransaction) => Promise<T>,
  options: WithTenantOptions = {},
): Promise<T> {
  if (scope.vendorId !== undefined && !UUID.test(scope.vendorId)) {
    throw new InvalidTenantError('vendor id', scope.vendorId);
  }
  if (scope.userId !== undefined && !UUID.test(scope.userId)) {
    throw new InvalidTenantError('user id', scope.userId);
  }
  if (scope.tokenHash !== undefined && !SHA256_HEX.test(scope.tokenHash)) {
    throw new InvalidTenantError('token hash', scope.tokenHash);
  }
  if (scope.externalAccountId !== undefined && !EXTERNAL_ACCOUNT_ID.test(scope.externalAccountId)) {
    throw new InvalidTenantError('external account id', scope.externalAccountId);
  }
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`select set_config('app.vendor_id', ${scope.vendorId ?? ''}, true),
                                  set_config('app.user_id', ${scope.userId ?? ''}, true),
                                  set_config('app.token_hash', ${scope.tokenHash ?? ''}, true)`;
      if (scope.externalAccountId !== undefined) {
        await tx.$executeRaw`select set_config('app.external_account_id', ${scope.externalAccountId}, true)`;
      }
      return fn(tx);
    },
    { timeout: options.timeoutMs ?? 10_000, maxWait: options.maxWaitMs ?? 5_000 },
  );
}

/**
 * Runs `fn` in one transaction in which row-level security sees only `vendorId`'s rows.
 * The setting is transaction-local, so it never leaks to the next user of a pooled connection.
 */
export function withTenant<T>(
  prisma: PrismaClient,
  vendorId: string,
  fn: (tx: TenantTransaction) => Promise<T>,
  options: WithTenantOptions = {},
): Promise<T> {
  return withScope(prisma, { vendorId }, fn, options);
}
