/**
 * Speed and memory of a business export (issue 18): a vendor with BENCH_SALES sale lines (default
 * 100,000, the size the CSV import accepts) and their daily totals is exported by the real
 * `export-vendor` handler into a temporary directory; prints the wall time, the archive size and
 * the peak heap and RSS growth sampled every 20 ms. Runs on a scratch database (TEST_DATABASE_URL's
 * server, or BENCH_DATABASE_URL's), dropped at the end.
 *
 * Prints figures; not a timed test.
 *
 *   node --expose-gc --import tsx bench/data-export.ts   # BENCH_SALES (default 100000)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createDatabaseClient, migrate, MIGRATIONS_DIR } from '../packages/db/src/index';
import { createExportVendorHandler } from '../apps/worker/src/jobs/export-vendor.handler';
import { adminOn, benchServerUrl, withDatabase } from './lib/database';

const serverUrl = benchServerUrl;
const database = `mp_bench_export_${process.pid}`;

const SALES = Number(process.env.BENCH_SALES ?? 100_000);

async function main(): Promise<void> {
  await adminOn(serverUrl, `CREATE DATABASE ${database}`);
  const url = withDatabase(serverUrl, database);
  await migrate({ connectionString: url, migrationsDir: MIGRATIONS_DIR });
  const app = createDatabaseClient({ connectionString: url });
  const db = {
    app,
    adminQuery: <T extends pg.QueryResultRow>(sql: string, values?: unknown[]) =>
      adminOn<T>(url, sql, values),
  };
  const dir = await mkdtemp(join(tmpdir(), 'mp-export-bench-'));
  try {
    const vendorId = randomUUID();
    const exportId = randomUUID();
    // 4 markets x 50 products; sale lines spread over market days of the last years.
    await db.adminQuery(
      `INSERT INTO vendors (id, name, slug) VALUES ($1::uuid, 'Bench Bakery', $1::text)`,
      [vendorId],
    );
    await db.adminQuery(
      `INSERT INTO markets (vendor_id, name, latitude, longitude, timezone, country_code)
       SELECT $1, 'Market ' || i, 41.9, -87.6, 'America/Chicago', 'US' FROM generate_series(1, 4) i`,
      [vendorId],
    );
    await db.adminQuery(
      `INSERT INTO products (vendor_id, name, price_minor, unit_cost_minor)
       SELECT $1, 'Product ' || i, 500 + i, 200 FROM generate_series(1, 50) i`,
      [vendorId],
    );
    await db.adminQuery(
      `WITH m AS (SELECT id, row_number() OVER () - 1 AS k FROM markets WHERE vendor_id = $1),
            p AS (SELECT id, price_minor, row_number() OVER () - 1 AS k FROM products WHERE vendor_id = $1)
       INSERT INTO sales (vendor_id, market_id, product_id, source, provider_order_id,
                          provider_line_id, sold_at, market_date, quantity, unit_price_minor,
                          gross_minor)
       SELECT $1, m.id, p.id, 'CSV', 'o' || g, 'l' || g,
              date '2027-01-01' - (g / 200)::int, date '2027-01-01' - (g / 200)::int,
              1 + g % 7, p.price_minor, (1 + g % 7) * p.price_minor
         FROM generate_series(0, $2::int - 1) g
         JOIN m ON m.k = (g / 50) % 4
         JOIN p ON p.k = g % 50`,
      [vendorId, SALES],
    );
    await db.adminQuery(
      `INSERT INTO daily_sales (vendor_id, market_id, product_id, date, quantity, revenue_minor, line_count)
       SELECT vendor_id, market_id, product_id, market_date, sum(quantity), sum(gross_minor), count(*)
         FROM sales WHERE vendor_id = $1 GROUP BY 1, 2, 3, 4`,
      [vendorId],
    );
    await db.adminQuery(`INSERT INTO data_export_requests (id, vendor_id) VALUES ($1, $2)`, [
      exportId,
      vendorId,
    ]);
    const [rows] = await db.adminQuery<{ sales: string; daily: string }>(
      `SELECT (SELECT count(*) FROM sales WHERE vendor_id = $1)::text AS sales,
              (SELECT count(*) FROM daily_sales WHERE vendor_id = $1)::text AS daily`,
      [vendorId],
    );

    global.gc?.();
    const base = process.memoryUsage();
    let peakHeap = base.heapUsed;
    let peakRss = base.rss;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }, 20);
    const started = performance.now();
    const result = (await createExportVendorHandler({
      db: db.app,
      now: () => new Date(),
      exportDir: dir,
    })({ vendorId, exportId }, { jobId: 'bench' })) as { sizeBytes: number; rows: number };
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
    console.log(
      [
        `rows in the database: ${rows?.sales} sale lines, ${rows?.daily} daily totals`,
        `rows exported: ${result.rows} in ${seconds.toFixed(2)} s (${Math.round(result.rows / seconds)} rows/s)`,
        `archive: ${mb(result.sizeBytes)}`,
        `peak heap growth: ${mb(peakHeap - base.heapUsed)} (heap at start ${mb(base.heapUsed)})`,
        `peak RSS growth: ${mb(peakRss - base.rss)} (RSS at start ${mb(base.rss)})`,
      ].join('\n'),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
    await app.close();
    await adminOn(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
