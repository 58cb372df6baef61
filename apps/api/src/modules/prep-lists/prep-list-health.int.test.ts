// Input health on the prep list (issue 22, part 1) against the real database: the demo vendor's
// list is good; a forecast-provider outage (the weather refresh stores climatology, as
// refresh-weather does when NWS and Open-Meteo fail) turns the weather reason to climatology and
// the verdict to "check"; a cache that aged past two days makes it "stale" and raises one alert,
// however often the list is read.
import { PrepListSchema, WeekPlanAnswerSchema, type PrepList } from '@marketprep/contracts';
import { BackgroundWorkRepository, DEMO_VENDOR_ID, withTenant } from '@marketprep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, seedAndSignInDemo, type Agent, type Harness } from '../../testing/harness';

// Friday 2026-12-04 in Chicago; the lists are for Saturday 2026-12-05.
const SEEDED = new Date('2026-12-04T18:00:00Z');
const TODAY = '2026-12-04';
const SATURDAY = '2026-12-05';
const HOUR = 3_600_000;

let now = SEEDED;
let h: Harness;
let demo: Agent;
let riverside: string;

async function listOf(): Promise<PrepList> {
  const response = await h.call(demo, 'GET', `/v1/markets/${riverside}/prep-lists/${SATURDAY}`);
  expect(response.statusCode, response.body).toBe(200);
  return PrepListSchema.parse(response.json());
}

const weatherOf = (list: PrepList) => list.health.reasons.find((r) => r.input === 'weather');
const eventsOf = (list: PrepList) => list.health.reasons.find((r) => r.input === 'events');

/** The day's weather as the refresh job leaves it: one FORECAST row by `provider`, fetched then. */
async function setWeather(provider: 'CLIMATOLOGY' | 'NWS', fetchedAt: Date) {
  await withTenant(h.db.app.prisma, DEMO_VENDOR_ID, async (tx) => {
    const date = new Date(`${SATURDAY}T00:00:00Z`);
    await tx.weather.deleteMany({ where: { marketId: riverside, date } });
    await tx.weather.create({
      data: {
        vendorId: DEMO_VENDOR_ID,
        marketId: riverside,
        date,
        provider,
        kind: 'FORECAST',
        fetchedAt,
        tempMeanC: 2,
        tempMaxC: 5,
        tempMinC: -1,
        precipMm: 0,
        precipProb: 0.1,
      },
    });
  });
}

const staleAlerts = () =>
  withTenant(h.db.app.prisma, DEMO_VENDOR_ID, (tx) =>
    tx.notification.findMany({ where: { kind: 'prep_list.inputs_stale' } }),
  );

beforeAll(async () => {
  h = await createHarness({ now: () => now });
  demo = await seedAndSignInDemo(h, { today: TODAY, now: SEEDED });
  riverside = (
    await withTenant(h.db.app.prisma, DEMO_VENDOR_ID, (tx) =>
      tx.market.findFirstOrThrow({ where: { name: 'Riverside Saturday Market' } }),
    )
  ).id;
}, 240_000);
afterAll(() => h.close());

