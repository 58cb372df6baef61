import type pg from 'pg';
import { createHash } from 'node:crypto';
import { InvalidTenantError, UUID } from './tenant';

/**
 * Parameterized SQL on one tenant-scoped connection (see {@link withTenantSql}). Values are always
 * sent as bind parameters ($1, $2, ...), never spliced into the text. `name` makes it a named
 * prepared statement, planned once per connection.
 */
export interface TenantSql {
  query<R>(text: string, values: readonly unknown[], name?: string): Promise<R[]>;
}

/**
 * The lean twin of `withTenant` for the hottest reads: one pooled `pg` connection, one
 * transaction, the same transaction-local RLS setting (`app.vendor_id`, user and token scopes
 * cleared), no ORM in between. Row-level security applies to every statement exactly as in
 * `withTenant`. For use inside packages/db repositories only.
 */
export async function withTenantSql<T>(
  pool: pg.Pool,
  vendorId: string,
  fn: (sql: TenantSql) => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  if (!UUID.test(vendorId)) throw new InvalidTenantError('vendor id', vendorId);
  const client = await pool.connect();
  // A connection whose state is unknown (BEGIN or ROLLBACK failed) is destroyed, not reused.
  let destroy: Error | undefined;
  const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
  try {
    try {
      // BEGIN and the tenant settings in one round trip (a simple-protocol query of two
      // statements, which cannot carry bind parameters): the vendor id is spliced in only after
      // the UUID check above, so it can hold nothing but hex digits and dashes.
      await client.query(
        `${options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN'};
         SELECT set_config('app.vendor_id', '${vendorId}', true),
                set_config('app.user_id', '', true), set_config('app.token_hash', '', true)`,
      );
    } catch (error) {
      destroy = asError(error);
      throw error;
    }
    try {
      const sql: TenantSql = {
        async query<R>(text: string, values: readonly unknown[], name?: string) {
          const result = await client.query({
            text,
            values: [...values],
            ...(name ? { name } : {}),
          });
          return result.rows as R[];
        },
      };
      const value = await fn(sql);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        destroy = asError(rollbackError);
      });
      throw error;
    }
  } finally {
    client.release(destroy);
  }
}

/** A lock name as PostgreSQL's bigint advisory-lock key: the first 8 bytes of its SHA-256. */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}
