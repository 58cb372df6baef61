import { PrepListPageSchema } from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { etagOf } from '../../lib/etag';
import { createMarket } from '../markets/catalog-test-helpers';

// Friday 2026-12-04 in Chicago. Riverside opens Saturdays, Hilltop Wednesdays: the range walks
// December past Christmas into the new year (STYLE.md #18).
const NOW = new Date('2026-12-04T18:00:00Z');

let h: Harness;
let owner: Agent;
let riverside: string;
let hilltop: string;
let productId: string;

const get = (url: string, headers: Record<string, string> = {}) =>
  h.call(owner, 'GET', url, undefined, headers);

beforeAll(async () => {
  h = await createHarness({ now: () => NOW, rateLimit: false });
  owner = await h.signup();
  riverside = (await createMarket(h, owner, { name: 'Riverside' })).id;
  hilltop = (
    await createMarket(h, owner, {
      name: 'Hilltop',
      schedule: [{ weekday: 2, opensAt: '08:00', closesAt: '13:00' }],
    })
  ).id;
  const product = await h.call(owner, 'POST', '/v1/products', {
    name: 'Sourdough',
    priceMinor: 900,
    unitCostMinor: 250,
    expectedDailyUnits: 30,
  });
  expect(product.statusCode, product.body).toBe(201);
  productId = product.json<{ id: string }>().id;
}, 120_000);
afterAll(() => h.close());

describe('GET /v1/prep-lists', () => {
  it('lists every market day of the range by date, then market, page by page', async () => {
    const seen: { date: string; marketId: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(
        `/v1/prep-lists?from=2026-12-05&to=2026-12-19&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(response.statusCode, response.body).toBe(200);
      const page = PrepListPageSchema.parse(response.json());
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((l) => ({ date: l.date, marketId: l.marketId })));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    // Saturdays 5, 12, 19 at Riverside; Wednesdays 9, 16 at Hilltop.
    expect(seen.map((s) => s.date)).toEqual([
      '2026-12-05',
      '2026-12-09',
      '2026-12-12',
      '2026-12-16',
      '2026-12-19',
    ]);
    expect(pages).toBe(3);
    expect(seen.filter((s) => s.marketId === hilltop).map((s) => s.date)).toEqual([
      '2026-12-09',
      '2026-12-16',
    ]);
  });

  it('keeps to one market with marketId, across New Year', async () => {
    const response = await get(
      `/v1/prep-lists?from=2026-12-24&to=2027-01-09&marketId=${riverside}&limit=31`,
    );
    expect(response.statusCode, response.body).toBe(200);
    const page = PrepListPageSchema.parse(response.json());
    expect(page.data.map((l) => l.date)).toEqual(['2026-12-26', '2027-01-02', '2027-01-09']);
    expect(page.data.every((l) => l.marketId === riverside)).toBe(true);
    expect(page.nextCursor).toBeNull();
    expect(page.data[0]?.lines.map((l) => l.productId)).toEqual([productId]);
  });

  it('refuses a backwards or too long range, and a foreign cursor', async () => {
    const backwards = await get('/v1/prep-lists?from=2026-12-19&to=2026-12-05');
    expect(backwards.statusCode).toBe(400);
    const long = await get('/v1/prep-lists?from=2026-12-01&to=2027-02-15');
    expect(long.statusCode).toBe(400);
    expect(long.json<{ detail: string }>().detail).toContain('62 days');
    const cursor = await get('/v1/prep-lists?from=2026-12-05&to=2026-12-19&cursor=abc');
    expect(cursor.json<{ code: string }>().code).toBe('invalid-cursor');
  });
});

describe('ETag / If-None-Match', () => {
  it('answers 304 for an unchanged prep list and 200 with a new tag after a change', async () => {
    const url = `/v1/markets/${riverside}/prep-lists/2026-12-12`;
    const first = await get(url);
    expect(first.statusCode, first.body).toBe(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    // The tag is the hash of the bytes sent, on the computing read as on the cached ones after it.
    expect(etag).toBe(etagOf(first.body));
    const hit = await get(url);
    expect([hit.body, hit.headers.etag]).toEqual([first.body, etag]);
    const again = await get(url, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // A weak form of the tag and a list of tags match too (RFC 9110 weak comparison).
    expect((await get(url, { 'if-none-match': `"other", W/${etag}` })).statusCode).toBe(304);

    const override = await h.call(owner, 'PATCH', `${url}/lines/${productId}`, {
      overrideQuantity: 44,
    });
    expect(override.statusCode, override.body).toBe(200);
    const changed = await get(url, { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);

    const range = `/v1/prep-lists?from=2026-12-12&to=2026-12-12`;
    const page = await get(range);
    expect((await get(range, { 'if-none-match': String(page.headers.etag) })).statusCode).toBe(304);
  });

  it('answers 304 for an unchanged check-in form and 200 after a check-in', async () => {
    const url = `/v1/markets/${riverside}/check-ins/2026-11-28`;
    const first = await get(url);
    expect(first.statusCode, first.body).toBe(200);
    const etag = String(first.headers.etag);
    expect((await get(url, { 'if-none-match': etag })).statusCode).toBe(304);
    const put = await h.call(owner, 'PUT', url, {
      clientSubmissionId: '0b6f8f55-7f4e-4f3e-9a55-3f0a4d1c2b10',
      lines: [{ productId, brought: 30, sold: 28, leftOver: 2, wasted: 0, donated: 2 }],
    });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const after = await get(url, { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
  });

  it("answers 304 for an unchanged week's plan and 200 after a pre-order", async () => {
    const url = '/v1/plans/week?from=2026-12-07';
    const first = await get(url);
    expect(first.statusCode, first.body).toBe(200);
    const etag = String(first.headers.etag);
    expect((await get(url, { 'if-none-match': etag })).statusCode).toBe(304);
    const preOrder = await h.call(owner, 'POST', '/v1/pre-orders', {
      productId,
      marketId: riverside,
      customerName: 'Ada',
      quantity: 6,
      firstDate: '2026-12-12',
    });
    expect(preOrder.statusCode, preOrder.body).toBe(201);
    const after = await get(url, { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
  });
});
