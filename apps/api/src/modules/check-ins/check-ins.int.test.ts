import { randomUUID } from 'node:crypto';
import {
  CheckInListSchema,
  CheckInReceiptSchema,
  CheckInSchema,
  CheckInStatsSchema,
} from '@marketprep/contracts';
import { withTenant } from '@marketprep/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { joinAs } from '../markets/catalog-test-helpers';
import { seedShop, type Shop } from './check-ins.fixtures';

// Sunday 2026-11-22, 14:00 in Chicago: yesterday's Saturday market is over.
const NOW = new Date('2026-11-22T20:00:00Z');
const SATURDAY = '2026-11-21';

let h: Harness;
let owner: Agent;
let other: Agent;
let shop: Shop;
let foreign: Shop;
let url: string;

const feedbackCount = (vendorId: string, marketDayId?: string) =>
  withTenant(h.db.app.prisma, vendorId, (tx) =>
    tx.feedback.count({ where: marketDayId ? { marketDayId } : {} }),
  );

const inviteStaff = (): Promise<Agent> => joinAs(h, owner, 'STAFF');

async function apiToken(scopes: ('read' | 'write')[]): Promise<string> {
  const created = await h.call(owner, 'POST', '/v1/api-tokens', { name: 'pos', scopes });
  expect(created.statusCode).toBe(201);
  return created.json<{ token: string }>().token;
}

function body(clientSubmissionId: string, overrides: Record<string, unknown>[] = []) {
  const lines = [
    {
      productId: shop.productIds.bread,
      brought: 42,
      sold: 35,
      leftOver: 7,
      wasted: 2,
      donated: 3,
      rating: 4,
      notes: 'rain after 11',
    },
    {
      productId: shop.productIds.croissant,
      brought: 30,
      sold: 30,
      leftOver: 0,
      wasted: 0,
      donated: 0,
      soldOutAt: '11:40',
    },
  ].map((line, i) => ({ ...line, ...(overrides[i] ?? {}) }));
  return { clientSubmissionId, lines };
}

beforeAll(async () => {
  h = await createHarness({ now: () => NOW });
  owner = await h.signup({ vendorName: 'Check-in Bakery' });
  other = await h.signup({ vendorName: 'Someone Else' });
  shop = await seedShop(h.db.app, owner.vendorId!, {
    market: {
      name: 'Riverside Saturday',
      boothFeeMinor: 5000,
      schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
    },
    products: [
      { key: 'bread', name: 'Bread', priceMinor: 800, unitCostMinor: 300, salvageValueMinor: 100 },
      {
        key: 'croissant',
        name: 'Croissant',
        priceMinor: 400,
        unitCostMinor: 150,
        salvageValueMinor: 0,
      },
      {
        key: 'muffin',
        name: 'Old Muffin',
        priceMinor: 300,
        unitCostMinor: 100,
        salvageValueMinor: 0,
        active: false,
      },
    ],
    days: [
      {
        date: SATURDAY,
        opensAt: '2026-11-21T14:00:00Z',
        closesAt: '2026-11-21T19:00:00Z',
        supersededPrep: [{ key: 'bread', quantity: 99, q50: 90 }],
        prep: [
          { key: 'bread', quantity: 40, override: 42, q50: 36 },
          { key: 'croissant', quantity: 30, q50: 28 },
        ],
        sales: [{ key: 'bread', quantity: 35, revenueMinor: 28_000 }],
      },
      { date: '2026-11-14' },
      { date: '2026-11-07', status: 'CANCELLED' },
    ],
  });
  foreign = await seedShop(h.db.app, other.vendorId!, {
    market: {
      name: 'Foreign Market',
      schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
    },
    products: [
      { key: 'pie', name: 'Pie', priceMinor: 1200, unitCostMinor: 500, salvageValueMinor: 0 },
    ],
    days: [{ date: SATURDAY }],
  });
  url = `/v1/markets/${shop.marketId}/check-ins/${SATURDAY}`;
});
afterAll(() => h.close());

