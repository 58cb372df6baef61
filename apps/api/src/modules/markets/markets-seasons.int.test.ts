// Markets keep their seasons (issue 13): a PATCH never drops a field it was not sent. Editing the
// booth fee used to make a May-October market year-round (the web form sent the schedule without
// seasons), which then got winter market days. The weeks of the month of a market that does not run
// every week ("1st and 3rd Saturdays") are kept the same way, and plan only those Saturdays.
import { randomUUID } from 'node:crypto';
import { MarketSchema, type Market } from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { expectProblem } from './catalog-test-helpers';

// Sunday 2026-11-22, 09:00 in Chicago: the summer seasons are over.
const NOW = new Date('2026-11-22T15:00:00Z');

let h: Harness;
let owner: Agent;

const SEASONS = [
  { weekday: 2, opensAt: '15:00', closesAt: '19:00', seasonFrom: '05-01', seasonTo: '10-31' },
  { weekday: 5, opensAt: '07:30', closesAt: '12:30', seasonFrom: '05-01', seasonTo: '10-31' },
  { weekday: 5, opensAt: '09:00', closesAt: '13:00', seasonFrom: '11-01', seasonTo: '04-30' },
];

/** The schedule as the API returns it: every entry says which weeks it runs (every week: none). */
const stored = (entries: readonly object[]) =>
  entries.map((e) => ({ weeksOfMonth: [], everyOtherWeekFrom: null, ...e }));

async function createSeasonalMarket(): Promise<Market> {
  const response = await h.call(owner, 'POST', '/v1/markets', {
    name: `Riverside ${randomUUID().slice(0, 8)}`,
    latitude: 41.8786,
    longitude: -87.6589,
    timezone: 'America/Chicago',
    countryCode: 'US',
    regionCode: 'IL',
    boothFeeMinor: 8500,
    schedule: SEASONS,
  });
  expect(response.statusCode, response.body).toBe(201);
  return MarketSchema.parse(response.json());
}

