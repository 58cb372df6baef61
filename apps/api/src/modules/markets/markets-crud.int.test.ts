import { randomUUID } from 'node:crypto';
import { withTenant } from '@marketprep/db';
import { MarketListSchema, MarketSchema, type Market } from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { expectProblem, joinAs, readAllPages } from './catalog-test-helpers';

// Sunday 2026-11-22, 09:00 in Chicago.
const NOW = new Date('2026-11-22T15:00:00Z');

let h: Harness;
let owner: Agent;
let staff: Agent;
let stranger: Agent;

const validMarket = (overrides: Record<string, unknown> = {}) => ({
  name: `Market ${randomUUID().slice(0, 8)}`,
  address: '1817 N Clark St, Chicago, IL',
  latitude: 41.9136,
  longitude: -87.6347,
  timezone: 'America/Chicago',
  countryCode: 'US',
  regionCode: 'IL',
  boothFeeMinor: 6500,
  schedule: [
    { weekday: 5, opensAt: '08:00', closesAt: '13:00' },
    { weekday: 2, opensAt: '15:00', closesAt: '19:00' },
  ],
  ...overrides,
});

async function createMarket(overrides: Record<string, unknown> = {}): Promise<Market> {
  const response = await h.call(owner, 'POST', '/v1/markets', validMarket(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return MarketSchema.parse(response.json());
}

async function marketDays(marketId: string) {
  const response = await h.call(owner, 'GET', `/v1/markets/${marketId}/market-days?limit=200`);
  expect(response.statusCode).toBe(200);
  return response.json<{
    data: { date: string; status: string; opensAt: string | null; closesAt: string | null }[];
  }>().data;
}

async function auditActions(vendorId: string, targetId: string): Promise<string[]> {
  const rows = await withTenant(h.db.app.prisma, vendorId, (tx) =>
    tx.auditLog.findMany({ where: { targetId }, orderBy: { id: 'asc' }, select: { action: true } }),
  );
  return rows.map((r) => r.action);
}

beforeAll(async () => {
  h = await createHarness({ now: () => NOW, rateLimit: false });
  owner = await h.signup({ vendorName: 'Catalog Bakery' });
  staff = await joinAs(h, owner, 'STAFF');
  stranger = await h.signup({ vendorName: 'Other Farm' });
});
afterAll(() => h.close());

describe('POST /v1/markets', () => {
  it('creates a market with its schedule and 8 weeks of market days, audited', async () => {
    const market = await createMarket({ name: 'Green City Market' });
    expect(market).toMatchObject({
      name: 'Green City Market',
      latitude: 41.9136,
      longitude: -87.6347,
      timezone: 'America/Chicago',
      countryCode: 'US',
      regionCode: 'IL',
      boothFeeMinor: 6500,
      archivedAt: null,
      // Wednesday the 25th comes before Saturday the 28th.
      nextMarketDate: '2026-11-25',
      schedule: [
        { weekday: 2, opensAt: '15:00', closesAt: '19:00', seasonFrom: null, seasonTo: null },
        { weekday: 5, opensAt: '08:00', closesAt: '13:00', seasonFrom: null, seasonTo: null },
      ],
    });
    const days = await marketDays(market.id);
    expect(days).toHaveLength(16);
    expect(days[0]).toMatchObject({ date: '2026-11-25', status: 'SCHEDULED', opensAt: '15:00' });
    expect(days[1]).toMatchObject({ date: '2026-11-28', opensAt: '08:00', closesAt: '13:00' });
    expect(days.at(-1)?.date).toBe('2027-01-16');
    expect(await auditActions(owner.vendorId!, market.id)).toEqual(['market.created']);
  });

  it("looks a new or moved market's weather and events up now, not at the next schedule", async () => {
    const refreshes = async () =>
      (
        await h.db.adminQuery<{ job_name: string }>(
          `SELECT job_name FROM outbox WHERE payload->>'vendorId' = $1 AND dedupe_key IS NOT NULL
             AND job_name IN ('refresh-weather', 'refresh-events') ORDER BY job_name`,
          [owner.vendorId],
        )
      ).map((row) => row.job_name);
    const clear = () =>
      h.db.adminQuery(
        `DELETE FROM outbox WHERE job_name IN ('refresh-weather', 'refresh-events')
           AND payload->>'vendorId' = $1`,
        [owner.vendorId],
      );
    await clear();
    const market = await createMarket();
    expect(await refreshes()).toEqual(['refresh-events', 'refresh-weather']);
    // Pending: a second market shares them (the schedules' dedupe keys).
    await createMarket();
    expect(await refreshes()).toEqual(['refresh-events', 'refresh-weather']);

    await clear();
    const patch = (body: Record<string, unknown>) =>
      h.call(owner, 'PATCH', `/v1/markets/${market.id}`, body);
    expect((await patch({ boothFeeMinor: 7000, latitude: 41.9136 })).statusCode).toBe(200);
    expect(await refreshes()).toEqual([]);
    expect((await patch({ longitude: -87.7 })).statusCode).toBe(200);
    expect(await refreshes()).toEqual(['refresh-events', 'refresh-weather']);
  });

  it('canonicalizes the time zone and country code', async () => {
    const market = await createMarket({ timezone: 'america/new_york', countryCode: 'us' });
    expect(market.timezone).toBe('America/New_York');
    expect(market.countryCode).toBe('US');
  });

  it('keeps seasons, and plans only in-season dates', async () => {
    const market = await createMarket({
      schedule: [
        { weekday: 5, opensAt: '07:30', closesAt: '12:30', seasonFrom: '05-01', seasonTo: '10-31' },
        { weekday: 5, opensAt: '09:00', closesAt: '13:00', seasonFrom: '11-01', seasonTo: '04-30' },
      ],
    });
    expect(market.schedule.map((s) => [s.opensAt, s.seasonFrom, s.seasonTo])).toEqual([
      ['07:30', '05-01', '10-31'],
      ['09:00', '11-01', '04-30'],
    ]);
    const days = await marketDays(market.id);
    expect(days).toHaveLength(8);
    expect(new Set(days.map((d) => d.opensAt))).toEqual(new Set(['09:00']));
  });

  it.each([
    ['latitude out of range', { latitude: 91 }, 'latitude'],
    ['longitude out of range', { longitude: -181 }, 'longitude'],
    ['latitude not a number', { latitude: '41.9' }, 'latitude'],
    ['unknown time zone', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    ['offset instead of a zone', { timezone: '+05:00' }, 'timezone'],
    ['unknown country', { countryCode: 'XX' }, 'countryCode'],
    ['unknown US state', { regionCode: 'ZZ' }, 'regionCode'],
    ['negative booth fee', { boothFeeMinor: -1 }, 'boothFeeMinor'],
    [
      'weekday 7',
      { schedule: [{ weekday: 7, opensAt: '08:00', closesAt: '13:00' }] },
      'schedule.0.weekday',
    ],
    [
      'closing before opening',
      { schedule: [{ weekday: 5, opensAt: '13:00', closesAt: '08:00' }] },
      'schedule.0.closesAt',
    ],
    [
      'bad time',
      { schedule: [{ weekday: 5, opensAt: '8am', closesAt: '13:00' }] },
      'schedule.0.opensAt',
    ],
    [
      'bad season',
      {
        schedule: [
          {
            weekday: 5,
            opensAt: '08:00',
            closesAt: '13:00',
            seasonFrom: '02-30',
            seasonTo: '10-01',
          },
        ],
      },
      'schedule.0.seasonFrom',
    ],
    [
      'half a season',
      { schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00', seasonFrom: '05-01' }] },
      'schedule.0.seasonTo',
    ],
    ['an unknown field', { vendorId: randomUUID() }, '(root)'],
    [
      'duplicate openings',
      {
        schedule: [
          { weekday: 5, opensAt: '08:00', closesAt: '13:00' },
          { weekday: 5, opensAt: '08:00', closesAt: '12:00' },
        ],
      },
      'schedule.1',
    ],
  ])('answers 400 for %s and writes nothing', async (_label, overrides, path) => {
    const name = `Invalid ${randomUUID()}`;
    const response = await h.call(
      owner,
      'POST',
      '/v1/markets',
      validMarket({ name, ...overrides }),
    );
    const problem = expectProblem(response, 400);
    expect(problem.errors?.map((e) => e.path)).toContain(path);
    const list = MarketListSchema.parse(
      (await h.call(owner, 'GET', '/v1/markets?limit=200')).json(),
    );
    expect(list.data.map((m) => m.name)).not.toContain(name);
  });

  it('answers 409 for a name the business already uses', async () => {
    const market = await createMarket();
    expectProblem(
      await h.call(owner, 'POST', '/v1/markets', validMarket({ name: market.name })),
      409,
    );
  });

  it('answers 401 anonymously and 403 to staff', async () => {
    expectProblem(await h.call(null, 'POST', '/v1/markets', validMarket()), 401);
    expectProblem(await h.call(staff, 'POST', '/v1/markets', validMarket()), 403);
  });
});

describe('GET /v1/markets and /v1/markets/:marketId', () => {
  it('lets staff read; answers 404 for another business or an unknown id, 400 for a non-uuid', async () => {
    const market = await createMarket();
    const read = await h.call(staff, 'GET', `/v1/markets/${market.id}`);
    expect(read.statusCode).toBe(200);
    expect(MarketSchema.parse(read.json())).toEqual(market);
    expectProblem(await h.call(stranger, 'GET', `/v1/markets/${market.id}`), 404);
    expectProblem(await h.call(owner, 'GET', `/v1/markets/${randomUUID()}`), 404);
    expectProblem(await h.call(owner, 'GET', '/v1/markets/not-a-uuid'), 400);
    expectProblem(await h.call(null, 'GET', `/v1/markets/${market.id}`), 401);
    const strangersList = MarketListSchema.parse(
      (await h.call(stranger, 'GET', '/v1/markets')).json(),
    );
    expect(strangersList.data.map((m) => m.id)).not.toContain(market.id);
  });

  it('sends an ETag and answers 304 to If-None-Match, for one market and for the list', async () => {
    const market = await createMarket();
    const first = await h.call(owner, 'GET', `/v1/markets/${market.id}`);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const again = await h.call(owner, 'GET', `/v1/markets/${market.id}`, undefined, {
      'if-none-match': etag,
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(
      (
        await h.call(owner, 'GET', `/v1/markets/${market.id}`, undefined, {
          'if-none-match': '"stale"',
        })
      ).statusCode,
    ).toBe(200);

    const list = await h.call(owner, 'GET', '/v1/markets');
    const listTag = list.headers.etag as string;
    expect(
      (await h.call(owner, 'GET', '/v1/markets', undefined, { 'if-none-match': `W/${listTag}` }))
        .statusCode,
    ).toBe(304);
    await createMarket();
    expect(
      (await h.call(owner, 'GET', '/v1/markets', undefined, { 'if-none-match': listTag }))
        .statusCode,
    ).toBe(200);
  });

  it('walks every page without duplicates, in name order', async () => {
    const fresh = await h.signup({ vendorName: 'Pager Farm' });
    const names = ['Delta', 'alpha', 'Charlie', 'Bravo', 'Echo', 'Foxtrot', 'Golf'];
    for (const name of names) {
      const created = await h.call(
        fresh,
        'POST',
        '/v1/markets',
        validMarket({ name, schedule: [] }),
      );
      expect(created.statusCode).toBe(201);
    }
    const { items, pages } = await readAllPages<Market>(h, fresh, '/v1/markets', 2);
    expect(pages).toBe(4);
    expect(items).toHaveLength(7);
    expect(new Set(items.map((m) => m.id)).size).toBe(7);
    const all = MarketListSchema.parse((await h.call(fresh, 'GET', '/v1/markets')).json());
    expect(items.map((m) => m.name)).toEqual(all.data.map((m) => m.name));
    expect(all.nextCursor).toBeNull();
  });

  it('answers 400 for a malformed cursor or limit', async () => {
    for (const query of [
      'cursor=!!!',
      'cursor=bm90IGpzb24',
      `cursor=${Buffer.from(JSON.stringify(['x', 'not-a-uuid'])).toString('base64url')}`,
      'limit=0',
      'limit=201',
      'limit=ten',
    ]) {
      expectProblem(await h.call(owner, 'GET', `/v1/markets?${query}`), 400);
    }
  });
});

describe('PATCH /v1/markets/:marketId', () => {
  it('replaces the schedule and re-plans the market days; one-off days stay', async () => {
    const market = await createMarket();
    const oneOff = await h.call(owner, 'POST', `/v1/markets/${market.id}/market-days`, {
      date: '2026-12-01',
      opensAt: '10:00',
      closesAt: '14:00',
    });
    expect(oneOff.statusCode).toBe(201);
    const patch = {
      schedule: [{ weekday: 5, opensAt: '09:00', closesAt: '14:00' }],
      boothFeeMinor: 7000,
    };
    const updated = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, patch);
    expect(updated.statusCode, updated.body).toBe(200);
    expect(MarketSchema.parse(updated.json())).toMatchObject({
      boothFeeMinor: 7000,
      schedule: [{ weekday: 5, opensAt: '09:00', closesAt: '14:00' }],
      nextMarketDate: '2026-11-28',
    });
    const days = await marketDays(market.id);
    expect(days.map((d) => d.date)).toEqual([
      '2026-11-28',
      '2026-12-01',
      '2026-12-05',
      '2026-12-12',
      '2026-12-19',
      '2026-12-26',
      '2027-01-02',
      '2027-01-09',
      '2027-01-16',
    ]);
    expect(days.find((d) => d.date === '2026-12-05')).toMatchObject({
      opensAt: '09:00',
      closesAt: '14:00',
    });
    expect(days.find((d) => d.date === '2026-12-01')).toMatchObject({ opensAt: '10:00' });
    // The same schedule again changes nothing.
    await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, patch);
    expect(await marketDays(market.id)).toEqual(days);
    expect(await auditActions(owner.vendorId!, market.id)).toEqual([
      'market.created',
      'market.updated',
      'market.updated',
    ]);
  });

  it('honours If-Match: 412 for a stale ETag, 200 for the current one', async () => {
    const market = await createMarket();
    const read = await h.call(owner, 'GET', `/v1/markets/${market.id}`);
    const etag = read.headers.etag as string;
    const first = await h.call(
      owner,
      'PATCH',
      `/v1/markets/${market.id}`,
      { boothFeeMinor: 100 },
      {
        'if-match': etag,
      },
    );
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).not.toBe(etag);
    const stale = await h.call(
      owner,
      'PATCH',
      `/v1/markets/${market.id}`,
      { boothFeeMinor: 200 },
      {
        'if-match': etag,
      },
    );
    expectProblem(stale, 412);
    const now = MarketSchema.parse((await h.call(owner, 'GET', `/v1/markets/${market.id}`)).json());
    expect(now.boothFeeMinor).toBe(100);
    expectProblem(
      await h.call(owner, 'DELETE', `/v1/markets/${market.id}`, undefined, { 'if-match': etag }),
      412,
    );
  });

  it('validates like create, and refuses renames onto a taken name', async () => {
    const a = await createMarket();
    const b = await createMarket();
    expectProblem(await h.call(owner, 'PATCH', `/v1/markets/${a.id}`, { name: b.name }), 409);
    expectProblem(
      await h.call(owner, 'PATCH', `/v1/markets/${a.id}`, { timezone: 'Nowhere/City' }),
      400,
    );
    expectProblem(await h.call(owner, 'PATCH', `/v1/markets/${a.id}`, { latitude: -90.5 }), 400);
    expectProblem(await h.call(owner, 'PATCH', `/v1/markets/${a.id}`, { archivedAt: null }), 400);
    expectProblem(await h.call(owner, 'PATCH', `/v1/markets/${a.id}`, { regionCode: 'QQ' }), 400);
    const unchanged = MarketSchema.parse(
      (await h.call(owner, 'GET', `/v1/markets/${a.id}`)).json(),
    );
    expect(unchanged).toEqual(a);
  });

  it('answers 401, 403 (staff) and 404 (foreign id)', async () => {
    const market = await createMarket();
    expectProblem(
      await h.call(null, 'PATCH', `/v1/markets/${market.id}`, { boothFeeMinor: 1 }),
      401,
    );
    expectProblem(
      await h.call(staff, 'PATCH', `/v1/markets/${market.id}`, { boothFeeMinor: 1 }),
      403,
    );
    expectProblem(
      await h.call(stranger, 'PATCH', `/v1/markets/${market.id}`, { boothFeeMinor: 1 }),
      404,
    );
  });
});

describe('DELETE /v1/markets/:marketId', () => {
  it('archives: gone from the list, still readable, no longer changeable, audited', async () => {
    const market = await createMarket();
    expectProblem(await h.call(staff, 'DELETE', `/v1/markets/${market.id}`), 403);
    expectProblem(await h.call(stranger, 'DELETE', `/v1/markets/${market.id}`), 404);
    expectProblem(await h.call(null, 'DELETE', `/v1/markets/${market.id}`), 401);
    const archived = await h.call(owner, 'DELETE', `/v1/markets/${market.id}`);
    expect(archived.statusCode).toBe(204);
    expect((await h.call(owner, 'DELETE', `/v1/markets/${market.id}`)).statusCode).toBe(204);

    const list = MarketListSchema.parse(
      (await h.call(owner, 'GET', '/v1/markets?limit=200')).json(),
    );
    expect(list.data.map((m) => m.id)).not.toContain(market.id);
    const withArchived = MarketListSchema.parse(
      (await h.call(owner, 'GET', '/v1/markets?limit=200&includeArchived=true')).json(),
    );
    expect(withArchived.data.map((m) => m.id)).toContain(market.id);
    const read = MarketSchema.parse(
      (await h.call(owner, 'GET', `/v1/markets/${market.id}`)).json(),
    );
    expect(read.archivedAt).toBe(NOW.toISOString());
    expect(await marketDays(market.id)).toHaveLength(16);
    expectProblem(
      await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, { boothFeeMinor: 1 }),
      409,
    );
    expect(await auditActions(owner.vendorId!, market.id)).toEqual([
      'market.created',
      'market.archived',
    ]);
  });
});
