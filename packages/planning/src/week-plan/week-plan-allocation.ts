import { expectedSalesFromQuantiles, QUANTILE_LEVELS } from '@marketprep/forecast';

/**
 * The week's plan for one product (issue 19): what to make for each of the week's market days,
 * from the prep lists' walk-up demand, the product's planning facts, carried-over stock and
 * pre-orders. Pure: numbers in, numbers out.
 *
 * Order of the steps, per market day in date order:
 * 1. wanted   = max(prep-list quantity, standing minimum) + pre-orders (pre-orders are known demand
 *               on top of the walk-up forecast; the minimum keeps the table looking full).
 * 2. carry    = kept stock still within shelf life, oldest first, earliest market day first; it
 *               reduces what to make, never what to bring.
 * 3. make     = wanted - carry, rounded to whole batches at the side with the higher expected
 *               profit (never below pre-orders + minimum).
 * 4. capacity = when the rounded makes of a capacity period exceed it, batches are given back
 *               greedily by the marginal expected profit of the next batch: profit is concave in
 *               the quantity, so greedy is exact (tested against brute force).
 */

/** Capacity shared by the market days of a week (or of one market date). */
export interface PlanCapacity {
  /** Units that can be made in the period (oven, field). */
  units: number;
  /** `week`: one budget for all of the plan's market days; `day`: one per market date. */
  period: 'week' | 'day';
}

/** A product's economics and planning facts (minor units of currency). */
export interface PlanProductFacts {
  priceMinor: number;
  unitCostMinor: number;
  salvageValueMinor: number;
  /** Units per batch, tray, bunch or case; 1 = no rounding. */
  batchSize: number;
  /** Days a unit stays sellable; null = unknown (kept stock is not counted). */
  shelfLifeDays: number | null;
  capacity: PlanCapacity | null;
}

/** One market day of the week for one product. */
export interface PlanDayInput {
  /** Caller's key of the market day (e.g. its id). */
  key: string;
  /** Local market date, YYYY-MM-DD. */
  date: string;
  /** Walk-up demand at each of `QUANTILE_LEVELS`. */
  demandQuantiles: readonly number[];
  /** The prep list's quantity for walk-up sales (the engine's, or the vendor's override). */
  prepQuantity: number;
  /** Units pre-ordered for pickup on this market day. */
  preOrders: number;
  /** Units the vendor always brings to this market. */
  standingMinimum: number;
}

/** Kept stock from an earlier market day (a check-in's left-over, neither wasted nor donated). */
export interface CarriedStock {
  /** The market date it was brought to. */
  fromDate: string;
  units: number;
}

/** One market day of the plan. */
export interface PlanDay {
  key: string;
  date: string;
  preOrders: number;
  standingMinimum: number;
  prepQuantity: number;
  /** Carried-over units used here. */
  carriedOver: number;
  /** What to make without a capacity limit (after batch rounding). */
  makeUncapped: number;
  /** What to make. */
  make: number;
  /** Units cut by the capacity (makeUncapped - make). */
  cut: number;
  /** What to bring: carried over + made. */
  bring: number;
  /** Pre-ordered units the plan cannot cover (capacity too small even for them). */
  preOrdersShort: number;
  expectedSold: number;
  expectedRevenueMinor: number;
  expectedLeftover: number;
  /** Revenue + salvage of leftovers - cost of what is made. */
  expectedProfitMinor: number;
  /** Expected profit the cut gives up here. */
  cutProfitMinor: number;
}

/** The plan of one product. */
export interface ProductWeekPlan {
  days: PlanDay[];
  totalMake: number;
  totalCut: number;
  /** Carried-over units no market day of the plan could use within shelf life. */
  carriedOverUnused: number;
  /** Whether a capacity bound any period. */
  capacityBound: boolean;
}

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * Whether a unit brought to a market on `fromDate` may still be sold on `toDate`: a shelf life of
 * N days covers N market dates starting with the first (bread of 2 days: Saturday and Sunday).
 */
export function withinShelfLife(fromDate: string, toDate: string, shelfLifeDays: number | null) {
  if (shelfLifeDays === null) return false;
  const age = daysBetween(fromDate, toDate);
  return age > 0 && age < shelfLifeDays;
}

/**
 * Expected outcome of one market day when `carry` units are carried over and `make` made: pre-orders
 * are served first, the rest meets walk-up demand.
 */
