import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { EventListSchema, EventSchema, type MarketEvent } from '@marketprep/contracts';
import { DemandInputsRepository, EventsRepository, withTenant } from '@marketprep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { createMarket, expectProblem, joinAs, readAllPages } from '../markets/catalog-test-helpers';

// Sunday 2026-11-22, 09:00 in Chicago; the market opens on Saturdays (2026-11-28 is planned).
const NOW = new Date('2026-11-22T15:00:00Z');
const SATURDAY = '2026-11-28';

let h: Harness;
let admin: pg.Pool;
let owner: Agent;
let staff: Agent;
let stranger: Agent;
let marketId: string;
let strangersMarketId: string;

async function create(body: unknown, agent: Agent = owner, id = marketId): Promise<MarketEvent> {
  const response = await h.call(agent, 'POST', `/v1/markets/${id}/events`, body);
  expect(response.statusCode, response.body).toBe(201);
  return EventSchema.parse(response.json());
}

async function list(query = '', agent: Agent = owner): Promise<MarketEvent[]> {
  const response = await h.call(agent, 'GET', `/v1/markets/${marketId}/events?limit=200${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return EventListSchema.parse(response.json()).data;
}

const freshness = (vendorId: string, id: string) =>
  withTenant(h.db.app.prisma, vendorId, (tx) =>
    new DemandInputsRepository(tx).findFreshness({ marketId: id }),
  );

async function prepRequests(id: string): Promise<{ date: string; trigger: string }[]> {
  const { rows } = await admin.query<{ payload: { date: string; trigger: string } }>(
    `SELECT payload FROM outbox WHERE job_name = 'generate-prep-list' AND payload->>'marketId' = $1`,
    [id],
  );
  return rows.map((r) => ({ date: r.payload.date, trigger: r.payload.trigger }));
}

beforeAll(async () => {
  h = await createHarness({ now: () => NOW, rateLimit: false });
  admin = new pg.Pool({ connectionString: h.db.adminUrl, max: 2 });
  admin.on('error', () => undefined);
  owner = await h.signup({ vendorName: 'Events Bakery' });
  staff = await joinAs(h, owner, 'STAFF');
  stranger = await h.signup({ vendorName: 'Other Events' });
  marketId = (await createMarket(h, owner)).id;
  strangersMarketId = (await createMarket(h, stranger)).id;
});
afterAll(async () => {
  await admin.end();
  await h.close();
});

describe('POST and GET /v1/markets/:marketId/events', () => {
  it('lets staff add an event, lists both sources by date and pages them', async () => {
    const added = await create(
      {
        name: '  Harvest 10K run ',
        date: SATURDAY,
        expectedAttendance: 3000,
        url: 'https://example.com/harvest-10k',
        category: 'sports',
        venueName: 'Riverside Park',
      },
      staff,
    );
    expect(added).toMatchObject({
      marketId,
      source: 'VENDOR',
      name: 'Harvest 10K run',
      date: SATURDAY,
      expectedAttendance: 3000,
      url: 'https://example.com/harvest-10k',
      category: 'sports',
      venueName: 'Riverside Park',
    });
    const minimal = await create({ name: 'Parade', date: '2026-11-25' });
    expect(minimal).toEqual({
      id: minimal.id,
      marketId,
      source: 'VENDOR',
      name: 'Parade',
      date: '2026-11-25',
    });
    await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      new EventsRepository(tx).create('TICKETMASTER', 'tm-1', {
        vendorId: owner.vendorId!,
        marketId,
        name: 'Bulls vs Knicks',
        date: '2026-12-05',
        startsAt: new Date('2026-12-06T01:00:00Z'),
        expectedAttendance: 20_000,
      }),
    );

    const all = await list('', staff);
    expect(all.map((e) => [e.date, e.name, e.source])).toEqual([
      ['2026-11-25', 'Parade', 'VENDOR'],
      [SATURDAY, 'Harvest 10K run', 'VENDOR'],
      ['2026-12-05', 'Bulls vs Knicks', 'TICKETMASTER'],
    ]);
    expect(all[2]!.startsAt).toBe('2026-12-06T01:00:00.000Z');
    expect((await list(`&from=${SATURDAY}&to=${SATURDAY}`)).map((e) => e.id)).toEqual([added.id]);

    const paged = await readAllPages<MarketEvent>(h, owner, `/v1/markets/${marketId}/events`, 2);
    expect(paged.pages).toBe(2);
    expect(paged.items.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it('answers 400 to invalid bodies and queries, writing nothing', async () => {
    const before = await list();
    const url = `/v1/markets/${marketId}/events`;
    for (const body of [
      {},
      { name: '', date: SATURDAY },
      { name: 'x'.repeat(201), date: SATURDAY },
      { name: 'Fair', date: '2026-13-01' },
      { name: 'Fair', date: '28/11/2026' },
      { name: 'Fair', date: SATURDAY, expectedAttendance: -1 },
      { name: 'Fair', date: SATURDAY, expectedAttendance: 10_000_001 },
      { name: 'Fair', date: SATURDAY, expectedAttendance: 1.5 },
      { name: 'Fair', date: SATURDAY, url: 'javascript:alert(1)' },
      { name: 'Fair', date: SATURDAY, url: 'ftp://example.com/x' },
      { name: 'Fair', date: SATURDAY, source: 'TICKETMASTER' },
      { name: 'Bell\u0007', date: SATURDAY },
    ]) {
      expectProblem(await h.call(owner, 'POST', url, body), 400);
    }
    expectProblem(await h.call(owner, 'GET', `${url}?from=2026-12-01&to=2026-11-01`), 400);
    expectProblem(await h.call(owner, 'GET', `${url}?from=tomorrow`), 400);
    expectProblem(await h.call(owner, 'GET', `${url}?cursor=not-a-cursor`), 400);
    expect(await list()).toEqual(before);
  });

  it('answers 401 anonymously and 404 for another vendor’s or an unknown market', async () => {
    const url = `/v1/markets/${marketId}/events`;
    expectProblem(await h.call(null, 'GET', url), 401);
    expectProblem(await h.call(null, 'POST', url, { name: 'Fair', date: SATURDAY }), 401);
    expectProblem(await h.call(stranger, 'GET', url), 404);
    expectProblem(await h.call(stranger, 'POST', url, { name: 'Fair', date: SATURDAY }), 404);
    expectProblem(await h.call(owner, 'GET', `/v1/markets/${randomUUID()}/events`), 404);
    expectProblem(
      await h.call(owner, 'POST', `/v1/markets/${strangersMarketId}/events`, {
        name: 'Fair',
        date: SATURDAY,
      }),
      404,
    );
  });
});

describe('DELETE /v1/markets/:marketId/events/:eventId', () => {
  it('lets owners delete vendor events only: 403 staff, 404 foreign, 409 Ticketmaster', async () => {
    const event = await create({ name: 'Craft fair', date: '2026-12-12' });
    const url = `/v1/markets/${marketId}/events/${event.id}`;
    expectProblem(await h.call(null, 'DELETE', url), 401);
    expectProblem(await h.call(staff, 'DELETE', url), 403);
    expectProblem(await h.call(stranger, 'DELETE', url), 404);
    expectProblem(
      await h.call(stranger, 'DELETE', `/v1/markets/${strangersMarketId}/events/${event.id}`),
      404,
    );
    expectProblem(
      await h.call(owner, 'DELETE', `/v1/markets/${marketId}/events/${randomUUID()}`),
      404,
    );
    expectProblem(await h.call(owner, 'DELETE', `/v1/markets/${marketId}/events/not-a-uuid`), 400);

    const ticketmaster = (await list()).find((e) => e.source === 'TICKETMASTER')!;
    const conflict = expectProblem(
      await h.call(owner, 'DELETE', `/v1/markets/${marketId}/events/${ticketmaster.id}`),
      409,
    );
    expect(conflict.detail).toMatch(/Ticketmaster/);

    const deleted = await h.call(owner, 'DELETE', url);
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await list()).map((e) => e.id)).not.toContain(event.id);
    expect((await list()).map((e) => e.id)).toContain(ticketmaster.id);
    expectProblem(await h.call(owner, 'DELETE', url), 404);
  });
});

describe('prep-list inputs', () => {
  it('changes the freshness the inputs hash covers on create and on delete, and asks for a new prep list', async () => {
    const other = (await createMarket(h, owner)).id;
    const empty = await freshness(owner.vendorId!, other);
    expect(empty.eventsAsOf).toBeNull();
    expect(empty.eventCount).toBe(0);

    const event = await create({ name: 'Food truck rally', date: SATURDAY }, owner, other);
    const added = await freshness(owner.vendorId!, other);
    expect(added.eventsAsOf).not.toBeNull();
    expect(added.eventCount).toBe(1);
    // A planned Saturday: its prep list is regenerated; an unplanned Wednesday is not asked for.
    await create({ name: 'Midweek fair', date: '2026-11-25' }, owner, other);
    expect(await prepRequests(other)).toEqual([{ date: SATURDAY, trigger: 'inputs-changed' }]);

    const deleted = await h.call(owner, 'DELETE', `/v1/markets/${other}/events/${event.id}`);
    expect(deleted.statusCode, deleted.body).toBe(204);
    // max(fetched_at) alone would not notice a deletion; the count does.
    expect((await freshness(owner.vendorId!, other)).eventCount).toBe(1);
  });

  it('reads several markets in one statement, each as its own read, none of another vendor', async () => {
    const quiet = (await createMarket(h, owner)).id;
    const busy = (await createMarket(h, owner)).id;
    await create({ name: 'Harvest fair', date: SATURDAY }, owner, busy);
    await create({ name: 'Stranger fair', date: SATURDAY }, stranger, strangersMarketId);
    const ids = [quiet, busy, strangersMarketId];
    const batch = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      new DemandInputsRepository(tx).findFreshnessOfMarkets(ids),
    );
    for (const id of ids) expect(batch.get(id)).toEqual(await freshness(owner.vendorId!, id));
    expect(batch.get(busy)!.eventCount).toBe(batch.get(quiet)!.eventCount + 1);
    // The stranger's market: the owner's vendor-wide parts, none of the stranger's events.
    expect(batch.get(strangersMarketId)!.eventCount).toBe(batch.get(quiet)!.eventCount);
    expect(batch.get(strangersMarketId)!.productCount).toBe(batch.get(quiet)!.productCount);
  });
});
