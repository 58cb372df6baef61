import { fromDayNumber, toDayNumber } from '@marketprep/forecast';

/** When a pre-order is picked up: once on `firstDate`, or weekly from it through `untilDate`. */
export interface PreOrderSchedule {
  repeat: 'once' | 'weekly';
  /** YYYY-MM-DD. */
  firstDate: string;
  untilDate: string | null;
  /** Scheduled dates whose pickup did not happen (a no-show, or called off that day). */
  missedPickups?: readonly string[];
}

/** The order's scheduled pickup dates in [from, to], missed ones included. */
export function scheduledPickupDates(order: PreOrderSchedule, from: string, to: string): string[] {
  if (order.repeat === 'once') {
    return order.firstDate >= from && order.firstDate <= to ? [order.firstDate] : [];
  }
  const first = toDayNumber(order.firstDate);
  const last = toDayNumber(order.untilDate && order.untilDate < to ? order.untilDate : to);
  const skip = Math.max(0, Math.ceil((toDayNumber(from) - first) / 7));
  const dates: string[] = [];
  for (let day = first + 7 * skip; day <= last; day += 7) dates.push(fromDayNumber(day));
  return dates;
}

/** Pickups of an order on a date of [from, to]: its scheduled dates but the missed ones. */
export function pickupDates(order: PreOrderSchedule, from: string, to: string): string[] {
  const dates = scheduledPickupDates(order, from, to);
  const missed = order.missedPickups;
  return missed && missed.length > 0 ? dates.filter((date) => !missed.includes(date)) : dates;
}

/**
 * Units pre-ordered per `marketId|productId|date` on the dates of [from, to], missed pickups left
 * out. Sold counts the pickups that happened (the check-in asks for it; Square rings them up at
 * pickup), and the plan adds them on top of the walk-up forecast, so training takes them out of
 * what was sold and brought; a missed pickup's units were never sold, so nothing is taken out.
 */
export function preOrderedByDay(
  orders: readonly (PreOrderSchedule & { marketId: string; productId: string; quantity: number })[],
  from: string,
  to: string,
): Map<string, number> {
  const units = new Map<string, number>();
  for (const order of orders) {
    for (const date of pickupDates(order, from, to)) {
      const key = `${order.marketId}|${order.productId}|${date}`;
      units.set(key, (units.get(key) ?? 0) + order.quantity);
    }
  }
  return units;
}
