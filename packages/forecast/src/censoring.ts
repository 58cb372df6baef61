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

/** Whether an observation is censored: it sold out (explicitly, or sold >= brought). */
export function isCensored(observation: {
  readonly quantity: number;
  readonly brought?: number;
  readonly soldOut?: boolean;
}): boolean {
  if (observation.soldOut === true) return true;
  return (
    observation.brought !== undefined &&
    observation.brought > 0 &&
    observation.quantity >= observation.brought
  );
}
