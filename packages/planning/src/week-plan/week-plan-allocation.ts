import { expectedSalesFromQuantiles, QUANTILE_LEVELS } from '@marketprep/forecast';

/**
 * The week's plan for one product (issue 19): what to make for each of the week's market days,
 * from the prep lists' walk-up demand, the product's planning facts, carried-over stock and
 * pre-orders. Pure: numbers in, numbers out.
 *
 * Order of the steps, per market day in date order:
 * 1. wanted   = max(prep-list quantity, standing minimum) + pre-orders (pre-orders are known demand
 *               on top of the walk-up forecast; the minimum keeps the table looking full).
 * 2. carry    = stock on hand still within shelf life, oldest first: kept stock of a check-in,
 *               and what an earlier market day of the week is expected to leave (jam left on
 *               Saturday goes to Sunday); it reduces what to make, never what to bring.
 * 3. make     = wanted - carry, rounded to whole batches at the side with the higher expected
 *               profit (never below pre-orders + minimum).
 * 4. capacity = when the rounded makes of a capacity period exceed it, batches are given back
 *               greedily by the marginal expected profit of the next batch to the week: exact
 *               when no day leaves stock for a later one (profit is concave in each day's
 *               quantity; tested against brute force), close otherwise.
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

/**
 * A market day of the week whose numbers are fixed (frozen at its deadline): it uses its carried
 * stock and leaves its check-in's kept stock, or, before the check-in, its expected leftover.
 */
export interface FixedDay {
  date: string;
  carriedOver: number;
  make: number;
  /** Units left: the check-in's kept stock when `checkedIn`, else the expected leftover. */
  leftover: number;
  checkedIn: boolean;
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
  /** Of those, units an earlier day of the week is expected (not yet counted) to leave. */
  carriedExpected: number;
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

/** Units on hand from one market date; `expected` when a day of the plan is expected to leave them. */
interface Lot {
  fromDate: string;
  units: number;
  expected: boolean;
}

/**
 * Stock on hand through the week, first in first out: a day takes the oldest units still within
 * shelf life, sells the oldest of what it brought first, and what it does not sell (its made
 * units first) goes back for the days after it.
 */
class StockOnHand {
  private lots: Lot[];

  constructor(
    stock: readonly CarriedStock[],
    private readonly shelfLifeDays: number | null,
  ) {
    this.lots = stock
      .filter((lot) => lot.units > 0)
      .map((lot) => ({ fromDate: lot.fromDate, units: lot.units, expected: false }));
  }

  /** Takes up to `wanted` whole units sellable on `date`, oldest first. */
  take(date: string, wanted: number): Lot[] {
    this.lots.sort((a, b) => a.fromDate.localeCompare(b.fromDate));
    const sellable = this.lots.filter((lot) =>
      withinShelfLife(lot.fromDate, date, this.shelfLifeDays),
    );
    // Expected leftovers are fractions: only whole units go to market.
    let room = Math.min(
      Math.max(0, wanted),
      Math.floor(sellable.reduce((sum, lot) => sum + lot.units, 0) + 1e-9),
    );
    const taken: Lot[] = [];
    for (const lot of sellable) {
      if (room <= 0) break;
      const units = Math.min(room, lot.units);
      lot.units -= units;
      room -= units;
      taken.push({ ...lot, units });
    }
    this.lots = this.lots.filter((lot) => lot.units > 1e-9);
    return taken;
  }

  /**
   * What a day on `date` did not sell of its `taken` lots and `made` units: `leftover` units,
   * the newest first (the oldest sold first). Back on hand as expected stock.
   */
  putBack(date: string, taken: readonly Lot[], made: number, leftover: number): void {
    let left = Math.max(0, leftover);
    const fresh = Math.min(left, made);
    if (fresh > 0) this.lots.push({ fromDate: date, units: fresh, expected: true });
    left -= fresh;
    for (const lot of [...taken].sort((a, b) => b.fromDate.localeCompare(a.fromDate))) {
      if (left <= 0) break;
      const units = Math.min(left, lot.units);
      this.lots.push({ fromDate: lot.fromDate, units, expected: true });
      left -= units;
    }
  }

