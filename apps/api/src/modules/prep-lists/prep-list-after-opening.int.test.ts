// A market day's prep list is the list the vendor packed from: once the market has opened, new
// sales (the day's own, from Square or a check-in) and the model retrained on them change the
// inputs, but opening the list again shows it as it was, and the check-in's "recommended" stays.
// Before the market opens, changed inputs still plan it again; a forced regenerate always does.
import { CheckInSchema, PrepListSchema, type PrepList } from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { getPrepList, weeksBefore } from './prep-list-test-helpers';
import { seedShop, type Shop } from '../check-ins/check-ins.fixtures';

// Saturday 2026-11-28 at Chicago (UTC-6), the market open 08:00-13:00.
const DATE = '2026-11-28';
const FRIDAY_EVENING = new Date('2026-11-28T00:00:00Z'); // Fri 18:00
const SATURDAY_EARLY = new Date('2026-11-28T12:30:00Z'); // Sat 06:30, before opening
const SATURDAY_AFTER = new Date('2026-11-28T21:00:00Z'); // Sat 15:00, packed up

let clock = FRIDAY_EVENING;
let h: Harness;
let owner: Agent;
let shop: Shop;
let url: string;
let lineNumber = 0;

/** Twenty Saturdays of history before the market day. */
const pastSaturdays = () => weeksBefore(DATE, 20);

const getList = () => getPrepList(h, owner, url);

/** Sales of bread on `date` sent the way a POS does (new inputs for the planner). */
async function sellBread(date: string, quantity: number): Promise<void> {
  lineNumber += 1;
  const response = await h.call(owner, 'POST', '/v1/sales', {
    source: 'test-pos',
    lines: [
      {
        lineId: `line-${lineNumber}`,
        marketId: shop.marketId,
        productId: shop.productIds.bread,
        date,
        quantity,
        unitPriceMinor: 800,
      },
    ],
  });
  expect(response.statusCode, response.body).toBe(200);
}

const breadOf = (list: PrepList) =>
  list.lines.find((line) => line.productId === shop.productIds.bread)!;

beforeAll(async () => {
  h = await createHarness({ now: () => clock });
  owner = await h.signup({ vendorName: 'Packed Bakery' });
  shop = await seedShop(h.db.app, owner.vendorId!, {
    market: {
      name: 'Opening Market',
      schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
    },
    products: [
      { key: 'bread', name: 'Bread', priceMinor: 800, unitCostMinor: 300, salvageValueMinor: 100 },
    ],
    days: [
      ...pastSaturdays().map((date, i) => ({
        date,
        sales: [
          { key: 'bread', quantity: 20 + (i % 5) * 2, revenueMinor: (20 + (i % 5) * 2) * 800 },
        ],
      })),
      { date: DATE },
    ],
  });
  url = `/v1/markets/${shop.marketId}/prep-lists/${DATE}`;
}, 180_000);
afterAll(() => h.close());

describe('a prep list after the market has opened', () => {
  it('is planned again before the market opens, and kept as it was once it has', async () => {
    const evening = await getList();

    // Early Saturday: a late sale of the week before arrives; the list is planned again.
    clock = SATURDAY_EARLY;
    await sellBread(pastSaturdays()[0]!, 60);
    const morning = await getList();
    expect(morning.id).not.toBe(evening.id);

    // After the market: the day's own sales arrive, far above the list (new inputs the planner
    // would plan with). The list stays the one packed from.
    clock = SATURDAY_AFTER;
    await sellBread(DATE, 400);
    const after = await getList();
    expect(after.id).toBe(morning.id);
    expect(after.generatedAt).toBe(morning.generatedAt);
    expect(breadOf(after).effectiveQuantity).toBe(breadOf(morning).effectiveQuantity);

    // The check-in of the day offers that list's quantity as "recommended".
    const checkIn = CheckInSchema.parse(
      (await h.call(owner, 'GET', `/v1/markets/${shop.marketId}/check-ins/${DATE}`)).json(),
    );
    expect(checkIn.lines[0]?.recommendedQuantity).toBe(breadOf(morning).effectiveQuantity);
  });

  it('is planned again when the owner forces it', async () => {
    clock = SATURDAY_AFTER;
    const before = await getList();
    const forced = await h.call(owner, 'POST', `${url}/regenerate`);
    expect(forced.statusCode, forced.body).toBe(200);
    expect(PrepListSchema.parse(forced.json()).id).not.toBe(before.id);
  });
});
