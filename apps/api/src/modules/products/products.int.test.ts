import { randomUUID } from 'node:crypto';
import { DemandInputsRepository, withTenant } from '@marketprep/db';
import { ProductListSchema, ProductSchema, type Product } from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { createMarket, expectProblem, joinAs, readAllPages } from '../markets/catalog-test-helpers';

let h: Harness;
let owner: Agent;
let staff: Agent;
let stranger: Agent;

const validProduct = (overrides: Record<string, unknown> = {}) => ({
  name: `Loaf ${randomUUID().slice(0, 8)}`,
  unit: 'loaf',
  category: 'Bread',
  priceMinor: 900,
  unitCostMinor: 250,
  salvageValueMinor: 100,
  shelfLifeDays: 2,
  ...overrides,
});

async function createProduct(overrides: Record<string, unknown> = {}): Promise<Product> {
  const response = await h.call(owner, 'POST', '/v1/products', validProduct(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return ProductSchema.parse(response.json());
}

/** The season column as stored, read past the API. */
async function storedSeason(productId: string): Promise<unknown> {
  const row = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
    tx.product.findFirst({ where: { id: productId }, select: { season: true } }),
  );
  return row?.season;
}

async function audit(targetId: string) {
  return withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
    tx.auditLog.findMany({
      where: { targetId },
      orderBy: { id: 'asc' },
      select: { action: true, metadata: true, actorUserId: true },
    }),
  );
}

beforeAll(async () => {
  h = await createHarness({ rateLimit: false });
  owner = await h.signup({ vendorName: 'Product Bakery' });
  staff = await joinAs(h, owner, 'STAFF');
  stranger = await h.signup({ vendorName: 'Stranger Farm' });
});
afterAll(() => h.close());

describe('POST /v1/products', () => {
  it('creates a product with its economics, audited', async () => {
    const product = await createProduct({ name: 'Sourdough', expectedDailyUnits: 12.5 });
    expect(product).toMatchObject({
      name: 'Sourdough',
      unit: 'loaf',
      category: 'Bread',
      priceMinor: 900,
      unitCostMinor: 250,
      salvageValueMinor: 100,
      shelfLifeDays: 2,
      expectedDailyUnits: 12.5,
      active: true,
      squareItemId: null,
    });
    const rows = await audit(product.id);
    expect(rows).toEqual([
      {
        action: 'product.created',
        actorUserId: owner.userId,
        metadata: {
          name: 'Sourdough',
          priceMinor: 900,
          unitCostMinor: 250,
          salvageValueMinor: 100,
        },
      },
    ]);
  });

  it('defaults unit, cost and salvage', async () => {
    const response = await h.call(owner, 'POST', '/v1/products', { name: 'Jam', priceMinor: 700 });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      unit: 'each',
      unitCostMinor: 0,
      salvageValueMinor: 0,
      category: null,
      shelfLifeDays: null,
      expectedDailyUnits: null,
    });
  });

  it('allows a salvage value above the cost (but below the price)', async () => {
    const product = await createProduct({ unitCostMinor: 100, salvageValueMinor: 300 });
    expect(product.salvageValueMinor).toBe(300);
  });

  it.each([
    ['a negative price', { priceMinor: -1 }, 'priceMinor'],
    ['a fractional price', { priceMinor: 9.5 }, 'priceMinor'],
    ['a negative cost', { unitCostMinor: -5 }, 'unitCostMinor'],
    [
      'salvage equal to the price',
      { priceMinor: 500, salvageValueMinor: 500 },
      'salvageValueMinor',
    ],
    ['salvage above the price', { priceMinor: 500, salvageValueMinor: 800 }, 'salvageValueMinor'],
    ['a zero price', { priceMinor: 0, salvageValueMinor: 0 }, 'salvageValueMinor'],
    ['an empty name', { name: '   ' }, 'name'],
    ['a missing price', { priceMinor: undefined }, 'priceMinor'],
    ['an unknown field', { squareItemId: 'X' }, '(root)'],
    ['a negative shelf life', { shelfLifeDays: -1 }, 'shelfLifeDays'],
    // 0 days would mean "never carried", which is what blank (null) says.
    ['a shelf life of 0 days', { shelfLifeDays: 0 }, 'shelfLifeDays'],
    ['a shelf life of half a day', { shelfLifeDays: 1.5 }, 'shelfLifeDays'],
    ['a NUL character in the name', { name: 'Rye\u0000Bread' }, 'name'],
  ])('answers 400 for %s and writes nothing', async (_label, overrides, path) => {
    const name = `Invalid ${randomUUID()}`;
    const problem = expectProblem(
      await h.call(owner, 'POST', '/v1/products', validProduct({ name, ...overrides })),
      400,
    );
    expect(problem.errors?.map((e) => e.path)).toContain(path);
    const list = ProductListSchema.parse(
      (await h.call(owner, 'GET', `/v1/products?q=${encodeURIComponent(name)}`)).json(),
    );
    expect(list.data).toEqual([]);
  });

  it('explains why the salvage value must be below the price', async () => {
    const problem = expectProblem(
      await h.call(
        owner,
        'POST',
        '/v1/products',
        validProduct({ priceMinor: 500, salvageValueMinor: 500 }),
      ),
      400,
    );
    expect(problem.detail).toMatch(/salvage value must be below the price/);
  });

  it('answers 409 for a name the business already uses (not for another business)', async () => {
    const product = await createProduct();
    expectProblem(
      await h.call(owner, 'POST', '/v1/products', validProduct({ name: product.name })),
      409,
    );
    const elsewhere = await h.call(
      stranger,
      'POST',
      '/v1/products',
      validProduct({ name: product.name }),
    );
    expect(elsewhere.statusCode).toBe(201);
  });

  it('answers 401 anonymously and 403 to staff', async () => {
    expectProblem(await h.call(null, 'POST', '/v1/products', validProduct()), 401);
    expectProblem(await h.call(staff, 'POST', '/v1/products', validProduct()), 403);
  });
});

