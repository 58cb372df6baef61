import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PrismaClient } from './generated/prisma/client';
import { PinnedClients, pinnedClientOf, type PinnedClient } from './tenant-pinned';

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
  /** `BEGIN READ ONLY`: a read path that must not write (PostgreSQL refuses any write). */
  readOnly?: boolean;
}

/**
 * Parameterized SQL on a tenant scope's own connection and transaction (see {@link tenantSql}).
 * Values are always sent as bind parameters ($1, $2, ...), never spliced into the text. `name`
 * makes it a named prepared statement, planned once per connection.
 */
export interface TenantSql {
  query<R>(text: string, values: readonly unknown[], name?: string): Promise<R[]>;
}

/**
 * Typed SQL inside a {@link withScope} scope, for the repositories whose statements Prisma cannot
 * express or where its per-query cost shows (the prep-list read, the check-in form): the
 * statements run on the scope's pinned connection, in its transaction, under its RLS settings,
 * exactly as the scope's Prisma queries do. Rows come as `pg` parses them. For packages/db
 * repositories only.
 */
export function tenantSql(tx: TenantTransaction): TenantSql {
  const pinned = pinnedClientOf(tx);
  if (pinned) return pinned;
  // A client made outside createDatabaseClient (benches): Prisma's raw query in its transaction.
  return {
    query: <R>(text: string, values: readonly unknown[]) =>
      tx.$queryRawUnsafe<R[]>(text, ...values),
  };
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
  const fast = fastPaths.get(prisma);
  if (fast) return runPinned(fast, scope, fn, options);
  // A client made outside createDatabaseClient (no pool known): Prisma's interactive transaction.
  return prisma.$transaction(
    async (tx) => {
      if (options.readOnly) await tx.$executeRawUnsafe('SET TRANSACTION READ ONLY');
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

interface FastPath {
  pool: pg.Pool;
  pinned: PinnedClients;
}

const fastPaths = new WeakMap<PrismaClient, FastPath>();

/**
 * Makes {@link withScope} on `prisma` run on a pinned connection of `pool` (see tenant-pinned.ts)
 * instead of a Prisma interactive transaction. Called by createDatabaseClient; returns what to
 * close with the client.
 */
export function enableFastTenantPath(prisma: PrismaClient, pool: pg.Pool): PinnedClients {
  const pinned = new PinnedClients();
  fastPaths.set(prisma, { pool, pinned });
  return pinned;
}

/** Pinned Prisma clients made for `prisma`'s scopes so far (tests, metrics). */
export function pinnedClientCount(prisma: PrismaClient): number {
  return fastPaths.get(prisma)?.pinned.size ?? 0;
}

/** Raised when a scope outlives its `timeoutMs` (code P2028, as Prisma's expired transaction). */
export class ScopeTimeoutError extends Error {
  readonly code = 'P2028';
  constructor(timeoutMs: number) {
    super(`Transaction already closed: the tenant scope ran longer than its ${timeoutMs} ms.`);
    this.name = 'ScopeTimeoutError';
  }
}

/** Raised when no pooled connection was free within `maxWaitMs` (as Prisma's P2024). */
export class ScopeWaitError extends Error {
  readonly code = 'P2024';
  constructor(maxWaitMs: number) {
    super(`Timed out fetching a connection from the pool (waited ${maxWaitMs} ms).`);
    this.name = 'ScopeWaitError';
  }
}

async function connectWithin(pool: pg.Pool, maxWaitMs: number): Promise<pg.PoolClient> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const connecting = pool.connect();
  try {
    return await Promise.race([
      connecting,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          late = true;
          reject(new ScopeWaitError(maxWaitMs));
        }, maxWaitMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    // A connection that arrives after we gave up goes straight back to the pool.
    if (late)
      void connecting.then(
        (c) => c.release(),
        () => undefined,
      );
  }
}

/**
 * BEGIN and every setting in one simple-protocol round trip (which cannot carry bind parameters):
 * each value was checked by withScope against a pattern of hex digits, dashes, letters and
 * underscores only, so none can close the quote it is spliced into.
 */
function beginStatement(scope: DbScope, readOnly: boolean): string {
  const settings = [
    `set_config('app.vendor_id', '${scope.vendorId ?? ''}', true)`,
    `set_config('app.user_id', '${scope.userId ?? ''}', true)`,
    `set_config('app.token_hash', '${scope.tokenHash ?? ''}', true)`,
  ];
  if (scope.externalAccountId !== undefined) {
    settings.push(`set_config('app.external_account_id', '${scope.externalAccountId}', true)`);
  }
  return `${readOnly ? 'BEGIN READ ONLY' : 'BEGIN'}; SELECT ${settings.join(', ')}`;
}

async function runPinned<T>(
  fast: FastPath,
  scope: DbScope,
  fn: (tx: TenantTransaction) => Promise<T>,
  options: WithTenantOptions,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const connection = await connectWithin(fast.pool, options.maxWaitMs ?? 5_000);
  // A connection whose state is unknown (BEGIN, COMMIT or ROLLBACK failed) is destroyed.
  let broken: Error | undefined;
  const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
  let client: PinnedClient | undefined;
  try {
    try {
      await connection.query(beginStatement(scope, options.readOnly ?? false));
    } catch (error) {
      broken = asError(error);
      throw error;
    }
    client = fast.pinned.take(connection);
    const pinned = client;
    let expired = false;
    const timer = setTimeout(() => {
      // Queries after this point are refused; the transaction is rolled back below.
      expired = true;
      pinned.unbind();
    }, timeoutMs);
    try {
      const value = await fn(pinned.prisma);
      if (expired) throw new ScopeTimeoutError(timeoutMs);
      clearTimeout(timer);
      pinned.unbind();
      await connection.query('COMMIT').catch((error: unknown) => {
        broken = asError(error);
        throw error;
      });
      return value;
    } catch (error) {
      clearTimeout(timer);
      pinned.unbind();
      if (broken === undefined) {
        await connection.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = asError(rollbackError);
        });
      }
      throw expired && !(error instanceof ScopeTimeoutError)
        ? new ScopeTimeoutError(timeoutMs)
        : error;
    }
  } finally {
    if (client) fast.pinned.give(client);
    connection.release(broken);
  }
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

/** A lock name as PostgreSQL's bigint advisory-lock key: the first 8 bytes of its SHA-256. */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}
