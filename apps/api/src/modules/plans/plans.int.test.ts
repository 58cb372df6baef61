import {
  PreOrderSchema,
  PrepListSchema,
  ProductSchema,
  WeekPlanSchema,
  type PreOrder,
  type Product,
  type WeekPlan,
} from '@marketprep/contracts';
import { DEMO_VENDOR_ID, withTenant } from '@marketprep/db';
import { randomUUID } from 'node:crypto';
import { WeekPlanner, WEEK_PLAN_NOTIFICATION_KINDS } from '@marketprep/planning';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, seedAndSignInDemo, type Agent, type Harness } from '../../testing/harness';

// Sunday 2026-11-22 in Chicago: the demo's history ends yesterday; the plan is for the week after.
const TODAY = '2026-11-22';
const FROM = '2026-11-23';
const START = new Date('2026-11-22T12:00:00Z');
let clock = START;

let h: Harness;
let demo: Agent;

const inDemo = <T>(fn: Parameters<typeof withTenant<T>>[2]) =>
  withTenant(h.db.app.prisma, DEMO_VENDOR_ID, fn);

async function getPlan(from = FROM): Promise<WeekPlan> {
  const response = await h.call(demo, 'GET', `/v1/plans/week?from=${from}`);
  expect(response.statusCode, response.body).toBe(200);
  return WeekPlanSchema.parse(response.json());
}

async function patchProduct(id: string, body: unknown): Promise<Product> {
  const response = await h.call(demo, 'PATCH', `/v1/products/${id}`, body);
  expect(response.statusCode, response.body).toBe(200);
  return ProductSchema.parse(response.json());
}

const cellOf = (plan: WeekPlan, productId: string, marketDayId: string) =>
  plan.products
    .find((p) => p.productId === productId)
    ?.days.find((d) => d.marketDayId === marketDayId);

beforeAll(async () => {
  h = await createHarness({ now: () => clock });
  demo = await seedAndSignInDemo(h, { today: TODAY, now: START });
  // No kept stock from the demo's last check-ins, so "bring" and "make" compare one to one.
  await inDemo((tx) => tx.feedback.updateMany({ data: { leftOver: 0, wasted: 0, donated: 0 } }));
}, 240_000);
afterAll(() => h.close());

