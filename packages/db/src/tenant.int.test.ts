import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROLE } from './client';
import { findCheckInContext, submitCheckIn } from './repositories/check-in-writes.repository';
import { findPrepListState } from './repositories/prep-list-reads.repository';
import { readDataVersion } from './data-version';
import { InvalidTenantError, advisoryLockKey, withScope, withTenant } from './tenant';
import { createTestDatabase, type TestDatabase } from './testing/test-database';

let db: TestDatabase;
const vendorA = randomUUID();
const vendorB = randomUUID();

async function createVendorWithMarket(vendorId: string, name: string) {
  await withTenant(db.app.prisma, vendorId, async (tx) => {
    await tx.vendor.create({
      data: { id: vendorId, name, slug: `${name}-${vendorId.slice(0, 8)}` },
    });
    await tx.market.create({
      data: {
        vendorId,
        name: `${name} market`,
        latitude: 41.88,
        longitude: -87.63,
        timezone: 'America/Chicago',
        countryCode: 'US',
      },
    });
  });
}

const adminQuery = <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
  db.adminQuery<T>(sql, params);

beforeAll(async () => {
  db = await createTestDatabase();
  await createVendorWithMarket(vendorA, 'alpha');
  await createVendorWithMarket(vendorB, 'beta');
});
afterAll(() => db.drop());