describe('GET /v1/products', () => {
  it('lets staff read products and their economics; 404 across businesses', async () => {
    const product = await createProduct();
    const read = await h.call(staff, 'GET', `/v1/products/${product.id}`);
    expect(read.statusCode).toBe(200);
    expect(ProductSchema.parse(read.json())).toEqual(product);
    expectProblem(await h.call(stranger, 'GET', `/v1/products/${product.id}`), 404);
    expectProblem(await h.call(owner, 'GET', `/v1/products/${randomUUID()}`), 404);
    expectProblem(await h.call(null, 'GET', `/v1/products/${product.id}`), 401);
    expectProblem(await h.call(null, 'GET', '/v1/products'), 401);
  });

  it('filters by active flag, category and part of the name', async () => {
    const fresh = await h.signup({ vendorName: 'Filter Farm' });
    const make = async (body: Record<string, unknown>) => {
      const response = await h.call(fresh, 'POST', '/v1/products', body);
      expect(response.statusCode).toBe(201);
      return response.json<Product>();
    };
    await make({ name: 'Rye Bread', category: 'Bread', priceMinor: 800 });
    await make({ name: 'Baguette', category: 'Bread', priceMinor: 500, active: false });
    await make({ name: 'Tulips', category: 'Flowers', priceMinor: 1500 });
    const names = async (query: string) =>
      ProductListSchema.parse(
        (await h.call(fresh, 'GET', `/v1/products?${query}`)).json(),
      ).data.map((p) => p.name);
    expect(await names('')).toEqual(['Baguette', 'Rye Bread', 'Tulips']);
    expect(await names('active=true')).toEqual(['Rye Bread', 'Tulips']);
    expect(await names('active=false')).toEqual(['Baguette']);
    expect(await names('category=Bread')).toEqual(['Baguette', 'Rye Bread']);
    expect(await names('q=BREAD')).toEqual(['Rye Bread']);
    expect(await names('q=e&category=Bread&active=true')).toEqual(['Rye Bread']);
    expectProblem(await h.call(fresh, 'GET', '/v1/products?active=maybe'), 400);
  });

  it('walks every page without duplicates', async () => {
    const fresh = await h.signup({ vendorName: 'Many Products' });
    for (let i = 0; i < 11; i += 1) {
      // Duplicate-looking names differ only in case and digits, to exercise the tie-break.
      const response = await h.call(fresh, 'POST', '/v1/products', {
        name: `${i % 2 ? 'apple' : 'Apple'} ${i}`,
        priceMinor: 100 + i,
      });
      expect(response.statusCode).toBe(201);
    }
    const { items, pages } = await readAllPages<Product>(h, fresh, '/v1/products', 3);
    expect(pages).toBe(4);
    expect(new Set(items.map((p) => p.id)).size).toBe(11);
    const whole = ProductListSchema.parse((await h.call(fresh, 'GET', '/v1/products')).json());
    expect(items.map((p) => p.id)).toEqual(whole.data.map((p) => p.id));
    expectProblem(await h.call(fresh, 'GET', '/v1/products?cursor=abc'), 400);
    const nulCursor = Buffer.from(JSON.stringify(['a\u0000', randomUUID()])).toString('base64url');
    expectProblem(await h.call(fresh, 'GET', `/v1/products?cursor=${nulCursor}`), 400);
    expectProblem(await h.call(fresh, 'GET', '/v1/products?q=%00'), 400);
  });

  it('sends ETags and answers 304', async () => {
    const product = await createProduct();
    const first = await h.call(owner, 'GET', `/v1/products/${product.id}`);
    const etag = first.headers.etag as string;
    const cached = await h.call(owner, 'GET', `/v1/products/${product.id}`, undefined, {
      'if-none-match': `"other", ${etag}`,
    });
    expect(cached.statusCode).toBe(304);
    expect(cached.body).toBe('');
    const list = await h.call(owner, 'GET', '/v1/products');
    expect(
      (
        await h.call(owner, 'GET', '/v1/products', undefined, {
          'if-none-match': list.headers.etag as string,
        })
      ).statusCode,
    ).toBe(304);
  });
});

