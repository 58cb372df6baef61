'use client';

/**
 * Pre-orders in the pack-up check-in (issue 19): the day's pickups shown apart from walk-up sales,
 * and the units picked up counted as sold. Read from `GET /v1/pre-orders` (staff may), so the
 * check-in form's own answer and offline copy stay as they are; offline, the list is not shown.
 */
import { PreOrderListSchema, type PreOrder } from '@marketprep/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { fetchApi } from '../../lib/api-client';

/** One order to hand over on the day. */
export type Pickup = Pick<PreOrder, 'id' | 'productId' | 'customerName' | 'quantity' | 'notes'>;

const DAY_MS = 86_400_000;

/**
 * The orders of `marketId` to pick up on `date`: a one-off on its date, a weekly one every 7 days
 * from its first date through its last (the same rule as the week's plan).
 */
export function pickupsOn(orders: readonly PreOrder[], marketId: string, date: string): Pickup[] {
  const days = (from: string) =>
    Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
  return orders
    .filter((order) => {
      if (order.marketId !== marketId) return false;
      if (order.repeat === 'once') return order.firstDate === date;
      const since = days(order.firstDate);
      return since >= 0 && since % 7 === 0 && (order.untilDate === null || date <= order.untilDate);
    })
    .map(({ id, productId, customerName, quantity, notes }) => ({
      id,
      productId,
      customerName,
      quantity,
      notes,
    }));
}

/** Units pre-ordered per product among `pickups`. */
export function preOrderedByProduct(pickups: readonly Pickup[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const pickup of pickups) {
    units.set(pickup.productId, (units.get(pickup.productId) ?? 0) + pickup.quantity);
  }
  return units;
}

/** The pre-orders with a pickup on `date` (all markets; `pickupsOn` picks the market's). */
export function preOrdersOnQueryOptions(date: string) {
  return queryOptions({
    queryKey: ['pre-orders', date] as const,
    queryFn: async ({ signal }): Promise<PreOrder[]> =>
      (
        await fetchApi({
          path: `/v1/pre-orders?from=${encodeURIComponent(date)}&to=${encodeURIComponent(date)}&limit=200`,
          schema: PreOrderListSchema,
          signal,
        })
      ).data.data,
  });
}

/** The day's pickups of a market (empty while loading, offline or on an error). */
export function usePickups(marketId: string, date: string): Pickup[] {
  const query = useQuery(preOrdersOnQueryOptions(date));
  return pickupsOn(query.data ?? [], marketId, date);
}

/** The check-in's list of pre-orders to hand over, apart from the products' walk-up counts. */
export function CheckInPreOrders({
  pickups,
  products,
}: {
  pickups: readonly Pickup[];
  products: readonly { productId: string; productName: string; unit: string }[];
}) {
  if (pickups.length === 0) return null;
  const productOf = new Map(products.map((p) => [p.productId, p]));
  return (
    <section className="ci-preorders" aria-labelledby="ci-preorders-title">
      <h2 id="ci-preorders-title">Pre-orders for pickup</h2>
      <ul>
        {pickups.map((pickup) => (
          <li key={pickup.id}>
            <strong>{pickup.customerName}</strong>: {pickup.quantity}{' '}
            {productOf.get(pickup.productId)?.productName ?? 'a product no longer sold'}
            {pickup.notes !== null && <span className="pl-muted"> — {pickup.notes}</span>}
          </li>
        ))}
      </ul>
      <p className="pl-muted">
        Picked-up pre-orders count as sold: include them in each product&apos;s Sold.
      </p>
    </section>
  );
}
