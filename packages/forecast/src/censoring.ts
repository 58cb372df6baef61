/**
 * Censored demand. A sell-out tells us demand was at least what was sold; on the model's log scale
 * the engine replaces such a value by its expected value given that lower bound (one E-step of a
 * Tobit model with normal errors), so a model fitted to the filled-in values does not learn
 * "demand = what we happened to bring".
 */

/** Standard normal density. */
function normalDensity(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Complementary error function (Numerical Recipes `erfcc`, relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Probability that a standard normal exceeds `z`. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * E[X | X >= bound] for X ~ Normal(mean, sd): the filled-in value of a censored observation.
 * Always >= `bound`.
 */
export function censoredMean(mean: number, sd: number, bound: number): number {
  if (!(sd > 0)) return Math.max(mean, bound);
  const z = Math.min((bound - mean) / sd, 30);
  const tail = normalUpperTail(z);
  // Inverse Mills ratio; beyond the float range of the tail use its asymptote z + 1/z.
  const mills = tail > 1e-300 ? normalDensity(z) / tail : z + 1 / z;
  return Math.max(mean + sd * mills, bound);
}

/** A sell-out before this share of the opening hours is "well before close": censored demand. */
export const SELL_OUT_BEFORE_CLOSE = 0.9;
/** Sell-outs earlier than this share of the day are read as this early (at most a 4x uplift). */
const EARLIEST_SELL_OUT = 0.25;

/** What censoring looks at in a sales observation. */
export interface CensoringFields {
  readonly quantity: number;
  readonly brought?: number;
  readonly soldOut?: boolean;
  readonly soldOutAt?: string;
  readonly opensAt?: string;
  readonly closesAt?: string;
  readonly soldOutFractionOfDay?: number;
}

function minutesOf(time: string | undefined): number | undefined {
  const match = time === undefined ? null : /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!match) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Share of the opening hours that had passed when the product sold out, in [0, 1], or undefined
 * when not recorded: `soldOutFractionOfDay`, else `soldOutAt` within `opensAt` (default 08:00) to
 * `closesAt`.
 */
export function soldOutFractionOf(observation: CensoringFields): number | undefined {
  const given = observation.soldOutFractionOfDay;
  if (given !== undefined && Number.isFinite(given)) return Math.min(Math.max(given, 0), 1);
  const at = minutesOf(observation.soldOutAt);
  const closes = minutesOf(observation.closesAt);
  const opens = minutesOf(observation.opensAt) ?? 8 * 60;
  if (at === undefined || closes === undefined || closes <= opens) return undefined;
  return Math.min(Math.max((at - opens) / (closes - opens), 0), 1);
}

/**
 * Lower bound of demand implied by an observation, in units. A sell-out at a share `f` of the
 * opening hours served the demand of that share only: with customers arriving evenly through the
 * day, the day's demand is about `quantity / f` (f floored at 0.25), so an earlier sell-out
 * implies more unserved demand. Otherwise (or without a time) the bound is what sold.
 */
export function demandLowerBound(observation: CensoringFields): number {
  const fraction = soldOutFractionOf(observation);
  if (fraction === undefined || fraction >= SELL_OUT_BEFORE_CLOSE) return observation.quantity;
  return observation.quantity / Math.max(fraction, EARLIEST_SELL_OUT);
}

/**
 * Whether an observation is censored: it sold out explicitly, sold >= brought, or sold out well
 * before the market closed (before `SELL_OUT_BEFORE_CLOSE` of the opening hours).
 */
export function isCensored(observation: CensoringFields): boolean {
  if (observation.soldOut === true) return true;
  const fraction = soldOutFractionOf(observation);
  if (fraction !== undefined && fraction < SELL_OUT_BEFORE_CLOSE) return true;
  return (
    observation.brought !== undefined &&
    observation.brought > 0 &&
    observation.quantity >= observation.brought
  );
}