describe('PATCH and DELETE /v1/products/:productId', () => {
  it('changes the fields given and audits old and new economics', async () => {
    const product = await createProduct();
    const response = await h.call(owner, 'PATCH', `/v1/products/${product.id}`, {
      priceMinor: 950,
      category: null,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(ProductSchema.parse(response.json())).toMatchObject({
      priceMinor: 950,
      category: null,
      unitCostMinor: 250,
      name: product.name,
    });
    const rows = await audit(product.id);
    expect(rows[1]).toMatchObject({
      action: 'product.updated',
      metadata: {
        fields: ['category', 'priceMinor'],
        economics: { priceMinor: { from: 900, to: 950 } },
      },
    });
  });

  it('checks salvage < price on the result of the change', async () => {
    const product = await createProduct({ priceMinor: 900, salvageValueMinor: 100 });
    expectProblem(
      await h.call(owner, 'PATCH', `/v1/products/${product.id}`, { priceMinor: 100 }),
      400,
    );
    expectProblem(
      await h.call(owner, 'PATCH', `/v1/products/${product.id}`, { salvageValueMinor: 900 }),
      400,
    );
    expectProblem(
      await h.call(owner, 'PATCH', `/v1/products/${product.id}`, { priceMinor: -3 }),
      400,
    );
    expectProblem(
      await h.call(owner, 'PATCH', `/v1/products/${product.id}`, { id: randomUUID() }),
      400,
    );
    const unchanged = ProductSchema.parse(
      (await h.call(owner, 'GET', `/v1/products/${product.id}`)).json(),
    );
    expect(unchanged).toEqual(product);
  });

  it('answers 409 for a rename onto a taken name', async () => {
    const a = await createProduct();
    const b = await createProduct();
    expectProblem(await h.call(owner, 'PATCH', `/v1/products/${a.id}`, { name: b.name }), 409);
    // Renaming to its own name is not a conflict.
    expect(
      (await h.call(owner, 'PATCH', `/v1/products/${a.id}`, { name: a.name })).statusCode,
    ).toBe(200);
  });

  it('keeps staff from changing economics (403) and strangers out (404)', async () => {
    const product = await createProduct();
    expectProblem(
      await h.call(staff, 'PATCH', `/v1/products/${product.id}`, { priceMinor: 1 }),
      403,
    );
    expectProblem(await h.call(staff, 'DELETE', `/v1/products/${product.id}`), 403);
    expectProblem(
      await h.call(stranger, 'PATCH', `/v1/products/${product.id}`, { priceMinor: 1000 }),
      404,
    );
    expectProblem(await h.call(stranger, 'DELETE', `/v1/products/${product.id}`), 404);
    expectProblem(
      await h.call(null, 'PATCH', `/v1/products/${product.id}`, { priceMinor: 1000 }),
      401,
    );
    expectProblem(await h.call(null, 'DELETE', `/v1/products/${product.id}`), 401);
    const unchanged = ProductSchema.parse(
      (await h.call(owner, 'GET', `/v1/products/${product.id}`)).json(),
    );
    expect(unchanged.priceMinor).toBe(900);
  });

  it('honours If-Match on PATCH and DELETE', async () => {
    const product = await createProduct();
    const etag = (await h.call(owner, 'GET', `/v1/products/${product.id}`)).headers.etag as string;
    expect(
      (
        await h.call(
          owner,
          'PATCH',
          `/v1/products/${product.id}`,
          { unit: 'half loaf' },
          { 'if-match': etag },
        )
      ).statusCode,
    ).toBe(200);
    expectProblem(
      await h.call(
        owner,
        'PATCH',
        `/v1/products/${product.id}`,
        { unit: 'slice' },
        { 'if-match': etag },
      ),
      412,
    );
    expectProblem(
      await h.call(owner, 'DELETE', `/v1/products/${product.id}`, undefined, { 'if-match': etag }),
      412,
    );
    // A weak tag never matches strongly.
    expectProblem(
      await h.call(
        owner,
        'PATCH',
        `/v1/products/${product.id}`,
        { unit: 'slice' },
        { 'if-match': `W/${etag}` },
      ),
      412,
    );
    expect(
      (
        await h.call(
          owner,
          'PATCH',
          `/v1/products/${product.id}`,
          { unit: 'slice' },
          { 'if-match': '*' },
        )
      ).statusCode,
    ).toBe(200);
  });

  it('deactivates on DELETE (kept, readable, reactivatable), audited', async () => {
    const product = await createProduct();
    const response = await h.call(owner, 'DELETE', `/v1/products/${product.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: product.id, active: false });
    const active = ProductListSchema.parse(
      (await h.call(owner, 'GET', '/v1/products?active=true&limit=200')).json(),
    );
    expect(active.data.map((p) => p.id)).not.toContain(product.id);
    const back = await h.call(owner, 'PATCH', `/v1/products/${product.id}`, { active: true });
    expect(back.json()).toMatchObject({ active: true });
    expect((await audit(product.id)).map((r) => r.action)).toEqual([
      'product.created',
      'product.deactivated',
      'product.updated',
    ]);
  });
});

describe('product seasons', () => {
  let riverside: string;
  let lakeside: string;
  let strangersMarket: string;

  beforeAll(async () => {
    riverside = (await createMarket(h, owner)).id;
    lakeside = (await createMarket(h, owner)).id;
    strangersMarket = (await createMarket(h, stranger)).id;
  });

  const readProduct = async (id: string) =>
    ProductSchema.parse((await h.call(owner, 'GET', `/v1/products/${id}`)).json());

  it('reads null (learned from sales) for a product without a setting', async () => {
    const product = await createProduct();
    expect(product.season).toBeNull();
    expect((await readProduct(product.id)).season).toBeNull();
    expect(await storedSeason(product.id)).toBeNull();
  });

  it('sets in-season months and a market it skips, and reads them back (months in order)', async () => {
    const product = await createProduct();
    const response = await h.call(owner, 'PATCH', `/v1/products/${product.id}`, {
      season: { mode: 'months', months: [8, 6, 7], excludedMarkets: [lakeside] },
    });
    expect(response.statusCode, response.body).toBe(200);
    const expected = { mode: 'months', months: [6, 7, 8], excludedMarkets: [lakeside] };
    expect(ProductSchema.parse(response.json()).season).toEqual(expected);
    expect((await readProduct(product.id)).season).toEqual(expected);
    // Staff read it too (it explains the prep list they pack by).
    expect(
      ProductSchema.parse((await h.call(staff, 'GET', `/v1/products/${product.id}`)).json()).season,
    ).toEqual(expected);
    const list = ProductListSchema.parse(
      (await h.call(owner, 'GET', `/v1/products?q=${encodeURIComponent(product.name)}`)).json(),
    );
    expect(list.data.map((p) => p.season)).toEqual([expected]);
    const rows = await audit(product.id);
    expect(rows.at(-1)).toMatchObject({
      action: 'product.updated',
      metadata: { fields: ['season'], season: { from: null, to: expected } },
    });
  });

  it('creates a product with a season: all year, date ranges over New Year', async () => {
    const always = await createProduct({ season: { mode: 'always' } });
    expect(always.season).toEqual({ mode: 'always' });
    const holiday = await createProduct({
      season: { mode: 'months', ranges: [{ from: '11-20', to: '01-06' }] },
    });
    expect((await readProduct(holiday.id)).season).toEqual({
      mode: 'months',
      ranges: [{ from: '11-20', to: '01-06' }],
    });
  });

  it('keeps the season through a PATCH that does not mention it (price alone, DELETE)', async () => {
    const season = { mode: 'months', months: [7, 8], excludedMarkets: [riverside] };
    const product = await createProduct({ season });
    const priced = await h.call(owner, 'PATCH', `/v1/products/${product.id}`, {
      priceMinor: 1100,
    });
    expect(priced.statusCode, priced.body).toBe(200);
    expect(ProductSchema.parse(priced.json())).toMatchObject({ priceMinor: 1100, season });
    await h.call(owner, 'PATCH', `/v1/products/${product.id}`, { name: `${product.name} v2` });
    expect((await h.call(owner, 'DELETE', `/v1/products/${product.id}`)).statusCode).toBe(200);
    const back = await h.call(owner, 'PATCH', `/v1/products/${product.id}`, { active: true });
    expect(ProductSchema.parse(back.json()).season).toEqual(season);
    expect(await storedSeason(product.id)).toEqual(season);
  });

  it('goes back to learned with null, and stores "learned at every market" as null', async () => {
    const product = await createProduct({ season: { mode: 'always' } });
    const reset = await h.call(owner, 'PATCH', `/v1/products/${product.id}`, { season: null });
    expect(ProductSchema.parse(reset.json()).season).toBeNull();
    expect(await storedSeason(product.id)).toBeNull();
    const learned = await h.call(owner, 'PATCH', `/v1/products/${product.id}`, {
      season: { mode: 'learned', excludedMarkets: [] },
    });
    expect(ProductSchema.parse(learned.json()).season).toBeNull();
    const skipping = await h.call(owner, 'PATCH', `/v1/products/${product.id}`, {
      season: { mode: 'learned', excludedMarkets: [riverside.toUpperCase()] },
    });
    // The id in PostgreSQL's spelling: the forecast matches it to the sales' market ids as text.
    expect(ProductSchema.parse(skipping.json()).season).toEqual({
      mode: 'learned',
      excludedMarkets: [riverside],
    });
  });

  it.each([
    ['month 13', { mode: 'months', months: [6, 13] }, 'season.months.1'],
    ['month 0', { mode: 'months', months: [0] }, 'season.months.0'],
    ['a month twice', { mode: 'months', months: [6, 6] }, 'season.months.1'],
    ['no months for mode months', { mode: 'months', months: [] }, 'season.months'],
    ['months with mode always', { mode: 'always', months: [6] }, 'season.months'],
    [
      'February 30',
      { mode: 'months', ranges: [{ from: '02-30', to: '03-01' }] },
      'season.ranges.0.from',
    ],
    ['an unknown mode', { mode: 'winter' }, 'season.mode'],
    ['an unknown field', { mode: 'always', weeks: [1] }, 'season'],
    [
      'a market id that is not a uuid',
      { mode: 'always', excludedMarkets: ['Riverside'] },
      'season.excludedMarkets.0',
    ],
  ])('answers 400 for %s and writes nothing', async (_label, season, path) => {
    const product = await createProduct({ season: { mode: 'always' } });
    const problem = expectProblem(
      await h.call(owner, 'PATCH', `/v1/products/${product.id}`, { priceMinor: 1200, season }),
      400,
    );
    expect(problem.errors?.map((e) => e.path)).toContain(path);
    expect(await readProduct(product.id)).toEqual(product);
    expect(await storedSeason(product.id)).toEqual({ mode: 'always' });
  });

  it("refuses another business's market or an unknown one as 'not at this market' (400, nothing written)", async () => {
    const product = await createProduct({ season: { mode: 'months', months: [5] } });
    const unknown = randomUUID();
    for (const foreign of [strangersMarket, unknown]) {
      const problem = expectProblem(
        await h.call(owner, 'PATCH', `/v1/products/${product.id}`, {
          priceMinor: 1300,
          season: { mode: 'always', excludedMarkets: [riverside, foreign] },
        }),
        400,
      );
      expect(problem.detail).toBe(
        `"Not at this market" can only name your own markets: no market ${foreign} in this business.`,
      );
      expect(problem.errors).toEqual([
        { path: 'season.excludedMarkets.1', message: `No market ${foreign} in this business` },
      ]);
    }
    expect(await readProduct(product.id)).toEqual(product);
    expect((await audit(product.id)).map((r) => r.action)).toEqual(['product.created']);

    const name = `Foreign ${randomUUID()}`;
    expectProblem(
      await h.call(
        owner,
        'POST',
        '/v1/products',
        validProduct({ name, season: { mode: 'always', excludedMarkets: [strangersMarket] } }),
      ),
      400,
    );
    const list = ProductListSchema.parse(
      (await h.call(owner, 'GET', `/v1/products?q=${encodeURIComponent(name)}`)).json(),
    );
    expect(list.data).toEqual([]);
  });

  it('keeps staff from changing the season (403)', async () => {
    const product = await createProduct();
    expectProblem(
      await h.call(staff, 'PATCH', `/v1/products/${product.id}`, { season: { mode: 'always' } }),
      403,
    );
    expect(await storedSeason(product.id)).toBeNull();
  });

  it('hands the season to the forecast inputs (training history and the day to plan)', async () => {
    const vendor = await h.signup({ vendorName: 'Season Farm' });
    const market = (await createMarket(h, vendor)).id;
    const create = async (body: Record<string, unknown>) => {
      const response = await h.call(vendor, 'POST', '/v1/products', body);
      expect(response.statusCode, response.body).toBe(201);
      return response.json<Product>().id;
    };
    const corn = await create({
      name: 'Sweet corn',
      priceMinor: 100,
      season: { mode: 'months', months: [7, 8, 9], excludedMarkets: [market] },
    });
    const bread = await create({ name: 'Bread', priceMinor: 700 });
    const inputs = await withTenant(h.db.app.prisma, vendor.vendorId!, async (tx) => {
      const repo = new DemandInputsRepository(tx);
      return {
        history: await repo.loadHistory(),
        plan: await repo.loadPlanInputs({ marketId: market, date: '2027-07-03' }),
      };
    });
    const seasons = (products: { id: string; season: unknown }[]) =>
      Object.fromEntries(products.map((p) => [p.id, p.season]));
    const expected = {
      [corn]: { mode: 'months', months: [7, 8, 9], excludedMarkets: [market] },
      [bread]: null,
    };
    expect(seasons(inputs.history.products)).toEqual(expected);
    expect(seasons(inputs.plan.products)).toEqual(expected);
  });
});
