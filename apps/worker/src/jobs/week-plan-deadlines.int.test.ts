import { DEMO_VENDOR_ID, WeekPlanRepository, seedDemoVendor, withTenant } from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { WeekPlanner, WEEK_PLAN_NOTIFICATION_KINDS } from '@marketprep/planning';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWeekPlanDeadlinesHandler } from './week-plan-deadlines.handler';

// Sunday 2026-11-22 in Chicago: the demo's history ends the day before.
const START = new Date('2026-11-22T12:00:00Z');
let clock = START;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoVendor({ prisma: db.app.prisma, today: '2026-11-22', now: START });
}, 120_000);
afterAll(async () => {
  await db.drop();
});

const count = async (sql: string) =>
  Number((await db.adminQuery<{ n: string }>(sql, [DEMO_VENDOR_ID]))[0]?.n ?? 0);

describe('week-plan-deadlines job', () => {
  it('reminds once before the first deadline, then freezes at it, and a rerun changes nothing', async () => {
    const run = createWeekPlanDeadlinesHandler({ db: db.app, now: () => clock });
    const plan = await new WeekPlanner({ db: db.app, now: () => clock }).buildWeekPlan({
      vendorId: DEMO_VENDOR_ID,
      from: '2026-11-23',
    });
    const first = plan.products
      .flatMap((p) => p.days)
      .filter((d) => d.make > 0)
      .sort((a, b) => a.deadlineAt.localeCompare(b.deadlineAt))[0]!;
    const deadline = Date.parse(first.deadlineAt);

    clock = new Date(deadline - 2 * 3_600_000);
    expect(await run({}, { jobId: 'a' })).toMatchObject({ reminded: 1, frozen: 0 });
    expect(await run({}, { jobId: 'b' })).toMatchObject({ reminded: 0, frozen: 0 });
    const reminders = await count(
      `SELECT count(*) n FROM notifications WHERE vendor_id = $1 AND kind = '${WEEK_PLAN_NOTIFICATION_KINDS.deadlineReminder}'`,
    );
    expect(reminders).toBe(1);

    clock = new Date(deadline + 5 * 60_000);
    const frozenRun = (await run({}, { jobId: 'c' })) as { frozen: number };
    expect(frozenRun.frozen).toBeGreaterThan(0);
    const rows = await count(`SELECT count(*) n FROM week_plan_freezes WHERE vendor_id = $1`);
    expect(rows).toBe(frozenRun.frozen);
    expect(await run({}, { jobId: 'd' })).toMatchObject({ frozen: 0 });
    expect(await count(`SELECT count(*) n FROM week_plan_freezes WHERE vendor_id = $1`)).toBe(rows);
  }, 300_000);
});

