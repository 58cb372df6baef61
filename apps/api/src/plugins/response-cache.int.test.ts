import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { createMarket, joinAs } from '../modules/markets/catalog-test-helpers';
import { createHarness, type Agent, type Harness } from '../testing/harness';

// Issue 21: tenant GETs answered again from the answer cache while the business's data version,
// the caller, the URL and the minute are unchanged. What must hold: no answer survives a committed
// write (by this process, another replica or anything writing to PostgreSQL directly), the
// minute, or a change of the caller's rights.

/** `cache_<kind>_total{cache="answers"}` of an app's /metrics registry. */
async function counter(app: FastifyInstance, kind: 'hits' | 'misses'): Promise<number> {
  const metric = await app.metrics.registry.getSingleMetric(`cache_${kind}_total`)?.get();
  return metric?.values.find((v) => v.labels.cache === 'answers')?.value ?? 0;
}

let clock = new Date('2026-07-04T15:00:10Z');
let h: Harness;
/** A second API process on the same database (another replica), with its own answer cache. */
let replica: FastifyInstance;
let owner: Agent;

const get = (app: FastifyInstance, agent: Agent, url: string) =>
  app.inject({ method: 'GET', url, headers: { cookie: agent.cookie } });
const names = (body: string): string[] =>
  (JSON.parse(body) as { data: { name: string }[] }).data.map((m) => m.name);

beforeAll(async () => {
  h = await createHarness({ now: () => clock, rateLimit: false });
  replica = await buildApp({
    db: h.db.app,
    sessionSecret: 'test-session-secret-0123456789abcdef',
    now: () => clock,
    rateLimit: false,
  });
  owner = await h.signup({ vendorName: 'Answer Cache Farm' });
}, 60_000);

afterAll(async () => {
  await replica.close();
  await h.close();
});

/** A Sunday market of the owner's business: its id. */
const createSundayMarket = async (name: string): Promise<string> =>
  (
    await createMarket(h, owner, {
      name,
      schedule: [{ weekday: 6, opensAt: '08:00', closesAt: '13:00' }],
    })
  ).id;

describe('answer cache', () => {
  it('answers a repeated GET from the cache, and a write on another replica at once', async () => {
    const id = await createSundayMarket('Green City');
    const first = await get(replica, owner, '/v1/markets');
    const hits = await counter(replica, 'hits');
    const again = await get(replica, owner, '/v1/markets');
    expect(await counter(replica, 'hits')).toBe(hits + 1);
    expect(again.body).toBe(first.body);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers['cache-control']).toBe('no-store');

    // Renamed through the other process: the replica's next answer has it, no wait.
    const renamed = await h.call(owner, 'PATCH', `/v1/markets/${id}`, { name: 'Green City West' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(names((await get(replica, owner, '/v1/markets')).body)).toContain('Green City West');
  });

  it('sees a write made straight to PostgreSQL (the worker, an operator)', async () => {
    const id = await createSundayMarket('Logan Square');
    expect(names((await get(h.app, owner, '/v1/markets')).body)).toContain('Logan Square');
    expect(names((await get(h.app, owner, '/v1/markets')).body)).toContain('Logan Square');
    await h.db.adminQuery(`UPDATE markets SET name = 'Logan Square North' WHERE id = $1`, [id]);
    expect(names((await get(h.app, owner, '/v1/markets')).body)).toContain('Logan Square North');
  });

  it("sees a change of a teammate's name (users has no vendor_id; its trigger finds the businesses)", async () => {
    const members = async () =>
      (await get(h.app, owner, '/v1/team/members'))
        .json<{ data: { name: string }[] }>()
        .data.map((m) => m.name);
    expect(await members()).toEqual(await members());
    await h.db.adminQuery(`UPDATE users SET name = 'Renamed Person' WHERE id = $1`, [owner.userId]);
    expect(await members()).toContain('Renamed Person');
  });

  it('answers again when the minute turns, not before', async () => {
    await get(h.app, owner, '/v1/products');
    const misses = await counter(h.app, 'misses');
    await get(h.app, owner, '/v1/products');
    expect(await counter(h.app, 'misses')).toBe(misses);
    clock = new Date(clock.getTime() + 60_000);
    await get(h.app, owner, '/v1/products');
    expect(await counter(h.app, 'misses')).toBe(misses + 1);
  });

  it('authorizes every request: a cached answer never reaches a caller without the right', async () => {
    const staff = await joinAs(h, owner, 'STAFF');
    // The owner's answer is cached; staff may not read the team.
    expect((await get(h.app, owner, '/v1/team/members')).statusCode).toBe(200);
    expect((await get(h.app, owner, '/v1/team/members')).statusCode).toBe(200);
    expect((await get(h.app, staff, '/v1/team/members')).statusCode).toBe(403);
    // Staff's own answers are their own: markets read as staff equal the owner's data.
    expect(names((await get(h.app, staff, '/v1/markets')).body)).toEqual(
      names((await get(h.app, owner, '/v1/markets')).body),
    );
  });

  it('keeps only 200s, and serves a cached ETag answer as 304 to a matching If-None-Match', async () => {
    const missing = '/v1/markets/00000000-0000-4000-8000-000000000000';
    expect((await get(h.app, owner, missing)).statusCode).toBe(404);
    expect((await get(h.app, owner, missing)).statusCode).toBe(404);
    const from = '2026-07-06';
    // The first read computes and stores the days' prep lists (a write: a new data version).
    await get(h.app, owner, `/v1/plans/week?from=${from}`);
    const plan = await get(h.app, owner, `/v1/plans/week?from=${from}`);
    expect(plan.statusCode, plan.body).toBe(200);
    const etag = plan.headers.etag as string;
    expect(etag).toBeTruthy();
    const hits = await counter(h.app, 'hits');
    const cached = await get(h.app, owner, `/v1/plans/week?from=${from}`);
    expect(cached.headers.etag).toBe(etag);
    const conditional = await h.app.inject({
      method: 'GET',
      url: `/v1/plans/week?from=${from}`,
      headers: { cookie: owner.cookie, 'if-none-match': etag },
    });
    expect(conditional.statusCode).toBe(304);
    expect(conditional.body).toBe('');
    expect(await counter(h.app, 'hits')).toBe(hits + 2);
  });

  it('runs the handler once for concurrent requests of the same answer', async () => {
    await createSundayMarket('Concurrent Market');
    const misses = await counter(h.app, 'misses');
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => get(h.app, owner, '/v1/markets?limit=50')),
    );
    expect(new Set(answers.map((a) => a.statusCode))).toEqual(new Set([200]));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(await counter(h.app, 'misses')).toBe(misses + 1);
  });

  it('counts hits and misses in /metrics', async () => {
    const text = await h.app.metrics.registry.metrics();
    expect(text).toMatch(/cache_hits_total\{cache="answers"\} [1-9]/);
    expect(text).toMatch(/cache_misses_total\{cache="answers"\} [1-9]/);
  });
});

