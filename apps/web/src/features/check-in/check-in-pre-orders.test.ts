import type { PreOrder } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';
import { pickupsOn, preOrderedByProduct } from './check-in-pre-orders';

const MARKET = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const BREAD = '00000000-0000-4000-8000-000000000011';
const ROLLS = '00000000-0000-4000-8000-000000000012';

let next = 100;
const order = (over: Partial<PreOrder>): PreOrder => ({
  id: `00000000-0000-4000-8000-000000000${next++}`,
  productId: BREAD,
  marketId: MARKET,
  customerName: 'Ana',
  quantity: 2,
  repeat: 'once',
  firstDate: '2026-12-12',
  untilDate: null,
  notes: null,
  missedPickups: [],
  createdAt: '2026-12-01T10:00:00.000Z',
  ...over,
});

describe('pickupsOn', () => {
  it('picks the market day’s one-off and weekly orders, as the week plan counts them', () => {
    const orders = [
      order({ customerName: 'Ana' }),
      order({ customerName: 'Other day', firstDate: '2026-12-13' }),
      order({ customerName: 'Other market', marketId: OTHER }),
      order({ customerName: 'Weekly', repeat: 'weekly', firstDate: '2026-11-28', quantity: 3 }),
      order({ customerName: 'Weekly, odd week', repeat: 'weekly', firstDate: '2026-12-02' }),
      order({
        customerName: 'Weekly, ended',
        repeat: 'weekly',
        firstDate: '2026-11-21',
        untilDate: '2026-12-05',
      }),
      order({ customerName: 'Weekly, later', repeat: 'weekly', firstDate: '2026-12-19' }),
      order({ customerName: 'Rolls', productId: ROLLS, quantity: 6, notes: 'sliced' }),
    ];
    const pickups = pickupsOn(orders, MARKET, '2026-12-12');
    expect(pickups.map((p) => p.customerName)).toEqual(['Ana', 'Weekly', 'Rolls']);
    expect(pickups[2]).toMatchObject({ quantity: 6, notes: 'sliced' });
    expect([...preOrderedByProduct(pickups)]).toEqual([
      [BREAD, 5],
      [ROLLS, 6],
    ]);
  });

  it('says which pickups were missed, and counts only the ones picked up as sold', () => {
    const orders = [
      order({ customerName: 'Came', quantity: 3 }),
      order({ customerName: 'No-show', quantity: 2, missedPickups: ['2026-12-12'] }),
      order({
        customerName: 'Weekly, missed last week',
        repeat: 'weekly',
        firstDate: '2026-11-28',
        quantity: 4,
        missedPickups: ['2026-12-05'],
      }),
    ];
    const pickups = pickupsOn(orders, MARKET, '2026-12-12');
    expect(pickups.map((p) => [p.customerName, p.pickedUp])).toEqual([
      ['Came', true],
      ['No-show', false],
      ['Weekly, missed last week', true],
    ]);
    expect([...preOrderedByProduct(pickups)]).toEqual([[BREAD, 7]]);
  });
});
