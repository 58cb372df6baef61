import { readFileSync } from 'node:fs';
import { ImportProblemSchema, ImportReportSchema, type ImportReport } from '@marketprep/contracts';
import { withTenant } from '@marketprep/db';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { joinAs } from '../markets/catalog-test-helpers';

const NOW = new Date('2026-01-15T15:00:00Z');
const MAX_BYTES = 8 * 1024 * 1024;
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const CSV = { 'content-type': 'text/csv' };

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ now: () => NOW, importMaxBytes: MAX_BYTES, rateLimit: false });
});
afterAll(() => h.close());

function upload(
  agent: Agent | null,
  path: '/v1/imports' | '/v1/imports/preview',
  body: string | Buffer,
  headers: Record<string, string> = CSV,
  query = 'fileName=sales.csv',
) {
  return h.call(agent, 'POST', `${path}?${query}`, body, headers);
}

interface DailyRow {
  market: string;
  product: string;
  date: string;
  quantity: string;
  revenue: string;
  lines: number;
}

async function dailySales(vendorId: string): Promise<DailyRow[]> {
  return withTenant(
    h.db.app.prisma,
    vendorId,
    (tx) => tx.$queryRaw<DailyRow[]>`
      SELECT m.name AS market, p.name AS product, to_char(d.date, 'YYYY-MM-DD') AS date,
             d.quantity::text AS quantity, d.revenue_minor::text AS revenue, d.line_count AS lines
      FROM daily_sales d JOIN markets m ON m.id = d.market_id JOIN products p ON p.id = d.product_id
      ORDER BY 1, 2, 3`,
  );
}

async function counts(vendorId: string) {
  return withTenant(h.db.app.prisma, vendorId, async (tx) => ({
    sales: await tx.sale.count(),
    daily: await tx.dailySales.count(),
    markets: await tx.market.count(),
    products: await tx.product.count(),
    feedback: await tx.feedback.count(),
  }));
}

async function outboxFor(vendorId: string) {
  return h.db.app.prisma.$queryRaw<{ job_name: string; payload: { vendorId: string } }[]>`
    SELECT job_name, payload FROM outbox WHERE dedupe_key = ${`retrain:${vendorId}`}`;
}

describe('POST /v1/imports/preview', () => {
  it('reports the plain layout without writing any sales', async () => {
    const owner = await h.signup();
    const response = await upload(owner, '/v1/imports/preview', fixture('plain-30.csv'));
    expect(response.statusCode).toBe(200);
    const report = ImportReportSchema.parse(response.json());
    expect(report).toMatchObject({
      format: 'plain',
      encoding: 'utf-8',
      delimiter: ',',
      status: 'PREVIEWED',
      alreadyImported: false,
      fileName: 'sales.csv',
      rowsRead: 30,
      rowsValid: 30,
      errorCount: 0,
      errors: [],
      dateRange: { from: '2025-05-03', to: '2025-05-31' },
      markets: { existing: [], new: ['Oak Park Wednesday', 'Riverside Saturday'] },
      products: { existing: [], new: ['Cinnamon roll', 'Rye bread', 'Sourdough loaf'] },
    });
    expect(report.totals.salesLines).toBe(30);
    expect(report.importId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await counts(owner.vendorId!)).toMatchObject({ sales: 0, daily: 0, markets: 0 });
  });

  it('reports bad dates, negative and absurd quantities with their line numbers', async () => {
    const owner = await h.signup();
    const response = await upload(owner, '/v1/imports/preview', fixture('bad-rows.csv'));
    expect(response.statusCode).toBe(200);
    const report = ImportReportSchema.parse(response.json());
    expect(report.rowsRead).toBe(7);
    expect(report.rowsValid).toBe(1);
    expect(report.errorCount).toBe(6);
    expect(report.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'date'],
      [4, 'quantity'],
      [5, 'quantity'],
      [6, 'quantity'],
      [7, 'market'],
      [8, 'date'],
    ]);
    expect(report.errors[0]!.message).toContain('2025-02-30');
    expect(report.errors[1]!.message).toContain('negative');
    expect(report.errors[2]!.message).toContain('not plausible');
    expect(report.errors[5]!.message).toContain('future');
  });
});