export function dayOutcome(
  day: Pick<PlanDayInput, 'demandQuantiles' | 'preOrders'>,
  facts: Pick<PlanProductFacts, 'priceMinor' | 'unitCostMinor' | 'salvageValueMinor'>,
  carry: number,
  make: number,
): { sold: number; revenueMinor: number; leftover: number; profitMinor: number } {
  const bring = carry + make;
  const toPreOrders = Math.min(bring, day.preOrders);
  const walkUp = bring - toPreOrders;
  const walkUpSold =
    walkUp > 0 && day.demandQuantiles.length === QUANTILE_LEVELS.length
      ? expectedSalesFromQuantiles(day.demandQuantiles, walkUp)
      : 0;
  const sold = toPreOrders + walkUpSold;
  const leftover = bring - sold;
  const revenueMinor = facts.priceMinor * sold;
  return {
    sold,
    revenueMinor,
    leftover,
    profitMinor: revenueMinor + facts.salvageValueMinor * leftover - facts.unitCostMinor * make,
  };
}

/**
 * What to make, rounded to whole batches at the cheaper side: the lower or upper multiple of the
 * batch size, whichever earns more in expectation (ties: the lower, less to throw away), never
 * below `hardMinimum`.
 */
export function roundToBatches(options: {
  day: Pick<PlanDayInput, 'demandQuantiles' | 'preOrders'>;
  facts: Pick<PlanProductFacts, 'priceMinor' | 'unitCostMinor' | 'salvageValueMinor' | 'batchSize'>;
  carry: number;
  need: number;
  hardMinimum: number;
}): number {
  const { day, facts, carry, need, hardMinimum } = options;
  const size = Math.max(1, Math.floor(facts.batchSize));
  const up = Math.ceil(need / size) * size;
  const down = Math.floor(need / size) * size;
  if (up === down) return up;
  if (down < hardMinimum) return up;
  const profitDown = dayOutcome(day, facts, carry, down).profitMinor;
  const profitUp = dayOutcome(day, facts, carry, up).profitMinor;
  return profitDown >= profitUp ? down : up;
}

/** Hands carried-over stock to the market days, oldest stock first, earliest day first. */
function allocateCarry(
  days: readonly PlanDayInput[],
  wanted: readonly number[],
  stock: readonly CarriedStock[],
  shelfLifeDays: number | null,
): { used: number[]; unused: number } {
  const left = [...stock]
    .filter((s) => s.units > 0)
    .sort((a, b) => a.fromDate.localeCompare(b.fromDate))
    .map((s) => ({ ...s }));
  const used = days.map(() => 0);
  days.forEach((day, index) => {
    let room = wanted[index] ?? 0;
    for (const lot of left) {
      if (room <= 0) break;
      if (lot.units <= 0 || !withinShelfLife(lot.fromDate, day.date, shelfLifeDays)) continue;
      const take = Math.min(room, lot.units);
      lot.units -= take;
      room -= take;
      used[index] = (used[index] ?? 0) + take;
    }
  });
  // Stock that expired before the last day, or that nothing needed, is not carried further.
  return { used, unused: left.reduce((sum, lot) => sum + lot.units, 0) };
}

/**
 * Shares `capacityBatches` among market days with given lower and upper bounds (in batches):
 * pre-order batches first (date order), then standing-minimum batches, then one batch at a time to
 * the day whose next batch adds the most expected profit, while that is positive. Exact for the
 * concave profit of a newsvendor day.
 */
export function allocateBatches(options: {
  capacityBatches: number;
  /** Batches pre-orders need per day, then batches the standing minimum needs on top. */
  preOrderBatches: readonly number[];
  minimumBatches: readonly number[];
  upperBatches: readonly number[];
  profitAt: (index: number, batches: number) => number;
}): number[] {
  const { preOrderBatches, minimumBatches, upperBatches, profitAt } = options;
  let left = Math.max(0, Math.floor(options.capacityBatches));
  const given = upperBatches.map(() => 0);
  const give = (index: number, wanted: number) => {
    const room = Math.min(wanted, left, (upperBatches[index] ?? 0) - (given[index] ?? 0));
    if (room <= 0) return;
    given[index] = (given[index] ?? 0) + room;
    left -= room;
  };
  preOrderBatches.forEach((batches, index) => give(index, batches));
  minimumBatches.forEach((batches, index) => give(index, batches));
  while (left > 0) {
    let best = -1;
    let bestGain = 0;
    given.forEach((batches, index) => {
      if (batches >= (upperBatches[index] ?? 0)) return;
      const gain = profitAt(index, batches + 1) - profitAt(index, batches);
      // Strictly better only: ties go to the earlier market day.
      if (gain > bestGain + 1e-9) {
        best = index;
        bestGain = gain;
      }
    });
    if (best < 0) break;
    given[best] = (given[best] ?? 0) + 1;
    left -= 1;
  }
  return given;
}