async function getMarket(id: string): Promise<Market> {
  const response = await h.call(owner, 'GET', `/v1/markets/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return MarketSchema.parse(response.json());
}

async function marketDays(marketId: string) {
  const response = await h.call(owner, 'GET', `/v1/markets/${marketId}/market-days?limit=200`);
  expect(response.statusCode).toBe(200);
  return response
    .json<{ data: { date: string; opensAt: string | null }[] }>()
    .data.map((d) => `${d.date} ${d.opensAt}`);
}

/** The winter Saturdays the seasonal schedule plans from Sunday Nov 22 (8 weeks). */
const WINTER_SATURDAYS = [
  '2026-11-28 09:00',
  '2026-12-05 09:00',
  '2026-12-12 09:00',
  '2026-12-19 09:00',
  '2026-12-26 09:00',
  '2027-01-02 09:00',
  '2027-01-09 09:00',
  '2027-01-16 09:00',
];

beforeAll(async () => {
  h = await createHarness({ now: () => NOW, rateLimit: false });
  owner = await h.signup({ vendorName: 'Season Keeper Farm' });
});
afterAll(() => h.close());

describe('PATCH /v1/markets/:marketId keeps seasons', () => {
  it('changes the booth fee alone and keeps every schedule entry with its season', async () => {
    const market = await createSeasonalMarket();
    expect(await marketDays(market.id)).toEqual(WINTER_SATURDAYS);

    const patched = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, {
      boothFeeMinor: 9000,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(MarketSchema.parse(patched.json()).schedule).toEqual(stored(SEASONS));

    const after = await getMarket(market.id);
    expect(after.boothFeeMinor).toBe(9000);
    expect(after.schedule).toEqual(stored(SEASONS));
    expect(after.nextMarketDate).toBe('2026-11-28');
    // No Wednesday (out of season) and no summer hours were planned.
    expect(await marketDays(market.id)).toEqual(WINTER_SATURDAYS);
  });

  it('keeps the season of an entry sent without season keys (what the old form sent)', async () => {
    const market = await createSeasonalMarket();
    const withoutSeasons = SEASONS.map(({ weekday, opensAt, closesAt }) => ({
      weekday,
      opensAt,
      closesAt,
    }));
    const patched = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, {
      boothFeeMinor: 7000,
      schedule: withoutSeasons,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await getMarket(market.id)).schedule).toEqual(stored(SEASONS));
    expect(await marketDays(market.id)).toEqual(WINTER_SATURDAYS);
  });

  it('replaces an entry sent with its season keys as sent: null makes it year-round', async () => {
    const market = await createSeasonalMarket();
    const schedule = [
      { ...SEASONS[0]!, seasonFrom: null, seasonTo: null },
      { ...SEASONS[2]!, seasonFrom: '10-15', seasonTo: '04-15' },
      // A new opening without season keys matches nothing: all year.
      { weekday: 3, opensAt: '16:00', closesAt: '19:00' },
    ];
    const patched = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, { schedule });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await getMarket(market.id)).schedule).toEqual(
      stored([
        { weekday: 2, opensAt: '15:00', closesAt: '19:00', seasonFrom: null, seasonTo: null },
        { weekday: 3, opensAt: '16:00', closesAt: '19:00', seasonFrom: null, seasonTo: null },
        { weekday: 5, opensAt: '09:00', closesAt: '13:00', seasonFrom: '10-15', seasonTo: '04-15' },
      ]),
    );
    const days = await marketDays(market.id);
    expect(days).toContain('2026-11-25 15:00');
    expect(days).toContain('2026-11-26 16:00');
  });

  it('keeps seasons when only the time zone changes', async () => {
    const market = await createSeasonalMarket();
    const patched = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, {
      timezone: 'America/New_York',
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const after = await getMarket(market.id);
    expect(after.timezone).toBe('America/New_York');
    expect(after.schedule).toEqual(stored(SEASONS));
  });

  it('asks for the season (400, nothing changed) when an entry without one matches several', async () => {
    const split = [
      { weekday: 6, opensAt: '09:00', closesAt: '14:00', seasonFrom: '04-01', seasonTo: '06-30' },
      { weekday: 6, opensAt: '09:00', closesAt: '14:00', seasonFrom: '09-01', seasonTo: '11-30' },
    ];
    const created = await h.call(owner, 'POST', '/v1/markets', {
      name: `Split ${randomUUID().slice(0, 8)}`,
      latitude: 41.92,
      longitude: -87.69,
      timezone: 'America/Chicago',
      countryCode: 'US',
      schedule: split,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = MarketSchema.parse(created.json()).id;
    const problem = expectProblem(
      await h.call(owner, 'PATCH', `/v1/markets/${id}`, {
        boothFeeMinor: 100,
        schedule: [{ weekday: 6, opensAt: '09:00', closesAt: '14:00' }],
      }),
      400,
    );
    expect(problem.errors?.map((e) => e.path)).toEqual(['schedule.0.seasonFrom']);
    const after = await getMarket(id);
    expect(after.schedule).toEqual(stored(split));
    expect(after.boothFeeMinor).toBe(0);
  });
});

describe('markets that run on some weeks of the month', () => {
  // Weekly May-Oct, the 1st and 3rd Saturdays Nov-Apr (a common winter market).
  const ROSA = [
    { weekday: 5, opensAt: '08:00', closesAt: '13:00', seasonFrom: '05-01', seasonTo: '10-31' },
    {
      weekday: 5,
      opensAt: '09:00',
      closesAt: '12:00',
      seasonFrom: '11-01',
      seasonTo: '04-30',
      weeksOfMonth: [1, 3],
    },
  ];
  /** From Sunday Nov 22: the 1st and 3rd Saturdays of Dec and Jan (Nov 28 is the 4th). */
  const FIRST_AND_THIRD = [
    '2026-12-05 09:00',
    '2026-12-19 09:00',
    '2027-01-02 09:00',
    '2027-01-16 09:00',
  ];

  async function createRosa(): Promise<Market> {
    const response = await h.call(owner, 'POST', '/v1/markets', {
      name: `Rosa ${randomUUID().slice(0, 8)}`,
      latitude: 41.9,
      longitude: -87.7,
      timezone: 'America/Chicago',
      countryCode: 'US',
      schedule: ROSA,
    });
    expect(response.statusCode, response.body).toBe(201);
    return MarketSchema.parse(response.json());
  }

  it('plans only those Saturdays, and says why another Saturday is not a market day', async () => {
    const market = await createRosa();
    expect(market.schedule).toEqual(stored(ROSA));
    expect(market.nextMarketDate).toBe('2026-12-05');
    expect(await marketDays(market.id)).toEqual(FIRST_AND_THIRD);

    const problem = expectProblem(
      await h.call(owner, 'GET', `/v1/markets/${market.id}/prep-lists/2026-12-12`),
      404,
    );
    expect(problem.detail).toBe(
      `${market.name} is closed on Sat, Dec 12: its Saturday market runs May 1–Oct 31 and on the 1st and 3rd Saturdays of the month Nov 1–Apr 30; its next market day is Sat, Dec 19 and the one before is Sat, Dec 5.`,
    );
    // A check-in for the 2nd Saturday is refused the same way; the 1st is offered.
    expectProblem(await h.call(owner, 'GET', `/v1/markets/${market.id}/check-ins/2026-11-14`), 404);
    const first = await h.call(owner, 'GET', `/v1/markets/${market.id}/check-ins/2026-11-07`);
    expect(first.statusCode, first.body).toBe(200);
  });

  it('keeps the weeks on an edit that does not send them, and changes them when sent', async () => {
    const market = await createRosa();
    const withoutWeeks = ROSA.map(({ weekday, opensAt, closesAt, seasonFrom, seasonTo }) => ({
      weekday,
      opensAt,
      closesAt,
      seasonFrom,
      seasonTo,
    }));
    const kept = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, {
      boothFeeMinor: 4000,
      schedule: withoutWeeks,
    });
    expect(kept.statusCode, kept.body).toBe(200);
    expect((await getMarket(market.id)).schedule).toEqual(stored(ROSA));
    expect(await marketDays(market.id)).toEqual(FIRST_AND_THIRD);

    // Every week again: the 2nd and 4th Saturdays come back on the calendar.
    const everyWeek = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, {
      schedule: ROSA.map((entry) => ({ ...entry, weeksOfMonth: [] })),
    });
    expect(everyWeek.statusCode, everyWeek.body).toBe(200);
    expect(await marketDays(market.id)).toEqual(WINTER_SATURDAYS);

    // And the last Saturday only: the others are withdrawn (Jan 30 is past the 8 weeks planned).
    const last = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, {
      schedule: [ROSA[0], { ...ROSA[1], weeksOfMonth: [-1] }],
    });
    expect(last.statusCode, last.body).toBe(200);
    expect(await marketDays(market.id)).toEqual(['2026-11-28 09:00', '2026-12-26 09:00']);
  });

  it('runs every other week from a date, keeps it on an edit, and refuses a date on another weekday', async () => {
    const market = await createRosa();
    const biweekly = { ...ROSA[1], weeksOfMonth: [], everyOtherWeekFrom: '2026-12-12' };
    const patched = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, {
      schedule: [ROSA[0], biweekly],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    // Nov 28 is two weeks before Dec 12: the beat runs both ways.
    const every2 = ['2026-11-28', '2026-12-12', '2026-12-26', '2027-01-09'].map(
      (d) => `${d} 09:00`,
    );
    expect(await marketDays(market.id)).toEqual(every2);

    const { everyOtherWeekFrom: _left, weeksOfMonth: _out, ...withoutWeeks } = biweekly;
    const kept = await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, {
      boothFeeMinor: 2500,
      schedule: [ROSA[0], withoutWeeks],
    });
    expect(kept.statusCode, kept.body).toBe(200);
    expect((await getMarket(market.id)).schedule).toEqual(stored([ROSA[0]!, biweekly]));
    expect(await marketDays(market.id)).toEqual(every2);

    const problem = expectProblem(
      await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, {
        schedule: [{ ...biweekly, everyOtherWeekFrom: '2026-12-13' }],
      }),
      400,
    );
    expect(problem.errors?.[0]?.path).toBe('schedule.0.everyOtherWeekFrom');
    expect(await marketDays(market.id)).toEqual(every2);
  });

  it('refuses weeks that are not weeks of a month (400, nothing written)', async () => {
    const market = await createRosa();
    for (const weeksOfMonth of [[0], [6], [1, 1], ['1st']]) {
      const problem = expectProblem(
        await h.call(owner, 'PATCH', `/v1/markets/${market.id}`, {
          schedule: [{ ...ROSA[1], weeksOfMonth }],
        }),
        400,
      );
      expect(problem.errors?.[0]?.path).toMatch(/^schedule\.0\.weeksOfMonth/);
    }
    expect((await getMarket(market.id)).schedule).toEqual(stored(ROSA));
  });
});
