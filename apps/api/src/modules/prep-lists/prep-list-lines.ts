import {
  PrepListAvailabilitySchema,
  type PrepList,
  type PrepListAvailability,
  type PrepListExplanation,
} from '@marketprep/contracts';
import { QUANTILE_LEVELS, expectedSalesFromQuantiles } from '@marketprep/forecast';

/**
 * What a prep-list line is worth at the quantity the vendor will actually bring (issue 13, item 6):
 * the prep list, its totals and the go/no-go view all read a line through {@link lineOutcome}, so an
 * override moves every one of them the same way, and an out-of-season product the vendor is not
 * bringing adds nothing anywhere.
 */

/** Lines stored before availability was kept: in season, for reasons unknown. */
export const UNKNOWN_AVAILABILITY: PrepListAvailability = {
  inSeason: true,
  source: 'unknown',
  lastSoldOn: null,
  usualMonths: [],
  note: null,
};

/** A stored line as far as its worth goes. */
export interface LineInput {
  /** The engine's recommendation. */
  quantity: number;
  overrideQuantity: number | null;
  q10: number;
  q50: number;
  q90: number;
  /** Demand at each of `QUANTILE_LEVELS`; empty on lines stored before it was kept. */
  demandQuantiles: readonly number[];
  /** Expected units sold and revenue at `quantity`, as the engine stored them. */
  expectedSold: number;
  expectedRevenueMinor: number;
  /** The product's price, minor units. */
  priceMinor: number;
  modelRung: string;
  inSeason: boolean;
}

/** A line at the quantity the vendor will bring. */
export interface LineOutcome {
  effectiveQuantity: number;
  expectedSold: number;
  expectedRevenueMinor: number;
  /** Whether it adds to the list's totals and the go/no-go revenue. */
  counted: boolean;
}

/** Out of season: the engine says so, by rung or by the line's availability. */
export function isOutOfSeason(line: { modelRung: string; inSeason: boolean }): boolean {
  return line.modelRung === 'out-of-season' || !line.inSeason;
}

/**
 * Expected units sold when bringing `quantity`: E[min(demand, quantity)] under the line's
 * predictive distribution. Lines stored before the distribution was kept use one through
 * q10/q50/q90 instead (see {@link quantilesThroughDeciles}).
 */
export function expectedSoldAt(
  line: Pick<LineInput, 'q10' | 'q50' | 'q90' | 'demandQuantiles'>,
  quantity: number,
): number {
  if (quantity <= 0) return 0;
  const quantiles =
    line.demandQuantiles.length === QUANTILE_LEVELS.length
      ? line.demandQuantiles
      : quantilesThroughDeciles(line);
  return expectedSalesFromQuantiles(quantiles, quantity);
}

/**
 * A distribution on `QUANTILE_LEVELS` from the three stored quantiles: linear in probability
 * through (0.1, q10), (0.5, q50), (0.9, q90), the outer segments extended with their own slope to
 * the tails, never below 0. Honest about the middle (where an override usually lands), rough in
 * the tails.
 */
export function quantilesThroughDeciles(line: { q10: number; q50: number; q90: number }): number[] {
  const { q10, q50, q90 } = line;
  return QUANTILE_LEVELS.map((level) => {
    const slope = level <= 0.5 ? (q50 - q10) / 0.4 : (q90 - q50) / 0.4;
    return Math.max(0, q50 + slope * (level - 0.5));
  });
}

/**
 * Whether a line of the contract's list adds to its totals (and belongs on a packing sheet): in
 * season, or out of season with a quantity the vendor set by hand.
 */