describe("answer cache of the session's answer (per user)", () => {
  const session = async (agent: Agent) =>
    (await get(h.app, agent, '/v1/auth/session')).json<{
      activeVendorId: string | null;
      memberships: { vendorId: string; vendorName: string }[];
    }>();

  it('is answered again until a business of the user changes, and is the caller’s own', async () => {
    const me = await h.signup({ vendorName: 'Session Farm' });
    const first = await get(h.app, me, '/v1/auth/session');
    const hits = await counter(h.app, 'hits');
    expect((await get(h.app, me, '/v1/auth/session')).body).toBe(first.body);
    expect(await counter(h.app, 'hits')).toBe(hits + 1);
    // Someone else's session answer is theirs, not a cached copy of mine.
    expect((await session(owner)).memberships.map((m) => m.vendorName)).not.toContain(
      'Session Farm',
    );

    // The business renamed straight in PostgreSQL: the next answer has the new name.
    await h.db.adminQuery(`UPDATE vendors SET name = 'Session Farm & Bakery' WHERE id = $1`, [
      me.vendorId,
    ]);
    expect((await session(me)).memberships.map((m) => m.vendorName)).toEqual([
      'Session Farm & Bakery',
    ]);

    // Joining a second business shows it; switching to it moves the active one.
    await joinAs(h, owner, 'STAFF', me);
    const joined = await session(me);
    expect(joined.memberships.map((m) => m.vendorId)).toContain(owner.vendorId);
    const other = joined.activeVendorId === owner.vendorId ? me.vendorId : owner.vendorId;
    const switched = await h.call(me, 'POST', '/v1/auth/active-vendor', { vendorId: other });
    expect(switched.statusCode, switched.body).toBe(200);
    expect((await session(me)).activeVendorId).toBe(other);
  });

  it('keeps the account export current with new sign-ins and sign-outs', async () => {
    const me = await h.signup({ vendorName: 'Export Farm' });
    const sessions = async () =>
      (await get(h.app, me, '/v1/account/export')).json<{
        sessions: { revokedAt: string | null }[];
      }>().sessions;
    expect(await sessions()).toHaveLength(1);
    const hits = await counter(h.app, 'hits');
    expect(await sessions()).toHaveLength(1);
    expect(await counter(h.app, 'hits')).toBe(hits + 1);
    // Signing in on another device adds a session; signing that one out revokes it.
    const login = await h.call(null, 'POST', '/v1/auth/login', {
      email: me.email,
      password: 'a long enough password',
    });
    expect(login.statusCode, login.body).toBe(200);
    expect(await sessions()).toHaveLength(2);
    const other = {
      ...me,
      cookie: login.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      csrf: login.json<{ csrfToken: string }>().csrfToken,
    };
    expect((await h.call(other, 'POST', '/v1/auth/logout')).statusCode).toBeLessThan(300);
    expect((await sessions()).filter((s) => s.revokedAt !== null)).toHaveLength(1);
  });
});
