import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScopeClosedError } from './tenant-pinned';
import { tenantSql, withScope, withTenant, type TenantTransaction } from './tenant';
import { createTestDatabase, type TestDatabase } from './testing/test-database';

// The pinned-connection mechanism under withScope (tenant-pinned.ts): what it must keep of a
// Prisma interactive transaction. The RLS guarantees themselves are tenant.int.test.ts's.
let db: TestDatabase;
const vendorA = randomUUID();
const vendorB = randomUUID();
const marketOf = new Map<string, string>();
const at = (time: string) => new Date(`1970-01-01T${time}:00Z`);

beforeAll(async () => {
  db = await createTestDatabase();
  for (const [vendorId, name] of [
    [vendorA, 'alpha'],
    [vendorB, 'beta'],
  ] as const) {
    const market = await withTenant(db.app.prisma, vendorId, async (tx) => {
      await tx.vendor.create({ data: { id: vendorId, name, slug: `${name}-${vendorId}` } });
      return tx.market.create({
        data: {
          vendorId,
          name: `${name} market`,
          latitude: 41.88,
          longitude: -87.63,
          timezone: 'America/Chicago',
          countryCode: 'US',
        },
        select: { id: true },
      });
    });
    marketOf.set(vendorId, market.id);
  }
});
afterAll(() => db.drop());

