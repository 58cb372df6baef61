/**
 * Speed bench of the prep-list endpoint (issue 4): a vendor with 200 products x 4 markets x 156
 * weekly market days (124,800 daily sales rows) in a scratch database on the machine's
 * PostgreSQL; the model is trained once, then the API answers prep lists through `app.inject`:
 * recomputed from the trained model (regenerate) and served from the stored list (GET).
 * Prints figures; not a timed test. Target: < 300 ms for a prep list from a trained model.
 *
 *   npx tsx bench/prep-list.ts            # BENCH_DATABASE_URL to use another server
 */
import pg from 'pg';
import {
  createDatabaseClient,
  migrate,
  MIGRATIONS_DIR,
  withTenant,
} from '../packages/db/src/index';
import { addDays } from '../packages/forecast/src';
import { createSyntheticVendor } from '../packages/forecast/src/testing/synthetic-vendor';
import { buildApp } from '../apps/api/src/app';
import { signUpThroughLink } from '../apps/api/src/testing/harness';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const database = `mp_bench_prep_${process.pid}`;
const withDatabase = (url: string, name: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
};
const admin = async (sql: string) => {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

const START = '2023-12-02'; // a Saturday
const vendor = createSyntheticVendor({
  seed: 42,
  products: 200,
  markets: 4,
  start: START,
  days: 3 * 364,
  weekdays: [5],
});
const lastDay = vendor.sales.reduce((max, s) => (s.date > max ? s.date : max), START);
const planDate = addDays(lastDay, 7);
const now = new Date(`${addDays(lastDay, 1)}T18:00:00Z`);

await admin(`CREATE DATABASE ${database}`);
const url = withDatabase(serverUrl, database);
const db = createDatabaseClient({ connectionString: url });
try {
  await migrate({ connectionString: url, migrationsDir: MIGRATIONS_DIR });
  const app = await buildApp({
    db,
    now: () => now,
    sessionSecret: 'bench-session-secret-0123456789',
    // Sign-up finishes through the mailed link, read from the in-memory dev outbox.
    devOutbox: true,
  });
  const signup = await signUpThroughLink(app, {
    email: 'bench@example.com',
    password: 'a long enough password',
    name: 'Bench',
    vendorName: 'Bench Bakery',
  });
  const session = signup.json<{ activeVendorId: string; csrfToken: string }>();
  const vendorId = session.activeVendorId;
  const cookie = signup.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const headers = { cookie, 'x-csrf-token': session.csrfToken };

  const seedStarted = performance.now();
  const ids = await withTenant(
    db.prisma,
    vendorId,
    async (tx) => {
      const markets = new Map<string, string>();
      for (let m = 0; m < 4; m++) {
        const created = await tx.market.create({
          data: {
            vendorId,
            name: `Market ${m}`,
            latitude: 41.88,
            longitude: -87.63,
            timezone: 'America/Chicago',
            countryCode: 'US',
            regionCode: 'IL',
          },
          select: { id: true },
        });
        markets.set(`market-${m}`, created.id);
        await tx.marketSchedule.create({
          data: {
            vendorId,
            marketId: created.id,
            weekday: 5,
            opensAt: new Date('1970-01-01T08:00:00Z'),
            closesAt: new Date('1970-01-01T13:00:00Z'),
          },
        });
      }
      const products = new Map<string, string>();
      for (let p = 0; p < 200; p++) {
        const created = await tx.product.create({
          data: {
            vendorId,
            name: `Product ${String(p).padStart(3, '0')}`,
            priceMinor: 500 + p,
            unitCostMinor: 150,
            salvageValueMinor: 20,
          },
          select: { id: true },
        });
        products.set(`product-${p}`, created.id);
      }
      const id = (map: Map<string, string>, key: string) => map.get(key) ?? '';
      for (let i = 0; i < vendor.sales.length; i += 5_000) {
        await tx.dailySales.createMany({
          data: vendor.sales.slice(i, i + 5_000).map((s) => ({
            vendorId,
            marketId: id(markets, s.market),
            productId: id(products, s.product),
            date: new Date(`${s.date}T00:00:00Z`),
            quantity: s.quantity,
          })),
        });
      }
      const days = [...new Set(vendor.sales.map((s) => `${s.market}|${s.date}`))];
      await tx.marketDay.createMany({
        data: days.map((key) => {
          const [market = '', date = ''] = key.split('|');
          return { vendorId, marketId: id(markets, market), date: new Date(`${date}T00:00:00Z`) };
        }),
      });
      await tx.weather.createMany({
        data: vendor.covariates.map((c) => ({
          vendorId,
          marketId: id(markets, c.market),
          date: new Date(`${c.date}T00:00:00Z`),
          provider: 'DEMO' as const,
          kind: 'OBSERVED' as const,
          fetchedAt: now,
          tempMeanC: c.weather?.temp_c ?? null,
          precipMm: c.weather?.precip_mm ?? null,
        })),
      });
      return { markets: [...markets.values()] };
    },
    { timeoutMs: 300_000 },
  );
  console.log(
    `seeded ${vendor.sales.length} daily sales rows (200 products x 4 markets x ${
      vendor.sales.length / 800
    } weekly market days) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
  );

  const call = async (method: 'GET' | 'POST', path: string) => {
    const started = performance.now();
    const response = await app.inject({ method, url: path, headers });
    const ms = performance.now() - started;
    if (response.statusCode !== 200)
      throw new Error(`${path}: ${response.statusCode} ${response.body}`);
    const lines = response.json<{ lines: unknown[] }>().lines.length;
    if (lines !== 200) throw new Error(`${path}: ${lines} lines`);
    return ms;
  };
  const path = (market: string) => `/v1/markets/${market}/prep-lists/${planDate}`;
  const [firstMarket = ''] = ids.markets;

  const firstMs = await call('GET', path(firstMarket));
  console.log(
    `first prep list (trains and stores the model, then predicts): ${firstMs.toFixed(0)} ms`,
  );

  const fromModel: number[] = [];
  for (let run = 0; run < 3; run++) {
    for (const market of ids.markets)
      fromModel.push(await call('POST', `${path(market)}/regenerate`));
  }
  console.log(
    `prep list from the trained model (regenerate, 200 products): median ${median(fromModel).toFixed(0)} ms, worst ${Math.max(...fromModel).toFixed(0)} ms (target < 300 ms)`,
  );

  const allStarted = performance.now();
  for (const market of ids.markets) await call('POST', `${path(market)}/regenerate`);
  console.log(
    `all 4 markets recomputed (800 lines): ${(performance.now() - allStarted).toFixed(0)} ms`,
  );

  const cached: number[] = [];
  for (let run = 0; run < 20; run++)
    cached.push(await call('GET', path(ids.markets[run % 4] ?? '')));
  console.log(
    `prep list served from the stored list (GET, unchanged inputs): median ${median(cached).toFixed(0)} ms, worst ${Math.max(...cached).toFixed(0)} ms`,
  );

  // A fresh process has no model in memory: the stored JSON is loaded and parsed once.
  const coldApp = await buildApp({
    db,
    now: () => now,
    sessionSecret: 'bench-session-secret-0123456789',
  });
  const coldStarted = performance.now();
  const cold = await coldApp.inject({
    method: 'POST',
    url: `${path(firstMarket)}/regenerate`,
    headers,
  });
  if (cold.statusCode !== 200) throw new Error(`cold: ${cold.statusCode}`);
  console.log(
    `prep list in a fresh process (stored model loaded from the database): ${(performance.now() - coldStarted).toFixed(0)} ms`,
  );
  await coldApp.close();
  await app.close();
} finally {
  await db.close();
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}
