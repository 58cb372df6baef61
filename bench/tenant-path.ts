/**
 * Tenant data path bench (issue 21): the cost of one tenant-scoped scope (RLS settings + the
 * statements + commit) by mechanism, on the seeded demo, 50 scopes at once over a pool of 10:
 *
 * - `withTenant` as it is (a pinned pool connection, tenant-pinned.ts);
 * - the same call on a Prisma client withScope does not know, which takes Prisma's interactive
 *   transaction (what withTenant was before issue 21);
 * - a batch `$transaction([set_config, query])`;
 * - `withTenant` with typed SQL on its pinned connection (`tenantSql`: what the prep-list read and
 *   the check-in form use);
 * - the same three round trips on a bare `pg` connection (BEGIN + settings, the query, COMMIT: the
 *   floor, and what the removed `withTenantSql` twin did);
 * - a bare Prisma query outside any transaction (sees nothing under RLS: the ORM's own cost).
 *
 * Prints scopes/s and API CPU ms per scope (process.cpuUsage: the figure that holds when other
 * work shares the machine). Not a timed test.
 *
 *   npx tsx bench/tenant-path.ts [--scopes 3000]
 */
import { randomBytes } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  MIGRATIONS_DIR,
  MarketsRepository,
  createDatabaseClient,
  migrate,
  seedDemoVendor,
  tenantSql,
  withTenant,
} from '../packages/db/src';
import { PrismaClient } from '../packages/db/src/generated/prisma/client';
import { adminOn, benchServerUrl, withDatabase } from './lib/database';

const args = process.argv.slice(2);
const scopesArg = args.indexOf('--scopes');
const SCOPES = scopesArg >= 0 ? Number(args[scopesArg + 1]) : 3000;
const CONCURRENCY = 50;

async function main(): Promise<void> {
  const name = `mp_tenant_${randomBytes(4).toString('hex')}`;
  await adminOn(benchServerUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(benchServerUrl, name);
  try {
    await migrate({ connectionString: url, migrationsDir: MIGRATIONS_DIR });
    const db = createDatabaseClient({ connectionString: url, maxConnections: 10 });
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    await seedDemoVendor({ prisma: db.prisma, today, now });
    await adminOn(url, 'VACUUM (ANALYZE)');
    const vendorId = (await adminOn<{ id: string }>(url, 'SELECT id FROM vendors LIMIT 1'))[0]!.id;
    // Same pool, but a client createDatabaseClient did not make: withTenant falls back to
    // Prisma's interactive transaction on it.
    const interactive = new PrismaClient({ adapter: new PrismaPg(db.pool) });

    const list = { from: today, upcomingDays: 7, take: 51 };
    const variants: [string, () => Promise<unknown>][] = [
      [
        'withTenant, pinned connection: markets findMany',
        () => withTenant(db.prisma, vendorId, (tx) => tx.market.findMany({ select: { id: true } })),
      ],
      [
        'withTenant, Prisma interactive transaction (before): markets findMany',
        () =>
          withTenant(interactive, vendorId, (tx) => tx.market.findMany({ select: { id: true } })),
      ],
      [
        'batch $transaction([set_config, findMany])',
        () =>
          db.prisma.$transaction([
            db.prisma.$executeRaw`select set_config('app.vendor_id', ${vendorId}, true)`,
            db.prisma.market.findMany({ select: { id: true } }),
          ]),
      ],
      [
        'withTenant, pinned: typed SQL (tenantSql) select id from markets',
        () =>
          withTenant(db.prisma, vendorId, (tx) =>
            tenantSql(tx).query('SELECT id FROM markets', []),
          ),
      ],
      [
        'bare pg, BEGIN + settings / select / COMMIT (the floor; the old withTenantSql)',
        async () => {
          const client = await db.pool.connect();
          try {
            await client.query(
              `BEGIN; SELECT set_config('app.vendor_id', '${vendorId}', true),
                             set_config('app.user_id', '', true), set_config('app.token_hash', '', true)`,
            );
            await client.query('SELECT id FROM markets');
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        },
      ],
      [
        'bare Prisma findMany, no transaction (ORM cost alone)',
        () => db.prisma.market.findMany({ select: { id: true } }),
      ],
      [
        'withTenant, pinned: MarketsRepository.listMarkets (GET /v1/markets)',
        () => withTenant(db.prisma, vendorId, (tx) => new MarketsRepository(tx).listMarkets(list)),
      ],
      [
        'withTenant, interactive (before): MarketsRepository.listMarkets',
        () =>
          withTenant(interactive, vendorId, (tx) => new MarketsRepository(tx).listMarkets(list)),
      ],
    ];
    const run = async (fn: () => Promise<unknown>, total: number) => {
      let started = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (started < total) {
            started += 1;
            await fn();
          }
        }),
      );
    };
    console.log(
      `Tenant path bench: ${SCOPES} scopes, ${CONCURRENCY} at once, pool 10; load average ` +
        (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').split(' ')[0],
    );
    console.log('| mechanism | scopes/s | API CPU ms/scope |');
    console.log('|---|---:|---:|');
    for (const [label, fn] of variants) {
      await run(fn, 500); // warm-up: plans cached, every pinned client made
      const cpu = process.cpuUsage();
      const started = performance.now();
      await run(fn, SCOPES);
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      console.log(
        `| ${label} | ${Math.round(SCOPES / seconds)} | ${((used.user + used.system) / 1000 / SCOPES).toFixed(3)} |`,
      );
    }
    await interactive.$disconnect();
    await db.close();
  } finally {
    await adminOn(benchServerUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
