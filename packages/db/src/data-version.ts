import type { DatabaseClient } from './client';
import { InvalidTenantError, UUID } from './tenant';

/**
 * The vendor's data version (migration *_vendor_data_versions): a counter that every committed
 * INSERT, UPDATE or DELETE of the vendor's rows (and of its users' names and emails) changes, by
 * any writer, through triggers. Equal versions mean no write of the vendor's data committed in
 * between, so an answer computed after reading a version may be served while the version holds.
 */
export function readDataVersion(
  db: Pick<DatabaseClient, 'pool'>,
  vendorId: string,
): Promise<string> {
  return readVersion(db, 'vendor', vendorId);
}

/**
 * The user's data version: a hash of the data versions of the businesses they belong to (so it
 * changes with any write of those businesses, their memberships included), of the user's own row
 * and of their sign-in sessions (a sign-in, a sign-out, an active business switched).
 */
export function readUserDataVersion(
  db: Pick<DatabaseClient, 'pool'>,
  userId: string,
): Promise<string> {
  return readVersion(db, 'user', userId);
}

/**
 * One prepared statement outside any transaction (a version is no tenant data): the app role may
 * only call the `monitoring` function that returns it.
 */
async function readVersion(
  db: Pick<DatabaseClient, 'pool'>,
  of: 'vendor' | 'user',
  id: string,
): Promise<string> {
  if (!UUID.test(id)) throw new InvalidTenantError(`${of} id`, id);
  const result = await db.pool.query<{ v: string }>({
    name: `${of}_data_version`,
    text: `SELECT monitoring.${of}_data_version($1)::text AS v`,
    values: [id],
  });
  return result.rows[0]?.v ?? '';
}