describe('GET /v1/plans/week', () => {
  let plan: WeekPlan;

  it('equals the sum of its prep lists when nothing limits it', async () => {
    plan = await getPlan();
    expect(plan.from).toBe(FROM);
    expect(plan.to).toBe('2026-11-29');
    expect(plan.marketDays.length).toBeGreaterThanOrEqual(2);
    let listTotal = 0;
    for (const day of plan.marketDays) {
      const response = await h.call(
        demo,
        'GET',
        `/v1/markets/${day.marketId}/prep-lists/${day.date}`,
      );
      expect(response.statusCode, response.body).toBe(200);
      const list = PrepListSchema.parse(response.json());
      listTotal += list.totals.effectiveQuantity;
      for (const line of list.lines) {
        const cell = cellOf(plan, line.productId, day.marketDayId);
        const counted = line.availability.inSeason && line.modelRung !== 'out-of-season';
        expect(cell?.bring ?? 0, `${line.productName} ${day.date}`).toBe(
          counted ? line.effectiveQuantity : 0,
        );
        // Nothing was kept before the week: what it carries is an earlier day's expected leftover.
        if (cell) expect(cell.make).toBe(cell.bring - cell.carriedExpected);
        if (cell) expect(cell.carriedOver).toBe(cell.carriedExpected);
      }
    }
    const carried = plan.products.flatMap((p) => p.days).reduce((s, d) => s + d.carriedOver, 0);
    expect(plan.totals.bring).toBe(listTotal);
    expect(plan.totals.make).toBe(listTotal - carried);
    // Jam and honey keep: the Sunday after a Saturday makes less by what Saturday leaves.
    expect(carried).toBeGreaterThan(0);
    expect(plan.products.every((p) => p.totalCut === 0 && p.cutNote === null)).toBe(true);
    // The first read trains the demo's model and computes each day's prep list.
  }, 240_000);

  it('changes nothing with a loose capacity', async () => {
    const product = plan.products.find((p) => p.totalMake > 0)!;
    await patchProduct(product.productId, {
      planning: {
        batchSize: 1,
        standingMinimum: 0,
        marketMinimums: [],
        decisionDeadline: null,
        capacity: { units: product.totalMake + 50, period: 'week' },
      },
    });
    const again = await getPlan();
    expect(again.products.find((p) => p.productId === product.productId)?.days).toEqual(
      product.days,
    );
  });

  it('shares a short capacity across the week in whole batches and says what was cut where', async () => {
    const product = plan.products
      .filter((p) => p.days.filter((d) => d.make > 0).length >= 2)
      .sort((a, b) => b.totalMake - a.totalMake)[0]!;
    const capacity = Math.floor(product.totalMake * 0.6);
    const updated = await patchProduct(product.productId, {
      planning: {
        batchSize: 4,
        standingMinimum: 0,
        marketMinimums: [],
        decisionDeadline: { daysBefore: 1, time: '20:00' },
        capacity: { units: capacity, period: 'week' },
      },
    });
    expect(updated.planning?.capacity).toEqual({ units: capacity, period: 'week' });
    const tight = (await getPlan()).products.find((p) => p.productId === product.productId)!;
    expect(tight.capacityBound).toBe(true);
    expect(tight.totalMake).toBeLessThanOrEqual(capacity);
    expect(tight.totalMake).toBeGreaterThan(capacity - 4);
    expect(tight.totalCut).toBeGreaterThan(0);
    for (const day of tight.days) expect(day.make % 4).toBe(0);
    expect(tight.cutNote).toMatch(/fewer for/);
    // The deadline is the evening before at 20:00 in the market's zone (Chicago: UTC-6 in November).
    const first = tight.days[0]!;
    const zone = plan.marketDays.find((d) => d.marketDayId === first.marketDayId)!.timezone;
    expect(zone).toBe('America/Chicago');
    // 20:00 CST the evening before = 02:00 UTC on the market date.
    expect(first.deadlineAt).toBe(`${first.date}T02:00:00.000Z`);
  });

  it('adds a weekly pre-order exactly on top and refuses a date that is not a market day', async () => {
    const product = plan.products.find(
      (p) => p.capacity === null && p.days.some((d) => d.make > 0),
    )!;
    const day = product.days.find((d) => d.make > 0)!;
    const created = await h.call(demo, 'POST', '/v1/pre-orders', {
      productId: product.productId,
      marketId: day.marketId,
      customerName: 'Ana',
      quantity: 5,
      repeat: 'weekly',
      firstDate: day.date,
    });
    expect(created.statusCode, created.body).toBe(201);
    const after = cellOf(await getPlan(), product.productId, day.marketDayId)!;
    expect(after.preOrders).toBe(5);
    expect(after.bring).toBe(day.bring + 5);

    const wrongDay = await h.call(demo, 'POST', '/v1/pre-orders', {
      productId: product.productId,
      marketId: day.marketId,
      customerName: 'Ben',
      quantity: 1,
      firstDate: '2026-11-24',
    });
    expect(wrongDay.statusCode).toBe(400);
    expect(wrongDay.headers['content-type']).toContain('application/problem+json');
    const listed = await h.call(demo, 'GET', `/v1/pre-orders?from=${FROM}&to=2026-11-29`);
    expect(listed.json<{ data: unknown[] }>().data).toHaveLength(1);
  });

  it('plans without a pickup marked as missed, and with it again once it is marked picked up', async () => {
    const listed = await h.call(demo, 'GET', `/v1/pre-orders?from=${FROM}&to=2026-11-29`);
    const order = listed.json<{ data: PreOrder[] }>().data[0]!;
    const before = await getPlan();
    const day = before.products
      .find((p) => p.productId === order.productId)!
      .days.find((d) => d.date === order.firstDate && d.marketId === order.marketId)!;
    expect(day.preOrders).toBe(5);
    const pickup = `/v1/pre-orders/${order.id}/pickups/${order.firstDate}`;

    const salesVersion = async () =>
      (await inDemo((tx) => tx.demandInputVersion.aggregate({ _sum: { salesVersion: true } })))._sum
        .salesVersion ?? 0n;
    const versionBefore = await salesVersion();
    const retrainsQueued = async () =>
      Number(
        (
          await h.db.adminQuery<{ n: string }>(
            `SELECT count(*) AS n FROM outbox
              WHERE job_name = 'retrain-vendor' AND payload->>'vendorId' = $1`,
            [DEMO_VENDOR_ID],
          )
        )[0]?.n,
      );
    await h.db.adminQuery(`DELETE FROM outbox WHERE job_name = 'retrain-vendor'`);

    // Ana called this week off: the day is planned without her 5, twice over the same answer.
    for (let i = 0; i < 2; i++) {
      const missed = await h.call(demo, 'PUT', pickup, { pickedUp: false });
      expect(missed.statusCode, missed.body).toBe(200);
      expect(PreOrderSchema.parse(missed.json()).missedPickups).toEqual([order.firstDate]);
    }
    const without = cellOf(await getPlan(), order.productId, day.marketDayId)!;
    expect(without.preOrders).toBe(0);
    expect(without.bring).toBe(day.bring - 5);
    const audit = await inDemo((tx) =>
      tx.auditLog.count({ where: { action: 'pre_order.pickup_missed', targetId: order.id } }),
    );
    expect(audit).toBe(1);
    // What the model learns from changed (a missed pickup's units stay in sold): the prep lists
    // are recomputed and the model is retrained, as after a check-in.
    expect(await salesVersion()).toBeGreaterThan(versionBefore);
    expect(await retrainsQueued()).toBe(1);

    // Not a pickup of this weekly order (the day after), an unknown order, a body it does not know.
    const nextDay = new Date(Date.parse(`${order.firstDate}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10);
    const offDay = await h.call(demo, 'PUT', `/v1/pre-orders/${order.id}/pickups/${nextDay}`, {
      pickedUp: false,
    });
    expect(offDay.statusCode, offDay.body).toBe(400);
    expect(offDay.json<{ detail: string }>().detail).toContain(`weekly from ${order.firstDate}`);
    const unknown = await h.call(
      demo,
      'PUT',
      `/v1/pre-orders/00000000-0000-4000-8000-0000000000aa/pickups/${order.firstDate}`,
      { pickedUp: false },
    );
    expect(unknown.statusCode).toBe(404);
    for (const body of [{}, { pickedUp: 'no' }, { pickedUp: true, quantity: 2 }]) {
      expect((await h.call(demo, 'PUT', pickup, body)).statusCode).toBe(400);
    }
    expect(
      (
        await h.call(demo, 'PUT', `/v1/pre-orders/${order.id}/pickups/2026-13-01`, {
          pickedUp: true,
        })
      ).statusCode,
    ).toBe(400);

    // She came after all.
    const back = await h.call(demo, 'PUT', pickup, { pickedUp: true });
    expect(back.statusCode, back.body).toBe(200);
    expect(PreOrderSchema.parse(back.json()).missedPickups).toEqual([]);
    expect(cellOf(await getPlan(), order.productId, day.marketDayId)!.preOrders).toBe(5);
  });

  it('puts a rain plan beside the days with rain forecast: the prep list engine with the rain come true', async () => {
    const target = plan.marketDays[0]!;
    const forecastOn = (date: string) => ({ kind: 'FORECAST' as const, date: new Date(date) });
    const setWeather = (where: object, precipProb: number, precipMm: number) =>
      inDemo((tx) =>
        tx.weather.updateMany({ where, data: { precipProb, precipMm, fetchedAt: new Date() } }),
      );
    // A dry week: no rain plan anywhere.
    for (const day of plan.marketDays) await setWeather(forecastOn(day.date), 0.05, 0);
    const dry = await getPlan();
    expect(dry.marketDays.every((d) => d.rain === null)).toBe(true);
    expect(dry.products.flatMap((p) => p.days).every((d) => d.rain === null)).toBe(true);

    // A 50% chance of 3 mm on the first market day.
    await setWeather({ ...forecastOn(target.date), marketId: target.marketId }, 0.5, 3);
    const wet = await getPlan();
    expect(wet.marketDays.map((d) => d.rain)).toEqual(
      plan.marketDays.map((d) =>
        d.marketDayId === target.marketDayId ? { precipProb: 0.5, precipMm: 3 } : null,
      ),
    );
    const cells = wet.products.flatMap((p) => p.days.map((d) => ({ product: p, day: d })));
    for (const { day } of cells) {
      expect(day.rain === null, day.date).toBe(day.marketDayId !== target.marketDayId);
    }
    const rainy = cells.filter((c) => c.day.marketDayId === target.marketDayId);
    expect(rainy.length).toBeGreaterThan(0);
    const plain = ({ product, day }: (typeof rainy)[number]) =>
      product.capacity === null && product.batchSize === 1 && day.preOrders === 0;
    expect(rainy.filter(plain).length).toBeGreaterThan(0);
    for (const cell of rainy) {
      const rain = cell.day.rain!;
      const { day } = cell;
      expect(rain.profitDifferenceMinor).toBe(rain.expectedProfitMinor - day.expectedProfitMinor);
      if (!plain(cell)) continue;
      // Nothing limits these, so the rain plan brings the rainy prep list's quantity, and under
      // the rain it earns at least what the dry plan would. (A shared capacity may give the rainy
      // day's batches to a dry one: the week earns more, that day less.)
      expect(rain.bring).toBe(rain.prepQuantity);
      expect(rain.planProfitIfRainMinor).toBeLessThanOrEqual(rain.expectedProfitMinor + 1);
    }

    // The demo sells less in the rain (its data keeps people home when it rains); so must the plan.
    const total = (quantity: (day: (typeof rainy)[number]['day']) => number) =>
      rainy.reduce((sum, { day }) => sum + quantity(day), 0);
    expect(total((day) => day.rain!.prepQuantity)).toBeLessThan(total((day) => day.prepQuantity));

    // The rain comes true in the forecast as the plan assumed it (3 mm expected at a 50% chance:
    // 6 mm if it rains): the prep list now reads what the rain plan said.
    await setWeather({ ...forecastOn(target.date), marketId: target.marketId }, 1, 6);
    const response = await h.call(
      demo,
      'GET',
      `/v1/markets/${target.marketId}/prep-lists/${target.date}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    const list = PrepListSchema.parse(response.json());
    let changed = 0;
    for (const { product, day } of rainy) {
      const line = list.lines.find((l) => l.productId === product.productId)!;
      const counted = line.availability.inSeason && line.modelRung !== 'out-of-season';
      expect(counted ? line.effectiveQuantity : 0, product.productName).toBe(
        day.rain!.prepQuantity,
      );
      if (day.rain!.prepQuantity !== day.prepQuantity) changed++;
    }
    // The demo's model has learnt that rain moves sales: some quantity differs.
    expect(changed).toBeGreaterThan(0);
    // Rain now certain: the plan is the rain plan.
    const certain = await getPlan();
    for (const { product, day } of rainy.filter(plain)) {
      expect(cellOf(certain, product.productId, day.marketDayId)?.bring).toBe(day.rain!.bring);
    }
    for (const day of plan.marketDays) await setWeather(forecastOn(day.date), 0.05, 0);
  }, 240_000);

  it('downloads the plan as a PDF for the kitchen', async () => {
    const response = await h.call(demo, 'GET', `/v1/plans/week/export.pdf?from=${FROM}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="week-plan-${FROM}.pdf"`,
    );
    expect(response.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const bad = await h.call(demo, 'GET', '/v1/plans/week/export.pdf?from=2027-06-01');
    expect(bad.statusCode).toBe(400);
  });

  it("plans a week past the calendar's stored days with its scheduled market days", async () => {
    // Five weeks out: no prep list was made for it and the seed stored no days that far.
    const from = '2026-12-21';
    const stored = await inDemo((tx) =>
      tx.marketDay.count({ where: { date: { gte: new Date(`${from}T00:00:00Z`) } } }),
    );
    expect(stored).toBe(0);
    const far = await getPlan(from);
    // The Riverside Saturday runs all year (winter hours from November).
    expect(far.marketDays.map((d) => [d.marketName, d.date])).toContainEqual([
      'Riverside Saturday Market',
      '2026-12-26',
    ]);
    expect(
      far.products.some((p) => p.days.some((d) => d.date === '2026-12-26' && d.bring > 0)),
    ).toBe(true);
  });

  it('answers 400 for a week too far away', async () => {
    const response = await h.call(demo, 'GET', '/v1/plans/week?from=2027-06-01');
    expect(response.statusCode).toBe(400);
  });
});

describe('freezing at the deadline and the reminder', () => {
  it('freezes a day at its deadline and holds it through a later input change', async () => {
    const plan = await getPlan();
    const product = plan.products.find((p) => p.days.some((d) => d.make > 0))!;
    const day = product.days.find((d) => d.make > 0)!;
    const planner = new WeekPlanner({ db: h.db.app, now: () => clock });

    // One minute before the deadline nothing freezes.
    clock = new Date(Date.parse(day.deadlineAt) - 60_000);
    await planner.freezeDue(DEMO_VENDOR_ID);
    expect(cellOf(await getPlan(), product.productId, day.marketDayId)?.frozen).toBe(false);

    clock = new Date(Date.parse(day.deadlineAt) + 60_000);
    expect(await planner.freezeDue(DEMO_VENDOR_ID)).toBeGreaterThan(0);
    const frozen = cellOf(await getPlan(), product.productId, day.marketDayId)!;
    expect(frozen.frozen).toBe(true);

    // A later pre-order for the same day changes nothing on the frozen day.
    const created = await h.call(demo, 'POST', '/v1/pre-orders', {
      productId: product.productId,
      marketId: day.marketId,
      customerName: 'Late Larry',
      quantity: 9,
      firstDate: day.date,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(await planner.freezeDue(DEMO_VENDOR_ID)).toBe(0);
    const later = cellOf(await getPlan(), product.productId, day.marketDayId)!;
    expect(later).toEqual(frozen);
    clock = START;
  });

  it('sends the reminder once before a deadline', async () => {
    const plan = await getPlan();
    const open = plan.products
      .flatMap((p) => p.days)
      .filter((d) => !d.frozen && d.make > 0)
      .sort((a, b) => a.deadlineAt.localeCompare(b.deadlineAt))[0]!;
    const planner = new WeekPlanner({ db: h.db.app, now: () => clock });
    clock = new Date(Date.parse(open.deadlineAt) - 2 * 3_600_000);
    expect(await planner.remindDue(DEMO_VENDOR_ID)).toBe(1);
    clock = new Date(Date.parse(open.deadlineAt) - 3_600_000);
    expect(await planner.remindDue(DEMO_VENDOR_ID)).toBe(0);
    const reminders = await inDemo((tx) =>
      tx.notification.findMany({ where: { kind: WEEK_PLAN_NOTIFICATION_KINDS.deadlineReminder } }),
    );
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.body).toMatch(/Make \d+ /);
    expect(reminders[0]?.body).not.toContain('most markets are closed');
    clock = START;
  });

  it('says in the reminder when a day to make for is a holiday most markets skip', async () => {
    // The demo's weeks have no such day: the plan as the API would give it on Christmas Day.
    const plan = await getPlan();
    const open = plan.products
      .flatMap((p) => p.days)
      .filter((d) => !d.frozen && d.make > 0)
      .sort((a, b) => a.deadlineAt.localeCompare(b.deadlineAt))[0]!;
    const holiday: WeekPlan = {
      ...plan,
      marketDays: plan.marketDays.map((d) =>
        d.marketDayId === open.marketDayId ? { ...d, closingHoliday: 'Christmas Day' } : d,
      ),
    };
    await inDemo((tx) =>
      tx.notification.deleteMany({
        where: { kind: WEEK_PLAN_NOTIFICATION_KINDS.deadlineReminder },
      }),
    );
    const planner = new WeekPlanner({ db: h.db.app, now: () => clock });
    clock = new Date(Date.parse(open.deadlineAt) - 2 * 3_600_000);
    expect(await planner.remindDue(DEMO_VENDOR_ID, [holiday])).toBe(1);
    const [reminder] = await inDemo((tx) =>
      tx.notification.findMany({ where: { kind: WEEK_PLAN_NOTIFICATION_KINDS.deadlineReminder } }),
    );
    expect(reminder?.body).toContain(
      `is Christmas Day: most markets are closed, so check that ${open.marketName} opens. Open "This week"`,
    );
    clock = START;
  });

  it("counts a day's check-in for the days after it: the kept stock, not the expected", async () => {
    const plan = await getPlan();
    const product = plan.products.find(
      (p) =>
        p.capacity === null &&
        p.batchSize === 1 &&
        p.days.some((d) => d.carriedExpected > 0 && d.preOrders === 0 && !d.frozen),
    )!;
    const later = product.days.find((d) => d.carriedExpected > 0 && !d.frozen)!;
    const earlier = product.days.filter((d) => d.date < later.date).at(-1)!;
    expect(later.make).toBe(later.bring - later.carriedOver);
    try {
      // The afternoon of the earlier market day: packed up, the later day's deadline still ahead.
      clock = new Date(Date.parse(later.deadlineAt) - 3 * 3_600_000);
      const kept = Math.min(2, earlier.bring);
      const checkIn = await h.call(
        demo,
        'PUT',
        `/v1/markets/${earlier.marketId}/check-ins/${earlier.date}`,
        {
          clientSubmissionId: randomUUID(),
          lines: [
            {
              productId: product.productId,
              brought: earlier.bring,
              sold: earlier.bring - kept,
              leftOver: kept,
              wasted: 0,
              donated: 0,
            },
          ],
        },
      );
      expect(checkIn.statusCode, checkIn.body).toBe(200);
      const after = cellOf(await getPlan(), product.productId, later.marketDayId)!;
      expect(cellOf(await getPlan(), product.productId, earlier.marketDayId)?.frozen).toBe(true);
      // The 2 counted units replace the expected leftover (more than 2 here).
      expect(later.carriedOver).toBeGreaterThan(kept);
      expect(after).toMatchObject({ carriedOver: kept, carriedExpected: 0, frozen: false });
      expect(after.make).toBe(after.bring - kept);
    } finally {
      clock = START;
    }
  });
});
