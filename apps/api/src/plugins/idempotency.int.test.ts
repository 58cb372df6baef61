import { randomUUID } from 'node:crypto';
import { IdempotencyKeysRepository, withTenant } from '@marketprep/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../testing/harness';

// Issue 20: a write retried with the same Idempotency-Key has one effect and the same answer.
let clock = new Date('2026-11-22T15:00:00Z');
let h: Harness;
let admin: pg.Pool;
let owner: Agent;
let other: Agent;
let marketId: string;

const eventsOf = async (id: string) =>
  Number(
    (
      await admin.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE market_id = $1`, [
        id,
      ])
    ).rows[0]?.n,
  );

const postEvent = (key: string | undefined, body: unknown, agent: Agent = owner, id = marketId) =>
  h.call(agent, 'POST', `/v1/markets/${id}/events`, body, key ? { 'idempotency-key': key } : {});

beforeAll(async () => {
  h = await createHarness({ now: () => clock, rateLimit: false });
  admin = new pg.Pool({ connectionString: h.db.adminUrl, max: 2 });
  owner = await h.signup();
  other = await h.signup({ vendorName: 'Other Farm' });
  const market = await h.call(owner, 'POST', '/v1/markets', {
    name: 'Riverside',
    latitude: 41.88,
    longitude: -87.63,
    timezone: 'America/Chicago',
    countryCode: 'US',
    schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
  });
  expect(market.statusCode, market.body).toBe(201);
  marketId = market.json<{ id: string }>().id;
});
afterAll(async () => {
  await admin.end();
  await h.close();
});

describe('Idempotency-Key', () => {
  it('replays the first answer to a retry: one event, the same body and status', async () => {
    const key = randomUUID();
    const body = { name: 'Harvest 10K', date: '2026-11-28', expectedAttendance: 3000 };
    const first = await postEvent(key, body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The same body with its keys in another order is the same request.
    const retry = await postEvent(key, {
      expectedAttendance: 3000,
      date: '2026-11-28',
      name: 'Harvest 10K',
    });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['content-type']).toContain('application/json');
    expect(retry.json()).toEqual(first.json());
    expect(await eventsOf(marketId)).toBe(1);
    // Without a key, the same body is a new event (what an integrator gets without the header).
    const unkeyed = await postEvent(undefined, body);
    expect(unkeyed.statusCode).toBe(201);
    expect(await eventsOf(marketId)).toBe(2);
  });

  it('refuses the same key with other parameters: 409 idempotency-key-reused, nothing written', async () => {
    const key = randomUUID();
    const before = await eventsOf(marketId);
    expect((await postEvent(key, { name: 'Parade', date: '2026-11-28' })).statusCode).toBe(201);
    const reused = await postEvent(key, { name: 'Parade', date: '2026-12-05' });
    expect(reused.statusCode).toBe(409);
    expect(reused.headers['content-type']).toContain('application/problem+json');
    expect(reused.json()).toMatchObject({
      code: 'idempotency-key-reused',
      type: 'https://marketprep.app/problems/idempotency-key-reused',
    });
    // Another route with the same key is another request too.
    const elsewhere = await h.call(
      owner,
      'POST',
      '/v1/products',
      { name: 'Sourdough', unit: 'loaf', priceMinor: 800 },
      { 'idempotency-key': key },
    );
    expect(elsewhere.json<{ code: string }>().code).toBe('idempotency-key-reused');
    expect(await eventsOf(marketId)).toBe(before + 1);
  });

  it('replays a created API token to a retry, keeping the stored answer sealed', async () => {
    const key = randomUUID();
    const create = () =>
      h.call(
        owner,
        'POST',
        '/v1/api-tokens',
        { name: 'till', scopes: ['read'] },
        {
          'idempotency-key': key,
        },
      );
    const first = await create();
    const again = await create();
    expect(first.statusCode, first.body).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const { id, token } = first.json<{ id: string; token: string }>();
    expect(again.json()).toEqual(first.json());
    const tokens = await h.db.adminQuery('SELECT 1 FROM api_tokens WHERE name = $1', ['till']);
    expect(tokens).toHaveLength(1);
    const [stored] = await h.db.adminQuery<{ response_body: string }>(
      'SELECT response_body FROM idempotency_keys WHERE key = $1',
      [key],
    );
    expect(stored!.response_body).toMatch(/^sealed:/);
    expect(stored!.response_body).not.toContain(token);
    expect(stored!.response_body).not.toContain(id);
  });

  it('keeps keys per business: another vendor may use the same key', async () => {
    const key = randomUUID();
    expect((await postEvent(key, { name: 'Fair', date: '2026-11-28' })).statusCode).toBe(201);
    const theirs = await h.call(
      other,
      'POST',
      '/v1/markets',
      {
        name: 'Hilltop',
        latitude: 41.9,
        longitude: -87.6,
        timezone: 'America/Chicago',
        countryCode: 'US',
        schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
      },
      { 'idempotency-key': key },
    );
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('replays a kept 4xx, and runs again after 24 hours', async () => {
    const key = randomUUID();
    const conflict = await h.call(
      owner,
      'POST',
      '/v1/markets',
      {
        name: 'Riverside',
        latitude: 41.88,
        longitude: -87.63,
        timezone: 'America/Chicago',
        countryCode: 'US',
        schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
      },
      { 'idempotency-key': key },
    );
    expect(conflict.json()).toMatchObject({ status: 409, code: 'name-taken' });

    const eventKey = randomUUID();
    const body = { name: 'Lantern walk', date: '2026-11-28' };
    const before = await eventsOf(marketId);
    const first = await postEvent(eventKey, body);
    clock = new Date(clock.getTime() + 23 * 3_600_000);
    const within = await postEvent(eventKey, body);
    expect(within.headers['idempotent-replayed']).toBe('true');
    expect(within.json()).toEqual(first.json());
    expect(await eventsOf(marketId)).toBe(before + 1);
    clock = new Date(clock.getTime() + 2 * 3_600_000); // 25 h after the first
    const after = await postEvent(eventKey, body);
    expect(after.statusCode).toBe(201);
    expect(after.headers['idempotent-replayed']).toBeUndefined();
    expect(after.json<{ id: string }>().id).not.toBe(first.json<{ id: string }>().id);
    expect(await eventsOf(marketId)).toBe(before + 2);
  });

  it('answers a duplicate that arrives while the first runs with 409 in-progress, then replays', async () => {
    const key = randomUUID();
    const body = { name: 'Night market', date: '2026-11-28' };
    const before = await eventsOf(marketId);
    // Five copies at once: exactly one runs; each other gets its answer or "in progress".
    const answers = await Promise.all(Array.from({ length: 5 }, () => postEvent(key, body)));
    const created = answers.filter((a) => a.statusCode === 201);
    const busy = answers.filter((a) => a.statusCode === 409);
    expect(created.length + busy.length).toBe(5);
    expect(new Set(created.map((a) => a.json<{ id: string }>().id)).size).toBe(1);
    for (const a of busy) {
      expect(a.json<{ code: string }>().code).toBe('idempotency-key-in-progress');
      expect(a.headers['retry-after']).toBe('1');
    }
    expect(await eventsOf(marketId)).toBe(before + 1);

    // A claim held by a request still running (taken here directly) is reported as in progress.
    const held = randomUUID();
    const vendorId = owner.vendorId ?? '';
    const { requestFingerprint } = await import('./idempotency');
    await withTenant(h.db.app.prisma, vendorId, (tx) =>
      new IdempotencyKeysRepository(tx).claim({
        vendorId,
        key: held,
        method: 'POST',
        path: `/v1/markets/${marketId}/events`,
        requestHash: requestFingerprint({
          method: 'POST',
          url: `/v1/markets/${marketId}/events`,
          body,
        }),
        now: clock,
        ttlMs: 24 * 3_600_000,
        lockMs: 60_000,
      }),
    );
    const waiting = await postEvent(held, body);
    expect(waiting.statusCode).toBe(409);
    expect(waiting.json<{ code: string }>().code).toBe('idempotency-key-in-progress');
    // Its process died: after the lock lapses, a retry takes the key over and runs once.
    clock = new Date(clock.getTime() + 61_000);
    const takenOver = await postEvent(held, body);
    expect(takenOver.statusCode).toBe(201);
    expect(await eventsOf(marketId)).toBe(before + 2);
  });

  it('refuses a malformed key with 400 idempotency-key-invalid', async () => {
    const bad = await postEvent('x'.repeat(256), { name: 'Too long', date: '2026-11-28' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string }>().code).toBe('idempotency-key-invalid');
    const spaced = await postEvent('has space', { name: 'Spaced', date: '2026-11-28' });
    expect(spaced.json<{ code: string }>().code).toBe('idempotency-key-invalid');
  });

  it('does not keep 5xx answers: a retry after an outage runs again', async () => {
    const key = randomUUID();
    const body = { name: 'Outage fair', date: '2026-11-28' };
    const before = await eventsOf(marketId);
    // The events table refuses writes for a moment (the handler fails with a 500).
    await admin.query(
      `ALTER TABLE events ADD CONSTRAINT h4_block CHECK (name <> 'Outage fair') NOT VALID`,
    );
    try {
      const failed = await postEvent(key, body);
      expect(failed.statusCode).toBeGreaterThanOrEqual(500);
    } finally {
      await admin.query(`ALTER TABLE events DROP CONSTRAINT h4_block`);
    }
    const retried = await postEvent(key, body);
    expect(retried.statusCode, retried.body).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await eventsOf(marketId)).toBe(before + 1);
  });
});
