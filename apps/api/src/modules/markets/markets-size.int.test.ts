// A new market starts from what the vendor knows (issue 13, item 5): the owner's size of a market,
// "about half of Riverside", stored with the market, read back, kept by a PATCH that does not
// mention it, and refused (writing nothing) when it names a market the vendor cannot compare with.
import { randomUUID } from 'node:crypto';
import { MarketListSchema, MarketSchema, type Market } from '@marketprep/contracts';
import { withTenant } from '@marketprep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { createMarket, expectProblem } from './catalog-test-helpers';

const NOW = new Date('2026-11-22T15:00:00Z');

let h: Harness;
let owner: Agent;
let stranger: Agent;
let riverside: Market;

async function getMarket(id: string, agent = owner): Promise<Market> {
  const response = await h.call(agent, 'GET', `/v1/markets/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return MarketSchema.parse(response.json());
}

/** What is really stored, row-level security aside. */
async function storedSize(id: string) {
  const rows = await h.db.adminQuery<{ ref: string | null; scale: string | null }>(
    'SELECT size_reference_market_id AS ref, size_scale::text AS scale FROM markets WHERE id = $1',
    [id],
  );
  return rows[0];
}

beforeAll(async () => {
  h = await createHarness({ now: () => NOW, rateLimit: false });
  owner = await h.signup({ vendorName: 'Half Size Farm' });
  stranger = await h.signup({ vendorName: 'Other Farm' });
  riverside = await createMarket(h, owner, { name: 'Riverside' });
});
afterAll(() => h.close());

describe("a market's expectedSize", () => {
  it('is null unless given', async () => {
    expect(riverside.expectedSize).toBeNull();
    expect((await getMarket(riverside.id)).expectedSize).toBeNull();
  });

  it('is stored on create, read back by GET and the list, and kept by a fee PATCH', async () => {
    const size = { referenceMarketId: riverside.id, scale: 0.5 };
    const created = await createMarket(h, owner, { expectedSize: size });
    expect(created.expectedSize).toEqual(size);
    expect(await storedSize(created.id)).toEqual({ ref: riverside.id, scale: '0.50' });
    expect((await getMarket(created.id)).expectedSize).toEqual(size);
    const list = MarketListSchema.parse((await h.call(owner, 'GET', '/v1/markets')).json());
    expect(list.data.find((m) => m.id === created.id)?.expectedSize).toEqual(size);
    expect(list.data.find((m) => m.id === riverside.id)?.expectedSize).toBeNull();

    const patched = await h.call(owner, 'PATCH', `/v1/markets/${created.id}`, {
      boothFeeMinor: 7000,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(MarketSchema.parse(patched.json())).toMatchObject({
      boothFeeMinor: 7000,
      expectedSize: size,
    });
    expect((await getMarket(created.id)).expectedSize).toEqual(size);
  });

  it('is changed and cleared by a PATCH that sends it', async () => {
    const market = await createMarket(h, owner);
    expect(market.expectedSize).toBeNull();
    const set = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, {
      expectedSize: { referenceMarketId: riverside.id, scale: 1.25 },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(MarketSchema.parse(set.json()).expectedSize).toEqual({
      referenceMarketId: riverside.id,
      scale: 1.25,
    });
    expect(await storedSize(market.id)).toEqual({ ref: riverside.id, scale: '1.25' });

    const cleared = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, {
      expectedSize: null,
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(MarketSchema.parse(cleared.json()).expectedSize).toBeNull();
    expect(await storedSize(market.id)).toEqual({ ref: null, scale: null });
  });

  it("refuses another vendor's market, an unknown id, an archived market and itself, writing nothing", async () => {
    const theirs = await createMarket(h, stranger);
    const archived = await createMarket(h, owner);
    expect((await h.call(owner, 'DELETE', `/v1/markets/${archived.id}`)).statusCode).toBe(204);
    const size = { referenceMarketId: riverside.id, scale: 0.5 };
    const market = await createMarket(h, owner, { expectedSize: size });

    for (const referenceMarketId of [theirs.id, randomUUID(), archived.id, market.id]) {
      const patch = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, {
        boothFeeMinor: 1,
        expectedSize: { referenceMarketId, scale: 2 },
      });
      const problem = expectProblem(patch, 400);
      expect(problem.errors?.[0]?.path, referenceMarketId).toBe('expectedSize.referenceMarketId');
      expect(problem.detail).toMatch(
        referenceMarketId === market.id ? /cannot be sized from itself/ : /another of your active/,
      );

      const name = `Refused ${randomUUID().slice(0, 8)}`;
      const create = await h.call(owner, 'POST', '/v1/markets', {
        name,
        latitude: 41.9,
        longitude: -87.6,
        timezone: 'America/Chicago',
        countryCode: 'US',
        expectedSize: { referenceMarketId, scale: 2 },
      });
      if (referenceMarketId !== market.id) {
        expect(expectProblem(create, 400).errors?.[0]?.path).toBe('expectedSize.referenceMarketId');
      } else {
        // Sized from another existing market: a create names no id of its own, so this one is fine.
        expect(create.statusCode).toBe(201);
        continue;
      }
      const created = await h.db.adminQuery('SELECT id FROM markets WHERE name = $1', [name]);
      expect(created).toEqual([]);
    }
    // Nothing written: neither the fee nor the size changed.
    const after = await getMarket(market.id);
    expect(after.boothFeeMinor).toBe(5000);
    expect(after.expectedSize).toEqual(size);
    expect(after.updatedAt).toBe(market.updatedAt);
    // The other vendor's market is still theirs and unsized.
    expect((await getMarket(theirs.id, stranger)).expectedSize).toBeNull();
  });

  it('refuses a scale outside 0.1-5 or with more than two decimals, and half a size', async () => {
    const market = await createMarket(h, owner);
    for (const expectedSize of [
      { referenceMarketId: riverside.id, scale: 0.05 },
      { referenceMarketId: riverside.id, scale: 5.5 },
      { referenceMarketId: riverside.id, scale: 0.333 },
      { referenceMarketId: riverside.id },
      { scale: 0.5 },
      { referenceMarketId: 'riverside', scale: 0.5 },
    ]) {
      const patch = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, { expectedSize });
      expect(expectProblem(patch, 400).errors?.[0]?.path).toMatch(/^expectedSize/);
    }
    expect(await storedSize(market.id)).toEqual({ ref: null, scale: null });
  });

  it('is cleared when its reference is archived (the market starts from the smallest again)', async () => {
    const reference = await createMarket(h, owner);
    const sized = await createMarket(h, owner, {
      expectedSize: { referenceMarketId: reference.id, scale: 0.75 },
    });
    const unrelated = await createMarket(h, owner, {
      expectedSize: { referenceMarketId: riverside.id, scale: 0.75 },
    });
    expect((await h.call(owner, 'DELETE', `/v1/markets/${reference.id}`)).statusCode).toBe(204);
    const after = await getMarket(sized.id);
    expect(after.expectedSize).toBeNull();
    // Its prep lists are recomputed: the planner's inputs hash holds the market's updatedAt.
    expect(after.updatedAt).not.toBe(sized.updatedAt);
    expect((await getMarket(unrelated.id)).expectedSize).toEqual({
      referenceMarketId: riverside.id,
      scale: 0.75,
    });
    const audit = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      tx.auditLog.findFirst({
        where: { targetId: reference.id, action: 'market.archived' },
        select: { metadata: true },
      }),
    );
    expect(audit?.metadata).toEqual({ sizeClearedFrom: [sized.id] });
  });
});

describe('the stored size', () => {
  it('is checked by the database too: pairs, range, never itself, same vendor only', async () => {
    const market = await createMarket(h, owner);
    const theirs = await createMarket(h, stranger);
    const attempts = [
      `UPDATE markets SET size_reference_market_id = '${riverside.id}' WHERE id = $1`,
      `UPDATE markets SET size_scale = 0.5 WHERE id = $1`,
      `UPDATE markets SET size_reference_market_id = id, size_scale = 0.5 WHERE id = $1`,
      `UPDATE markets SET size_reference_market_id = '${riverside.id}', size_scale = 6 WHERE id = $1`,
      `UPDATE markets SET size_reference_market_id = '${theirs.id}', size_scale = 0.5 WHERE id = $1`,
    ];
    for (const sql of attempts) {
      await expect(h.db.adminQuery(sql, [market.id]), sql).rejects.toThrow(
        /violates (check|foreign key) constraint "markets_(size_|vendor_id_size)/,
      );
    }
    expect(await storedSize(market.id)).toEqual({ ref: null, scale: null });
  });

  it('does not stand in the way of erasing a vendor whose markets size each other', async () => {
    const erased = await h.signup({ vendorName: 'Erased Farm' });
    const a = await createMarket(h, erased);
    const b = await createMarket(h, erased, {
      expectedSize: { referenceMarketId: a.id, scale: 2 },
    });
    const patched = await h.call(erased, 'PATCH', `/v1/markets/${a.id}`, {
      expectedSize: { referenceMarketId: b.id, scale: 0.5 },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    await h.db.adminQuery('DELETE FROM vendors WHERE id = $1', [erased.vendorId]);
    expect(
      await h.db.adminQuery('SELECT id FROM markets WHERE id = ANY($1::uuid[])', [[a.id, b.id]]),
    ).toEqual([]);
  });
});
