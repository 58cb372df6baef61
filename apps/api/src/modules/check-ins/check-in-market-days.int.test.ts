// Check-ins only for market days (issue 13): a stored SCHEDULED day, or a weekly opening in
// season. Out-of-season weekdays, days off the schedule and cancelled days are refused with the
// reason and write nothing; the check-in index (each market's lastMarketDate) offers none of them.
import { randomUUID } from 'node:crypto';
import { MarketListSchema, type Market } from '@marketprep/contracts';
import { withTenant } from '@marketprep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { expectProblem } from '../markets/catalog-test-helpers';
import { seedShop, type Shop } from './check-ins.fixtures';

// Sunday 2026-12-06, 14:00 in Chicago: Maplewood's Sunday season (Apr 1 - Nov 30) ended a week ago.
const DEC_6 = new Date('2026-12-06T20:00:00Z');
let now = DEC_6;

let h: Harness;
let owner: Agent;
let maplewood: Shop;
let lakeview: Shop;
let riverside: Shop;

const products = [
  { key: 'bread', name: 'Bread', priceMinor: 800, unitCostMinor: 300, salvageValueMinor: 100 },
];

function submission() {
  return {
    clientSubmissionId: randomUUID(),
    lines: [
      {
        productId: maplewood.productIds.bread,
        brought: 20,
        sold: 15,
        leftOver: 5,
        wasted: 1,
        donated: 2,
      },
    ],
  };
}

/** Check-in lines and market-day rows of a market on a date (what a refused request must not write). */
async function writtenOn(shop: Shop, date: string) {
  return withTenant(h.db.app.prisma, owner.vendorId!, async (tx) => ({
    days: await tx.marketDay.count({
      where: { marketId: shop.marketId, date: new Date(`${date}T00:00:00Z`) },
    }),
    feedback: await tx.feedback.count({
      where: { marketDay: { marketId: shop.marketId, date: new Date(`${date}T00:00:00Z`) } },
    }),
  }));
}

const checkInUrl = (shop: Shop, date: string) => `/v1/markets/${shop.marketId}/check-ins/${date}`;

async function markets(): Promise<Market[]> {
  const response = await h.call(owner, 'GET', '/v1/markets');
  expect(response.statusCode, response.body).toBe(200);
  return MarketListSchema.parse(response.json()).data;
}

beforeAll(async () => {
  h = await createHarness({ now: () => now });
  owner = await h.signup({ vendorName: 'Seasonal Bakery' });
  maplewood = await seedShop(h.db.app, owner.vendorId!, {
    market: {
      name: 'Maplewood Sunday',
      schedule: [
        { weekday: 6, opensAt: '09:00', closesAt: '14:00', seasonFrom: '04-01', seasonTo: '11-30' },
      ],
    },
    products,
    days: [
      {
        date: '2026-11-29',
        opensAt: '2026-11-29T15:00:00Z',
        closesAt: '2026-11-29T20:00:00Z',
        prep: [{ key: 'bread', quantity: 22, q50: 18 }],
      },
      { date: '2026-11-22', status: 'CANCELLED' },
    ],
  });
  lakeview = await seedShop(h.db.app, owner.vendorId!, {
    market: {
      name: 'Lakeview Wednesday',
      schedule: [
        { weekday: 2, opensAt: '15:00', closesAt: '19:00', seasonFrom: '05-01', seasonTo: '10-31' },
      ],
    },
    products: [],
    // A one-off holiday market on a Saturday, outside any weekly opening.
    days: [{ date: '2026-12-19' }],
  });
  riverside = await seedShop(h.db.app, owner.vendorId!, {
    market: {
      name: 'Riverside Saturday',
      schedule: [
        { weekday: 5, opensAt: '07:30', closesAt: '12:30', seasonFrom: '05-01', seasonTo: '10-31' },
        { weekday: 5, opensAt: '09:00', closesAt: '13:00', seasonFrom: '11-01', seasonTo: '04-30' },
      ],
    },
    products: [],
    days: [],
  });
});
afterAll(() => h.close());

