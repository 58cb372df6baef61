// A new market starts from what the vendor knows (issue 13, item 5): the demo vendor opens a new
// Saturday market and says it is "about half of Riverside". With no sales there yet, its prep list
// is Riverside's scaled by a half, every line says it is a guess from Riverside, and the list says
// so at the top. Without the owner's size the engine would start from the smallest market
// (Lakeview), and say so.
import { PrepListSchema, type PrepList } from '@marketprep/contracts';
import { DEMO_VENDOR_ID, withTenant } from '@marketprep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, seedAndSignInDemo, type Agent, type Harness } from '../../testing/harness';
import { createMarket } from '../markets/catalog-test-helpers';

// Friday 2026-12-04 in Chicago; the lists are for Saturday 2026-12-05.
const NOW = new Date('2026-12-04T18:00:00Z');
const TODAY = '2026-12-04';
const SATURDAY = '2026-12-05';

let h: Harness;
let demo: Agent;
let riverside: string;

async function listOf(marketId: string, date = SATURDAY): Promise<PrepList> {
  const response = await h.call(demo, 'GET', `/v1/markets/${marketId}/prep-lists/${date}`);
  expect(response.statusCode, response.body).toBe(200);
  return PrepListSchema.parse(response.json());
}

/** A demo market north of Riverside, on Saturdays 08:00-12:00: its id. */
const createNearbyMarket = async (name: string, extra: Record<string, unknown>): Promise<string> =>
  (
    await createMarket(h, demo, {
      name,
      latitude: 41.95,
      longitude: -87.67,
      boothFeeMinor: 4000,
      schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '12:00' }],
      ...extra,
    })
  ).id;

const inSeason = (list: PrepList) =>
  list.lines.filter((l) => l.availability.inSeason && l.modelRung !== 'closed');
const q50Of = (list: PrepList) => new Map(list.lines.map((l) => [l.productId, l.q50]));
const sumQ50 = (list: PrepList) => inSeason(list).reduce((sum, l) => sum + l.q50, 0);

beforeAll(async () => {
  h = await createHarness({ now: () => NOW });
  demo = await seedAndSignInDemo(h, { today: TODAY, now: NOW });
  const market = await withTenant(h.db.app.prisma, DEMO_VENDOR_ID, (tx) =>
    tx.market.findFirstOrThrow({ where: { name: 'Riverside Saturday Market' } }),
  );
  riverside = market.id;
}, 240_000);
afterAll(() => h.close());

describe("a new market's prep list from the owner's size", () => {
  it('is about half of Riverside, a cold start from Riverside, and says so at the top', async () => {
    const reference = await listOf(riverside);
    const half = await createNearbyMarket('Uptown Saturday Market', {
      expectedSize: { referenceMarketId: riverside, scale: 0.5 },
    });
    const list = await listOf(half);

    const open = inSeason(list);
    expect(open.length).toBeGreaterThan(5);
    for (const line of open) {
      expect(line.modelRung, line.productName).toBe('cold-start');
      expect(line.explanation.basis, line.productName).toMatch(
        /^your sales at Riverside Saturday Market, scaled x0\.\d+$/,
      );
    }
    expect(list.coldStart?.note).toMatch(
      /^Little or no history at this market yet: these numbers are a guess from your sales at Riverside Saturday Market/,
    );

    // Riverside's typical day times a half, with the vendor's pooled effects: roughly half its
    // own list, product by product and in total.
    const riversideQ50 = q50Of(reference);
    const ratios = open
      .filter((l) => (riversideQ50.get(l.productId) ?? 0) >= 4)
      .map((l) => l.q50 / (riversideQ50.get(l.productId) ?? 1));
    expect(ratios.length).toBeGreaterThan(5);
    const sorted = [...ratios].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    expect(median).toBeGreaterThan(0.35);
    expect(median).toBeLessThan(0.65);
    const total = sumQ50(list) / sumQ50(reference);
    expect(total).toBeGreaterThan(0.35);
    expect(total).toBeLessThan(0.65);
  }, 120_000);

  it('follows the size the owner gives, and the default is the smallest market', async () => {
    const sized = await createNearbyMarket('Southside Saturday Market', {
      expectedSize: { referenceMarketId: riverside, scale: 0.5 },
    });
    const halfList = await listOf(sized);

    // A PATCH of the size recomputes the list (the market changed): 1.5 x Riverside is 3 x.
    const patched = await h.call(demo, 'PATCH', `/v1/markets/${sized}`, {
      expectedSize: { referenceMarketId: riverside, scale: 1.5 },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const bigList = await listOf(sized);
    expect(bigList.id).not.toBe(halfList.id);
    const half = q50Of(halfList);
    for (const line of inSeason(bigList)) {
      const before = half.get(line.productId) ?? 0;
      if (before < 2) continue;
      expect(line.q50 / before, line.productName).toBeGreaterThan(2.5);
      expect(line.q50 / before, line.productName).toBeLessThan(3.5);
    }
    expect(bigList.totals.effectiveQuantity).toBeGreaterThan(halfList.totals.effectiveQuantity * 2);

    // Without a size the engine starts from the vendor's smallest market, not Riverside.
    const unsized = await h.call(demo, 'PATCH', `/v1/markets/${sized}`, { expectedSize: null });
    expect(unsized.statusCode, unsized.body).toBe(200);
    const defaultList = await listOf(sized);
    for (const line of inSeason(defaultList)) {
      expect(line.modelRung, line.productName).toBe('cold-start');
      expect(line.explanation.basis ?? '', line.productName).not.toMatch(/Riverside/);
    }
  }, 120_000);
});
