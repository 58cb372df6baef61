import { QUANTILE_LEVELS } from '@marketprep/forecast';
import { describe, expect, it } from 'vitest';
import {
  allocateBatches,
  dayOutcome,
  planProductWeek,
  roundToBatches,
  withinShelfLife,
  type PlanDayInput,
  type PlanProductFacts,
} from './week-plan-allocation';

/** Walk-up demand uniform on [low, high], at the engine's quantile levels. */
const uniform = (low: number, high: number) => QUANTILE_LEVELS.map((l) => low + (high - low) * l);

/** A small deterministic generator (mulberry32), so failures reproduce. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const bread: PlanProductFacts = {
  priceMinor: 800,
  unitCostMinor: 250,
  salvageValueMinor: 0,
  batchSize: 1,
  shelfLifeDays: 2,
  capacity: null,
};

const day = (over: Partial<PlanDayInput> & Pick<PlanDayInput, 'key' | 'date'>): PlanDayInput => ({
  demandQuantiles: uniform(20, 60),
  prepQuantity: 45,
  preOrders: 0,
  standingMinimum: 0,
  ...over,
});

describe('roundToBatches', () => {
  it('never earns less in expectation than rounding up blindly (300 random products)', () => {
    const next = random(7);
    let roundedDown = 0;
    for (let trial = 0; trial < 300; trial++) {
      const price = 200 + Math.floor(next() * 1500);
      const facts = {
        priceMinor: price,
        unitCostMinor: Math.floor(next() * price * 0.9),
        salvageValueMinor: 0,
        batchSize: 2 + Math.floor(next() * 23),
      };
      const low = Math.floor(next() * 40);
      const probe = { demandQuantiles: uniform(low, low + 5 + next() * 60), preOrders: 0 };
      const need = Math.floor(next() * 80);
      const chosen = roundToBatches({ day: probe, facts, carry: 0, need, hardMinimum: 0 });
      const up = Math.ceil(need / facts.batchSize) * facts.batchSize;
      expect(chosen % facts.batchSize).toBe(0);
      expect(dayOutcome(probe, facts, 0, chosen).profitMinor).toBeGreaterThanOrEqual(
        dayOutcome(probe, facts, 0, up).profitMinor - 1e-9,
      );
      if (chosen < up) roundedDown++;
    }
    // Both sides happen: the rule is not "always up" or "always down".
    expect(roundedDown).toBeGreaterThan(20);
    expect(roundedDown).toBeLessThan(280);
  });

  it('rounds a costly perishable down and a cheap one up', () => {
    const probe = { demandQuantiles: uniform(20, 40), preOrders: 0 };
    const costly = { priceMinor: 1000, unitCostMinor: 900, salvageValueMinor: 0, batchSize: 12 };
    const cheap = { priceMinor: 1000, unitCostMinor: 50, salvageValueMinor: 0, batchSize: 12 };
    // Need 26: 24 or 36.
    expect(roundToBatches({ day: probe, facts: costly, carry: 0, need: 26, hardMinimum: 0 })).toBe(
      24,
    );
    expect(roundToBatches({ day: probe, facts: cheap, carry: 0, need: 26, hardMinimum: 0 })).toBe(
      36,
    );
  });

  it('never rounds below the pre-orders and the standing minimum', () => {
    const probe = { demandQuantiles: uniform(0, 5), preOrders: 13 };
    const costly = { priceMinor: 1000, unitCostMinor: 990, salvageValueMinor: 0, batchSize: 12 };
    expect(roundToBatches({ day: probe, facts: costly, carry: 0, need: 14, hardMinimum: 13 })).toBe(
      24,
    );
  });
});

describe('allocateBatches under a shared capacity', () => {
  /** Best total profit over every allocation within bounds and capacity. */
  function bruteForce(
    lower: number[],
    upper: number[],
    capacity: number,
    profitAt: (index: number, batches: number) => number,
  ): number {
    let best = -Infinity;
    const walk = (index: number, used: number, total: number) => {
      if (index === upper.length) {
        best = Math.max(best, total);
        return;
      }
      for (let k = lower[index] ?? 0; k <= (upper[index] ?? 0); k++) {
        if (used + k > capacity) break;
        walk(index + 1, used + k, total + profitAt(index, k));
      }
    };
    walk(0, 0, 0);
    return best;
  }

  it('is exact against brute force and never exceeds capacity (200 random small weeks)', () => {
    const next = random(19);
    for (let trial = 0; trial < 200; trial++) {
      const count = 2 + Math.floor(next() * 3);
      const size = 1 + Math.floor(next() * 6);
      const price = 300 + Math.floor(next() * 900);
      const facts = {
        priceMinor: price,
        unitCostMinor: Math.floor(next() * price * 0.8),
        salvageValueMinor: 0,
      };
      const days = Array.from({ length: count }, () => {
        const low = Math.floor(next() * 20);
        return {
          demandQuantiles: uniform(low, low + 4 + next() * 30),
          preOrders: next() < 0.3 ? Math.floor(next() * 6) : 0,
        };
      });
      const profitAt = (index: number, batches: number) =>
        dayOutcome(days[index] ?? days[0]!, facts, 0, batches * size).profitMinor;
      const upper = days.map(() => 1 + Math.floor(next() * 6));
      const preOrderBatches = days.map((d, i) =>
        Math.min(upper[i] ?? 0, Math.ceil(d.preOrders / size)),
      );
      const minimumBatches = days.map(() => 0);
      const lowerTotal = preOrderBatches.reduce((a, b) => a + b, 0);
      const upperTotal = upper.reduce((a, b) => a + b, 0);
      const capacity = lowerTotal + Math.floor(next() * (upperTotal - lowerTotal + 1));
      const given = allocateBatches({
        capacityBatches: capacity,
        preOrderBatches,
        minimumBatches,
        upperBatches: upper,
        totalProfit: (batches) => batches.reduce((sum, k, i) => sum + profitAt(i, k), 0),
      });
      expect(given.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(capacity);
      given.forEach((k, i) => {
        expect(k).toBeGreaterThanOrEqual(preOrderBatches[i] ?? 0);
        expect(k).toBeLessThanOrEqual(upper[i] ?? 0);
      });
      const greedyTotal = given.reduce((sum, k, i) => sum + profitAt(i, k), 0);
      expect(greedyTotal).toBeCloseTo(bruteForce(preOrderBatches, upper, capacity, profitAt), 6);
    }
  });
});

