'use client';

/**
 * Pre-orders in the pack-up check-in (issue 19): the day's pickups shown apart from walk-up sales,
 * and the units picked up counted as sold. Each can be marked as not picked up (a no-show), so the
 * model does not take units out of Sold that were never sold. Read from `GET /v1/pre-orders`
 * (staff may), so the check-in form's own answer and offline copy stay as they are; offline, the
 * list is not shown.
 */
import { PreOrderListSchema, PreOrderSchema, type PreOrder } from '@marketprep/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { fetchApi } from '../../lib/api-client';
import { apiFetch } from '../../lib/session';
import { useOnline } from '../offline/use-online';

/** One order to hand over on the day. */
export type Pickup = Pick<PreOrder, 'id' | 'productId' | 'customerName' | 'quantity' | 'notes'> & {
  /** False once marked as not picked up (a no-show). */
  pickedUp: boolean;
};

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
    .map(({ id, productId, customerName, quantity, notes, missedPickups }) => ({
      id,
      productId,
      customerName,
      quantity,
      notes,
      pickedUp: !missedPickups.includes(date),
    }));
}

/** Units picked up per product among `pickups` (a missed pickup's units were not sold). */
export function preOrderedByProduct(pickups: readonly Pickup[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const pickup of pickups) {
    if (!pickup.pickedUp) continue;
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

/**
 * Marks one pickup of the day as picked up or not. The box moves at once (the day's list is
 * updated before the answer) and moves back if the API refuses or cannot be reached.
 */
function useSetPickup(date: string) {
  const queryClient = useQueryClient();
  const { queryKey } = preOrdersOnQueryOptions(date);
  const mark = (orders: PreOrder[] | undefined, id: string, pickedUp: boolean) =>
    orders?.map((order) =>
      order.id !== id
        ? order
        : {
            ...order,
            missedPickups: pickedUp
              ? order.missedPickups.filter((missed) => missed !== date)
              : [...new Set([...order.missedPickups, date])].sort(),
          },
    );
  return useMutation({
    mutationFn: ({ id, pickedUp }: { id: string; pickedUp: boolean }) =>
      apiFetch({
        path: `/v1/pre-orders/${encodeURIComponent(id)}/pickups/${encodeURIComponent(date)}`,
        method: 'PUT',
        json: { pickedUp },
        schema: PreOrderSchema,
      }),
    onMutate: async ({ id, pickedUp }) => {
      await queryClient.cancelQueries({ queryKey });
      queryClient.setQueryData<PreOrder[]>(queryKey, (orders) => mark(orders, id, pickedUp));
    },
    onError: (_error, { id, pickedUp }) => {
      queryClient.setQueryData<PreOrder[]>(queryKey, (orders) => mark(orders, id, !pickedUp));
    },
    onSuccess: (saved) => {
      queryClient.setQueryData<PreOrder[]>(queryKey, (orders) =>
        orders?.map((order) => (order.id === saved.id ? saved : order)),
      );
    },
  });
}

/** The day's pickups of a market (empty while loading, offline or on an error). */
export function usePickups(marketId: string, date: string): Pickup[] {
  const query = useQuery(preOrdersOnQueryOptions(date));
  return pickupsOn(query.data ?? [], marketId, date);
}

/** The check-in's list of pre-orders to hand over, apart from the products' walk-up counts. */
export function CheckInPreOrders({
  date,
  pickups,
  products,
}: {
  date: string;
  pickups: readonly Pickup[];
  products: readonly { productId: string; productName: string; unit: string }[];
}) {
  const online = useOnline();
  const setPickup = useSetPickup(date);
  if (pickups.length === 0) return null;
  const productOf = new Map(products.map((p) => [p.productId, p]));
  return (
    <section className="ci-preorders" aria-labelledby="ci-preorders-title">
      <h2 id="ci-preorders-title">Pre-orders for pickup</h2>
      <ul>
        {pickups.map((pickup) => (
          <li key={pickup.id}>
            <label className="ci-preorders__pickup">
              <input
                type="checkbox"
                checked={pickup.pickedUp}
                disabled={!online}
                onChange={(event) =>
                  setPickup.mutate({ id: pickup.id, pickedUp: event.target.checked })
                }
              />
              <span>
                <span className="visually-hidden">Picked up: </span>
                <strong>{pickup.customerName}</strong>: {pickup.quantity}{' '}
                {productOf.get(pickup.productId)?.productName ?? 'a product no longer sold'}
                {pickup.notes !== null && <span className="pl-muted"> — {pickup.notes}</span>}
                {!pickup.pickedUp && (
                  <span className="pl-muted" aria-hidden="true">
                    {' '}
                    — not picked up
                  </span>
                )}
              </span>
            </label>
          </li>
        ))}
      </ul>
      {setPickup.isError && (
        <p className="field-error" role="alert">
          That could not be saved. Check your connection and tick it again.
        </p>
      )}
      <p className="pl-muted">
        Picked-up pre-orders count as sold: include them in each product&apos;s Sold. Untick an
        order nobody came for; its units are then left over, not sold.
      </p>
    </section>
  );
}
