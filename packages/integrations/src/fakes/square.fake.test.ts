import { describe, expect, it } from 'vitest';
import {
  createSquareFake,
  DEMO_SQUARE_LOCATIONS,
  DEMO_SQUARE_VARIATIONS,
  type FakeSquareOrder,
} from './square.fake';

// The demo Square account's season of orders must look like a market stall's, so the demo
// backfill, the prep list it feeds and the mapping screen show something a vendor recognizes.
const demo = (today: string, seed = 7) =>
  createSquareFake({
    locations: [...DEMO_SQUARE_LOCATIONS],
    variations: [...DEMO_SQUARE_VARIATIONS],
    season: { today, seed },
  });

const chicago = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Chicago',
  hourCycle: 'h23',
  weekday: 'short',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const local = (order: FakeSquareOrder) => {
  const parts = Object.fromEntries(
    chicago.formatToParts(new Date(order.closed_at)).map((p) => [p.type, p.value]),
  );
  return {
    weekday: parts.weekday,
    monthDay: `${parts.month}-${parts.day}`,
    month: Number(parts.month),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
};

const sales = (fake: ReturnType<typeof demo>) =>
  fake.orders.filter((o) => o.line_items !== undefined);

describe('Square fake: a season of market orders', () => {
  // Two "todays": just after the summer season, and in spring (the year before holds a summer).
  for (const today of ['2026-12-05', '2026-04-15']) {
    it(`sells each location on its own market days and hours only (today ${today})`, () => {
      const fake = demo(today);
      const orders = sales(fake);
      expect(orders.length).toBeGreaterThan(6_000);
      expect(orders.length).toBeLessThan(14_000);
      const byLocation = groupBy(orders, (o) => o.location_id);
      const days = (id: string) => new Set(byLocation.get(id)!.map((o) => local(o).weekday));
      expect(days('LDEMORIVERSIDE')).toEqual(new Set(['Sat']));
      expect(days('LDEMOMAPLEWOOD')).toEqual(new Set(['Sun']));
      expect(days('LDEMOLAKEVIEW')).toEqual(new Set(['Wed']));
      expect(days('LDEMOKITCHEN')).toEqual(new Set(['Thu', 'Fri']));
      for (const order of byLocation.get('LDEMORIVERSIDE')!) {
        const { monthDay, minutes } = local(order);
        const summer = monthDay >= '05-01' && monthDay <= '10-31';
        // Summer 07:30-12:30, indoors in winter 09:00-13:00 (local time, across DST).
        expect(minutes).toBeGreaterThanOrEqual(summer ? 450 : 540);
        expect(minutes).toBeLessThanOrEqual(summer ? 750 : 780);
      }
      for (const order of byLocation.get('LDEMOLAKEVIEW')!) {
        expect(local(order).monthDay >= '05-01' && local(order).monthDay <= '10-31').toBe(true);
      }
      for (const order of byLocation.get('LDEMOMAPLEWOOD')!) {
        expect(local(order).month).toBeGreaterThanOrEqual(4);
        expect(local(order).month).toBeLessThanOrEqual(11);
      }
      // Every order is before today, within the season's year.
      expect(fake.orders.every((o) => o.closed_at < `${today}T06:00:00Z`)).toBe(true);
    });
  }

  it('is busiest in the first hours of a market and in the first weeks of the summer season', () => {
    const orders = sales(demo('2026-12-05')).filter((o) => o.location_id === 'LDEMORIVERSIDE');
    const summer = orders.filter((o) => local(o).month >= 5 && local(o).month <= 10);
    const firstHalf = summer.filter((o) => local(o).minutes < 450 + 150).length;
    expect(firstHalf / summer.length).toBeGreaterThan(0.6);
    const perDay = groupBy(summer, (o) => o.closed_at.slice(0, 10));
    const sizes = [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, d]) => d);
    const mean = (list: FakeSquareOrder[][]) =>
      list.reduce((sum, d) => sum + d.length, 0) / list.length;
    expect(mean(sizes.slice(0, 4))).toBeGreaterThan(1.25 * mean(sizes.slice(-8)));
    // Winter Saturdays (indoors) are quieter than summer ones.
    const winter = orders.filter((o) => local(o).month <= 3);
    const winterDays = new Set(winter.map((o) => o.closed_at.slice(0, 10))).size;
    expect(winter.length / winterDays).toBeLessThan(0.7 * (summer.length / perDay.size));
  });

  it('sells produce in its months only', () => {
    const orders = sales(demo('2026-12-05'));
    const monthsOf = (variationId: string) =>
      new Set(
        orders
          .filter((o) => o.line_items!.some((l) => l.catalog_object_id === variationId))
          .map((o) => local(o).month),
      );
    const tomatoes = DEMO_SQUARE_VARIATIONS.find((v) => v.itemName === 'Heirloom Tomatoes')!;
    expect([...monthsOf(tomatoes.id)].sort((a, b) => a - b)).toEqual([7, 8, 9]);
    const sourdough = DEMO_SQUARE_VARIATIONS.find((v) => v.itemName === 'Country Sourdough')!;
    expect(monthsOf(sourdough.id).size).toBe(12);
  });

  it('is deterministic, with returns and cancellations, and its totals net the returns', () => {
    const one = demo('2026-12-05');
    const two = demo('2026-12-05');
    expect(two.orders).toEqual(one.orders);
    expect(demo('2026-12-05', 8).orders).not.toEqual(one.orders);
    expect(one.orders.some((o) => o.state === 'CANCELED')).toBe(true);
    const returns = one.orders.filter((o) => o.returns !== undefined);
    expect(returns.length).toBeGreaterThan(100);
    const totals = one.totals();
    const sold = sales(one)
      .filter((o) => o.state === 'COMPLETED')
      .flatMap((o) => o.line_items!)
      .reduce((sum, line) => sum + Number(line.quantity), 0);
    const total = [...totals.values()].reduce((sum, q) => sum + q, 0);
    expect(total).toBe(sold - returns.length);
  });
});