export function countsInTotals(
  line: Pick<PrepList['lines'][number], 'modelRung' | 'availability' | 'overrideQuantity'>,
): boolean {
  return (
    !isOutOfSeason({ modelRung: line.modelRung, inSeason: line.availability.inSeason }) ||
    line.overrideQuantity !== null
  );
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * A line at the quantity the vendor will bring: the override when set (expected sales recomputed
 * at it, revenue = expected sales x price), else the engine's own numbers. An out-of-season line
 * counts toward totals only when the vendor set a quantity for it.
 */
export function lineOutcome(line: LineInput): LineOutcome {
  const counted = !isOutOfSeason(line) || line.overrideQuantity !== null;
  if (line.overrideQuantity === null || line.overrideQuantity === line.quantity) {
    return {
      effectiveQuantity: line.quantity,
      expectedSold: line.expectedSold,
      expectedRevenueMinor: line.expectedRevenueMinor,
      counted,
    };
  }
  const expectedSold = expectedSoldAt(line, line.overrideQuantity);
  return {
    effectiveQuantity: line.overrideQuantity,
    expectedSold: round3(expectedSold),
    expectedRevenueMinor: Math.max(0, Math.round(expectedSold * line.priceMinor)),
    counted,
  };
}

/** The availability stored in a line's explanation, or {@link UNKNOWN_AVAILABILITY}. */
export function availabilityOf(explanation: unknown): PrepListAvailability {
  const stored = isRecord(explanation) ? explanation.availability : undefined;
  if (stored === undefined) return UNKNOWN_AVAILABILITY;
  const parsed = PrepListAvailabilitySchema.safeParse(stored);
  return parsed.success ? parsed.data : UNKNOWN_AVAILABILITY;
}

/**
 * The contract's explanation from the stored JSON: exactly its fields (the stored one also holds
 * the availability, and the GET answer is sent without a schema pass to strip extras).
 */
export function explanationOf(explanation: unknown): PrepListExplanation {
  const stored = isRecord(explanation) ? explanation : {};
  const effects = Array.isArray(stored.effects) ? stored.effects.filter(isRecord) : [];
  return {
    baseline: numberOr(stored.baseline, 0),
    baselineSupport: numberOr(stored.baselineSupport, 0),
    ...(typeof stored.basis === 'string' && { basis: stored.basis }),
    effects: effects.map((effect) => ({
      name: effect.name as PrepListExplanation['effects'][number]['name'],
      units: numberOr(effect.units, 0),
      percent: numberOr(effect.percent, 0),
      support: numberOr(effect.support, 0),
      ...(typeof effect.label === 'string' && { label: effect.label }),
    })),
    summary: typeof stored.summary === 'string' ? stored.summary : '',
  };
}

/** Units to bring and expected revenue of the lines that count (see {@link lineOutcome}). */
export function totalsOf(
  lines: readonly (Pick<LineOutcome, 'effectiveQuantity' | 'expectedRevenueMinor'> & {
    counted: boolean;
  })[],
): PrepList['totals'] {
  let effectiveQuantity = 0;
  let expectedRevenueMinor = 0;
  for (const line of lines) {
    if (!line.counted) continue;
    effectiveQuantity += line.effectiveQuantity;
    expectedRevenueMinor += line.expectedRevenueMinor;
  }
  return { effectiveQuantity, expectedRevenueMinor };
}

/**
 * Set when most in-season lines are cold starts (the market has next to no history for this
 * vendor): the list says at the top that its numbers are a guess, and from what.
 */
export function coldStartOf(lines: readonly PrepList['lines'][number][]): PrepList['coldStart'] {
  const open = lines.filter(
    (line) =>
      line.modelRung !== 'closed' &&
      !isOutOfSeason({ modelRung: line.modelRung, inSeason: line.availability.inSeason }),
  );
  const cold = open.filter((line) => line.modelRung === 'cold-start');
  if (cold.length === 0 || cold.length * 2 <= open.length) return null;
  const basis = cold.find((line) => line.explanation.basis)?.explanation.basis;
  return {
    note: basis
      ? `Little or no history at this market yet: these numbers are a guess from ${basis}. Adjust them to what you expect; they learn from your check-ins.`
      : 'Little or no history at this market yet: these numbers are a guess from your own estimates and similar products. Adjust them to what you expect; they learn from your check-ins.',
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