describe('withScope on a pinned connection', () => {
  it('runs typed SQL (tenantSql) in the scope: same backend, transaction and tenant', async () => {
    const seen = await withTenant(db.app.prisma, vendorA, async (tx) => {
      const [prisma] = await tx.$queryRaw<{ pid: number; xid: string }[]>`
        select pg_backend_pid() as pid, txid_current()::text as xid`;
      const [typed] = await tenantSql(tx).query<{ pid: number; xid: string }>(
        'select pg_backend_pid() as pid, txid_current()::text as xid',
        [],
      );
      const markets = await tenantSql(tx).query<{ id: string }>(
        'SELECT id FROM markets WHERE id = ANY($1::uuid[])',
        [[marketOf.get(vendorA), marketOf.get(vendorB)]],
        'mp-test-markets',
      );
      return { prisma, typed, markets: markets.map((m) => m.id) };
    });
    expect(seen.typed).toEqual(seen.prisma);
    expect(seen.markets).toEqual([marketOf.get(vendorA)]);
  });

  it('refuses writes in a readOnly scope and typed SQL after the scope ended', async () => {
    await expect(
      withTenant(
        db.app.prisma,
        vendorA,
        (tx) => tenantSql(tx).query("UPDATE markets SET name = 'x'", []),
        { readOnly: true },
      ),
    ).rejects.toThrow(/read-only transaction/);
    const leaked = await withTenant(db.app.prisma, vendorA, (tx) => Promise.resolve(tenantSql(tx)));
    await expect(leaked.query('SELECT 1', [])).rejects.toBeInstanceOf(ScopeClosedError);
    const [market] = await withTenant(db.app.prisma, vendorA, (tx) =>
      tx.market.findMany({ select: { name: true } }),
    );
    expect(market?.name).toBe('alpha market');
  });

  it('runs the whole scope as one transaction on one backend', async () => {
    const seen = await withTenant(db.app.prisma, vendorA, async (tx) => {
      const rows = [
        await tx.$queryRaw<{ pid: number; xid: string }[]>`
          select pg_backend_pid() as pid, txid_current()::text as xid`,
        await tx.$queryRaw<{ pid: number; xid: string }[]>`
          select pg_backend_pid() as pid, txid_current()::text as xid`,
      ];
      return rows.map((r) => r[0]);
    });
    expect(seen[0]).toEqual(seen[1]);
  });

  // 20 s: the 40 scopes make a Prisma client per pooled connection, seconds on a busy machine
  // (5.07 s beside nine other test files at load 14).
  it("never merges two scopes' same-tick lookups into one statement of one tenant", async () => {
    // Prisma batches findUnique calls made in the same tick on one client; 40 scopes at once,
    // each asking for the other vendor's market and its own, must each see only its own.
    const asks = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? vendorA : vendorB));
    const answers = await Promise.all(
      asks.map((vendorId) =>
        withTenant(db.app.prisma, vendorId, async (tx) => {
          const other = vendorId === vendorA ? vendorB : vendorA;
          const [own, foreign] = await Promise.all([
            tx.market.findUnique({ where: { id: marketOf.get(vendorId)! }, select: { id: true } }),
            tx.market.findUnique({ where: { id: marketOf.get(other)! }, select: { id: true } }),
          ]);
          return { own: own?.id, foreign: foreign?.id ?? null };
        }),
      ),
    );
    answers.forEach((answer, i) => {
      expect(answer).toEqual({ own: marketOf.get(asks[i]!), foreign: null });
    });
  }, 20_000);

  it('runs a write Prisma wraps in its own transaction (nested create) as a savepoint', async () => {
    const name = `nested ${randomUUID()}`;
    await expect(
      withTenant(db.app.prisma, vendorA, async (tx) => {
        await tx.market.create({
          data: {
            vendorId: vendorA,
            name,
            latitude: 1,
            longitude: 1,
            timezone: 'UTC',
            countryCode: 'US',
            schedules: { create: [{ weekday: 6, opensAt: at('08:00'), closesAt: at('12:00') }] },
          },
        });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    // The outer rollback undid the nested write too.
    const rows = await db.adminQuery('SELECT 1 FROM markets WHERE name = $1', [name]);
    expect(rows).toHaveLength(0);

    const created = await withTenant(db.app.prisma, vendorA, (tx) =>
      tx.market.create({
        data: {
          vendorId: vendorA,
          name,
          latitude: 1,
          longitude: 1,
          timezone: 'UTC',
          countryCode: 'US',
          schedules: { create: [{ weekday: 6, opensAt: at('08:00'), closesAt: at('12:00') }] },
        },
        select: { id: true, schedules: { select: { weekday: true } } },
      }),
    );
    expect(created.schedules).toEqual([{ weekday: 6 }]);
  });

  it('refuses the client once its scope has ended', async () => {
    let kept: TenantTransaction | undefined;
    await withTenant(db.app.prisma, vendorA, (tx) => {
      kept = tx;
      return Promise.resolve();
    });
    await expect(kept!.market.findMany()).rejects.toThrow(/already closed/);
  });

  it('rolls back and answers P2028 when a scope outlives its timeout', async () => {
    const name = `slow ${randomUUID()}`;
    const attempt = withScope(
      db.app.prisma,
      { vendorId: vendorA },
      async (tx) => {
        await tx.market.update({ where: { id: marketOf.get(vendorA)! }, data: { name } });
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tx.market.findMany();
      },
      { timeoutMs: 100 },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'P2028' });
    const rows = await db.adminQuery('SELECT 1 FROM markets WHERE name = $1', [name]);
    expect(rows).toHaveLength(0);
    // The pool is fine afterwards.
    const markets = await withTenant(db.app.prisma, vendorA, (tx) =>
      tx.market.findMany({ select: { vendorId: true } }),
    );
    expect(markets.every((m) => m.vendorId === vendorA)).toBe(true);
  });

  it('answers P2024 when no connection is free within maxWaitMs', async () => {
    const small = db.createAppClient({ maxConnections: 1 });
    let release!: () => void;
    const holding = withTenant(
      small.prisma,
      vendorA,
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(
      withTenant(small.prisma, vendorA, (tx) => tx.market.findMany(), { maxWaitMs: 100 }),
    ).rejects.toMatchObject({ code: 'P2024' });
    release();
    await holding;
    const after = await withTenant(small.prisma, vendorA, (tx) => tx.market.count());
    expect(after).toBeGreaterThan(0);
  });

  it('makes one Prisma client per connection in use, not per scope', async () => {
    const small = db.createAppClient({ maxConnections: 3 });
    await Promise.all(
      Array.from({ length: 30 }, () =>
        withTenant(small.prisma, vendorB, (tx) => tx.market.findMany({ select: { id: true } })),
      ),
    );
    const { pinnedClientCount } = await import('./tenant');
    expect(pinnedClientCount(small.prisma)).toBeLessThanOrEqual(3);
    expect(pinnedClientCount(small.prisma)).toBeGreaterThan(0);
  });
});

it('exports the error scopes raise after they end', () => {
  expect(new ScopeClosedError().code).toBe('P2028');
});
