import { randomUUID } from 'node:crypto';
import { PrepListSchema, type PrepList } from '@marketprep/contracts';
import { DEMO_VENDOR_ID, withTenant } from '@marketprep/db';
import { formatMarketDate, scheduleOn, type WeeklyOpening } from '@marketprep/planning';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, seedAndSignInDemo, type Agent, type Harness } from '../../testing/harness';
import { addDays } from '@marketprep/planning';
import { CSV_COLUMNS } from './prep-list-export';

// Sunday 2026-11-22, 06:00 in Chicago: the demo's history ends yesterday.
const NOW = new Date('2026-11-22T12:00:00Z');
const TODAY = '2026-11-22';

let h: Harness;
let demo: Agent;
let market: { id: string; name: string };
let date: string;
let url: string;
let activeProducts: { id: string; name: string }[];

const prisma = () => h.db.app.prisma;
const inDemo = <T>(fn: Parameters<typeof withTenant<T>>[2]) =>
  withTenant(prisma(), DEMO_VENDOR_ID, fn);

async function getList(path = url): Promise<PrepList> {
  const response = await h.call(demo, 'GET', path);
  expect(response.statusCode, response.body).toBe(200);
  return PrepListSchema.parse(response.json());
}

beforeAll(async () => {
  h = await createHarness({ now: () => NOW });
  demo = await seedAndSignInDemo(h, { today: TODAY, now: NOW });
  const upcoming = await inDemo((tx) =>
    tx.marketDay.findFirstOrThrow({
      where: { date: { gt: new Date(`${TODAY}T00:00:00Z`) }, status: 'SCHEDULED' },
      orderBy: [{ date: 'asc' }, { marketId: 'asc' }],
      select: { date: true, market: { select: { id: true, name: true } } },
    }),
  );
  market = upcoming.market;
  date = upcoming.date.toISOString().slice(0, 10);
  url = `/v1/markets/${market.id}/prep-lists/${date}`;
  activeProducts = await inDemo((tx) =>
    tx.product.findMany({ where: { active: true }, select: { id: true, name: true } }),
  );
}, 180_000);
afterAll(() => h.close());

