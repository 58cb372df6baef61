import type { DatabaseClient } from './client';
import { InvalidTenantError, UUID } from './tenant';

/**
 * The vendor's data version (migration *_vendor_data_versions): a counter that every committed
 * INSERT, UPDATE or DELETE of the vendor's rows (and of its users' names and emails) changes, by
 * any writer, through triggers. Equal versions mean no write of the vendor's data committed in
 * between, so an answer computed after reading a version may be served while the version holds.
 * One statement outside any transaction (the counter is no tenant data), a prepared one.
 */
export async function readDataVersion(
  db: Pick<DatabaseClient, 'pool'>,
  vendorId: string,
): Promise<string> {
  if (!UUID.test(vendorId)) throw new InvalidTenantError('vendor id', vendorId);
  const result = await db.pool.query<{ v: string }>({
    name: 'vendor_data_version',
    text: 'SELECT monitoring.vendor_data_version($1)::text AS v',
    values: [vendorId],
  });
  return result.rows[0]?.v ?? '0';
}

/**
 * The user's data version: a hash of the data versions of the businesses they belong to (so it
 * changes with any write of those businesses, their memberships included), of the user's own row
 * and of their sign-in sessions (a sign-in, a sign-out, an active business switched).
 */
export async function readUserDataVersion(
  db: Pick<DatabaseClient, 'pool'>,
  userId: string,
): Promise<string> {
  if (!UUID.test(userId)) throw new InvalidTenantError('user id', userId);
  const result = await db.pool.query<{ v: string }>({
    name: 'user_data_version',
    text: 'SELECT monitoring.user_data_version($1) AS v',
    values: [userId],
  });
  return result.rows[0]?.v ?? '';
}
