import { randomUUID } from 'node:crypto';
import { MarketDayListSchema, MarketDaySchema, type MarketDay } from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { createMarket, expectProblem, joinAs, readAllPages } from '../markets/catalog-test-helpers';

// Sunday 2026-11-22, 09:00 in Chicago.
const NOW = new Date('2026-11-22T15:00:00Z');

let h: Harness;
let owner: Agent;
let staff: Agent;
let stranger: Agent;
let marketId: string;
let strangersMarketId: string;

async function list(query = '', agent: Agent = owner, id = marketId): Promise<MarketDay[]> {
  const response = await h.call(agent, 'GET', `/v1/markets/${id}/market-days?limit=200${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return MarketDayListSchema.parse(response.json()).data;
}

beforeAll(async () => {
  h = await createHarness({ now: () => NOW, rateLimit: false });
  owner = await h.signup({ vendorName: 'Days Bakery' });
  staff = await joinAs(h, owner, 'STAFF');
  stranger = await h.signup({ vendorName: 'Other Days' });
  marketId = (await createMarket(h, owner)).id;
  strangersMarketId = (await createMarket(h, stranger)).id;
});
afterAll(() => h.close());

describe('GET /v1/markets/:marketId/market-days', () => {
  it('lists the planned Saturdays by date, for staff too, within a date range', async () => {
    const all = await list('', staff);
    expect(all.map((d) => d.date)).toEqual([
      '2026-11-28',
      '2026-12-05',
      '2026-12-12',
      '2026-12-19',
      '2026-12-26',
      '2027-01-02',
      '2027-01-09',
      '2027-01-16',
    ]);
    expect(all[0]).toMatchObject({
      marketId,
      status: 'SCHEDULED',
      opensAt: '08:00',
      closesAt: '13:00',
      notes: null,
    });
    expect((await list('&from=2026-12-05&to=2026-12-19')).map((d) => d.date)).toEqual([
      '2026-12-05',
      '2026-12-12',
      '2026-12-19',
    ]);
    expect(await list('&status=CANCELLED')).toEqual([]);
  });

  it('walks every page without duplicates', async () => {
    const { items, pages } = await readAllPages<MarketDay>(
      h,
      owner,
      `/v1/markets/${marketId}/market-days`,
      3,
    );
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(items.map((d) => d.id)).size).toBe(items.length);
    expect(items.map((d) => d.id)).toEqual((await list()).map((d) => d.id));
  });

  it('answers 400 for bad dates, a reversed range or a malformed cursor', async () => {
    for (const query of [
      'from=2026-13-01',
      'to=yesterday',
      'from=2026-12-10&to=2026-12-01',
      'cursor=%%%',
      'status=OPEN',
    ]) {
      expectProblem(
        await h.call(owner, 'GET', `/v1/markets/${marketId}/market-days?${query}`),
        400,
      );
    }
    const productCursor = Buffer.from(JSON.stringify(['Apple', randomUUID()])).toString(
      'base64url',
    );
    expectProblem(
      await h.call(owner, 'GET', `/v1/markets/${marketId}/market-days?cursor=${productCursor}`),
      400,
    );
  });

  it('answers 401, and 404 for another business market', async () => {
    expectProblem(await h.call(null, 'GET', `/v1/markets/${marketId}/market-days`), 401);
    expectProblem(await h.call(stranger, 'GET', `/v1/markets/${marketId}/market-days`), 404);
    expectProblem(await h.call(owner, 'GET', `/v1/markets/${strangersMarketId}/market-days`), 404);
  });

  it('sends ETags and answers 304 for the list and for one day', async () => {
    const listed = await h.call(owner, 'GET', `/v1/markets/${marketId}/market-days`);
    const etag = listed.headers.etag as string;
    expect(
      (
        await h.call(owner, 'GET', `/v1/markets/${marketId}/market-days`, undefined, {
          'if-none-match': etag,
        })
      ).statusCode,
    ).toBe(304);
    const day = (await list())[0]!;
    const one = await h.call(owner, 'GET', `/v1/market-days/${day.id}`);
    expect(MarketDaySchema.parse(one.json())).toEqual(day);
    const cached = await h.call(owner, 'GET', `/v1/market-days/${day.id}`, undefined, {
      'if-none-match': one.headers.etag as string,
    });
    expect(cached.statusCode).toBe(304);
  });
});

describe('POST /v1/markets/:marketId/market-days', () => {
  it('adds a one-off date, with its own times or the schedule default', async () => {
    const created = await h.call(owner, 'POST', `/v1/markets/${marketId}/market-days`, {
      date: '2026-12-23',
      opensAt: '16:00',
      closesAt: '20:00',
      notes: 'Holiday night market',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      date: '2026-12-23',
      opensAt: '16:00',
      closesAt: '20:00',
      notes: 'Holiday night market',
      status: 'SCHEDULED',
    });
    // A Saturday past the planning horizon takes the Saturday hours; a Tuesday needs its own.
    const saturday = await h.call(owner, 'POST', `/v1/markets/${marketId}/market-days`, {
      date: '2027-03-06',
    });
    expect(saturday.json()).toMatchObject({ opensAt: '08:00', closesAt: '13:00' });
    const tuesday = await h.call(owner, 'POST', `/v1/markets/${marketId}/market-days`, {
      date: '2027-03-09',
    });
    expect(expectProblem(tuesday, 400).errors).toEqual([
      { path: 'opensAt', message: 'Required on a date the schedule does not open' },
    ]);
    expect(await list('&from=2027-03-09&to=2027-03-09')).toEqual([]);
  });

  it('answers 409 for a date already on the calendar', async () => {
    expectProblem(
      await h.call(owner, 'POST', `/v1/markets/${marketId}/market-days`, { date: '2026-11-28' }),
      409,
    );
  });

  it.each([
    ['an impossible date', { date: '2026-02-30' }],
    ['closing before opening', { date: '2027-02-01', opensAt: '12:00', closesAt: '09:00' }],
    ['only an opening time', { date: '2027-02-02', opensAt: '12:00' }],
    ['an unknown field', { date: '2027-02-03', status: 'CANCELLED' }],
    ['no date', {}],
  ])('answers 400 for %s', async (_label, body) => {
    expectProblem(await h.call(owner, 'POST', `/v1/markets/${marketId}/market-days`, body), 400);
  });

  it('answers 401, 403 to staff and 404 for a foreign market', async () => {
    const body = { date: '2027-02-10' };
    expectProblem(await h.call(null, 'POST', `/v1/markets/${marketId}/market-days`, body), 401);
    expectProblem(await h.call(staff, 'POST', `/v1/markets/${marketId}/market-days`, body), 403);
    expectProblem(
      await h.call(owner, 'POST', `/v1/markets/${strangersMarketId}/market-days`, body),
      404,
    );
    expect(await list('&from=2027-02-10&to=2027-02-10')).toEqual([]);
  });
});

describe('PATCH /v1/market-days/:marketDayId', () => {
  it('lets staff cancel a day and leave a note; owners move its times', async () => {
    const day = (await list('&from=2026-12-05&to=2026-12-05'))[0]!;
    const cancelled = await h.call(staff, 'PATCH', `/v1/market-days/${day.id}`, {
      status: 'CANCELLED',
      notes: 'Storm warning',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({
      status: 'CANCELLED',
      notes: 'Storm warning',
      opensAt: '08:00',
    });
    expect((await list('&status=CANCELLED')).map((d) => d.id)).toEqual([day.id]);

    expectProblem(
      await h.call(staff, 'PATCH', `/v1/market-days/${day.id}`, { opensAt: '07:00' }),
      403,
    );
    const moved = await h.call(owner, 'PATCH', `/v1/market-days/${day.id}`, {
      opensAt: '07:00',
      status: 'SCHEDULED',
    });
    expect(moved.json()).toMatchObject({
      opensAt: '07:00',
      closesAt: '13:00',
      status: 'SCHEDULED',
    });
    expectProblem(
      await h.call(owner, 'PATCH', `/v1/market-days/${day.id}`, { closesAt: '06:00' }),
      400,
    );
    expectProblem(
      await h.call(owner, 'PATCH', `/v1/market-days/${day.id}`, { status: 'OPEN' }),
      400,
    );
    expectProblem(
      await h.call(owner, 'PATCH', `/v1/market-days/${day.id}`, { date: '2026-12-06' }),
      400,
    );
    const unchanged = MarketDaySchema.parse(
      (await h.call(owner, 'GET', `/v1/market-days/${day.id}`)).json(),
    );
    expect(unchanged).toMatchObject({ opensAt: '07:00', closesAt: '13:00', date: '2026-12-05' });
  });

  it('honours If-Match', async () => {
    const day = (await list('&from=2026-12-12&to=2026-12-12'))[0]!;
    const etag = (await h.call(owner, 'GET', `/v1/market-days/${day.id}`)).headers.etag as string;
    expect(
      (
        await h.call(
          staff,
          'PATCH',
          `/v1/market-days/${day.id}`,
          { notes: 'a' },
          { 'if-match': etag },
        )
      ).statusCode,
    ).toBe(200);
    expectProblem(
      await h.call(
        staff,
        'PATCH',
        `/v1/market-days/${day.id}`,
        { notes: 'b' },
        { 'if-match': etag },
      ),
      412,
    );
    expect(
      MarketDaySchema.parse((await h.call(owner, 'GET', `/v1/market-days/${day.id}`)).json()).notes,
    ).toBe('a');
  });

  it('answers 401 and 404 (foreign or unknown day)', async () => {
    const day = (await list())[0]!;
    expectProblem(await h.call(null, 'PATCH', `/v1/market-days/${day.id}`, { notes: 'x' }), 401);
    expectProblem(
      await h.call(stranger, 'PATCH', `/v1/market-days/${day.id}`, { notes: 'x' }),
      404,
    );
    expectProblem(await h.call(stranger, 'GET', `/v1/market-days/${day.id}`), 404);
    expectProblem(await h.call(owner, 'GET', `/v1/market-days/${randomUUID()}`), 404);
    expectProblem(await h.call(null, 'GET', `/v1/market-days/${day.id}`), 401);
  });
});