describe('check-ins only for market days', () => {
  it('refuses an out-of-season weekday (GET and PUT) with the reason, and writes nothing', async () => {
    now = DEC_6;
    const get = expectProblem(await h.call(owner, 'GET', checkInUrl(maplewood, '2026-12-06')), 404);
    expect(get.detail).toBe(
      // The next season's first Sunday is in another year: it says so.
      'Maplewood Sunday is closed on Sun, Dec 6: its Sunday market runs Apr 1–Nov 30; its next market day is Sun, Apr 4, 2027 and the one before is Sun, Nov 29.',
    );
    // The nearest market days as extension members: the last of this season, the first of the next.
    expect(get).toMatchObject({
      type: 'https://marketprep.app/problems/not-a-market-day',
      date: '2026-12-06',
      previousMarketDate: '2026-11-29',
      nextMarketDate: '2027-04-04',
    });
    const put = expectProblem(
      await h.call(owner, 'PUT', checkInUrl(maplewood, '2026-12-06'), submission()),
      404,
    );
    expect(put).toMatchObject({
      detail: get.detail,
      previousMarketDate: '2026-11-29',
      nextMarketDate: '2027-04-04',
    });
    expect(await writtenOn(maplewood, '2026-12-06')).toEqual({ days: 0, feedback: 0 });
    // The first Sunday before the season (Mar 29 2026) is refused the same way.
    const before = expectProblem(
      await h.call(owner, 'PUT', checkInUrl(maplewood, '2026-03-29'), submission()),
      404,
    );
    expect(before.detail).toContain('its Sunday market runs Apr 1–Nov 30');
    expect(before).toMatchObject({ nextMarketDate: '2026-04-05' });
    expect(await writtenOn(maplewood, '2026-03-29')).toEqual({ days: 0, feedback: 0 });
  });

  it('refuses a day that is not on the weekly schedule, and writes nothing', async () => {
    now = DEC_6;
    const get = expectProblem(await h.call(owner, 'GET', checkInUrl(maplewood, '2026-11-24')), 404);
    // Sunday Nov 22 is cancelled: the market day before is Nov 15.
    expect(get.detail).toBe(
      'Maplewood Sunday is closed on Tuesdays; its next market day is Sun, Nov 29 and the one before is Sun, Nov 15.',
    );
    expect(get).toMatchObject({ previousMarketDate: '2026-11-15', nextMarketDate: '2026-11-29' });
    expectProblem(
      await h.call(owner, 'PUT', checkInUrl(maplewood, '2026-11-24'), submission()),
      404,
    );
    expect(await writtenOn(maplewood, '2026-11-24')).toEqual({ days: 0, feedback: 0 });
  });

  it('names a stored one-off day as the nearest market day, and null when there is none', async () => {
    now = DEC_6;
    // Lakeview's Wednesdays ended Oct 28; its one-off Saturday Dec 19 is the next market day.
    const wednesday = expectProblem(
      await h.call(owner, 'GET', checkInUrl(lakeview, '2026-12-02')),
      404,
    );
    expect(wednesday).toMatchObject({
      detail:
        'Lakeview Wednesday is closed on Wed, Dec 2: its Wednesday market runs May 1–Oct 31; its next market day is Sat, Dec 19 and the one before is Wed, Oct 28.',
      previousMarketDate: '2026-10-28',
      nextMarketDate: '2026-12-19',
    });
    // Another business's market is a plain 404, without market days.
    const other = await h.signup({ vendorName: 'Other Bakery' });
    const foreign = expectProblem(
      await h.call(other, 'GET', checkInUrl(lakeview, '2026-12-02')),
      404,
    );
    expect(foreign).not.toHaveProperty('nextMarketDate');
    expect(foreign).not.toHaveProperty('previousMarketDate');
  });

  it('says up front that a future market day is not open for check-in yet', async () => {
    // Saturday Dec 5, 10:00 in Chicago: Riverside's market is today; the next Saturday is ahead.
    now = new Date('2026-12-05T16:00:00Z');
    const today = await h.call(owner, 'GET', checkInUrl(riverside, '2026-12-05'));
    expect(today.statusCode, today.body).toBe(200);
    expect(today.json<{ checkInOpen: boolean }>().checkInOpen).toBe(true);
    const ahead = await h.call(owner, 'GET', checkInUrl(riverside, '2026-12-12'));
    expect(ahead.statusCode, ahead.body).toBe(200);
    expect(ahead.json<{ checkInOpen: boolean }>().checkInOpen).toBe(false);
    // The PUT follows the same rule: refused, nothing written.
    const put = expectProblem(
      await h.call(owner, 'PUT', checkInUrl(riverside, '2026-12-12'), submission()),
      400,
    );
    expect(put.detail).toContain('has not happened yet');
    expect(await writtenOn(riverside, '2026-12-12')).toEqual({ days: 0, feedback: 0 });
    // 23:30 on Dec 11 in Chicago is already Dec 12 in UTC, still the day before at the market.
    now = new Date('2026-12-12T05:30:00Z');
    const lateEvening = await h.call(owner, 'GET', checkInUrl(riverside, '2026-12-12'));
    expect(lateEvening.json<{ checkInOpen: boolean }>().checkInOpen).toBe(false);
    now = new Date('2026-12-12T06:30:00Z');
    const midnight = await h.call(owner, 'GET', checkInUrl(riverside, '2026-12-12'));
    expect(midnight.json<{ checkInOpen: boolean }>().checkInOpen).toBe(true);
  });

  it('refuses a cancelled market day (GET and PUT, 409), and writes nothing', async () => {
    now = DEC_6;
    const get = expectProblem(await h.call(owner, 'GET', checkInUrl(maplewood, '2026-11-22')), 409);
    expect(get.detail).toContain('was cancelled');
    expectProblem(
      await h.call(owner, 'PUT', checkInUrl(maplewood, '2026-11-22'), submission()),
      409,
    );
    expect(await writtenOn(maplewood, '2026-11-22')).toEqual({ days: 1, feedback: 0 });
  });

  it('accepts a stored market day, and an in-season weekday without a stored day', async () => {
    now = DEC_6;
    const stored = await h.call(owner, 'GET', checkInUrl(maplewood, '2026-11-29'));
    expect(stored.statusCode, stored.body).toBe(200);
    expect(stored.json<{ lines: { recommendedQuantity: number }[] }>().lines[0]).toMatchObject({
      recommendedQuantity: 22,
    });
    // Sunday Nov 15 is in season and has no stored day yet: the check-in creates it.
    const put = await h.call(owner, 'PUT', checkInUrl(maplewood, '2026-11-15'), submission());
    expect(put.statusCode, put.body).toBe(200);
    expect(await writtenOn(maplewood, '2026-11-15')).toEqual({ days: 1, feedback: 1 });
    // A stored one-off day counts although no weekly opening is in season then.
    now = new Date('2026-12-20T18:00:00Z');
    const oneOff = await h.call(owner, 'GET', checkInUrl(lakeview, '2026-12-19'));
    expect(oneOff.statusCode, oneOff.body).toBe(200);
  });
});