describe('POST /v1/imports', () => {
  it('commits the plain layout: markets, products, sales, daily sales, brought, outbox, audit', async () => {
    const owner = await h.signup();
    const vendorId = owner.vendorId!;
    const response = await upload(owner, '/v1/imports', fixture('plain-30.csv'));
    expect(response.statusCode).toBe(201);
    const report = ImportReportSchema.parse(response.json());
    expect(report).toMatchObject({ status: 'COMMITTED', alreadyImported: false, rowsValid: 30 });
    expect(report.committedAt).toBe(NOW.toISOString());

    const expected = fixture('plain-30.csv')
      .toString('utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    const daily = await dailySales(vendorId);
    expect(daily).toHaveLength(30);
    for (const [date, market, product, quantity, , price] of expected) {
      const row = daily.find(
        (d) => d.date === date && d.market === market && d.product === product,
      );
      expect(row?.quantity).toBe(Number(quantity).toFixed(3));
      expect(row?.revenue).toBe(String(Math.round(Number(quantity) * Number(price) * 100)));
    }
    expect(await counts(vendorId)).toEqual({
      sales: 30,
      daily: 30,
      markets: 2,
      products: 3,
      feedback: 30,
    });
    const products = await withTenant(h.db.app.prisma, vendorId, (tx) =>
      tx.product.findMany({ select: { name: true, priceMinor: true }, orderBy: { name: 'asc' } }),
    );
    expect(products).toEqual([
      { name: 'Cinnamon roll', priceMinor: 325 },
      { name: 'Rye bread', priceMinor: 600 },
      { name: 'Sourdough loaf', priceMinor: 750 },
    ]);
    const market = await withTenant(h.db.app.prisma, vendorId, (tx) =>
      tx.market.findFirstOrThrow({ select: { timezone: true, countryCode: true, address: true } }),
    );
    expect(market).toEqual({ timezone: 'America/New_York', countryCode: 'US', address: null });
    // Sold out where quantity >= brought: the check-in records it (left over 0).
    const soldOut = await withTenant(h.db.app.prisma, vendorId, (tx) =>
      tx.feedback.count({ where: { leftOver: 0 } }),
    );
    expect(soldOut).toBe(6);
    const outbox = await outboxFor(vendorId);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ job_name: 'retrain-vendor', payload: { vendorId } });
    const audit = await withTenant(h.db.app.prisma, vendorId, (tx) =>
      tx.auditLog.findMany({ where: { action: 'sales_import.committed' } }),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.targetId).toBe(report.importId);

    const history = await h.call(owner, 'GET', '/v1/imports');
    expect(history.statusCode).toBe(200);
    expect(
      history.json<{ data: { id: string; status: string; rowCount: number }[] }>().data,
    ).toEqual([
      expect.objectContaining({ id: report.importId, status: 'COMMITTED', rowCount: 30 }),
    ]);
    const one = await h.call(owner, 'GET', `/v1/imports/${report.importId}`);
    expect(one.statusCode).toBe(200);
    expect(ImportReportSchema.parse(one.json())).toMatchObject({
      importId: report.importId,
      status: 'COMMITTED',
      totals: report.totals,
    });
  });

  it('is idempotent: the same file again changes nothing and says so', async () => {
    const owner = await h.signup();
    const vendorId = owner.vendorId!;
    expect((await upload(owner, '/v1/imports', fixture('plain-30.csv'))).statusCode).toBe(201);
    const before = { daily: await dailySales(vendorId), counts: await counts(vendorId) };
    const again = await upload(owner, '/v1/imports', fixture('plain-30.csv'));
    expect(again.statusCode).toBe(200);
    expect(ImportReportSchema.parse(again.json())).toMatchObject({
      alreadyImported: true,
      status: 'COMMITTED',
    });
    const preview = await upload(owner, '/v1/imports/preview', fixture('plain-30.csv'));
    expect(preview.json<ImportReport>().alreadyImported).toBe(true);
    expect(await dailySales(vendorId)).toEqual(before.daily);
    expect(await counts(vendorId)).toEqual(before.counts);
    expect(await outboxFor(vendorId)).toHaveLength(1);

    // A different file overlapping the same days replaces those days' CSV figures: no double count.
    const overlapping = `${fixture('plain-30.csv').toString('utf8')}2025-06-07,Riverside Saturday,Rye bread,5,,6.00\n`;
    expect((await upload(owner, '/v1/imports', overlapping)).statusCode).toBe(201);
    const after = await dailySales(vendorId);
    expect(after).toHaveLength(31);
    expect(after.filter((d) => d.date !== '2025-06-07')).toEqual(before.daily);
  });

  it('commits a Square Item Sales export with a refund and a price point', async () => {
    const owner = await h.signup();
    const vendorId = owner.vendorId!;
    const response = await upload(owner, '/v1/imports', fixture('square-item-sales.csv'));
    expect(response.statusCode).toBe(201);
    const report = ImportReportSchema.parse(response.json());
    expect(report).toMatchObject({
      format: 'square-item-sales',
      rowsRead: 6,
      rowsValid: 5,
      rowsSkipped: 1,
      errorCount: 0,
      markets: { new: ['Oak Park Wednesday', 'Riverside Saturday'] },
      products: { new: ['Croissant (Almond)', 'Sourdough Loaf'] },
      totals: {
        salesLines: 3,
        quantity: 10,
        refundedQuantity: 1,
        revenueMinor: 1500 + 1080 + 103000,
      },
    });
    expect(await dailySales(vendorId)).toEqual([
      {
        market: 'Oak Park Wednesday',
        product: 'Sourdough Loaf',
        date: '2025-06-11',
        quantity: '4.000',
        revenue: '103000',
        lines: 1,
      },
      {
        market: 'Riverside Saturday',
        product: 'Croissant (Almond)',
        date: '2025-06-07',
        quantity: '3.000',
        revenue: '1080',
        lines: 1,
      },
      {
        market: 'Riverside Saturday',
        product: 'Sourdough Loaf',
        date: '2025-06-07',
        quantity: '2.000',
        revenue: '1500',
        lines: 1,
      },
    ]);
    const sale = await withTenant(h.db.app.prisma, vendorId, (tx) =>
      tx.sale.findFirstOrThrow({
        where: { product: { name: 'Sourdough Loaf' }, marketDate: new Date('2025-06-07') },
        select: { quantity: true, refundedQuantity: true, unitPriceMinor: true, source: true },
      }),
    );
    expect(sale.quantity.toString()).toBe('3');
    expect(sale.refundedQuantity.toString()).toBe('1');
    expect(sale).toMatchObject({ unitPriceMinor: 750, source: 'CSV' });
    const croissant = await withTenant(h.db.app.prisma, vendorId, (tx) =>
      tx.product.findFirstOrThrow({ where: { name: 'Croissant (Almond)' } }),
    );
    expect(croissant).toMatchObject({ priceMinor: 400, category: 'Pastry' });
  });

  it('reads semicolon-separated Windows-1252 ("Crème brûlée") and matches existing names', async () => {
    const owner = await h.signup();
    const vendorId = owner.vendorId!;
    const text =
      'date;market;product;quantity;unit_price\n' +
      '2025-07-05;Marché Central;Crème brûlée;12;4.5\n' +
      '2025-07-05;marché  central;Crème Brûlée;3;4.5\n';
    const body = iconv.encode(text, 'win1252');
    expect(body.includes(Buffer.from('è', 'utf8'))).toBe(false);
    const preview = ImportReportSchema.parse(
      (await upload(owner, '/v1/imports/preview', body)).json(),
    );
    expect(preview).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
      rowsValid: 2,
      markets: { new: ['Marché Central'] },
      products: { new: ['Crème brûlée'] },
    });
    expect((await upload(owner, '/v1/imports', body)).statusCode).toBe(201);
    expect(await dailySales(vendorId)).toEqual([
      expect.objectContaining({
        market: 'Marché Central',
        product: 'Crème brûlée',
        quantity: '15.000',
        revenue: '6750',
      }),
    ]);
  });

  it('reads UTF-8 with a BOM and UTF-16LE with a BOM (tab-separated)', async () => {
    const owner = await h.signup();
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('date,market,product,quantity\n2025-08-02,Été Market,Pain,7\n', 'utf8'),
    ]);
    const bomReport = ImportReportSchema.parse(
      (await upload(owner, '/v1/imports/preview', bom)).json(),
    );
    expect(bomReport).toMatchObject({
      encoding: 'utf-8-bom',
      format: 'plain',
      rowsValid: 1,
      markets: { new: ['Été Market'] },
    });

    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode(
        'date\tmarket\tproduct\tquantity\r\n2025-08-02\tÉté Market\tPain\t7\r\n',
        'utf16le',
      ),
    ]);
    const response = await upload(owner, '/v1/imports', utf16, {
      'content-type': 'application/octet-stream',
    });
    expect(response.statusCode).toBe(201);
    expect(ImportReportSchema.parse(response.json())).toMatchObject({
      encoding: 'utf-16le',
      delimiter: '\t',
      rowsValid: 1,
    });
    expect(await dailySales(owner.vendorId!)).toEqual([
      expect.objectContaining({ market: 'Été Market', product: 'Pain', quantity: '7.000' }),
    ]);
  });

  it('refuses a file with any bad row (400 with the report) and writes nothing', async () => {
    const owner = await h.signup();
    const vendorId = owner.vendorId!;
    const response = await upload(owner, '/v1/imports', fixture('bad-rows.csv'));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = ImportProblemSchema.parse(response.json());
    expect(problem.detail).toContain('6 row error');
    expect(problem.errors?.[0]?.path).toBe('line 3, date');
    expect(problem.errors?.[0]?.message).toContain('2025-02-30');
    expect(problem.report?.status).toBe('FAILED');
    expect(await counts(vendorId)).toEqual({
      sales: 0,
      daily: 0,
      markets: 0,
      products: 0,
      feedback: 0,
    });
    expect(await outboxFor(vendorId)).toHaveLength(0);
  });

  it('answers 400 naming the expected columns for a file with the wrong columns', async () => {
    const owner = await h.signup();
    const response = await upload(
      owner,
      '/v1/imports',
      'day,shop,article,amount\n2025-05-03,A,B,1\n',
    );
    expect(response.statusCode).toBe(400);
    const body = response.json<{ detail: string }>();
    expect(body.detail).toContain('date,market,product,quantity');
    expect(body.detail).toContain('"shop"');
    const missing = await upload(owner, '/v1/imports/preview', 'date,market,qty\n2025-05-03,A,1\n');
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ detail: string }>().detail).toContain('product, quantity');
    const square = await upload(
      owner,
      '/v1/imports',
      'Date,Item,Qty,Net Sales\n2025-05-03,Bread,1,$4.00\n',
    );
    expect(square.statusCode).toBe(400);
    expect(square.json<{ detail: string }>().detail).toContain('Location');
    expect(await counts(owner.vendorId!)).toMatchObject({ sales: 0, markets: 0 });
  });

  it('reports a row whose field count differs and an unclosed quote with line numbers', async () => {
    const owner = await h.signup();
    const report = ImportReportSchema.parse(
      (
        await upload(
          owner,
          '/v1/imports/preview',
          'date,market,product,quantity\n2025-05-03,A,B,1\n2025-05-03,A,B\n2025-05-03,"A,B,1\n',
        )
      ).json(),
    );
    expect(report.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(report.errors[0]!.message).toContain('Expected 4 fields');
  });

  it('answers 415 for a wrong content type, 413 over the size limit, 400 without a file', async () => {
    const owner = await h.signup();
    const json = await h.call(owner, 'POST', '/v1/imports', { a: 1 });
    expect(json.statusCode).toBe(415);
    expect(json.headers['content-type']).toContain('application/problem+json');
    const plain = await upload(owner, '/v1/imports/preview', 'a', { 'content-type': 'text/html' });
    expect(plain.statusCode).toBe(415);

    const row = '2025-05-03,Riverside Saturday,Sourdough loaf,12\n';
    const big = `date,market,product,quantity\n${row.repeat(Math.ceil(MAX_BYTES / row.length) + 1)}`;
    const tooLarge = await upload(owner, '/v1/imports', big);
    expect(tooLarge.statusCode).toBe(413);
    expect(await counts(owner.vendorId!)).toMatchObject({ sales: 0, markets: 0 });

    const empty = await upload(owner, '/v1/imports', '');
    expect(empty.statusCode).toBe(400);
  });

  it('streams a chunked upload over real HTTP (no Content-Length) and stops it past the limit', async () => {
    const owner = await h.signup();
    // Listens until afterAll closes the app.
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    {
      const send = (parts: string[]) =>
        fetch(`${address}/v1/imports/preview?fileName=chunked.csv`, {
          method: 'POST',
          headers: { ...CSV, cookie: owner.cookie, 'x-csrf-token': owner.csrf },
          body: new ReadableStream<Uint8Array>({
            start(controller) {
              for (const part of parts) controller.enqueue(Buffer.from(part));
              controller.close();
            },
          }),
          duplex: 'half',
        });
      const ok = await send(['date,market,product,quantity\n2025-05-03,A,', 'B,1\n']);
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as ImportReport).rowsValid).toBe(1);
      const row = '2025-05-03,Riverside Saturday,Sourdough loaf,12\n'.repeat(10_000);
      const parts = ['date,market,product,quantity\n'];
      for (let size = 0; size <= MAX_BYTES; size += row.length) parts.push(row);
      const tooLarge = await send(parts);
      expect(tooLarge.status).toBe(413);
    }
  });

  it('answers 401 anonymously, 403 to staff and to a read-only token, 404 for a foreign import', async () => {
    const owner = await h.signup();
    expect((await upload(null, '/v1/imports', fixture('plain-30.csv'))).statusCode).toBe(401);
    expect((await h.call(null, 'GET', '/v1/imports')).statusCode).toBe(401);

    const invitee = await joinAs(h, owner, 'STAFF');
    expect((await upload(invitee, '/v1/imports', fixture('plain-30.csv'))).statusCode).toBe(403);
    expect((await h.call(invitee, 'GET', '/v1/imports')).statusCode).toBe(403);

    const readToken = (
      await h.call(owner, 'POST', '/v1/api-tokens', { name: 'r', scopes: ['read'] })
    ).json<{ token: string }>().token;
    const writeToken = (
      await h.call(owner, 'POST', '/v1/api-tokens', { name: 'w', scopes: ['write'] })
    ).json<{ token: string }>().token;
    const asToken = (token: string) => ({ ...CSV, authorization: `Bearer ${token}` });
    expect(
      (await upload(null, '/v1/imports', fixture('plain-30.csv'), asToken(readToken))).statusCode,
    ).toBe(403);
    const viaToken = await upload(
      null,
      '/v1/imports',
      fixture('plain-30.csv'),
      asToken(writeToken),
    );
    expect(viaToken.statusCode).toBe(201);
    const importId = viaToken.json<ImportReport>().importId!;

    const stranger = await h.signup();
    expect((await h.call(stranger, 'GET', `/v1/imports/${importId}`)).statusCode).toBe(404);
    expect((await h.call(stranger, 'GET', '/v1/imports')).json()).toEqual({
      data: [],
      nextCursor: null,
    });
    expect((await h.call(owner, 'GET', '/v1/imports/not-a-uuid')).statusCode).toBe(400);
  });

  it('streams and commits a generated 100k-row file; daily sales add up', async () => {
    const owner = await h.signup();
    const vendorId = owner.vendorId!;
    const markets = ['North Market', 'South Market', 'East Market'];
    const products = Array.from(
      { length: 30 },
      (_, i) => `Product ${String(i + 1).padStart(2, '0')}`,
    );
    const start = Date.UTC(2023, 0, 1);
    const expected = new Map<string, number>();
    const lines = ['date,market,product,quantity'];
    for (let i = 0; i < 100_000; i += 1) {
      // ~730 days x 3 markets x 30 products, several rows per key for some of them.
      const date = new Date(start + ((i * 7919) % 730) * 86_400_000).toISOString().slice(0, 10);
      const market = markets[i % 3]!;
      const product = products[(i * 31) % 30]!;
      const quantity = (i % 13) + 0.5;
      const key = `${market}|${product}|${date}`;
      expected.set(key, (expected.get(key) ?? 0) + quantity);
      lines.push(`${date},${market},${product},${quantity}`);
    }
    const body = `${lines.join('\n')}\n`;
    const started = Date.now();
    const response = await upload(owner, '/v1/imports', body);
    const elapsed = Date.now() - started;
    expect(response.statusCode).toBe(201);
    const report = ImportReportSchema.parse(response.json());
    expect(report.rowsValid).toBe(100_000);
    expect(report.totals.salesLines).toBe(expected.size);
    expect(elapsed).toBeLessThan(15_000);

    const daily = await dailySales(vendorId);
    expect(daily).toHaveLength(expected.size);
    let mismatches = 0;
    for (const row of daily) {
      const want = expected.get(`${row.market}|${row.product}|${row.date}`);
      if (want === undefined || Number(row.quantity) !== want) mismatches += 1;
    }
    expect(mismatches).toBe(0);
    const total = await withTenant(
      h.db.app.prisma,
      vendorId,
      (tx) => tx.$queryRaw<{ q: string }[]>`SELECT sum(quantity)::text AS q FROM daily_sales`,
    );
    const want = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(Number(total[0]!.q)).toBe(want);
  }, 30_000);
});