describe('GET /v1/markets/:marketId/prep-lists/:date', () => {
  let first: PrepList;

  it('answers a line for every active product, trained and explained', async () => {
    first = await getList();

    expect(first.marketId).toBe(market.id);
    expect(first.marketName).toBe(market.name);
    expect(first.date).toBe(date);
    expect(first.vendorName.length).toBeGreaterThan(0);
    expect(first.lines.map((l) => l.productId).sort()).toEqual(
      activeProducts.map((p) => p.id).sort(),
    );
    for (const line of first.lines) {
      expect(line.q10).toBeLessThanOrEqual(line.q50);
      expect(line.q50).toBeLessThanOrEqual(line.q90);
      expect(Number.isInteger(line.recommendedQuantity)).toBe(true);
      expect(line.effectiveQuantity).toBe(line.recommendedQuantity);
      expect(line.overrideQuantity).toBeNull();
      expect(line.criticalRatio).toBeGreaterThanOrEqual(0.05);
      expect(line.criticalRatio).toBeLessThanOrEqual(0.95);
      const sum = line.explanation.effects.reduce(
        (total, effect) => total + effect.units,
        line.explanation.baseline,
      );
      expect(Math.abs(sum - line.q50)).toBeLessThan(0.01);
      if (line.modelRung === 'out-of-season') {
        // Late November: the summer produce is on the list with 0 and the reason.
        expect(line.availability.inSeason).toBe(false);
        expect(line.recommendedQuantity).toBe(0);
        expect(line.explanation.summary).toBe(line.availability.note);
      } else if (line.modelRung !== 'cold-start') {
        expect(line.explanation.summary).toMatch(/^Typical day /);
      }
    }
    // Two years of history: most products are learnt from their own series.
    expect(first.lines.filter((l) => l.modelRung === 'pooled').length).toBeGreaterThan(
      first.lines.length / 2,
    );
    expect(first.lines.some((l) => l.recommendedQuantity > 0)).toBe(true);
    // Totals: the lines brought (no overrides yet: the in-season ones).
    const brought = first.lines.filter((l) => l.availability.inSeason);
    expect(first.totals).toEqual({
      effectiveQuantity: brought.reduce((sum, l) => sum + l.effectiveQuantity, 0),
      expectedRevenueMinor: brought.reduce((sum, l) => sum + l.expectedRevenueMinor, 0),
    });
    // Freshness: the seed's sales, weather and events.
    expect(first.salesAsOf).not.toBeNull();
    expect(first.weatherAsOf).toBe(NOW.toISOString());
    expect(first.eventsAsOf).not.toBeNull();
    expect(first.generatedAt).toBe(NOW.toISOString());
    expect(first.model?.trainedThrough).not.toBeNull();
    expect(first.model!.trainedThrough! < TODAY).toBe(true);

    const versions = await inDemo((tx) =>
      tx.modelVersion.findMany({
        select: { id: true, status: true, observationCount: true, durationMs: true },
      }),
    );
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ id: first.model!.id, status: 'ACTIVE' });
    expect(versions[0]!.observationCount).toBeGreaterThan(3_000);
  });

  it('serves the second read from the stored list', async () => {
    const second = await getList();
    expect(second.id).toBe(first.id);
    expect(second.generatedAt).toBe(first.generatedAt);
    expect(second.lines).toEqual(first.lines);
    const stored = await inDemo((tx) =>
      tx.recommendation.count({ where: { marketId: market.id, status: 'CURRENT' } }),
    );
    expect(stored).toBe(1);
  });

  it("recomputes when a product's price changes, and supersedes the old list", async () => {
    const before = await getList();
    const product = before.lines[0]!;
    await inDemo((tx) =>
      tx.product.update({
        where: { id: product.productId },
        data: { priceMinor: 100_000, unitCostMinor: 100, salvageValueMinor: 0 },
      }),
    );
    const after = await getList();
    expect(after.id).not.toBe(before.id);
    expect(after.model?.id).toBe(before.model?.id);
    const line = after.lines.find((l) => l.productId === product.productId)!;
    expect(line.criticalRatio).toBe(0.95);
    expect(line.recommendedQuantity).toBeGreaterThanOrEqual(product.recommendedQuantity);
    const old = await inDemo((tx) =>
      tx.recommendation.findUniqueOrThrow({ where: { id: before.id }, select: { status: true } }),
    );
    expect(old.status).toBe('SUPERSEDED');
  });

  it('recomputes when a new daily sales row arrives', async () => {
    const before = await getList();
    await inDemo((tx) =>
      tx.dailySales.create({
        data: {
          vendorId: DEMO_VENDOR_ID,
          marketId: market.id,
          productId: before.lines[1]!.productId,
          date: new Date(`${TODAY}T00:00:00Z`),
          quantity: 3,
        },
      }),
    );
    const after = await getList();
    expect(after.id).not.toBe(before.id);
    expect(new Date(after.salesAsOf!).getTime()).toBeGreaterThan(
      new Date(before.salesAsOf!).getTime(),
    );
    expect((await getList()).id).toBe(after.id);
  });

  it("creates the market day of a date on the market's weekly schedule", async () => {
    // Twelve weeks on: same weekday, beyond the seeded upcoming days.
    const later = new Date(Date.parse(`${date}T00:00:00Z`) + 84 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const response = await h.call(demo, 'GET', `/v1/markets/${market.id}/prep-lists/${later}`);
    expect(response.statusCode, response.body).toBe(200);
    const list = PrepListSchema.parse(response.json());
    expect(list.date).toBe(later);
    const day = await inDemo((tx) =>
      tx.marketDay.findUnique({
        where: {
          marketId_date: { marketId: market.id, date: new Date(`${later}T00:00:00Z`) },
        },
        select: { id: true, status: true, opensAt: true },
      }),
    );
    expect(day).toMatchObject({ id: list.marketDayId, status: 'SCHEDULED' });
    expect(day!.opensAt).not.toBeNull();
  });
});

