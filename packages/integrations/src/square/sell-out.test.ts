import { describe, expect, it } from 'vitest';
import {
  createSquareFake,
  DEMO_SQUARE_LOCATIONS,
  DEMO_SQUARE_VARIATIONS,
  type FakeSquareOrder,
} from '../fakes/square.fake';
import {
  FLAT_CURVE,
  SELL_OUT_RULES,
  deriveSellOutTimes,
  usualSalesCurves,
  usualShareBy,
  type TimedMarketDay,
  type TimedSale,
} from './sell-out';

const RIVERSIDE = 'LDEMORIVERSIDE';
const SOURDOUGH = DEMO_SQUARE_VARIATIONS.find((v) => v.itemName === 'Country Sourdough')!.id;
const BAGUETTE = DEMO_SQUARE_VARIATIONS.find((v) => v.itemName === 'Baguette')!.id;
const localDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' });

/** Sale lines of Square orders as the sync stores them (variation as the product). */
function timedSales(orders: readonly FakeSquareOrder[]): TimedSale[] {
  return orders
    .filter((o) => o.state === 'COMPLETED')
    .flatMap((o) =>
      (o.line_items ?? []).map((line) => ({
        productId: line.catalog_object_id ?? '',
        soldAt: new Date(o.closed_at),
        quantity: Number(line.quantity),
      })),
    );
}

/** Riverside's winter Saturdays in the fake's season: 09:00-13:00 Chicago (15:00-19:00 UTC). */
function winterSaturdays(orders: readonly FakeSquareOrder[]): TimedMarketDay[] {
  const byDate = new Map<string, FakeSquareOrder[]>();
  for (const order of orders) {
    if (order.location_id !== RIVERSIDE) continue;
    const date = localDate.format(new Date(order.closed_at));
    if (date < '2025-11-08' || date > '2026-03-28') continue;
    byDate.set(date, [...(byDate.get(date) ?? []), order]);
  }
  return [...byDate].map(([date, dayOrders]) => ({
    opensAt: new Date(`${date}T15:00:00Z`),
    closesAt: new Date(`${date}T19:00:00Z`),
    sales: timedSales(dayOrders),
  }));
}

describe('sell-out times from Square orders', () => {
  it('a fake day: sourdough stopped selling at 10:40 (sold out), baguettes sold to close', () => {
    const fake = createSquareFake({
      locations: [...DEMO_SQUARE_LOCATIONS],
      variations: [...DEMO_SQUARE_VARIATIONS],
      season: { today: '2026-12-05', seed: 7 },
    });
    const curves = usualSalesCurves(winterSaturdays(fake.orders));
    const sourdoughCurve = curves.get(SOURDOUGH) ?? FLAT_CURVE;
    expect(sourdoughCurve).not.toBe(FLAT_CURVE);

    // Saturday Dec 5, 2026, 09:00-13:00 Chicago: 14 loaves by 10:40, then none; baguettes all day.
    const day = '2026-12-05';
    const at = (hhmm: string) => {
      const [h, m] = hhmm.split(':').map(Number);
      return new Date(Date.UTC(2026, 11, 5, (h ?? 0) + 6, m ?? 0));
    };
    const todays: FakeSquareOrder[] = [];
    for (const [time, loaves] of [
      ['09:04', 2],
      ['09:20', 3],
      ['09:41', 2],
      ['10:02', 3],
      ['10:25', 2],
      ['10:40', 2],
    ] as const) {
      todays.push(
        fake.addOrder({
          locationId: RIVERSIDE,
          closedAt: at(time),
          lines: [{ variationId: SOURDOUGH, quantity: loaves }],
        }),
      );
    }
    for (const time of ['09:10', '10:15', '11:30', '12:20', '12:51']) {
      todays.push(
        fake.addOrder({
          locationId: RIVERSIDE,
          closedAt: at(time),
          lines: [{ variationId: BAGUETTE, quantity: 2 }],
        }),
      );
    }
    const found = deriveSellOutTimes({
      day: { opensAt: at('09:00'), closesAt: at('13:00'), sales: timedSales(todays) },
      curves,
    });
    expect(found.map((f) => f.productId)).toEqual([SOURDOUGH]);
    const sourdough = found[0]!;
    expect(sourdough.soldOutAt.toISOString()).toBe(`${day}T16:40:00.000Z`);
    expect(sourdough.unitsSold).toBe(14);
    expect(sourdough.fractionOfDay).toBeCloseTo(100 / 240, 6);
    // By 10:40 a winter Saturday has usually sold well under the threshold of its sourdough.
    expect(sourdough.usualShareSold).toBeLessThan(SELL_OUT_RULES.maxUsualShareSold);
    expect(sourdough.usualShareSold).toBeGreaterThan(0.2);
  });

  it('a product that always sells early is not read as sold out', () => {
    const opens = new Date('2026-07-04T13:00:00Z');
    const closes = new Date('2026-07-04T18:00:00Z'); // 5 h
    const morning = (minutes: number) => new Date(opens.getTime() + minutes * 60_000);
    // Coffee: every past day it sold 95% within the first two hours.
    const past: TimedMarketDay[] = [1, 2, 3, 4].map((w) => ({
      opensAt: new Date(opens.getTime() - w * 7 * 86_400_000),
      closesAt: new Date(closes.getTime() - w * 7 * 86_400_000),
      sales: [
        {
          productId: 'coffee',
          soldAt: new Date(morning(30).getTime() - w * 7 * 86_400_000),
          quantity: 19,
        },
        {
          productId: 'coffee',
          soldAt: new Date(morning(270).getTime() - w * 7 * 86_400_000),
          quantity: 1,
        },
      ],
    }));
    const curves = usualSalesCurves(past);
    expect(usualShareBy(curves.get('coffee')!, 0.3)).toBeGreaterThanOrEqual(0.95);
    const today: TimedMarketDay = {
      opensAt: opens,
      closesAt: closes,
      sales: [
        { productId: 'coffee', soldAt: morning(20), quantity: 10 },
        { productId: 'coffee', soldAt: morning(85), quantity: 8 },
        { productId: 'pie', soldAt: morning(20), quantity: 3 },
        { productId: 'pie', soldAt: morning(85), quantity: 2 },
      ],
    };
    // Pie has no curve (flat): 85 of 300 minutes = 28% sold out. Coffee: usual, no sell-out.
    expect(deriveSellOutTimes({ day: today, curves }).map((f) => f.productId)).toEqual(['pie']);
  });

  it('edges: the gap before close and the fewest units', () => {
    const opens = new Date('2026-05-09T14:00:00Z');
    const closes = new Date('2026-05-09T18:00:00Z'); // 4 h: 15% = 36 min, so 45 min decides
    const last = (minutesBeforeClose: number, quantity = 5): TimedMarketDay => ({
      opensAt: opens,
      closesAt: closes,
      sales: [
        {
          productId: 'p',
          soldAt: new Date(closes.getTime() - minutesBeforeClose * 60_000),
          quantity,
        },
      ],
    });
    const curves = new Map<string, readonly number[]>();
    expect(deriveSellOutTimes({ day: last(45), curves })).toHaveLength(1);
    expect(deriveSellOutTimes({ day: last(44), curves })).toHaveLength(0);
    expect(
      deriveSellOutTimes({ day: last(120, SELL_OUT_RULES.minUnits - 1), curves }),
    ).toHaveLength(0);
    expect(usualShareBy(FLAT_CURVE, 0.25)).toBeCloseTo(0.25, 9);
  });
});