describe('week-plan-deadlines: outlook alerts', () => {
  it('sends "outlook changed" once when a planned quantity moves beyond the threshold, and "all clear" when it comes back', async () => {
    const run = createWeekPlanDeadlinesHandler({ db: db.app, now: () => clock });
    // Friday noon in Chicago: Saturday is frozen (the first test), Sunday's deadline (Saturday
    // 18:00) is ahead.
    clock = new Date('2026-11-27T18:00:00Z');
    const planner = new WeekPlanner({ db: db.app, now: () => clock });
    const [plan] = await planner.duePlans(DEMO_VENDOR_ID, clock);
    const product = plan!.products.find((p) =>
      p.days.some((d) => !d.frozen && d.make >= 5 && d.date === '2026-11-29'),
    )!;
    const day = product.days.find((d) => d.date === '2026-11-29')!;
    await run({}, { jobId: 'o1' });
    // The plan did not move since the last run: nothing to say.
    expect(await run({}, { jobId: 'o2' })).toMatchObject({ outlook: 0 });
    const stored = await count(
      `SELECT count(*) n FROM week_plan_outlooks WHERE vendor_id = $1 AND market_date = '2026-11-29'`,
    );
    expect(stored).toBeGreaterThan(0);

    // A pre-order as large as the plan: make doubles (+100% > the default 20%).
    const order = await withTenant(db.app.prisma, DEMO_VENDOR_ID, (tx) =>
      new WeekPlanRepository(tx).createPreOrder({
        vendorId: DEMO_VENDOR_ID,
        productId: product.productId,
        marketId: day.marketId,
        customerName: 'Caterer',
        quantity: day.make,
        repeat: 'once',
        firstDate: day.date,
        untilDate: null,
        notes: null,
      }),
    );
    expect(await run({}, { jobId: 'o3' })).toMatchObject({ outlook: 1 });
    expect(await run({}, { jobId: 'o4' })).toMatchObject({ outlook: 0 });
    const changed = await db.adminQuery<{ title: string; body: string }>(
      `SELECT title, body FROM notifications WHERE vendor_id = $1 AND kind = '${WEEK_PLAN_NOTIFICATION_KINDS.outlookChanged}'`,
      [DEMO_VENDOR_ID],
    );
    expect(changed).toHaveLength(1);
    expect(changed[0]!.title).toBe(`The plan changed for ${day.marketName} on Sun, Nov 29`);
    expect(changed[0]!.body).toContain(
      `${product.productName}: make ${day.make * 2} instead of ${day.make}`,
    );

    // The order is cancelled: back to the plan, the all clear goes out once.
    await withTenant(db.app.prisma, DEMO_VENDOR_ID, (tx) =>
      new WeekPlanRepository(tx).deletePreOrder(order.id),
    );
    expect(await run({}, { jobId: 'o5' })).toMatchObject({ outlook: 1 });
    expect(await run({}, { jobId: 'o6' })).toMatchObject({ outlook: 0 });
    const clear = await db.adminQuery<{ title: string; body: string }>(
      `SELECT title, body FROM notifications WHERE vendor_id = $1 AND kind = '${WEEK_PLAN_NOTIFICATION_KINDS.allClear}'`,
      [DEMO_VENDOR_ID],
    );
    expect(clear).toHaveLength(1);
    expect(clear[0]!.body).toContain(
      `Back to plan: ${product.productName} ${day.make} (was ${day.make * 2})`,
    );
    // Routed like every alert: the outlook change asks for its email (default routes).
    const outbox = await count(
      `SELECT count(*) n FROM outbox WHERE job_name = 'deliver-email' AND payload->>'vendorId' = $1::text`,
    );
    expect(outbox).toBeGreaterThan(0);
  }, 300_000);
});

describe('week-plan-deadlines: long lead times', () => {
  it('reminds and freezes a product decided 10 days ahead at its own deadline', async () => {
    const run = createWeekPlanDeadlinesHandler({ db: db.app, now: () => clock });
    clock = new Date('2026-11-23T12:00:00Z');
    const planner = new WeekPlanner({ db: db.app, now: () => clock });
    const later = await planner.buildWeekPlan({ vendorId: DEMO_VENDOR_ID, from: '2026-11-30' });
    const product = later.products.find((p) =>
      p.days.some((d) => d.date === '2026-12-05' && d.make > 0),
    )!;
    const day = product.days.find((d) => d.date === '2026-12-05')!;
    await withTenant(db.app.prisma, DEMO_VENDOR_ID, (tx) =>
      tx.product.update({
        where: { id: product.productId },
        data: {
          planning: {
            batchSize: 1,
            standingMinimum: 0,
            marketMinimums: [],
            decisionDeadline: { daysBefore: 10, time: '09:00' },
            capacity: null,
          },
        },
      }),
    );
    // 09:00 in Chicago (UTC-6) ten days before Saturday, Dec 5: Wednesday, Nov 25, 15:00 UTC.
    const deadline = Date.parse('2026-11-25T15:00:00Z');
    const reminders = () =>
      db.adminQuery<{ body: string; data: { items: { date: string; product: string }[] } }>(
        `SELECT body, data FROM notifications WHERE vendor_id = $1 AND kind = '${WEEK_PLAN_NOTIFICATION_KINDS.deadlineReminder}' AND dedupe_key = $2`,
        [DEMO_VENDOR_ID, `week-plan-reminder:${new Date(deadline).toISOString()}`],
      );
    clock = new Date(deadline - 2 * 3_600_000);
    await run({}, { jobId: 'l1' });
    const [reminder] = await reminders();
    expect(reminder?.data.items).toContainEqual(
      expect.objectContaining({ date: '2026-12-05', product: product.productName }),
    );
    await run({}, { jobId: 'l2' });
    expect(await reminders()).toHaveLength(1);

    const frozenRows = () =>
      count(
        `SELECT count(*) n FROM week_plan_freezes WHERE vendor_id = $1 AND product_id = '${product.productId}' AND market_date = '2026-12-05'`,
      );
    clock = new Date(deadline - 60_000);
    await run({}, { jobId: 'l3' });
    expect(await frozenRows()).toBe(0);
    clock = new Date(deadline + 5 * 60_000);
    await run({}, { jobId: 'l4' });
    expect(await frozenRows()).toBe(1);
    expect(day.make).toBeGreaterThan(0);
  }, 300_000);
});