describe('withTenant (row-level security)', () => {
  it("returns none of another vendor's rows to an unfiltered query", async () => {
    const seen = await withTenant(db.app.prisma, vendorA, async (tx) => ({
      markets: await tx.market.findMany({ select: { vendorId: true, name: true } }),
      vendors: await tx.vendor.findMany({ select: { id: true } }),
    }));

    expect(seen.markets).toEqual([{ vendorId: vendorA, name: 'alpha market' }]);
    expect(seen.vendors).toEqual([{ id: vendorA }]);
    // Both vendors' rows exist: the filter above is RLS, not an empty table.
    const all = await adminQuery<{ n: string }>('SELECT count(*)::text AS n FROM markets');
    expect(all[0]?.n).toBe('2');
  });

  it("refuses an insert carrying another vendor's id", async () => {
    const attempt = withTenant(db.app.prisma, vendorA, (tx) =>
      tx.market.create({
        data: {
          vendorId: vendorB,
          name: 'sneaky',
          latitude: 0,
          longitude: 0,
          timezone: 'UTC',
          countryCode: 'US',
        },
      }),
    );

    await expect(attempt).rejects.toThrow(/row-level security/i);
    const rows = await adminQuery("SELECT 1 FROM markets WHERE name = 'sneaky'");
    expect(rows).toHaveLength(0);
  });

  it("cannot move a row to another vendor or touch another vendor's rows", async () => {
    const result = await withTenant(db.app.prisma, vendorA, async (tx) => ({
      updated: await tx.market.updateMany({ where: {}, data: { boothFeeMinor: 999 } }),
      deleted: await tx.market.deleteMany({ where: { vendorId: vendorB } }),
    }));
    expect(result.updated.count).toBe(1);
    expect(result.deleted.count).toBe(0);
    const fees = await adminQuery<{ vendor_id: string; booth_fee_minor: number }>(
      'SELECT vendor_id, booth_fee_minor FROM markets ORDER BY booth_fee_minor',
    );
    expect(fees).toEqual(
      expect.arrayContaining([
        { vendor_id: vendorB, booth_fee_minor: 0 },
        { vendor_id: vendorA, booth_fee_minor: 999 },
      ]),
    );

    const moved = withTenant(db.app.prisma, vendorA, (tx) =>
      tx.market.updateMany({ where: { vendorId: vendorA }, data: { vendorId: vendorB } }),
    );
    await expect(moved).rejects.toThrow();
  });

  it('does not leak the tenant setting to the next transaction on a pooled connection', async () => {
    const single = db.createAppClient({ maxConnections: 1 });
    const pids = new Set<number>();
    await withTenant(single.prisma, vendorA, async (tx) => {
      const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      pids.add(row!.pid);
    });

    // Same physical connection, no tenant: the setting is gone and RLS shows nothing.
    const after = await single.prisma.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ pid: number; setting: string | null }[]>`
        SELECT pg_backend_pid() AS pid, current_setting('app.vendor_id', true) AS setting`;
      pids.add(row!.pid);
      return { setting: row!.setting, markets: await tx.market.count() };
    });

    expect(pids.size).toBe(1);
    expect(after.setting ?? '').toBe('');
    expect(after.markets).toBe(0);
  });

  it('returns nothing, not an error and not everything, when no tenant is set', async () => {
    const markets = await db.app.prisma.market.findMany();
    const vendors = await db.app.prisma.vendor.findMany();
    expect(markets).toEqual([]);
    expect(vendors).toEqual([]);
  });

  it('refuses inserts when no tenant is set', async () => {
    await expect(
      db.app.prisma.vendor.create({ data: { name: 'orphan', slug: `orphan-${randomUUID()}` } }),
    ).rejects.toThrow(/row-level security/i);
  });

  it('switches tenants cleanly between consecutive transactions', async () => {
    const single = db.createAppClient({ maxConnections: 1 });
    const names: string[][] = [];
    for (const vendorId of [vendorA, vendorB, vendorA]) {
      names.push(
        await withTenant(single.prisma, vendorId, async (tx) =>
          (await tx.market.findMany({ select: { name: true } })).map((m) => m.name),
        ),
      );
    }
    expect(names).toEqual([['alpha market'], ['beta market'], ['alpha market']]);
  });

  it('rejects a vendor id that is not a UUID before touching the database', async () => {
    await expect(
      withTenant(db.app.prisma, "' OR 1=1 --", () => Promise.resolve(1)),
    ).rejects.toThrow(InvalidTenantError);
  });

  it('rolls the whole transaction back when fn throws', async () => {
    await expect(
      withTenant(db.app.prisma, vendorA, async (tx) => {
        await tx.product.create({
          data: { vendorId: vendorA, name: 'rolled back', priceMinor: 100 },
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await adminQuery("SELECT 1 FROM products WHERE name = 'rolled back'")).toHaveLength(0);
  });

  it("cannot reference another vendor's market from its own row (composite foreign keys)", async () => {
    const [betaMarket] = await adminQuery<{ id: string }>(
      'SELECT id FROM markets WHERE vendor_id = $1',
      [vendorB],
    );
    const attempt = withTenant(db.app.prisma, vendorA, (tx) =>
      tx.marketDay.create({
        data: { vendorId: vendorA, marketId: betaMarket!.id, date: new Date('2026-06-06') },
      }),
    );
    await expect(attempt).rejects.toThrow(/foreign key/i);
  });
});

const marketOf = async (vendorId: string) =>
  (await adminQuery<{ id: string }>('SELECT id FROM markets WHERE vendor_id = $1', [vendorId]))[0]!
    .id;

/** The pool's (single) connection carries no tenant and sees no tenant rows afterwards. */
async function expectNoTenantLeft(pool: pg.Pool): Promise<void> {
  const after = await pool.query<{ vendor: string | null; markets: string }>(
    "SELECT current_setting('app.vendor_id', true) AS vendor, count(*)::text AS markets FROM markets",
  );
  expect(after.rows[0]?.vendor ?? '').toBe('');
  expect(after.rows[0]?.markets).toBe('0');
}

describe('tenant_prep_list_state (one-round-trip read, scoped by the database function)', () => {
  it("answers the tenant's own market and nothing of another vendor's", async () => {
    const own = await findPrepListState(db.app.pool, {
      vendorId: vendorA,
      marketId: await marketOf(vendorA),
      date: '2026-11-22',
    });
    expect(own.market?.name).toBe('alpha market');
    const foreign = await findPrepListState(db.app.pool, {
      vendorId: vendorA,
      marketId: await marketOf(vendorB),
      date: '2026-11-22',
    });
    expect(foreign).toMatchObject({ market: null, marketDay: null, model: null, current: null });
  });

  it('leaves no tenant on the pooled connection after the statement', async () => {
    const single = db.createAppClient({ maxConnections: 1 });
    try {
      await findPrepListState(single.pool, {
        vendorId: vendorA,
        marketId: await marketOf(vendorA),
        date: '2026-11-22',
      });
      await expectNoTenantLeft(single.pool);
    } finally {
      await single.close();
    }
  });

  it('counts every change of daily sales and feedback, deletions included (demand_input_versions)', async () => {
    const version = async () =>
      (
        await findPrepListState(db.app.pool, {
          vendorId: vendorA,
          marketId: await marketOf(vendorA),
          date: '2026-11-22',
        })
      ).freshness.salesVersion;
    const start = await version();
    const marketId = await marketOf(vendorA);
    await withTenant(db.app.prisma, vendorA, async (tx) => {
      const product = await tx.product.create({
        data: { vendorId: vendorA, name: 'Rye', unit: 'loaf', priceMinor: 800 },
      });
      await tx.dailySales.create({
        data: {
          vendorId: vendorA,
          marketId,
          productId: product.id,
          date: new Date('2026-11-21T00:00:00Z'),
          quantity: 3,
        },
      });
    });
    const afterInsert = await version();
    expect(afterInsert).toBeGreaterThan(start);
    await withTenant(db.app.prisma, vendorA, (tx) => tx.dailySales.deleteMany({}));
    expect(await version()).toBeGreaterThan(afterInsert);
    // Another vendor's counter is untouched by A's changes.
    const other = await findPrepListState(db.app.pool, {
      vendorId: vendorB,
      marketId: await marketOf(vendorB),
      date: '2026-11-22',
    });
    expect(other.freshness.salesVersion).toBe(0);
  });

  it('changes the data version with every committed write of the vendor, by any writer, and only its own', async () => {
    const versionOf = (vendorId: string) => readDataVersion(db.app, vendorId);
    const startA = await versionOf(vendorA);
    const startB = await versionOf(vendorB);
    // One statement over several rows is one change.
    await withTenant(db.app.prisma, vendorA, (tx) =>
      tx.market.updateMany({ data: { boothFeeMinor: 1234 } }),
    );
    const afterUpdate = await versionOf(vendorA);
    expect(BigInt(afterUpdate)).toBeGreaterThan(BigInt(startA));
    // A rolled-back write is no change.
    await expect(
      withTenant(db.app.prisma, vendorA, async (tx) => {
        await tx.market.updateMany({ data: { boothFeeMinor: 99 } });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await versionOf(vendorA)).toBe(afterUpdate);
    // A write outside the app (an operator, as the owner) counts too.
    await adminQuery('UPDATE markets SET name = name WHERE vendor_id = $1', [vendorA]);
    expect(BigInt(await versionOf(vendorA))).toBeGreaterThan(BigInt(afterUpdate));
    expect(await versionOf(vendorB)).toBe(startB);
    // The app role can neither read nor set the counters themselves.
    await expect(
      withTenant(db.app.prisma, vendorA, (tx) =>
        tx.$queryRawUnsafe('SELECT * FROM monitoring.vendor_data_versions'),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      withTenant(db.app.prisma, vendorA, (tx) =>
        tx.$queryRawUnsafe(
          `SELECT monitoring.bump_vendor_data_versions(ARRAY['${vendorA}'::uuid])`,
        ),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(readDataVersion(db.app, 'not-a-uuid')).rejects.toThrow(InvalidTenantError);
  });

  it('has the data version triggers on every table with a vendor_id (tables added later too)', async () => {
    const missing = await adminQuery<{ table_name: string }>(
      `SELECT cl.relname AS table_name
         FROM pg_class cl
         JOIN pg_namespace n ON n.oid = cl.relnamespace
        WHERE n.nspname = 'public' AND cl.relkind = 'r' AND cl.relname <> 'demand_input_versions'
          AND EXISTS (SELECT 1 FROM pg_attribute a
                       WHERE a.attrelid = cl.oid AND a.attname = 'vendor_id' AND NOT a.attisdropped)
          AND (SELECT count(*) FROM pg_trigger g
                WHERE g.tgrelid = cl.oid AND g.tgname LIKE cl.relname || '\\_data\\_version\\_%') <> 3
        ORDER BY 1`,
    );
    expect(missing.map((r) => r.table_name)).toEqual([]);
  });
});

describe('lookup scopes (before the tenant is known)', () => {
  it("shows a user their own memberships and vendors, read-only, and nobody else's", async () => {
    const user = await db.app.prisma.user.create({
      data: { email: `m-${randomUUID()}@x.test`, name: 'M', passwordHash: 'x' },
    });
    await withTenant(db.app.prisma, vendorA, (tx) =>
      tx.membership.create({ data: { vendorId: vendorA, userId: user.id, role: 'STAFF' } }),
    );

    const seen = await withScope(db.app.prisma, { userId: user.id }, async (tx) => ({
      memberships: await tx.membership.findMany({ select: { vendorId: true } }),
      vendors: await tx.vendor.findMany({ select: { id: true } }),
      markets: await tx.market.count(),
    }));
    expect(seen).toEqual({
      memberships: [{ vendorId: vendorA }],
      vendors: [{ id: vendorA }],
      markets: 0,
    });

    const write = withScope(db.app.prisma, { userId: user.id }, (tx) =>
      tx.membership.create({ data: { vendorId: vendorB, userId: user.id, role: 'OWNER' } }),
    );
    await expect(write).rejects.toThrow(/row-level security/i);
    const rename = await withScope(db.app.prisma, { userId: user.id }, (tx) =>
      tx.vendor.updateMany({ data: { name: 'pwned' } }),
    );
    expect(rename.count).toBe(0);
  });

  it('reveals an API token row only to the holder of its hash', async () => {
    const hash = 'a'.repeat(64);
    await withTenant(db.app.prisma, vendorB, (tx) =>
      tx.apiToken.create({
        data: { vendorId: vendorB, name: 't', prefix: 'mp_t_', tokenHash: hash, scopes: ['read'] },
      }),
    );
    const found = await withScope(db.app.prisma, { tokenHash: hash }, (tx) =>
      tx.apiToken.findMany({ select: { vendorId: true } }),
    );
    const other = await withScope(db.app.prisma, { tokenHash: 'b'.repeat(64) }, (tx) =>
      tx.apiToken.count(),
    );
    expect(found).toEqual([{ vendorId: vendorB }]);
    expect(other).toBe(0);
    await expect(
      withScope(db.app.prisma, { tokenHash: "' or 1=1" }, () => Promise.resolve(1)),
    ).rejects.toThrow(InvalidTenantError);
  });
});

describe('database catalog', () => {
  it('has row-level security enabled and forced on every table with a vendor_id', async () => {
    const rows = await adminQuery<{ table_name: string; enabled: boolean; forced: boolean }>(`
      SELECT c.relname AS table_name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'
        AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'vendor_id' AND NOT a.attisdropped)
             OR c.relname = 'vendors')
      ORDER BY 1`);
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(rows.filter((r) => !r.enabled || !r.forced)).toEqual([]);
    const policies = await adminQuery<{ tablename: string }>(
      "SELECT DISTINCT tablename FROM pg_policies WHERE schemaname = 'public'",
    );
    expect(policies.map((p) => p.tablename).sort()).toEqual(rows.map((r) => r.table_name).sort());
  });

  it('runs the app as a role that owns nothing and cannot bypass RLS', async () => {
    const [role] = await adminQuery<{
      rolsuper: boolean;
      rolbypassrls: boolean;
      rolcreaterole: boolean;
    }>('SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false });
    const owned = await adminQuery(
      `SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = $1`,
      [APP_ROLE],
    );
    expect(owned).toEqual([]);
    const [current] = await db.app.prisma.$queryRaw<
      { current_user: string }[]
    >`SELECT current_user`;
    expect(current?.current_user).toBe(APP_ROLE);
  });

  it('keeps the audit log append-only for the app role', async () => {
    const [grants] = await adminQuery<{ ins: boolean; upd: boolean; del: boolean }>(`
      SELECT has_table_privilege('${APP_ROLE}', 'audit_log', 'INSERT') AS ins,
             has_table_privilege('${APP_ROLE}', 'audit_log', 'UPDATE') AS upd,
             has_table_privilege('${APP_ROLE}', 'audit_log', 'DELETE') AS del`);
    expect(grants).toEqual({ ins: true, upd: false, del: false });
  });
});

describe('tenant_check_in_context and tenant_submit_check_in (scoped by the database functions)', () => {
  it("reads the tenant's own market only, and leaves no tenant on the pooled connection", async () => {
    const single = db.createAppClient({ maxConnections: 1 });
    try {
      const own = await findCheckInContext(single.pool, {
        vendorId: vendorA,
        marketId: await marketOf(vendorA),
        date: '2026-06-06',
      });
      expect(own?.market.name).toBe('alpha market');
      const foreign = await findCheckInContext(single.pool, {
        vendorId: vendorA,
        marketId: await marketOf(vendorB),
        date: '2026-06-06',
      });
      expect(foreign).toBeNull();
      await expectNoTenantLeft(single.pool);
    } finally {
      await single.close();
    }
  });

  it("treats another vendor's product as unknown and writes nothing", async () => {
    const marketId = await marketOf(vendorA);
    const context = await findCheckInContext(db.app.pool, {
      vendorId: vendorA,
      marketId,
      date: '2026-06-13',
    });
    const foreignProduct = await withTenant(db.app.prisma, vendorB, (tx) =>
      tx.product.create({
        data: { vendorId: vendorB, name: 'Foreign rye', unit: 'loaf', priceMinor: 800 },
      }),
    );
    const submission = randomUUID();
    const result = await submitCheckIn(db.app.pool, {
      vendorId: vendorA,
      submittedByUserId: null,
      lockKey: advisoryLockKey(`check-in-submission:${submission}`),
      market: context!.market,
      date: '2026-06-13',
      day: null,
      opensAt: null,
      closesAt: null,
      clientSubmissionId: submission,
      since: new Date('2026-01-01'),
      lines: [
        {
          productId: foreignProduct.id,
          brought: 10,
          sold: null,
          leftOver: 2,
          wasted: 0,
          donated: 0,
          soldOutAt: null,
          rating: null,
          notes: null,
          clientSubmissionId: `${submission}:${foreignProduct.id}`,
        },
      ],
      actorType: 'user',
      requestId: null,
      retrain: { jobName: 'retrain-vendor', payload: {}, dedupeKey: `retrain:${vendorA}` },
      representation: true,
    });
    expect(result).toEqual({ outcome: 'unknown_products', unknown: [foreignProduct.id] });
    expect(
      await adminQuery("SELECT 1 FROM market_days WHERE market_id = $1 AND date = '2026-06-13'", [
        marketId,
      ]),
    ).toHaveLength(0);
    expect(
      await adminQuery('SELECT 1 FROM audit_log WHERE target_id = $1', [submission]),
    ).toHaveLength(0);
  });
});
