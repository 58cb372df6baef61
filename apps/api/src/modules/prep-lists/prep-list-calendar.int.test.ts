import { PrepListSchema, type PrepList } from '@marketprep/contracts';
import { DEMO_VENDOR_ID, withTenant } from '@marketprep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, seedAndSignInDemo, type Agent, type Harness } from '../../testing/harness';

// The demo vendor's year, seen from Friday 2026-12-04 in Chicago (history through yesterday):
// the lists a vendor would pack in December, the Saturday before Christmas Eve, and next May and
// July, from one trained model (STYLE.md #18: a vendor's year is the fixture).
const NOW = new Date('2026-12-04T18:00:00Z');
const TODAY = '2026-12-04';

let h: Harness;
let demo: Agent;
let riverside: string;

const SUMMER_PRODUCE = [
  'Strawberries',
  'Blueberries',
  'Sweet Corn (half dozen)',
  'Heirloom Tomatoes',
  'Summer Bouquet',
  'Tulips (10 stems)',
];

async function listOf(date: string, marketId = riverside): Promise<PrepList> {
  const response = await h.call(demo, 'GET', `/v1/markets/${marketId}/prep-lists/${date}`);
  expect(response.statusCode, response.body).toBe(200);
  return PrepListSchema.parse(response.json());
}

const lineOf = (list: PrepList, name: string) => {
  const line = list.lines.find((l) => l.productName === name);
  if (!line) throw new Error(`${name} is not on the list of ${list.date}`);
  return line;
};

beforeAll(async () => {
  h = await createHarness({ now: () => NOW });
  demo = await seedAndSignInDemo(h, { today: TODAY, now: NOW });
  const market = await withTenant(h.db.app.prisma, DEMO_VENDOR_ID, (tx) =>
    tx.market.findFirstOrThrow({ where: { name: 'Riverside Saturday Market' } }),
  );
  riverside = market.id;
}, 240_000);
afterAll(() => h.close());

describe('the demo vendor through the year', () => {
  it('brings no summer produce to a December Saturday, and the totals leave it out', async () => {
    const list = await listOf('2026-12-05');
    for (const name of SUMMER_PRODUCE) {
      const line = lineOf(list, name);
      expect(line.modelRung, name).toBe('out-of-season');
      expect(line.effectiveQuantity, name).toBe(0);
      expect(line.expectedRevenueMinor, name).toBe(0);
      expect(line.availability.inSeason).toBe(false);
      expect(line.availability.note, name).toMatch(/^Not in season: last sold \w{3} \d+; usually/);
    }
    expect(lineOf(list, 'Strawberries').availability.usualMonths).toEqual(
      expect.arrayContaining([6]),
    );
    // Bread and preserves are year-round.
    expect(lineOf(list, 'Country Sourdough').effectiveQuantity).toBeGreaterThan(10);
    expect(lineOf(list, 'Wildflower Honey').availability.inSeason).toBe(true);
    const inSeason = list.lines.filter((l) => l.availability.inSeason);
    expect(list.totals.effectiveQuantity).toBe(
      inSeason.reduce((sum, l) => sum + l.effectiveQuantity, 0),
    );
    // What the vendor brought on recent Saturdays was 746-871 units; the list stays near that.
    expect(list.totals.effectiveQuantity).toBeLessThan(950);
  });

  it('asks to check a Saturday market on Christmas Day, and not the Saturday before', async () => {
    // Christmas Day 2027 is a Saturday: the schedule makes it a market day.
    expect((await listOf('2027-12-25')).closingHoliday).toBe('Christmas Day');
    expect((await listOf('2026-12-19')).closingHoliday).toBeNull();
  });

  it('names the Christmas week on a holiday staple the Saturday before Christmas Eve', async () => {
    const list = await listOf('2026-12-19');
    const sourdough = lineOf(list, 'Country Sourdough');
    const holiday = sourdough.explanation.effects.find((e) => e.name === 'holiday');
    expect(holiday?.label).toBe('Christmas week');
    expect(holiday?.percent).toBeGreaterThanOrEqual(10);
    expect(sourdough.explanation.summary).toMatch(
      /Christmas week \+[\d.]+ \(\+\d+%, from your last/,
    );
    const ordinary = lineOf(await listOf('2026-12-12'), 'Country Sourdough');
    expect(sourdough.q50).toBeGreaterThan(ordinary.q50 * 1.1);
  });

  it('packs berries in July and tulips in May, and no apples before August', async () => {
    const july = await listOf('2027-07-10');
    expect(lineOf(july, 'Blueberries').effectiveQuantity).toBeGreaterThan(5);
    expect(lineOf(july, 'Sweet Corn (half dozen)').availability.inSeason).toBe(true);
    expect(lineOf(july, 'Apples (2 lb bag)').modelRung).toBe('out-of-season');
    expect(lineOf(july, 'Pumpkin Pie').modelRung).toBe('out-of-season');
    // Apples came on the first Saturday of August both years: not two weeks before (the market
    // traded without them then), and their first weeks' few bags, not last winter's 40.
    const lateJuly = lineOf(await listOf('2027-07-17'), 'Apples (2 lb bag)');
    expect(lateJuly.modelRung).toBe('out-of-season');
    expect(lateJuly.availability.note).toMatch(/^Not in season/);
    const august = lineOf(await listOf('2027-07-31'), 'Apples (2 lb bag)');
    expect(august.availability.inSeason).toBe(true);
    expect(august.availability.note).toBe(
      'Season start: following your first weeks of last season',
    );
    expect(august.effectiveQuantity).toBeGreaterThan(0);
    expect(august.effectiveQuantity).toBeLessThan(20);
    const may = await listOf('2027-05-08');
    expect(lineOf(may, 'Tulips (10 stems)').effectiveQuantity).toBeGreaterThan(3);
    expect(lineOf(may, 'Blueberries').modelRung).toBe('out-of-season');
  });

  it('answers an out-of-season day of a seasonal market with 404 and the reason', async () => {
    const maplewood = await withTenant(h.db.app.prisma, DEMO_VENDOR_ID, (tx) =>
      tx.market.findFirstOrThrow({ where: { name: { startsWith: 'Maplewood' } } }),
    );
    const response = await h.call(demo, 'GET', `/v1/markets/${maplewood.id}/prep-lists/2026-12-06`);
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json<{
      type: string;
      detail: string;
      previousMarketDate: string | null;
      nextMarketDate: string | null;
    }>();
    expect(problem.type).toBe('https://marketprep.app/problems/not-a-market-day');
    // The last Sunday of this season and the first of the next, in words and as fields.
    expect(problem.detail).toMatch(
      /^Maplewood[\w ]* is closed on Sun, Dec 6: its Sunday market runs Apr 1–Nov 30; its next market day is Sun, Apr 4, 2027 and the one before is Sun, Nov 29\.$/,
    );
    expect(problem).toMatchObject({
      previousMarketDate: '2026-11-29',
      nextMarketDate: '2027-04-04',
    });
    // The day offered is one the prep list serves.
    const next = await h.call(demo, 'GET', `/v1/markets/${maplewood.id}/prep-lists/2027-04-04`);
    expect(next.statusCode, next.body).toBe(200);
  });
});