describe('input health of a prep list', () => {
  it('is in the list: a reason per input, the model and the fresh weather named', async () => {
    await setWeather('NWS', new Date(SEEDED.getTime() - HOUR));
    const list = await listOf();
    expect(list.health.reasons.map((r) => r.input)).toEqual([
      'sales',
      'weather',
      'events',
      'model',
      'products',
    ]);
    expect(weatherOf(list)).toEqual({
      input: 'weather',
      status: 'good',
      text: 'Weather: NWS (National Weather Service) forecast, fetched 1 h ago.',
    });
    const model = list.health.reasons.find((r) => r.input === 'model');
    // The demo's last market day before the seed date is Sunday Nov 29.
    expect(list.model?.trainedThrough).toBe('2026-11-29');
    expect(model?.text).toBe('Model: trained through Nov 29.');
    expect(model?.status).toBe('good');
    // Counted in the markets' scheduled days: the demo's one winter market a week is not late.
    expect(list.health.reasons.find((r) => r.input === 'sales')).toMatchObject({
      status: 'good',
      text: 'Sales: last sale Nov 29, sales entered by check-ins only (you usually sell on every market day).',
    });
  }, 120_000);

  it('a forecast outage: climatology, verdict check', async () => {
    now = new Date(SEEDED.getTime() + 2 * HOUR);
    await setWeather('CLIMATOLOGY', now);
    const list = await listOf();
    expect(weatherOf(list)?.status).toBe('check');
    expect(weatherOf(list)?.text).toBe(
      'Weather: climatology (the usual weather of this date at this market): the forecast services did not answer.',
    );
    expect(list.health.verdict).toBe('check');
    expect(list.health.summary).toContain('Weather: climatology');
    expect(await staleAlerts()).toHaveLength(0);

    // The week's plan carries the same verdict, its reason naming the market day.
    const response = await h.call(demo, 'GET', `/v1/plans/week?from=${TODAY}`);
    expect(response.statusCode, response.body).toBe(200);
    const plan = WeekPlanAnswerSchema.parse(response.json());
    expect(plan.health.verdict).toBe('check');
    expect(plan.health.reasons).toContainEqual({
      input: 'weather',
      status: 'check',
      text: 'Sat, Dec 5 at Riverside Saturday Market: Weather: climatology (the usual weather of this date at this market): the forecast services did not answer.',
    });
    const saturday = plan.marketDays.find((d) => d.marketId === riverside && d.date === SATURDAY);
    expect(plan.health.marketDays).toContainEqual({
      marketDayId: saturday?.marketDayId,
      verdict: 'check',
      summary: list.health.summary,
    });
  }, 120_000);

  it('a cached forecast two days old: stale, and one alert however often it is read', async () => {
    now = new Date(SEEDED.getTime() + 4 * HOUR);
    await setWeather('NWS', new Date(now.getTime() - 50 * HOUR));
    const list = await listOf();
    expect(list.health.verdict).toBe('stale');
    expect(weatherOf(list)?.text).toBe(
      'Weather: a stale cached forecast from NWS (National Weather Service), 2 days old (the forecast services did not answer since).',
    );
    now = new Date(now.getTime() + 2 * 60_000); // past the minute the verdict is reused
    expect((await listOf()).health.verdict).toBe('stale');
    const alerts = await staleAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.title).toBe(
      'Check the prep list for Riverside Saturday Market, Sat, Dec 5: its inputs are out of date',
    );
    expect(alerts[0]?.body).toContain('stale cached forecast');
    // The export carries the same verdict.
    const pdf = await h.call(
      demo,
      'GET',
      `/v1/markets/${riverside}/prep-lists/${SATURDAY}/export.pdf`,
    );
    expect(pdf.statusCode).toBe(200);
  }, 120_000);

  it('a lookup that found no events near the market is a lookup: good, not "check inputs"', async () => {
    now = new Date(SEEDED.getTime() + 8 * HOUR);
    await setWeather('NWS', new Date(now.getTime() - HOUR));
    await h.db.adminQuery(`UPDATE markets SET events_looked_up_at = NULL WHERE id = $1`, [
      riverside,
    ]);
    await h.db.adminQuery(`DELETE FROM events WHERE market_id = $1 AND source = 'TICKETMASTER'`, [
      riverside,
    ]);
    const before = eventsOf(await listOf());
    expect(before?.status).toBe('check');
    expect(before?.text).toContain('no event listings available');

    // What refresh-events stores when the provider answers with nothing near this market.
    await withTenant(h.db.app.prisma, DEMO_VENDOR_ID, (tx) =>
      new BackgroundWorkRepository(tx).upsertProviderEvents({
        vendorId: DEMO_VENDOR_ID,
        marketId: riverside,
        source: 'TICKETMASTER',
        fetchedAt: new Date(now.getTime() - HOUR),
        events: [],
      }),
    );
    now = new Date(now.getTime() + 2 * 60_000); // past the minute the verdict is reused
    const list = await listOf();
    expect(eventsOf(list)).toMatchObject({ status: 'good' });
    expect(eventsOf(list)?.text).toMatch(/^Events: .*, looked up 1 h ago\.$/);
    expect(list.health.verdict).toBe('good');
  }, 120_000);
});
