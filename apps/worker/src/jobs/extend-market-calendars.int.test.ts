import { DEMO_VENDOR_ID, seedDemoVendor } from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtendMarketCalendarsHandler } from './extend-market-calendars.handler';

// Monday 2026-12-07 in Chicago; the demo's history ends the day before.
const NOW = new Date('2026-12-07T15:00:00Z');
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoVendor({ prisma: db.app.prisma, today: '2026-12-07', now: NOW });
}, 120_000);
afterAll(async () => {
  await db.drop();
});

const days = (from: string) =>
  db.adminQuery<{ date: string; status: string; opens: string }>(
    `SELECT to_char(d.date, 'YYYY-MM-DD') date, d.status::text status,
            to_char(d.opens_at AT TIME ZONE 'America/Chicago', 'HH24:MI') opens
       FROM market_days d JOIN markets m ON m.id = d.market_id
      WHERE d.vendor_id = $1 AND m.name = 'Riverside Saturday Market' AND d.date >= $2::date
      ORDER BY d.date`,
    [DEMO_VENDOR_ID, from],
  );

describe('extend-market-calendars job', () => {
  it("stores the schedule's days through the planning horizon, keeps a cancelled day, and a rerun writes nothing", async () => {
    // The seed stores the next weeks only; a day cancelled by the vendor must stay cancelled.
    await db.adminQuery(
      `UPDATE market_days SET status = 'CANCELLED' WHERE vendor_id = $1 AND date = '2026-12-19'`,
      [DEMO_VENDOR_ID],
    );
    expect((await days('2026-12-26')).length).toBe(0);
    const run = createExtendMarketCalendarsHandler({ db: db.app, now: () => NOW });

    const first = await run({}, { jobId: 'a' });
    expect(first).toMatchObject({ businesses: 1 });
    expect((first as { added: number }).added).toBeGreaterThan(0);
    // Riverside's Saturdays (winter hours, 9:00) through Jan 30, 2027: eight weeks from Dec 7.
    expect(await days('2026-12-12')).toEqual([
      { date: '2026-12-12', status: 'SCHEDULED', opens: '09:00' },
      { date: '2026-12-19', status: 'CANCELLED', opens: '09:00' },
      ...['2026-12-26', '2027-01-02', '2027-01-09', '2027-01-16', '2027-01-23', '2027-01-30'].map(
        (date) => ({ date, status: 'SCHEDULED', opens: '09:00' }),
      ),
    ]);
    expect(await run({}, { jobId: 'b' })).toEqual({ businesses: 1, added: 0 });
  }, 60_000);
});