describe('GET /v1/markets/:marketId/check-ins/:date', () => {
  it('prefills brought from the current prep list (override) and sold from sales data', async () => {
    const response = await h.call(owner, 'GET', url);
    expect(response.statusCode).toBe(200);
    const checkIn = CheckInSchema.parse(response.json());
    expect(checkIn).toMatchObject({
      marketId: shop.marketId,
      marketDayId: shop.dayIds[SATURDAY],
      date: SATURDAY,
      timezone: 'America/Chicago',
      opensAt: '2026-11-21T14:00:00.000Z',
      closesAt: '2026-11-21T19:00:00.000Z',
    });
    expect(checkIn.lines.map((l) => l.productName)).toEqual(['Bread', 'Croissant']);
    expect(checkIn.lines[0]).toMatchObject({
      brought: 42,
      sold: 35,
      recommendedQuantity: 42,
      salesQuantity: 35,
      prefilledFrom: { sold: 'sales', soldOutAt: null },
      leftOver: null,
      checkedIn: false,
    });
    expect(checkIn.lines[1]).toMatchObject({ brought: 30, sold: null, checkedIn: false });
  });

  it('offers a scheduled weekday that has no market day row yet, with schedule times', async () => {
    const response = await h.call(
      owner,
      'GET',
      `/v1/markets/${shop.marketId}/check-ins/2026-10-31`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      marketDayId: null,
      opensAt: '2026-10-31T13:00:00.000Z', // still daylight time (CDT, UTC-5)
      closesAt: '2026-10-31T18:00:00.000Z',
    });
  });

  it('answers 404 for a date without a market, a foreign market, and 400 for a bad date', async () => {
    expect(
      (await h.call(owner, 'GET', `/v1/markets/${shop.marketId}/check-ins/2026-11-17`)).statusCode,
    ).toBe(404);
    const foreignGet = await h.call(
      owner,
      'GET',
      `/v1/markets/${foreign.marketId}/check-ins/${SATURDAY}`,
    );
    expect(foreignGet.statusCode).toBe(404);
    expect(foreignGet.headers['content-type']).toContain('application/problem+json');
    expect(
      (await h.call(owner, 'GET', `/v1/markets/${shop.marketId}/check-ins/2026-02-30`)).statusCode,
    ).toBe(400);
    expect(
      (await h.call(owner, 'GET', `/v1/markets/not-a-uuid/check-ins/${SATURDAY}`)).statusCode,
    ).toBe(400);
  });

  it('answers 401 without credentials', async () => {
    const response = await h.call(null, 'GET', url);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ status: 401 });
  });
});

