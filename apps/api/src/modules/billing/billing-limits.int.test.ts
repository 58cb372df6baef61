import { withTenant } from '@marketprep/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { expectProblem } from '../markets/catalog-test-helpers';
import { startSquareForTests } from '../square/square-testing';
import { startStripeForTests, type StripeForTests } from './billing-testing';

// Plan limits on every way a market or product is added: a CSV import and the Square mapping's
// "create" answers are refused as POST /v1/markets and /v1/products are (403 naming the plan),
// writing nothing.

const publicUrl = 'http://app.marketprep.test';
const CSV = { 'content-type': 'text/csv' };

let h: Harness;
let stripe: StripeForTests;
let square: Awaited<ReturnType<typeof startSquareForTests>>;
let admin: pg.Client;
let owner: Agent;

beforeAll(async () => {
  stripe = await startStripeForTests();
  square = await startSquareForTests();
  h = await createHarness({
    billing: stripe.config,
    square: square.config,
    now: stripe.now,
    publicUrl,
    rateLimit: false,
  });
  admin = new pg.Client({ connectionString: h.db.adminUrl });
  await admin.connect();
  owner = await h.signup({ vendorName: 'Limits Farm' });
  // On Starter (1 market, 30 products), paid through the fake's Checkout.
  const started = await h.call(owner, 'POST', '/v1/billing/checkout', {
    plan: 'starter',
    interval: 'month',
  });
  expect(started.statusCode, started.body).toBe(200);
  const { url } = started.json<{ url: string }>();
  expect((await fetch(`${url}/pay`, { method: 'POST', redirect: 'manual' })).status).toBe(303);
  expect((await stripe.deliver(h.app)).every((s) => s === 200)).toBe(true);
  const billing = await h.call(owner, 'GET', '/v1/billing');
  expect(billing.json()).toMatchObject({ plan: 'starter' });
  // 29 products: room for one more.
  const vendorId = owner.vendorId!;
  await withTenant(h.db.app.prisma, vendorId, (tx) =>
    tx.product.createMany({
      data: Array.from({ length: 29 }, (_, i) => ({
        vendorId,
        name: `Loaf ${i}`,
        priceMinor: 500,
      })),
    }),
  );
});
afterAll(async () => {
  await admin.end();
  await h.close();
  await square.stop();
  await stripe.stop();
});

async function counts() {
  const { rows } = await admin.query<{ markets: string; products: string; imports: string }>(
    `SELECT (SELECT count(*) FROM markets WHERE vendor_id = $1) AS markets,
            (SELECT count(*) FROM products WHERE vendor_id = $1) AS products,
            (SELECT count(*) FROM sales_imports WHERE vendor_id = $1 AND status = 'COMMITTED') AS imports`,
    [owner.vendorId],
  );
  const row = rows[0]!;
  return {
    markets: Number(row.markets),
    products: Number(row.products),
    imports: Number(row.imports),
  };
}

const importCsv = (body: string) =>
  h.call(owner, 'POST', '/v1/imports?fileName=sales.csv', body, CSV);