  /** A check-in's kept stock of a day of the plan. */
  add(date: string, units: number): void {
    if (units > 0) this.lots.push({ fromDate: date, units, expected: false });
  }

  /** Kept stock (not expected) still unused: nothing took it, or it expired. */
  unusedKept(): number {
    return Math.round(
      this.lots.filter((lot) => !lot.expected).reduce((sum, lot) => sum + lot.units, 0),
    );
  }
}

/**
 * Shares `capacityBatches` among market days with given lower and upper bounds (in batches):
 * pre-order batches first (date order), then standing-minimum batches, then one batch at a time to
 * the day whose next batch adds the most to `totalProfit` of the whole allocation, while that is
 * positive. Exact when the total is a sum of each day's concave profit (a newsvendor day).
 */
export function allocateBatches(options: {
  capacityBatches: number;
  /** Batches pre-orders need per day, then batches the standing minimum needs on top. */
  preOrderBatches: readonly number[];
  minimumBatches: readonly number[];
  upperBatches: readonly number[];
  totalProfit: (batches: readonly number[]) => number;
}): number[] {
  const { preOrderBatches, minimumBatches, upperBatches, totalProfit } = options;
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
    const now = totalProfit(given);
    let best = -1;
    let bestGain = 0;
    given.forEach((batches, index) => {
      if (batches >= (upperBatches[index] ?? 0)) return;
      const gain = totalProfit(given.map((b, i) => (i === index ? b + 1 : b))) - now;
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

/** One day of a walk through the week: what it carried (of which expected) and its outcome. */
interface WalkedDay {
  carried: number;
  carriedExpected: number;
  make: number;
  outcome: ReturnType<typeof dayOutcome>;
}

/**
 * The week walked in date order, fixed days with their numbers and open days with `makeOf`
 * (given the day's index and its carry), through the stock on hand. `profitMinor` is the week's:
 * a unit one day leaves and a later day sells counts once (not also at its salvage value).
 */
function walkWeek(options: {
  facts: PlanProductFacts;
  days: readonly PlanDayInput[];
  wanted: readonly number[];
  carried: readonly CarriedStock[];
  fixed: readonly FixedDay[];
  makeOf: (index: number, carry: number) => number;
}): { days: WalkedDay[]; profitMinor: number; carriedOverUnused: number } {
  const { facts, days, wanted, fixed, makeOf } = options;
  const stock = new StockOnHand(options.carried, facts.shelfLifeDays);
  type Step = { fixed: FixedDay } | { open: number };
  const steps: Step[] = [
    ...fixed.map((day) => ({ fixed: day, date: day.date, order: 0 })),
    ...days.map((day, index) => ({ open: index, date: day.date, order: 1 })),
  ].sort((a, b) => a.date.localeCompare(b.date) || a.order - b.order);
  const walked: WalkedDay[] = [];
  let profitMinor = 0;
  for (const step of steps) {
    if ('fixed' in step) {
      const { date, carriedOver, make, leftover, checkedIn } = step.fixed;
      const taken = stock.take(date, carriedOver);
      if (checkedIn) stock.add(date, leftover);
      else stock.putBack(date, taken, make, leftover);
      continue;
    }
    const index = step.open;
    const day = days[index];
    if (!day) continue;
    const taken = stock.take(day.date, wanted[index] ?? 0);
    const carried = taken.reduce((sum, lot) => sum + lot.units, 0);
    const carriedExpected = taken
      .filter((lot) => lot.expected)
      .reduce((sum, lot) => sum + lot.units, 0);
    const make = makeOf(index, carried);
    const outcome = dayOutcome(day, facts, carried, make);
    stock.putBack(day.date, taken, make, outcome.leftover);
    walked[index] = { carried, carriedExpected, make, outcome };
    profitMinor += outcome.profitMinor - facts.salvageValueMinor * carriedExpected;
  }
  return { days: walked, profitMinor, carriedOverUnused: stock.unusedKept() };
}

/**
 * The week's plan of one product across its market days (see the module comment for the steps).
 * `days` may come in any order; the plan lists them by date.
 */
export function planProductWeek(options: {
  facts: PlanProductFacts;
  days: readonly PlanDayInput[];
  /** Kept stock from before the week. */
  carried?: readonly CarriedStock[];
  /**
   * Days of the same product fixed already (frozen), with their stock: their made units use up
   * capacity of their period first.
   */
  fixed?: readonly FixedDay[];
}): ProductWeekPlan {
  const { facts } = options;
  const fixed = options.fixed ?? [];
  const days = [...options.days].sort(
    (a, b) => a.date.localeCompare(b.date) || a.key.localeCompare(b.key),
  );
  const size = Math.max(1, Math.floor(facts.batchSize));
  const wanted = days.map(
    (day) =>
      Math.max(0, Math.max(day.prepQuantity, day.standingMinimum)) + Math.max(0, day.preOrders),
  );
  const hardMinimumOf = (index: number, carry: number) => {
    const day = days[index];
    return Math.max(0, (day?.preOrders ?? 0) + (day?.standingMinimum ?? 0) - carry);
  };
  const walk = (makeOf: (index: number, carry: number) => number) =>
    walkWeek({ facts, days, wanted, carried: options.carried ?? [], fixed, makeOf });

  // Without a capacity: each day makes what it wants beyond what it carries, in whole batches.
  const free = walk((index, carry) => {
    const day = days[index];
    if (!day) return 0;
    return roundToBatches({
      day,
      facts,
      carry,
      need: Math.max(0, (wanted[index] ?? 0) - carry),
      hardMinimum: hardMinimumOf(index, carry),
    });
  });
  const uncapped = free.days.map((day) => day.make);

  const make = [...uncapped];
  let capacityBound = false;
  if (facts.capacity) {
    const period = facts.capacity.period;
    const groups = new Map<string, number[]>();
    days.forEach((day, index) => {
      const group = period === 'day' ? day.date : 'week';
      groups.set(group, [...(groups.get(group) ?? []), index]);
    });
    const usedIn = (group: string) =>
      fixed
        .filter((day) => period === 'week' || day.date === group)
        .reduce((sum, day) => sum + Math.max(0, day.make), 0);
    for (const [group, members] of groups) {
      const capacityBatches = Math.floor(Math.max(0, facts.capacity.units - usedIn(group)) / size);
      const total = members.reduce((sum, index) => sum + (make[index] ?? 0), 0);
      if (total <= capacityBatches * size) continue;
      capacityBound = true;
      // What pre-orders and minimums need beyond the stock carried in the uncapped walk.
      const preOrderBatches = members.map((index) => {
        const need = (days[index]?.preOrders ?? 0) - (free.days[index]?.carried ?? 0);
        return Math.ceil(Math.max(0, need) / size);
      });
      const minimumBatches = members.map((index, at) =>
        Math.max(
          0,
          Math.ceil(hardMinimumOf(index, free.days[index]?.carried ?? 0) / size) -
            (preOrderBatches[at] ?? 0),
        ),
      );
      const given = allocateBatches({
        capacityBatches,
        preOrderBatches,
        minimumBatches,
        upperBatches: members.map((index) => (uncapped[index] ?? 0) / size),
        totalProfit: (batches) => {
          const trial = [...make];
          members.forEach((index, at) => (trial[index] = (batches[at] ?? 0) * size));
          return walk((index) => trial[index] ?? 0).profitMinor;
        },
      });
      members.forEach((index, at) => {
        make[index] = (given[at] ?? 0) * size;
      });
    }
  }

  const capped = capacityBound ? walk((index) => make[index] ?? 0) : free;
  const planned: PlanDay[] = days.map((day, index) => {
    const walked = capped.days[index];
    const carriedOver = walked?.carried ?? 0;
    const made = make[index] ?? 0;
    const full = uncapped[index] ?? 0;
    const outcome = walked?.outcome ?? dayOutcome(day, facts, carriedOver, made);
    const fullOutcome = dayOutcome(day, facts, carriedOver, full);
    return {
      key: day.key,
      date: day.date,
      preOrders: day.preOrders,
      standingMinimum: day.standingMinimum,
      prepQuantity: day.prepQuantity,
      carriedOver,
      carriedExpected: walked?.carriedExpected ?? 0,
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
    carriedOverUnused: capped.carriedOverUnused,
    capacityBound,
  };
}

/** A count of units to three decimals, as the plan reports expected sales and leftovers. */
export const round3 = (value: number) => Math.round(value * 1000) / 1000;
