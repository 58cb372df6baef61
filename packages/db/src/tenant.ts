import type { PrismaClient } from './generated/prisma/client';

/** A Prisma transaction client scoped to one vendor (what repositories receive). */
export type TenantTransaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Raised when withTenant is called with something that is not a vendor id. */
export class InvalidTenantError extends Error {
  constructor(value: string) {
    super(`Not a vendor id: ${JSON.stringify(value).slice(0, 60)}`);
    this.name = 'InvalidTenantError';
  }
}

/** Options for {@link withTenant}. */
export interface WithTenantOptions {
  /** Transaction timeout (ms). */
  timeoutMs?: number;
  /** How long to wait for a pooled connection (ms). */
  maxWaitMs?: number;
}

/**
 * Runs `fn` in one transaction in which row-level security sees only `vendorId`'s rows.
 *
 * The setting is transaction-local (`set_config(..., true)`): it ends with the transaction, so a
 * pooled connection never carries one vendor's id into the next request.
 */
export async function withTenant<T>(
  prisma: PrismaClient,
  vendorId: string,
  fn: (tx: TenantTransaction) => Promise<T>,
  options: WithTenantOptions = {},
): Promise<T> {
  if (!UUID.test(vendorId)) throw new InvalidTenantError(vendorId);
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`select set_config('app.vendor_id', ${vendorId}, true)`;
      return fn(tx);
    },
    { timeout: options.timeoutMs ?? 10_000, maxWait: options.maxWaitMs ?? 5_000 },
  );
}
