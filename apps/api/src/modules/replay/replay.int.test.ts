// "Your last season, replayed" through the API: asking for a replay, and reading the newest one
// from the list (an empty list before the first, where `/latest` answers 404). The replay itself
// runs in the worker (apps/worker/src/jobs/replay-vendor.int.test.ts).
import { ReplayRunListSchema, ReplayRunSchema } from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { joinAs } from '../markets/catalog-test-helpers';

let h: Harness;
let owner: Agent;
let staff: Agent;
let other: Agent;

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup({ vendorName: 'Replay Bakery' });
  other = await h.signup({ vendorName: 'Other Bakery' });
  staff = await joinAs(h, owner, 'STAFF');
});
afterAll(() => h.close());

describe('/v1/replays', () => {
  it('lists no replay before the first (200, not the 404 of /latest)', async () => {
    const list = await h.call(owner, 'GET', '/v1/replays?limit=1');
    expect(list.statusCode, list.body).toBe(200);
    expect(ReplayRunListSchema.parse(list.json())).toEqual({ data: [], nextCursor: null });
    expect((await h.call(owner, 'GET', '/v1/replays/latest')).statusCode).toBe(404);
  });

  it('lists the queued replay for the team, newest first; a second ask answers the same', async () => {
    const asked = await h.call(owner, 'POST', '/v1/replays', { months: 6 });
    expect(asked.statusCode, asked.body).toBe(202);
    const run = ReplayRunSchema.parse(asked.json());
    expect(run).toMatchObject({ status: 'pending', months: 6, progress: 0, result: null });
    const again = await h.call(owner, 'POST', '/v1/replays', { months: 12 });
    expect(again.statusCode).toBe(200);
    expect(ReplayRunSchema.parse(again.json()).id).toBe(run.id);

    for (const reader of [owner, staff]) {
      const list = ReplayRunListSchema.parse(
        (await h.call(reader, 'GET', '/v1/replays?limit=1')).json(),
      );
      expect(list.data).toEqual([run]);
      expect(list.nextCursor).toBeNull();
      expect(
        ReplayRunSchema.parse((await h.call(reader, 'GET', '/v1/replays/latest')).json()),
      ).toEqual(run);
    }
    // Staff read; only an owner asks for a replay.
    expect((await h.call(staff, 'POST', '/v1/replays', {})).statusCode).toBe(403);
    // Another business sees none of it.
    expect(
      ReplayRunListSchema.parse((await h.call(other, 'GET', '/v1/replays')).json()).data,
    ).toEqual([]);
  });

  it('400 for a page size or cursor it did not issue; 401 signed out', async () => {
    expect((await h.call(owner, 'GET', '/v1/replays?limit=0')).statusCode).toBe(400);
    expect((await h.call(owner, 'GET', '/v1/replays?limit=abc')).statusCode).toBe(400);
    expect((await h.call(owner, 'GET', '/v1/replays?cursor=nope')).statusCode).toBe(400);
    expect((await h.call(null, 'GET', '/v1/replays')).statusCode).toBe(401);
  });
});