/**
 * The week's plan of one product across its market days (see the module comment for the steps).
 * `days` may come in any order; the plan lists them by date.
 */
export function planProductWeek(options: {
  facts: PlanProductFacts;
  days: readonly PlanDayInput[];
  carried?: readonly CarriedStock[];
  /**
   * Units already committed (frozen days of the same product outside `days`), by market date: they
   * use up capacity of their period first.
   */
  alreadyMade?: readonly { date: string; units: number }[];
}): ProductWeekPlan {
  const { facts } = options;
  const days = [...options.days].sort(
    (a, b) => a.date.localeCompare(b.date) || a.key.localeCompare(b.key),
  );
  const size = Math.max(1, Math.floor(facts.batchSize));
  const wanted = days.map(
    (day) =>
      Math.max(0, Math.max(day.prepQuantity, day.standingMinimum)) + Math.max(0, day.preOrders),
  );
  const carry = allocateCarry(days, wanted, options.carried ?? [], facts.shelfLifeDays);
  const carried = carry.used;
  const hardMinimum = days.map((day, index) =>
    Math.max(0, day.preOrders + day.standingMinimum - (carried[index] ?? 0)),
  );
  const uncapped = days.map((day, index) =>
    roundToBatches({
      day,
      facts,
      carry: carried[index] ?? 0,
      need: Math.max(0, (wanted[index] ?? 0) - (carried[index] ?? 0)),
      hardMinimum: hardMinimum[index] ?? 0,
    }),
  );

  const make = [...uncapped];
  let capacityBound = false;
  if (facts.capacity) {
    const groups = new Map<string, number[]>();
    days.forEach((day, index) => {
      const group = facts.capacity?.period === 'day' ? day.date : 'week';
      groups.set(group, [...(groups.get(group) ?? []), index]);
    });
    const period = facts.capacity.period;
    const usedIn = (group: string) =>
      (options.alreadyMade ?? [])
        .filter((made) => period === 'week' || made.date === group)
        .reduce((sum, made) => sum + Math.max(0, made.units), 0);
    for (const [group, members] of groups) {
      const capacityBatches = Math.floor(Math.max(0, facts.capacity.units - usedIn(group)) / size);
      const total = members.reduce((sum, index) => sum + (uncapped[index] ?? 0), 0);
      if (total <= capacityBatches * size) continue;
      capacityBound = true;
      const preOrderBatches = members.map((index) => {
        const day = days[index];
        const need = Math.max(0, (day?.preOrders ?? 0) - (carried[index] ?? 0));
        return Math.ceil(need / size);
      });
      const minimumBatches = members.map((index, at) =>
        Math.max(0, Math.ceil((hardMinimum[index] ?? 0) / size) - (preOrderBatches[at] ?? 0)),
      );
      const given = allocateBatches({
        capacityBatches,
        preOrderBatches,
        minimumBatches,
        upperBatches: members.map((index) => (uncapped[index] ?? 0) / size),
        profitAt: (at, batches) => {
          const index = members[at] ?? 0;
          const day = days[index];
          if (!day) return 0;
          return dayOutcome(day, facts, carried[index] ?? 0, batches * size).profitMinor;
        },
      });
      members.forEach((index, at) => {
        make[index] = (given[at] ?? 0) * size;
      });
    }
  }

  const planned: PlanDay[] = days.map((day, index) => {
    const carriedOver = carried[index] ?? 0;
    const made = make[index] ?? 0;
    const full = uncapped[index] ?? 0;
    const outcome = dayOutcome(day, facts, carriedOver, made);
    const fullOutcome = dayOutcome(day, facts, carriedOver, full);
    return {
      key: day.key,
      date: day.date,
      preOrders: day.preOrders,
      standingMinimum: day.standingMinimum,
      prepQuantity: day.prepQuantity,
      carriedOver,
      makeUncapped: full,
      make: made,
      cut: full - made,
      bring: carriedOver + made,
      preOrdersShort: Math.max(0, day.preOrders - (carriedOver + made)),
      expectedSold: round3(outcome.sold),
      expectedRevenueMinor: Math.round(outcome.revenueMinor),
      expectedLeftover: round3(outcome.leftover),
      expectedProfitMinor: Math.round(outcome.profitMinor),
      cutProfitMinor: Math.round(fullOutcome.profitMinor - outcome.profitMinor),
    };
  });
  return {
    days: planned,
    totalMake: planned.reduce((sum, day) => sum + day.make, 0),
    totalCut: planned.reduce((sum, day) => sum + day.cut, 0),
    carriedOverUnused: carry.unused,
    capacityBound,
  };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