describe('suggested schedules', () => {
  it('suggests each market its weekdays from the sale dates, stray days left out, and keeps them', async () => {
    const owner = await h.signup();
    // Maple: Wednesdays and Saturdays from Oct 1 to Dec 27 2025 plus a Tuesday and a Sunday
    // one-off; Birch: Sundays only. Two products per day, so each date is on several lines.
    const lines = ['date,market,product,quantity'];
    const start = Date.UTC(2025, 9, 1);
    for (let day = 0; day < 88; day += 1) {
      const date = new Date(start + day * 86_400_000);
      const iso = date.toISOString().slice(0, 10);
      const weekday = date.getUTCDay(); // 0 = Sunday
      if (weekday === 3 || weekday === 6) {
        lines.push(`${iso},Maple Street Market,Bread,10`, `${iso},Maple Street Market,Jam,4`);
      }
      if (weekday === 0) lines.push(`${iso},Birch Park,Bread,7`);
    }
    lines.push('2025-10-14,Maple Street Market,Bread,3', '2025-11-09,Maple Street Market,Jam,2');
    const csv = `${lines.join('\n')}\n`;

    const preview = ImportReportSchema.parse(
      (await upload(owner, '/v1/imports/preview', csv)).json(),
    );
    const every = { seasonFrom: null, seasonTo: null, weeksOfMonth: [], everyOtherWeekFrom: null };
    const expected = [
      {
        market: 'Birch Park',
        weekdays: [6],
        seasonFrom: null,
        seasonTo: null,
        openings: [{ weekday: 6, ...every }],
        saleDays: 12,
        matchedDays: 12,
        strayDays: 0,
      },
      {
        market: 'Maple Street Market',
        weekdays: [2, 5],
        seasonFrom: null,
        seasonTo: null,
        openings: [
          { weekday: 2, ...every },
          { weekday: 5, ...every },
        ],
        saleDays: 28,
        matchedDays: 26,
        strayDays: 2,
      },
    ];
    expect(preview.suggestedSchedules).toEqual(expected);

    const response = await upload(owner, '/v1/imports', csv);
    expect(response.statusCode).toBe(201);
    const committed = ImportReportSchema.parse(response.json());
    expect(committed.suggestedSchedules).toEqual(expected);
    // The stored report keeps them for the markets step to read back.
    const stored = await h.call(owner, 'GET', `/v1/imports/${committed.importId ?? ''}`);
    expect(ImportReportSchema.parse(stored.json()).suggestedSchedules).toEqual(expected);
  });
});