describe('the check-in index (lastMarketDate of GET /v1/markets)', () => {
  it('offers each market its latest market day, and no out-of-season day', async () => {
    now = DEC_6;
    const byName = new Map((await markets()).map((m) => [m.name, m]));
    // Maplewood: Sunday Dec 6 is out of season; Nov 29 was its last market day.
    expect(byName.get('Maplewood Sunday')?.lastMarketDate).toBe('2026-11-29');
    // Lakeview: Wednesdays Dec 2 and Nov 25 are out of its May-October season.
    expect(byName.get('Lakeview Wednesday')?.lastMarketDate).toBeNull();
    // Riverside runs all year in two seasons: yesterday, Saturday Dec 5 (winter hours).
    expect(byName.get('Riverside Saturday')?.lastMarketDate).toBe('2026-12-05');
    expect(byName.get('Maplewood Sunday')?.nextMarketDate).toBeNull();

    // The one-off Saturday at Lakeview is offered the day after.
    now = new Date('2026-12-20T18:00:00Z');
    const later = new Map((await markets()).map((m) => [m.name, m]));
    expect(later.get('Lakeview Wednesday')?.lastMarketDate).toBe('2026-12-19');
    expect(later.get('Maplewood Sunday')?.lastMarketDate).toBeNull();

    // A cancelled day is skipped: the Tuesday after Nov 22 points back to Nov 15.
    now = new Date('2026-11-24T18:00:00Z');
    const single = await h.call(owner, 'GET', `/v1/markets/${maplewood.marketId}`);
    expect(single.json<Market>().lastMarketDate).toBe('2026-11-15');
  });

  it('offers only days the check-in accepts, through the year', async () => {
    // First and last weeks of the seasons, New Year, mid-summer, mid-winter (noon in Chicago).
    const dates = [
      '2026-01-01',
      '2026-03-31',
      '2026-04-05',
      '2026-05-01',
      '2026-05-06',
      '2026-07-15',
      '2026-10-31',
      '2026-11-01',
      '2026-12-01',
      '2026-12-24',
    ];
    const seasonOf: Record<string, [string, string]> = {
      'Maplewood Sunday': ['04-01', '11-30'],
      'Lakeview Wednesday': ['05-01', '10-31'],
    };
    for (const date of dates) {
      now = new Date(`${date}T18:00:00Z`);
      for (const market of await markets()) {
        const last = market.lastMarketDate;
        if (last === null || last === undefined) continue;
        expect(last <= date, `${market.name} on ${date}`).toBe(true);
        const season = seasonOf[market.name];
        if (season && last !== '2026-12-19') {
          const monthDay = last.slice(5);
          expect(monthDay >= season[0] && monthDay <= season[1], `${market.name} ${last}`).toBe(
            true,
          );
        }
        const shop = [maplewood, lakeview, riverside].find((s) => s.marketId === market.id)!;
        const form = await h.call(owner, 'GET', checkInUrl(shop, last));
        expect(form.statusCode, `${market.name} ${last}: ${form.body}`).toBe(200);
      }
    }
    // In July the Sunday market is in season; in January it is not.
    now = new Date('2026-07-15T18:00:00Z');
    const july = (await markets()).find((m) => m.name === 'Maplewood Sunday');
    expect(july?.lastMarketDate).toBe('2026-07-12');
    now = new Date('2026-01-15T18:00:00Z');
    const january = (await markets()).find((m) => m.name === 'Maplewood Sunday');
    expect(january?.lastMarketDate).toBeNull();
  });
});