describe('PUT /v1/markets/:marketId/check-ins/:date', () => {
  const first = randomUUID();

  it('stores every line, converts a local sell-out time, requests a retrain', async () => {
    const response = await h.call(owner, 'PUT', url, body(first));
    expect(response.statusCode).toBe(200);
    const checkIn = CheckInSchema.parse(response.json());
    expect(checkIn.replayed).toBe(false);
    expect(checkIn.lines[0]).toMatchObject({
      productName: 'Bread',
      brought: 42,
      sold: 35,
      leftOver: 7,
      wasted: 2,
      donated: 3,
      rating: 4,
      notes: 'rain after 11',
      checkedIn: true,
      recommendedQuantity: 42,
    });
    // 11:40 in Chicago on 21 Nov (CST, UTC-6).
    expect(checkIn.lines[1]).toMatchObject({
      soldOutAt: '2026-11-21T17:40:00.000Z',
      leftOver: 0,
      checkedIn: true,
    });
    expect(await feedbackCount(owner.vendorId!)).toBe(2);
    const stored = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      tx.feedback.findMany({ select: { clientSubmissionId: true, submittedByUserId: true } }),
    );
    expect(stored.map((s) => s.clientSubmissionId).sort()).toEqual(
      [`${first}:${shop.productIds.bread}`, `${first}:${shop.productIds.croissant}`].sort(),
    );
    expect(stored.every((s) => s.submittedByUserId === owner.userId)).toBe(true);
    const outbox = await h.db.app.prisma.outboxMessage.findMany({
      where: { dedupeKey: `retrain:${owner.vendorId}` },
    });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      jobName: 'retrain-vendor',
      status: 'PENDING',
      payload: { vendorId: owner.vendorId },
    });
  });

  it('stores a submission replayed three times once, answering the same check-in', async () => {
    const before = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      tx.feedback.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: 'asc' } }),
    );
    const answers = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await h.call(owner, 'PUT', url, body(first));
      expect(response.statusCode).toBe(200);
      answers.push(CheckInSchema.parse(response.json()));
    }
    expect(answers.every((a) => a.replayed === true)).toBe(true);
    expect(answers[1]?.lines).toEqual(answers[0]?.lines);
    expect(answers[0]?.lines[0]).toMatchObject({ brought: 42, wasted: 2 });
    const after = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      tx.feedback.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: 'asc' } }),
    );
    expect(after).toEqual(before);
    expect(
      await h.db.app.prisma.outboxMessage.count({
        where: { dedupeKey: `retrain:${owner.vendorId}` },
      }),
    ).toBe(1);
    const audits = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      tx.auditLog.count({ where: { action: 'check_in.submitted', targetId: first } }),
    );
    expect(audits).toBe(1);
  });

  it('lets a newer submission replace the values; a late replay of the older one changes nothing', async () => {
    const newer = randomUUID();
    const response = await h.call(
      owner,
      'PUT',
      url,
      body(newer, [{ leftOver: 5, wasted: 1, donated: 4, sold: 37 }]),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json<{ lines: { leftOver: number }[] }>().lines[0]).toMatchObject({
      leftOver: 5,
      wasted: 1,
      donated: 4,
      sold: 37,
    });
    expect(await feedbackCount(owner.vendorId!)).toBe(2);

    const stale = await h.call(owner, 'PUT', url, body(first));
    expect(stale.statusCode).toBe(200);
    expect(stale.json()).toMatchObject({ replayed: true, lines: [{ leftOver: 5, wasted: 1 }, {}] });
    const bread = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      tx.feedback.findFirstOrThrow({ where: { productId: shop.productIds.bread } }),
    );
    expect(bread.wasted.toNumber()).toBe(1);
    expect(bread.clientSubmissionId).toBe(`${newer}:${shop.productIds.bread}`);
  });

  it('refuses the same clientSubmissionId on another market day (409)', async () => {
    const response = await h.call(
      owner,
      'PUT',
      `/v1/markets/${shop.marketId}/check-ins/2026-11-14`,
      body(first),
    );
    expect(response.statusCode).toBe(409);
    expect(await feedbackCount(owner.vendorId!, shop.dayIds['2026-11-14'])).toBe(0);
  });

  it('answers a short receipt with Prefer: return=minimal, storing the same lines', async () => {
    const target = `/v1/markets/${shop.marketId}/check-ins/2026-10-17`;
    const id = randomUUID();
    const response = await h.call(owner, 'PUT', target, body(id), {
      prefer: 'handling=lenient, return="minimal"',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['preference-applied']).toBe('return=minimal');
    const receipt = CheckInReceiptSchema.strict().parse(response.json());
    expect(receipt).toMatchObject({ marketId: shop.marketId, date: '2026-10-17', replayed: false });
    expect(receipt.written.map((w) => w.productId).sort()).toEqual(
      [shop.productIds.bread, shop.productIds.croissant].sort(),
    );
    // What the full answer shows is what the receipt's submission stored.
    const form = CheckInSchema.parse((await h.call(owner, 'GET', target)).json());
    expect(form.marketDayId).toBe(receipt.marketDayId);
    const bread = form.lines.find((l) => l.productId === shop.productIds.bread);
    expect(bread).toMatchObject({ checkedIn: true, brought: 42, leftOver: 7, wasted: 2 });
    expect(bread?.updatedAt).toBe(
      receipt.written.find((w) => w.productId === shop.productIds.bread)?.updatedAt,
    );
    // A replay: nothing written, said so.
    const replay = await h.call(owner, 'PUT', target, body(id), { prefer: 'return=minimal' });
    expect(CheckInReceiptSchema.parse(replay.json())).toMatchObject({
      marketDayId: receipt.marketDayId,
      replayed: true,
      written: [],
    });
    // Without the preference the whole form comes back.
    const full = await h.call(owner, 'PUT', target, body(id));
    expect(full.headers['preference-applied']).toBeUndefined();
    expect(CheckInSchema.parse(full.json()).replayed).toBe(true);
    // Leaves the day as it found it for the list and stats tests below.
    const admin = new pg.Client({ connectionString: h.db.adminUrl });
    await admin.connect();
    await admin.query('DELETE FROM feedback WHERE market_day_id = $1', [receipt.marketDayId]);
    await admin.end();
  });

  describe('validation: 4xx and nothing written', () => {
    const target = () => `/v1/markets/${shop.marketId}/check-ins/2026-11-14`;
    const cases: [string, Record<string, unknown>[], string][] = [
      ['wasted + donated > leftOver', [{ leftOver: 4, wasted: 3, donated: 2 }], 'lines.0.wasted'],
      ['sold > brought', [{ sold: 43 }], 'lines.0.sold'],
      ['leftOver > brought', [{ leftOver: 50, wasted: 0, donated: 0 }], 'lines.0.leftOver'],
      ['a negative number', [{}, { brought: -1 }], 'lines.1.brought'],
      ['more than 3 decimals', [{ brought: 42.0001 }], 'lines.0.brought'],
      ['soldOutAt with leftovers', [{ soldOutAt: '12:00' }], 'lines.0.soldOutAt'],
      ['rating 6', [{ rating: 6 }], 'lines.0.rating'],
      ['a bad sold-out time', [{}, { soldOutAt: '25:00' }], 'lines.1.soldOutAt'],
    ];
    it.each(cases)('400 for %s', async (_name, overrides, path) => {
      const response = await h.call(owner, 'PUT', target(), body(randomUUID(), overrides));
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json<{ errors: { path: string }[] }>();
      expect(problem.errors.map((e) => e.path)).toContain(path);
      expect(await feedbackCount(owner.vendorId!, shop.dayIds['2026-11-14'])).toBe(0);
    });

    it('400 for a duplicate product', async () => {
      const b = body(randomUUID());
      const response = await h.call(owner, 'PUT', target(), {
        ...b,
        lines: [b.lines[0], b.lines[0]],
      });
      expect(response.statusCode).toBe(400);
      expect(response.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
        'lines.1.productId',
      );
    });

    it('400 for a sold-out instant on another day, and for unknown fields', async () => {
      const otherDay = await h.call(
        owner,
        'PUT',
        target(),
        body(randomUUID(), [{}, { soldOutAt: '2026-11-15T17:00:00Z' }]),
      );
      expect(otherDay.statusCode).toBe(400);
      expect(otherDay.json()).toMatchObject({ errors: [{ path: 'lines.1.soldOutAt' }] });
      const extra = await h.call(owner, 'PUT', target(), {
        ...body(randomUUID()),
        vendorId: other.vendorId,
      });
      expect(extra.statusCode).toBe(400);
      expect(await feedbackCount(owner.vendorId!, shop.dayIds['2026-11-14'])).toBe(0);
    });

    it('404 naming an unknown or foreign product, with no line of the submission stored', async () => {
      const ghost = randomUUID();
      const unknown = await h.call(
        owner,
        'PUT',
        target(),
        body(randomUUID(), [{}, { productId: ghost }]),
      );
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json<{ detail: string }>().detail).toContain(ghost);
      const foreignProduct = await h.call(
        owner,
        'PUT',
        target(),
        body(randomUUID(), [{}, { productId: foreign.productIds.pie }]),
      );
      expect(foreignProduct.statusCode).toBe(404);
      expect(foreignProduct.json<{ detail: string }>().detail).toContain(foreign.productIds.pie);
      expect(await feedbackCount(owner.vendorId!, shop.dayIds['2026-11-14'])).toBe(0);
      expect(await feedbackCount(other.vendorId!)).toBe(0);
    });

    it("404 for another vendor's market, 404 off-schedule, 409 cancelled, 400 in the future", async () => {
      expect(
        (
          await h.call(
            owner,
            'PUT',
            `/v1/markets/${foreign.marketId}/check-ins/${SATURDAY}`,
            body(randomUUID()),
          )
        ).statusCode,
      ).toBe(404);
      expect(
        (
          await h.call(
            owner,
            'PUT',
            `/v1/markets/${shop.marketId}/check-ins/2026-11-18`,
            body(randomUUID()),
          )
        ).statusCode,
      ).toBe(404);
      expect(
        (
          await h.call(
            owner,
            'PUT',
            `/v1/markets/${shop.marketId}/check-ins/2026-11-07`,
            body(randomUUID()),
          )
        ).statusCode,
      ).toBe(409);
      expect(
        (
          await h.call(
            owner,
            'PUT',
            `/v1/markets/${shop.marketId}/check-ins/2026-11-28`,
            body(randomUUID()),
          )
        ).statusCode,
      ).toBe(400);
      expect(await feedbackCount(other.vendorId!)).toBe(0);
      const created = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
        tx.marketDay.count({ where: { date: new Date('2026-11-28T00:00:00Z') } }),
      );
      expect(created).toBe(0);
    });
  });

  it('creates the market day row for a scheduled weekday checked in for the first time', async () => {
    const response = await h.call(
      owner,
      'PUT',
      `/v1/markets/${shop.marketId}/check-ins/2026-10-31`,
      body(randomUUID(), [{}, { soldOutAt: '2026-10-31T16:10:00Z' }]),
    );
    expect(response.statusCode).toBe(200);
    const checkIn = CheckInSchema.parse(response.json());
    expect(checkIn.marketDayId).not.toBeNull();
    expect(checkIn.opensAt).toBe('2026-10-31T13:00:00.000Z');
    expect(checkIn.lines[1]?.soldOutAt).toBe('2026-10-31T16:10:00.000Z');
    expect(await feedbackCount(owner.vendorId!, checkIn.marketDayId!)).toBe(2);
  });

  it('applies one of several concurrent deliveries of the same submission', async () => {
    const target = `/v1/markets/${shop.marketId}/check-ins/2026-10-24`;
    // The market day exists (an earlier submission), so every delivery goes on to the writes.
    expect((await h.call(owner, 'PUT', target, body(randomUUID()))).statusCode).toBe(200);
    // Another connection holds that day's stored lines. The five deliveries go out in one batch,
    // which gives up on that lock wait (lock_timeout) and applies each delivery alone, as five
    // concurrent transactions (the path another API process's deliveries take too): each one's
    // line upsert waits after its replay check. Only the submission's lock keeps the other
    // deliveries from passing that check meanwhile; without it all five would write.
    const blocker = new pg.Client({ connectionString: h.db.adminUrl });
    const monitor = new pg.Client({ connectionString: h.db.adminUrl });
    await Promise.all([blocker.connect(), monitor.connect()]);
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        `SELECT 1 FROM feedback f JOIN market_days d ON d.id = f.market_day_id
          WHERE d.market_id = $1 AND d.date = '2026-10-24' FOR UPDATE OF f`,
        [shop.marketId],
      );
      const id = randomUUID();
      const delivered = Promise.all(
        Array.from({ length: 5 }, () => h.call(owner, 'PUT', target, body(id))),
      );
      const waiting = async () =>
        Number(
          (
            await monitor.query<{ n: string }>(
              `SELECT count(*) AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            )
          ).rows[0]?.n,
        );
      const deadline = Date.now() + 10_000;
      while ((await waiting()) < 5 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await waiting()).toBe(5);
      await blocker.query('COMMIT');
      const answers = await delivered;
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
      expect(
        answers.filter((a) => a.json<{ replayed: boolean }>().replayed === false),
      ).toHaveLength(1);
      const day = answers[0]!.json<{ marketDayId: string }>().marketDayId;
      expect(await feedbackCount(owner.vendorId!, day)).toBe(2);
      const audits = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
        tx.auditLog.count({ where: { action: 'check_in.submitted', targetId: id } }),
      );
      expect(audits).toBe(1);
    } finally {
      await blocker.end();
      await monitor.end();
    }
  });

  it("does not hold another business's check-in behind one waiting for a lock", async () => {
    // Check-ins are written in batches, one batch at a time per API process. A batch that waits
    // on a lock held elsewhere must give its turn up at once, or every business would wait.
    const businesses = await Promise.all(
      ['Locked Bakery', 'Free Farm'].map(async (vendorName) => {
        const agent = await h.signup({ vendorName });
        const seeded = await seedShop(h.db.app, agent.vendorId!, {
          market: { name: `${vendorName} market`, schedule: [] },
          products: [
            { key: 'pie', name: 'Pie', priceMinor: 1200, unitCostMinor: 500, salvageValueMinor: 0 },
          ],
          days: [{ date: SATURDAY }],
        });
        const submit = () =>
          h.call(agent, 'PUT', `/v1/markets/${seeded.marketId}/check-ins/${SATURDAY}`, {
            clientSubmissionId: randomUUID(),
            lines: [
              { productId: seeded.productIds.pie, brought: 5, leftOver: 1, wasted: 0, donated: 0 },
            ],
          });
        return { marketId: seeded.marketId, submit };
      }),
    );
    const [locked, free] = businesses as [(typeof businesses)[0], (typeof businesses)[0]];
    expect((await locked.submit()).statusCode).toBe(200);
    const blocker = new pg.Client({ connectionString: h.db.adminUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        `SELECT 1 FROM feedback f JOIN market_days d ON d.id = f.market_day_id
          WHERE d.market_id = $1 FOR UPDATE OF f`,
        [locked.marketId],
      );
      let blockedSettled = false;
      const blocked = locked.submit().then((answer) => {
        blockedSettled = true;
        return answer;
      });
      // Well before the pool's statement timeout (15 s) would free the turn anyway.
      const started = Date.now();
      expect((await free.submit()).statusCode).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(blockedSettled).toBe(false);
      await blocker.query('COMMIT');
      expect((await blocked).statusCode).toBe(200);
    } finally {
      await blocker.end();
    }
  });

  describe('who may submit', () => {
    it('401 anonymously; 403 without the CSRF header; 403 for a read-only API token', async () => {
      expect((await h.call(null, 'PUT', url, body(randomUUID()))).statusCode).toBe(401);
      const noCsrf = await h.app.inject({
        method: 'PUT',
        url,
        payload: body(randomUUID()),
        headers: { cookie: owner.cookie },
      });
      expect(noCsrf.statusCode).toBe(403);
      const readOnly = await apiToken(['read']);
      const refused = await h.call(null, 'PUT', url, body(randomUUID()), {
        authorization: `Bearer ${readOnly}`,
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ status: 403 });
      // The read-only token may read.
      expect(
        (await h.call(null, 'GET', url, undefined, { authorization: `Bearer ${readOnly}` }))
          .statusCode,
      ).toBe(200);
    });

    it('lets a write-scoped API token and a staff member check in', async () => {
      const writer = await apiToken(['write']);
      const byToken = await h.call(null, 'PUT', url, body(randomUUID(), [{ rating: 2 }]), {
        authorization: `Bearer ${writer}`,
      });
      expect(byToken.statusCode).toBe(200);
      expect(byToken.json()).toMatchObject({ replayed: false, lines: [{ rating: 2 }, {}] });
      const row = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
        tx.feedback.findFirstOrThrow({
          where: { productId: shop.productIds.bread, marketDayId: shop.dayIds[SATURDAY] },
        }),
      );
      expect(row.submittedByUserId).toBeNull();

      const staff = await inviteStaff();
      const byStaff = await h.call(staff, 'PUT', url, body(randomUUID(), [{ rating: 5 }]));
      expect(byStaff.statusCode).toBe(200);
      expect(byStaff.json()).toMatchObject({ lines: [{ rating: 5 }, {}] });
      expect((await h.call(staff, 'GET', '/v1/check-ins')).statusCode).toBe(200);
    });
  });
});

describe('GET /v1/check-ins', () => {
  it('lists market days with a check-in, newest first, with totals and cursor pages', async () => {
    const response = await h.call(owner, 'GET', '/v1/check-ins');
    expect(response.statusCode).toBe(200);
    const list = CheckInListSchema.parse(response.json());
    expect(list.data.map((d) => d.date)).toEqual([SATURDAY, '2026-10-31', '2026-10-24']);
    expect(list.data[0]).toMatchObject({
      marketId: shop.marketId,
      marketName: 'Riverside Saturday',
      products: 2,
      brought: 72,
      sold: 65,
      leftOver: 7,
      wasted: 2,
      donated: 3,
      soldOutProducts: 1,
    });
    expect(list.nextCursor).toBeNull();

    const page1 = CheckInListSchema.parse(
      (await h.call(owner, 'GET', '/v1/check-ins?limit=1')).json(),
    );
    expect(page1.data.map((d) => d.date)).toEqual([SATURDAY]);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = CheckInListSchema.parse(
      (await h.call(owner, 'GET', `/v1/check-ins?limit=1&cursor=${page1.nextCursor}`)).json(),
    );
    expect(page2.data.map((d) => d.date)).toEqual(['2026-10-31']);
    const page3 = CheckInListSchema.parse(
      (await h.call(owner, 'GET', `/v1/check-ins?limit=1&cursor=${page2.nextCursor}`)).json(),
    );
    expect(page3.data.map((d) => d.date)).toEqual(['2026-10-24']);
    expect(page3.nextCursor).toBeNull();

    const ranged = CheckInListSchema.parse(
      (
        await h.call(
          owner,
          'GET',
          `/v1/check-ins?marketId=${shop.marketId}&from=2026-11-01&to=2026-11-30`,
        )
      ).json(),
    );
    expect(ranged.data.map((d) => d.date)).toEqual([SATURDAY]);
  });

  it('400 for a bad cursor, a reversed or too long range, a bad limit; 404 foreign market', async () => {
    expect((await h.call(owner, 'GET', '/v1/check-ins?cursor=bm9wZQ')).statusCode).toBe(400);
    expect(
      (await h.call(owner, 'GET', '/v1/check-ins?from=2026-11-10&to=2026-11-01')).statusCode,
    ).toBe(400);
    expect(
      (await h.call(owner, 'GET', '/v1/check-ins?from=2020-01-01&to=2026-11-01')).statusCode,
    ).toBe(400);
    expect((await h.call(owner, 'GET', '/v1/check-ins?limit=0')).statusCode).toBe(400);
    expect(
      (await h.call(owner, 'GET', `/v1/check-ins?marketId=${foreign.marketId}`)).statusCode,
    ).toBe(404);
    expect((await h.call(null, 'GET', '/v1/check-ins')).statusCode).toBe(401);
  });

  it("never shows another vendor's check-ins", async () => {
    const list = CheckInListSchema.parse((await h.call(other, 'GET', '/v1/check-ins')).json());
    expect(list.data).toEqual([]);
  });
});

describe('GET /v1/check-ins/stats', () => {
  let stats: Agent;
  let s: Shop;

  beforeAll(async () => {
    stats = await h.signup({ vendorName: 'Stats Farm' });
    s = await seedShop(h.db.app, stats.vendorId!, {
      market: {
        name: 'Stats Market',
        schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
      },
      products: [
        { key: 'p', name: 'Peaches', priceMinor: 500, unitCostMinor: 200, salvageValueMinor: 50 },
        { key: 'q', name: 'Quince', priceMinor: 300, unitCostMinor: 100, salvageValueMinor: 0 },
      ],
      days: [
        // Outside the 56-day window: must not count.
        {
          date: '2026-09-05',
          prep: [{ key: 'p', quantity: 100, q50: 100 }],
          feedback: [{ key: 'p', brought: 100, sold: 10, leftOver: 90, wasted: 90, donated: 0 }],
        },
        // No prep list: counts for waste and sell-outs, not for accuracy.
        {
          date: '2026-10-31',
          feedback: [{ key: 'p', brought: 10, sold: 9, leftOver: 1, wasted: 1, donated: 0 }],
        },
        // Error +5.
        {
          date: '2026-11-07',
          prep: [{ key: 'p', quantity: 20, q50: 18 }],
          feedback: [
            { key: 'p', brought: 20, sold: 15, leftOver: 5, wasted: 3, donated: 2 },
            // Sold out without a prep list: censored, no money figure.
            { key: 'q', brought: 10, sold: 10, leftOver: 0, wasted: 0, donated: 0 },
          ],
        },
        // Sold out (censored): P50 25 - sold 22 = 3 missed units x (500 - 200).
        {
          date: '2026-11-14',
          prep: [{ key: 'p', quantity: 20, override: 22, q50: 25 }],
          feedback: [
            {
              key: 'p',
              brought: 22,
              sold: 22,
              leftOver: 0,
              wasted: 0,
              donated: 0,
              soldOutAt: '2026-11-14T17:30:00Z',
            },
          ],
        },
        // Sold unknown in the check-in: taken from sales data (10). Error +6.
        {
          date: '2026-11-21',
          prep: [{ key: 'p', quantity: 16, q50: 15 }],
          sales: [{ key: 'p', quantity: 10, revenueMinor: 5000 }],
          feedback: [{ key: 'p', brought: 16, sold: null, leftOver: 6, wasted: 4, donated: 0 }],
        },
      ],
    });
  });

  it('computes exact figures per product and per market', async () => {
    const response = await h.call(stats, 'GET', '/v1/check-ins/stats');
    expect(response.statusCode).toBe(200);
    const body = CheckInStatsSchema.parse(response.json());
    expect(body.days).toBe(56);
    const peaches = body.products.find((p) => p.productName === 'Peaches');
    expect(peaches).toEqual({
      marketId: s.marketId,
      marketName: 'Stats Market',
      productId: s.productIds.p,
      productName: 'Peaches',
      marketDays: 4,
      accuracyDays: 2,
      censoredDays: 1,
      meanAbsoluteError: 5.5,
      bias: 5.5,
      wasteRate: 0.1176, // 8 / 68
      sellOutRate: 0.25,
      brought: 68,
      sold: 56,
      wasted: 8,
      donated: 2,
      moneyLeftOnTableMinor: 900,
      wasteCostMinor: 1200, // 8 x (200 - 50)
    });
    expect(body.products.find((p) => p.productName === 'Quince')).toMatchObject({
      marketDays: 1,
      accuracyDays: 0,
      censoredDays: 1,
      meanAbsoluteError: null,
      bias: null,
      sellOutRate: 1,
      wasteRate: 0,
      moneyLeftOnTableMinor: 0,
    });
    expect(body.markets).toEqual([
      expect.objectContaining({
        marketId: s.marketId,
        from: '2026-09-28',
        to: '2026-11-22',
        marketDays: 4,
        accuracyDays: 2,
        censoredDays: 2,
        sellOutRate: 0.4,
        wasteRate: 0.1026, // 8 / 78
        brought: 78,
        moneyLeftOnTableMinor: 900,
        wasteCostMinor: 1200,
      }),
    ]);
  });

  it('filters by product and window', async () => {
    const body = CheckInStatsSchema.parse(
      (
        await h.call(stats, 'GET', `/v1/check-ins/stats?productId=${s.productIds.q}&days=365`)
      ).json(),
    );
    expect(body.products.map((p) => p.productName)).toEqual(['Quince']);
    const year = CheckInStatsSchema.parse(
      (await h.call(stats, 'GET', `/v1/check-ins/stats?marketId=${s.marketId}&days=365`)).json(),
    );
    expect(year.products.find((p) => p.productName === 'Peaches')?.marketDays).toBe(5);
  });

  it('400 for days out of range; 404 for foreign ids; 401 anonymous', async () => {
    expect((await h.call(stats, 'GET', '/v1/check-ins/stats?days=0')).statusCode).toBe(400);
    expect((await h.call(stats, 'GET', '/v1/check-ins/stats?days=abc')).statusCode).toBe(400);
    expect(
      (await h.call(stats, 'GET', `/v1/check-ins/stats?marketId=${shop.marketId}`)).statusCode,
    ).toBe(404);
    expect(
      (await h.call(stats, 'GET', `/v1/check-ins/stats?productId=${shop.productIds.bread}`))
        .statusCode,
    ).toBe(404);
    expect((await h.call(null, 'GET', '/v1/check-ins/stats')).statusCode).toBe(401);
  });
});

describe('dates', () => {
  it('refuses dates outside 1970..2999 with a 400', async () => {
    expect(
      (await h.call(owner, 'GET', `/v1/markets/${shop.marketId}/check-ins/0000-01-01`)).statusCode,
    ).toBe(400);
    expect((await h.call(owner, 'GET', '/v1/insights/sales?to=1970-01-05')).statusCode).toBe(200);
  });
});
