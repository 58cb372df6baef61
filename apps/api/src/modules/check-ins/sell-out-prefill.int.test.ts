// Sell-out times from Square order timestamps (issue 22, part 3) on the real database: six past
// Saturdays of Square sale lines (sourdough and baguettes selling through the morning), then a
// Saturday whose sourdough stops at 10:40 while baguettes sell until close. The check-in of that
// day comes prefilled with sourdough sold out at 10:40 (baguettes not), saving it as prefilled
// stores the time, and the engine's training input then reads the day as censored demand: at
// least 14 / (100/240) = 33.6 loaves, not the 14 sold.
import { randomUUID } from 'node:crypto';
import { CheckInSchema } from '@marketprep/contracts';
import { DemandInputsRepository, withTenant } from '@marketprep/db';
import { demandLowerBound } from '@marketprep/forecast';
import { buildTrainingInputs } from '@marketprep/planning';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { seedShop, type Shop } from './check-ins.fixtures';

// Saturday 2026-12-05 Chicago, market 09:00-13:00 (15:00-19:00 UTC); check-in the same afternoon.
const NOW = new Date('2026-12-05T21:00:00Z');
const DAY = '2026-12-05';
const PAST = ['2026-10-24', '2026-10-31', '2026-11-07', '2026-11-14', '2026-11-21', '2026-11-28'];

let h: Harness;
let owner: Agent;
let shop: Shop;

/** A Saturday instant at local `HH:MM` in Chicago (UTC-5 until Nov 1, 2026, then UTC-6). */
const at = (date: string, hhmm: string) => {
  const [hh, mm] = hhmm.split(':').map(Number);
  const offset = date < '2026-11-01' ? 5 : 6;
  return new Date(
    `${date}T${String((hh ?? 0) + offset).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00Z`,
  );
};

async function squareLines(lines: { key: string; date: string; time: string; quantity: number }[]) {
  const vendorId = owner.vendorId!;
  await withTenant(h.db.app.prisma, vendorId, (tx) =>
    tx.sale.createMany({
      data: lines.map((line, i) => ({
        vendorId,
        marketId: shop.marketId,
        productId: shop.productIds[line.key]!,
        source: 'SQUARE' as const,
        providerOrderId: `ORD-${line.date}-${i}`,
        providerLineId: `LINE-${line.date}-${line.key}-${i}`,
        soldAt: at(line.date, line.time),
        marketDate: new Date(`${line.date}T00:00:00Z`),
        quantity: line.quantity,
        unitPriceMinor: 800,
        grossMinor: 800 * line.quantity,
      })),
    }),
  );
}

beforeAll(async () => {
  h = await createHarness({ now: () => NOW });
  owner = await h.signup({ vendorName: 'Crumb & Co' });
  shop = await seedShop(h.db.app, owner.vendorId!, {
    market: {
      name: 'Riverside Saturday Market',
      schedule: [{ weekday: 5, opensAt: '09:00', closesAt: '13:00' }],
    },
    products: [
      {
        key: 'bread',
        name: 'Sourdough',
        priceMinor: 800,
        unitCostMinor: 250,
        salvageValueMinor: 0,
      },
      {
        key: 'baguette',
        name: 'Baguette',
        priceMinor: 450,
        unitCostMinor: 120,
        salvageValueMinor: 0,
      },
    ],
    days: [...PAST, DAY].map((date) => ({
      date,
      // Stored with its hours, as the app stores a market day it creates from the schedule.
      opensAt: at(date, '09:00').toISOString(),
      closesAt: at(date, '13:00').toISOString(),
      sales: [
        { key: 'bread', quantity: date === DAY ? 14 : 24, revenueMinor: 0 },
        { key: 'baguette', quantity: 10, revenueMinor: 0 },
      ],
    })),
  });
  // Past Saturdays: both sell evenly through the four hours.
  const past = PAST.flatMap((date) =>
    ['09:10', '09:50', '10:30', '11:10', '11:50', '12:30'].flatMap((time) => [
      { key: 'bread', date, time, quantity: 4 },
      { key: 'baguette', date, time, quantity: 2 },
    ]),
  );
  const today = [
    ...['09:04', '09:20', '09:41', '10:02', '10:25', '10:40'].map((time, i) => ({
      key: 'bread',
      date: DAY,
      time,
      quantity: [2, 3, 2, 3, 2, 2][i]!,
    })),
    ...['09:10', '10:15', '11:30', '12:20', '12:51'].map((time) => ({
      key: 'baguette',
      date: DAY,
      time,
      quantity: 2,
    })),
  ];
  await squareLines([...past, ...today]);
}, 240_000);
afterAll(() => h.close());

describe('sell-out times from Square', () => {
  it('prefill the check-in and feed censoring once saved', async () => {
    const url = `/v1/markets/${shop.marketId}/check-ins/${DAY}`;
    const form = CheckInSchema.parse((await h.call(owner, 'GET', url)).json());
    const line = (id: string | undefined) => form.lines.find((l) => l.productId === id);
    expect(line(shop.productIds.bread)?.soldOutAt).toBe(at(DAY, '10:40').toISOString());
    expect(line(shop.productIds.baguette)?.soldOutAt).toBeNull();
    // The form says where both came from: Square's orders (the check-in reads "from Square:
    // last sale 10:40").
    expect(line(shop.productIds.bread)?.prefilledFrom).toEqual({
      sold: 'square',
      soldOutAt: 'square',
    });
    expect(line(shop.productIds.baguette)?.prefilledFrom).toEqual({
      sold: 'square',
      soldOutAt: null,
    });

    // Saved as prefilled (what the form sends when the vendor just confirms it).
    const saved = await h.call(owner, 'PUT', url, {
      clientSubmissionId: randomUUID(),
      lines: form.lines.map((l) => ({
        productId: l.productId,
        brought: l.sold,
        sold: l.sold,
        leftOver: 0,
        wasted: 0,
        donated: 0,
        soldOutAt: l.soldOutAt,
      })),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    // Saved, the values are the vendor's: no longer a prefill.
    const again = CheckInSchema.parse((await h.call(owner, 'GET', url)).json());
    expect(again.lines.map((l) => l.prefilledFrom)).toEqual([
      { sold: null, soldOutAt: null },
      { sold: null, soldOutAt: null },
    ]);

    const history = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      new DemandInputsRepository(tx).loadHistory(),
    );
    const inputs = buildTrainingInputs(history);
    const observation = inputs.sales.find(
      (s) => s.date === DAY && s.product === shop.productIds.bread,
    );
    expect(observation?.quantity).toBe(14);
    // Sold out 100 of 240 minutes into the day: demand read as at least 14 / (100/240) = 33.6.
    expect(demandLowerBound(observation!)).toBeCloseTo(33.6, 1);
    const baguette = inputs.sales.find(
      (s) => s.date === DAY && s.product === shop.productIds.baguette,
    );
    expect(demandLowerBound(baguette!)).toBe(10);
  }, 120_000);
});