describe('plan limits on imports and the Square mapping', () => {
  it('the preview warns what a commit would be refused for, and which plan unlocks it', async () => {
    const over =
      'date,market,product,quantity,unit_price\n' +
      '2025-05-03,Riverside Saturday,Sourdough loaf,10,7.50\n' +
      '2025-05-03,Oak Park Wednesday,Rye bread,11,6.00\n';
    const preview = await h.call(owner, 'POST', '/v1/imports/preview?fileName=over.csv', over, CSV);
    expect(preview.statusCode, preview.body).toBe(200);
    const { planLimits } = preview.json<{
      planLimits: { limit: string; requiredPlan: string; message: string }[];
    }>();
    expect(planLimits).toEqual([
      {
        limit: 'markets',
        allowed: 1,
        current: 0,
        adding: 2,
        requiredPlan: 'market',
        message:
          'Your Starter plan includes 1 market; you have 0 and this adds 2. The Market plan unlocks up to 5 markets.',
      },
      {
        limit: 'products',
        allowed: 30,
        current: 29,
        adding: 2,
        requiredPlan: 'market',
        message:
          'Your Starter plan includes 30 products; you have 29 and this adds 2. The Market plan unlocks unlimited products.',
      },
    ]);
    // The commit is refused with the first of those words; the preview wrote no sales.
    const refused = expectProblem(await importCsv(over), 403);
    expect(refused.detail).toBe(planLimits[0]!.message);
    expect(await counts()).toEqual({ markets: 0, products: 29, imports: 0 });

    // A file that fits: no warning.
    const fits =
      'date,market,product,quantity,unit_price\n' +
      '2025-05-03,Riverside Saturday,Loaf 1,10,7.50\n';
    const ok = await h.call(owner, 'POST', '/v1/imports/preview?fileName=fits.csv', fits, CSV);
    expect(ok.json<{ planLimits: unknown[] }>().planLimits).toEqual([]);
  });

  it('a CSV import that would pass the product limit is refused whole, naming the plan', async () => {
    const over =
      'date,market,product,quantity,unit_price\n' +
      '2025-05-03,Riverside Saturday,Sourdough loaf,10,7.50\n' +
      '2025-05-03,Riverside Saturday,Rye bread,11,6.00\n';
    const refused = expectProblem(await importCsv(over), 403);
    expect(refused).toMatchObject({ limit: 'products', requiredPlan: 'market' });
    expect(refused.detail).toContain('Starter plan includes 30 products');
    expect(refused.detail).toContain('Market plan unlocks unlimited products');
    expect(await counts()).toEqual({ markets: 0, products: 29, imports: 0 });

    // Two markets in a file: the market limit, the same way.
    const markets =
      'date,market,product,quantity,unit_price\n' +
      '2025-05-03,Riverside Saturday,Loaf 1,10,7.50\n' +
      '2025-05-03,Oak Park Wednesday,Loaf 1,11,7.50\n';
    expect(expectProblem(await importCsv(markets), 403)).toMatchObject({
      limit: 'markets',
      requiredPlan: 'market',
    });
    expect(await counts()).toEqual({ markets: 0, products: 29, imports: 0 });

    // Within the limits (one new market, one new product): imported.
    const within =
      'date,market,product,quantity,unit_price\n' +
      '2025-05-03,Riverside Saturday,Sourdough loaf,10,7.50\n' +
      '2025-05-03,Riverside Saturday,Loaf 1,4,5.00\n';
    const imported = await importCsv(within);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(await counts()).toEqual({ markets: 1, products: 30, imports: 1 });
  });

  it('the Square mapping’s "create product" / "create market" past the limit is refused, nothing written', async () => {
    const started = await h.call(owner, 'GET', '/v1/integrations/square/connect');
    const consent = await fetch(started.json<{ authorizeUrl: string }>().authorizeUrl, {
      redirect: 'manual',
    });
    const back = new URL(consent.headers.get('location')!);
    expect((await h.call(owner, 'GET', `${back.pathname}${back.search}`)).statusCode).toBe(302);

    const product = expectProblem(
      await h.call(owner, 'PUT', '/v1/integrations/square/mapping', {
        variations: [{ variationId: 'VFAKE0003', createProduct: true }],
      }),
      403,
    );
    expect(product).toMatchObject({ limit: 'products', requiredPlan: 'market' });
    const market = expectProblem(
      await h.call(owner, 'PUT', '/v1/integrations/square/mapping', {
        locations: [{ locationId: 'LFAKEGRANDARMY', createMarket: true }],
      }),
      403,
    );
    expect(market).toMatchObject({ limit: 'markets', requiredPlan: 'market' });
    expect(await counts()).toEqual({ markets: 1, products: 30, imports: 1 });
    const { rows } = await admin.query(
      `SELECT 1 FROM products WHERE vendor_id = $1 AND square_variation_id IS NOT NULL`,
      [owner.vendorId],
    );
    expect(rows).toHaveLength(0);
  });
});
