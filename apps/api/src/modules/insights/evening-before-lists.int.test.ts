// The demo vendor's past prep lists (`storeEveningBeforeLists`, stored by `npm start` after the
// seed): one per scheduled market day, dated the evening before, made without that day's sales or
// any later, and what fills the Insights cards a vendor who used MarketPrep would see filled.
import { ForecastVsActualSchema, MonthChangesSchema } from '@marketprep/contracts';
import { DEMO_VENDOR_ID, withTenant } from '@marketprep/db';
import { storeEveningBeforeLists } from '@marketprep/planning';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, seedAndSignInDemo, type Agent, type Harness } from '../../testing/harness';

// Sunday 2026-11-22, 14:00 in Chicago: the demo's history ends yesterday.
const NOW = new Date('2026-11-22T20:00:00Z');
const FROM = '2026-11-01';
const TO = '2026-11-21';

let h: Harness;
let demo: Agent;

const listsOf = () =>
  withTenant(h.db.app.prisma, DEMO_VENDOR_ID, (tx) =>
    tx.recommendation.findMany({
      where: { trigger: 'evening-before' },
      select: {
        marketId: true,
        generatedAt: true,
        marketDay: { select: { date: true } },
        lines: { select: { productId: true, q50: true, quantity: true } },
      },
      orderBy: [{ marketDay: { date: 'asc' } }, { marketId: 'asc' }],
    }),
  );

beforeAll(async () => {
  h = await createHarness({ now: () => NOW });
  demo = await seedAndSignInDemo(h, { today: '2026-11-22', now: NOW });
}, 180_000);
afterAll(() => h.close());

describe('the prep lists the demo vendor had the evening before', () => {
  it('stores one per market day, made the evening before without that day’s sales', async () => {
    const stored = await storeEveningBeforeLists({
      db: h.db.app,
      vendorId: DEMO_VENDOR_ID,
      from: FROM,
      to: TO,
    });
    // Saturdays at Riverside and Sundays at Maplewood (its season ends in November): Nov 1 to 21.
    expect(stored).toBe(6);
    const lists = await listsOf();
    expect(lists.map((l) => l.marketDay.date.toISOString().slice(0, 10))).toEqual([
      '2026-11-01',
      '2026-11-07',
      '2026-11-08',
      '2026-11-14',
      '2026-11-15',
      '2026-11-21',
    ]);
    // 18:00 in Chicago (CST, UTC-6) the day before.
    expect(lists[5]?.generatedAt.toISOString()).toBe('2026-11-21T00:00:00.000Z');
    for (const list of lists) expect(list.lines.length).toBeGreaterThan(20);

    // A day that has its list keeps it: a second run stores nothing.
    expect(
      await storeEveningBeforeLists({ db: h.db.app, vendorId: DEMO_VENDOR_ID, from: FROM, to: TO }),
    ).toBe(0);

    // Nov 21's own sales ten times over: its list, made again, does not move (it never saw them).
    const before = lists[5]!;
    await withTenant(h.db.app.prisma, DEMO_VENDOR_ID, async (tx) => {
      await tx.$executeRaw`UPDATE daily_sales SET quantity = quantity * 10
                            WHERE date = ${new Date('2026-11-21T00:00:00Z')}`;
      await tx.recommendation.deleteMany({
        where: { trigger: 'evening-before', marketDay: { date: new Date('2026-11-21T00:00:00Z') } },
      });
    });
    expect(
      await storeEveningBeforeLists({ db: h.db.app, vendorId: DEMO_VENDOR_ID, from: FROM, to: TO }),
    ).toBe(1);
    const again = (await listsOf())[5]!;
    const q50 = (l: typeof before) =>
      Object.fromEntries(l.lines.map((line) => [line.productId, Number(line.q50)]));
    expect(q50(again)).toEqual(q50(before));
    await withTenant(
      h.db.app.prisma,
      DEMO_VENDOR_ID,
      (tx) =>
        tx.$executeRaw`UPDATE daily_sales SET quantity = quantity / 10
                      WHERE date = ${new Date('2026-11-21T00:00:00Z')}`,
    );
  });

  it('fills "What MarketPrep changed" and the forecast against what sold', async () => {
    const changes = MonthChangesSchema.parse(
      (await h.call(demo, 'GET', '/v1/insights/month-changes?month=2026-11')).json(),
    );
    // Every product of the six days has a check-in in the demo: all scored against what was brought.
    expect(changes.marketDays).toBe(6);
    expect(changes.vsBrought.productDays).toBeGreaterThan(100);
    expect(changes.vsRuleOnly.productDays).toBe(0);

    const lists = await listsOf();
    const riverside = lists.find((l) => l.marketDay.date.toISOString().startsWith('2026-11-21'))!;
    const productId = riverside.lines[0]!.productId;
    const fva = ForecastVsActualSchema.parse(
      (
        await h.call(
          demo,
          'GET',
          `/v1/insights/forecast-vs-actual?marketId=${riverside.marketId}&productId=${productId}&from=2026-10-25&to=2026-11-21`,
        )
      ).json(),
    );
    const withList = fva.data.filter((d) => d.q50 !== null).map((d) => d.date);
    expect(withList).toEqual(['2026-11-07', '2026-11-14', '2026-11-21']);
    for (const d of fva.data.filter((x) => x.q50 !== null)) {
      expect(d.q10!).toBeLessThanOrEqual(d.q50!);
      expect(d.q50!).toBeLessThanOrEqual(d.q90!);
      expect(d.recommended).not.toBeNull();
    }
  });
});