describe('POST .../regenerate and PATCH .../lines/:productId', () => {
  it('regenerates a new list even when nothing changed', async () => {
    const before = await getList();
    const response = await h.call(demo, 'POST', `${url}/regenerate`);
    expect(response.statusCode, response.body).toBe(200);
    const after = PrepListSchema.parse(response.json());
    expect(after.id).not.toBe(before.id);
    expect(after.trigger).toBe('manual');
    expect(after.lines.map((l) => l.recommendedQuantity)).toEqual(
      before.lines.map((l) => l.recommendedQuantity),
    );
    expect((await getList()).id).toBe(after.id);
  });

  it('keeps an override through regeneration and clears it with null', async () => {
    const list = await getList();
    const productId = list.lines[2]!.productId;
    const patched = await h.call(demo, 'PATCH', `${url}/lines/${productId}`, {
      overrideQuantity: 77,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const line = PrepListSchema.parse(patched.json()).lines.find((l) => l.productId === productId);
    expect(line).toMatchObject({ overrideQuantity: 77, effectiveQuantity: 77 });

    const reread = (await getList()).lines.find((l) => l.productId === productId);
    expect(reread).toMatchObject({ overrideQuantity: 77, effectiveQuantity: 77 });

    const regenerated = await h.call(demo, 'POST', `${url}/regenerate`);
    const kept = PrepListSchema.parse(regenerated.json()).lines.find(
      (l) => l.productId === productId,
    )!;
    expect(kept.overrideQuantity).toBe(77);
    expect(kept.effectiveQuantity).toBe(77);

    const cleared = await h.call(demo, 'PATCH', `${url}/lines/${productId}`, {
      overrideQuantity: null,
    });
    expect(cleared.statusCode).toBe(200);
    const back = (await getList()).lines.find((l) => l.productId === productId)!;
    expect(back.overrideQuantity).toBeNull();
    expect(back.effectiveQuantity).toBe(back.recommendedQuantity);
  });

  it('rejects bad overrides with 400 and unknown products with 404', async () => {
    const productId = activeProducts[0]!.id;
    for (const body of [
      { overrideQuantity: -1 },
      { overrideQuantity: 1.5 },
      { overrideQuantity: '3' },
      { overrideQuantity: 3, extra: true },
      {},
    ]) {
      const response = await h.call(demo, 'PATCH', `${url}/lines/${productId}`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const unknown = await h.call(demo, 'PATCH', `${url}/lines/${randomUUID()}`, {
      overrideQuantity: 1,
    });
    expect(unknown.statusCode).toBe(404);
    const noCsrf = await h.call({ ...demo, csrf: 'wrong' }, 'PATCH', `${url}/lines/${productId}`, {
      overrideQuantity: 1,
    });
    expect(noCsrf.statusCode).toBe(403);
  });
});

describe('exports', () => {
  it('exports CSV with a header and one row per product', async () => {
    const list = await getList();
    const response = await h.call(demo, 'GET', `${url}/export.csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="prep-list-[a-z0-9-]+-${date}\\.csv"$`),
    );
    const rows = response.body.trimEnd().split('\r\n');
    expect(rows[0]).toBe(CSV_COLUMNS.join(','));
    expect(rows).toHaveLength(list.lines.length + 1);
    const firstLine = list.lines[0]!;
    expect(rows[1]!.startsWith(`${firstLine.productId},`)).toBe(true);
    expect(rows[1]).toContain(`,${firstLine.effectiveQuantity},${firstLine.recommendedQuantity},`);
  });

  it('exports a printable PDF', async () => {
    const response = await h.call(demo, 'GET', `${url}/export.pdf`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename=".+\.pdf"$/);
    expect(response.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(response.rawPayload.length).toBeGreaterThan(1_000);
  });
});

describe('errors', () => {
  it('answers 404 for an unknown market, a foreign market and a non-market date', async () => {
    const unknown = await h.call(demo, 'GET', `/v1/markets/${randomUUID()}/prep-lists/${date}`);
    expect(unknown.statusCode).toBe(404);

    const other = await h.signup({ vendorName: 'Other Stall' });
    const foreignMarket = await withTenant(prisma(), other.vendorId!, async (tx) => {
      const created = await tx.market.create({
        data: {
          vendorId: other.vendorId!,
          name: 'Elsewhere Market',
          latitude: 41.9,
          longitude: -87.6,
          timezone: 'America/Chicago',
          countryCode: 'US',
        },
        select: { id: true },
      });
      await tx.marketDay.create({
        data: {
          vendorId: other.vendorId!,
          marketId: created.id,
          date: new Date(`${date}T00:00:00Z`),
        },
      });
      return created.id;
    });
    const foreign = await h.call(demo, 'GET', `/v1/markets/${foreignMarket}/prep-lists/${date}`);
    expect(foreign.statusCode).toBe(404);
    const foreignCsv = await h.call(
      demo,
      'GET',
      `/v1/markets/${foreignMarket}/prep-lists/${date}/export.csv`,
    );
    expect(foreignCsv.statusCode).toBe(404);
    // The other vendor sees its own market day, with no history: cold-start lines (none: no products).
    const own = await h.call(other, 'GET', `/v1/markets/${foreignMarket}/prep-lists/${date}`);
    expect(own.statusCode, own.body).toBe(200);
    expect(PrepListSchema.parse(own.json()).lines).toEqual([]);

    // The day after a market day is not on any weekly schedule of the demo markets' that weekday.
    const offDay = await findOffScheduleDate();
    const notMarketDay = await h.call(demo, 'GET', `/v1/markets/${market.id}/prep-lists/${offDay}`);
    expect(notMarketDay.statusCode).toBe(404);
    const problem = notMarketDay.json<{
      detail: string;
      date: string;
      previousMarketDate: string | null;
      nextMarketDate: string | null;
    }>();
    expect(problem.detail).toMatch(
      / is closed on \w+days; its next market day is \w{3}, \w{3} \d+/,
    );
    expect(problem.date).toBe(offDay);
    // The market day before is the one this off day follows; both neighbours are served.
    expect(problem.previousMarketDate! < offDay && offDay < problem.nextMarketDate!).toBe(true);
    for (const near of [problem.previousMarketDate, problem.nextMarketDate]) {
      const served = await h.call(demo, 'GET', `/v1/markets/${market.id}/prep-lists/${near}`);
      expect(served.statusCode, served.body).toBe(200);
    }
    // Another business's market: a plain 404 that names no market days.
    expect(foreignCsv.json()).not.toHaveProperty('nextMarketDate');

    // A weekday in season, but more than 400 days ahead: the planner's reason, no nearest days.
    const { schedule } = (await h.call(demo, 'GET', `/v1/markets/${market.id}`)).json<{
      schedule: WeeklyOpening[];
    }>();
    let far = addDays(TODAY, 401);
    while (!scheduleOn({ schedule }, far)) far = addDays(far, 1);
    const tooFar = await h.call(demo, 'GET', `/v1/markets/${market.id}/prep-lists/${far}`);
    expect(tooFar.statusCode).toBe(404);
    expect(tooFar.json()).toMatchObject({
      type: 'https://marketprep.app/problems/not-a-market-day',
      detail: `${formatMarketDate(far, Number(TODAY.slice(0, 4)))} is more than 400 days from today: no prep list that far ahead or back.`,
      previousMarketDate: null,
      nextMarketDate: null,
    });
  });

  it('answers 409 for a cancelled market day', async () => {
    const cancelled = await inDemo(async (tx) => {
      const day = await tx.marketDay.findFirstOrThrow({
        where: {
          marketId: market.id,
          status: 'SCHEDULED',
          date: { gt: new Date(`${date}T00:00:00Z`) },
        },
        orderBy: { date: 'asc' },
        select: { id: true, date: true },
      });
      await tx.marketDay.update({ where: { id: day.id }, data: { status: 'CANCELLED' } });
      return day.date.toISOString().slice(0, 10);
    });
    const response = await h.call(demo, 'GET', `/v1/markets/${market.id}/prep-lists/${cancelled}`);
    expect(response.statusCode).toBe(409);
    expect(response.json<{ detail: string }>().detail).toContain('cancelled');
  });

  it('answers 400 for a malformed date or market id', async () => {
    for (const path of [
      `/v1/markets/${market.id}/prep-lists/2026-13-01`,
      `/v1/markets/${market.id}/prep-lists/tomorrow`,
      `/v1/markets/${market.id}/prep-lists/2026-02-30`,
      `/v1/markets/not-a-uuid/prep-lists/${date}`,
    ]) {
      const response = await h.call(demo, 'GET', path);
      expect(response.statusCode, path).toBe(400);
    }
  });

  it('answers 401 to anonymous callers (no demo configured)', async () => {
    for (const [method, path] of [
      ['GET', url],
      ['GET', `${url}/export.csv`],
      ['GET', `${url}/export.pdf`],
      ['POST', `${url}/regenerate`],
    ] as const) {
      const response = await h.call(null, method, path);
      expect(response.statusCode, path).toBe(401);
    }
    const patch = await h.call(null, 'PATCH', `${url}/lines/${activeProducts[0]!.id}`, {
      overrideQuantity: 1,
    });
    expect(patch.statusCode).toBe(401);
  });

  it('lets a read-only API token read but not regenerate', async () => {
    const created = await h.call(demo, 'POST', '/v1/api-tokens', {
      name: 'prep list reader',
      scopes: ['read'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const bearer = { authorization: `Bearer ${created.json<{ token: string }>().token}` };
    const read = await h.call(null, 'GET', url, undefined, bearer);
    expect(read.statusCode).toBe(200);
    const write = await h.call(null, 'POST', `${url}/regenerate`, undefined, bearer);
    expect(write.statusCode).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('documents every prep-list operation', async () => {
    const response = await h.call(null, 'GET', '/openapi.json');
    expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
    const paths = response.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
    const base = '/v1/markets/{marketId}/prep-lists/{date}';
    expect(Object.keys(paths[base] ?? {})).toContain('get');
    expect(Object.keys(paths[`${base}/regenerate`] ?? {})).toContain('post');
    expect(Object.keys(paths[`${base}/lines/{productId}`] ?? {})).toContain('patch');
    expect(Object.keys(paths[`${base}/export.csv`] ?? {})).toContain('get');
    expect(Object.keys(paths[`${base}/export.pdf`] ?? {})).toContain('get');
  });
});

/** A date near the market day whose weekday has no opening of the market. */
async function findOffScheduleDate(): Promise<string> {
  const weekdays = await inDemo((tx) =>
    tx.marketSchedule.findMany({ where: { marketId: market.id }, select: { weekday: true } }),
  );
  const open = new Set(weekdays.map((w) => w.weekday));
  for (let offset = 1; offset < 7; offset++) {
    const candidate = new Date(Date.parse(`${date}T00:00:00Z`) + offset * 86_400_000);
    if (!open.has((candidate.getUTCDay() + 6) % 7)) return candidate.toISOString().slice(0, 10);
  }
  throw new Error('the market opens every day');
}
