import { DEMO_VENDOR_ID, seedDemoVendor } from '@marketprep/db';
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