describe('planProductWeek', () => {
  /** Bread sold the day it is baked: no day of the week leaves stock for another. */
  const sameDay: PlanProductFacts = { ...bread, shelfLifeDays: 1 };
  const saturday = day({ key: 'sat', date: '2026-12-12', prepQuantity: 45 });
  const sunday = day({
    key: 'sun',
    date: '2026-12-13',
    prepQuantity: 30,
    demandQuantiles: uniform(10, 40),
  });

  it('changes nothing when capacity is loose: makes equal the prep lists', () => {
    const plan = planProductWeek({
      facts: { ...sameDay, capacity: { units: 500, period: 'week' } },
      days: [sunday, saturday],
    });
    expect(plan.days.map((d) => [d.key, d.make, d.cut])).toEqual([
      ['sat', 45, 0],
      ['sun', 30, 0],
    ]);
    expect(plan.capacityBound).toBe(false);
  });

  it('adds pre-orders exactly on top of the walk-up quantity', () => {
    const plan = planProductWeek({
      facts: sameDay,
      days: [
        { ...saturday, preOrders: 7 },
        { ...sunday, preOrders: 3 },
      ],
    });
    expect(plan.days.map((d) => d.make)).toEqual([52, 33]);
    expect(plan.days.map((d) => d.bring)).toEqual([52, 33]);
  });

  it('brings the standing minimum when the forecast is smaller', () => {
    const plan = planProductWeek({ facts: bread, days: [{ ...saturday, standingMinimum: 60 }] });
    expect(plan.days[0]?.make).toBe(60);
  });

  it('uses kept stock within shelf life to make less, not to bring less', () => {
    const plan = planProductWeek({
      facts: sameDay,
      days: [saturday, sunday],
      carried: [{ fromDate: '2026-12-11', units: 10 }],
    });
    expect(plan.days[0]).toMatchObject({ carriedOver: 0, make: 45 });
    expect(plan.carriedOverUnused).toBe(10);
    const twoDays = planProductWeek({
      facts: bread,
      days: [saturday],
      carried: [{ fromDate: '2026-12-11', units: 10 }],
    });
    // Friday's kept loaves (2 days of shelf life) can go on Saturday.
    expect(twoDays.days[0]).toMatchObject({ carriedOver: 10, carriedExpected: 0, make: 35 });
    expect(twoDays.days[0]?.bring).toBe(45);
    expect(twoDays.carriedOverUnused).toBe(0);
  });

  it('makes less for a later day by what an earlier one is expected to leave, within shelf life', () => {
    // Jam: Saturday's 45 jars for demand between 20 and 60 leave 7.8 in expectation.
    const jam: PlanProductFacts = { ...bread, shelfLifeDays: 365 };
    const plan = planProductWeek({ facts: jam, days: [sunday, saturday] });
    expect(plan.days[0]).toMatchObject({ key: 'sat', carriedOver: 0, make: 45 });
    expect(plan.days[0]?.expectedLeftover).toBeCloseTo(7.8, 1);
    // Sunday still brings its 30, 7 of them Saturday's (whole jars only).
    expect(plan.days[1]).toMatchObject({ key: 'sun', carriedOver: 7, carriedExpected: 7 });
    expect(plan.days[1]).toMatchObject({ make: 23, bring: 30 });
    // Bread of one day leaves nothing for Sunday.
    const loaves = planProductWeek({ facts: sameDay, days: [saturday, sunday] });
    expect(loaves.days.map((d) => [d.carriedOver, d.make])).toEqual([
      [0, 45],
      [0, 30],
    ]);
  });

  it('sells the oldest first, and the stock a day leaves keeps its date', () => {
    // Kept rolls of Dec 10 (3 days: sellable Dec 11 and 12) and Wednesday's expected leftover.
    const rolls: PlanProductFacts = { ...bread, shelfLifeDays: 3 };
    const wednesday = day({ key: 'wed', date: '2026-12-09', prepQuantity: 45 });
    const thursday = day({ key: 'thu', date: '2026-12-10', prepQuantity: 45 });
    const friday = day({ key: 'fri', date: '2026-12-11', prepQuantity: 45 });
    const plan = planProductWeek({ facts: rolls, days: [wednesday, thursday, friday] });
    // Wednesday's ~7.8 left: 7 whole rolls go on Thursday. Friday takes what Thursday leaves
    // (~7.8) with Wednesday's fraction still at home (0.8): 8.
    expect(plan.days.map((d) => d.carriedOver)).toEqual([0, 7, 8]);
    expect(plan.days.map((d) => d.bring)).toEqual([45, 45, 45]);
    // A quiet Thursday wants 7 and carries Wednesday's 7: it makes none, and what it leaves are
    // Wednesday's rolls, too old for Saturday (3 days); dated Thursday, they would be carried.
    const quiet = { ...thursday, prepQuantity: 7, demandQuantiles: uniform(0, 10) };
    const long = planProductWeek({ facts: rolls, days: [wednesday, quiet, saturday] });
    expect(long.days.map((d) => [d.carriedOver, d.make])).toEqual([
      [0, 45],
      [7, 0],
      [0, 45],
    ]);
    expect(long.days[1]?.expectedLeftover).toBeGreaterThan(1);
  });

  it("uses a fixed day's check-in, and before it, its expected leftover", () => {
    const jam: PlanProductFacts = { ...bread, shelfLifeDays: 365 };
    const frozenSaturday = {
      date: '2026-12-12',
      carriedOver: 0,
      make: 45,
      leftover: 7.8,
      checkedIn: false,
    };
    const before = planProductWeek({ facts: jam, days: [sunday], fixed: [frozenSaturday] });
    expect(before.days[0]).toMatchObject({ carriedOver: 7, carriedExpected: 7, make: 23 });
    const after = planProductWeek({
      facts: jam,
      days: [sunday],
      fixed: [{ ...frozenSaturday, leftover: 12, checkedIn: true }],
    });
    // The check-in's 12 kept jars are counted stock, not an expectation.
    expect(after.days[0]).toMatchObject({ carriedOver: 12, carriedExpected: 0, make: 18 });
  });

  it('shares a capacity across days that leave stock for each other, never past it', () => {
    const jam: PlanProductFacts = { ...bread, shelfLifeDays: 365 };
    const free = planProductWeek({ facts: jam, days: [saturday, sunday] });
    const capped = planProductWeek({
      facts: { ...jam, capacity: { units: 60, period: 'week' } },
      days: [saturday, sunday],
    });
    expect(free.totalMake).toBe(68);
    expect(capped.capacityBound).toBe(true);
    expect(capped.totalMake).toBe(60);
    for (const [i, d] of capped.days.entries()) {
      expect(d.make).toBeLessThanOrEqual(free.days[i]?.make ?? 0);
      expect(d.bring).toBe(d.carriedOver + d.make);
    }
  });

  it('does not use kept stock past its shelf life', () => {
    const plan = planProductWeek({
      facts: bread,
      days: [saturday],
      carried: [{ fromDate: '2026-12-10', units: 10 }],
    });
    expect(plan.days[0]).toMatchObject({ carriedOver: 0, make: 45 });
    expect(plan.carriedOverUnused).toBe(10);
    expect(withinShelfLife('2026-12-10', '2026-12-12', 3)).toBe(true);
    expect(withinShelfLife('2026-12-10', '2026-12-12', null)).toBe(false);
  });

  it('shares a short weekly capacity where it earns most and says what was cut where', () => {
    const plan = planProductWeek({
      facts: { ...sameDay, batchSize: 5, capacity: { units: 50, period: 'week' } },
      days: [saturday, { ...sunday, preOrders: 5 }],
    });
    expect(plan.capacityBound).toBe(true);
    expect(plan.totalMake).toBeLessThanOrEqual(50);
    expect(plan.totalMake).toBe(50);
    for (const d of plan.days) {
      expect(d.make % 5).toBe(0);
      expect(d.cut).toBe(d.makeUncapped - d.make);
      expect(d.cutProfitMinor).toBeGreaterThanOrEqual(0);
    }
    expect(plan.totalCut).toBe(plan.days.reduce((s, d) => s + d.makeUncapped, 0) - 50);
    // The pre-orders are always covered.
    expect(plan.days[1]?.preOrdersShort).toBe(0);
  });

  it('counts frozen units against the capacity first', () => {
    const plan = planProductWeek({
      facts: { ...sameDay, capacity: { units: 60, period: 'week' } },
      days: [sunday],
      fixed: [{ date: '2026-12-12', carriedOver: 0, make: 45, leftover: 5, checkedIn: false }],
    });
    expect(plan.days[0]).toMatchObject({ make: 15, cut: 15 });
  });

  it('applies a daily capacity to each market date on its own', () => {
    const plan = planProductWeek({
      facts: { ...sameDay, capacity: { units: 35, period: 'day' } },
      days: [saturday, sunday],
    });
    expect(plan.days.map((d) => d.make)).toEqual([35, 30]);
  });

  it('reports pre-orders it cannot cover when capacity is below them', () => {
    const plan = planProductWeek({
      facts: { ...bread, capacity: { units: 4, period: 'week' } },
      days: [{ ...saturday, preOrders: 6 }],
    });
    expect(plan.days[0]).toMatchObject({ make: 4, preOrdersShort: 2 });
  });
});
