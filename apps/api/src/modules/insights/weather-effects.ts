/**
 * A weather effect compares like with like: each rainy day with the dry days of the same market
 * in the same month. Pooled over the whole range, strawberries sold "41% more on rainy days"
 * (their June was rainier than the year) and blueberries 41% less; matched, both sell 7-12% less.
 */

/** Days and units of one weather class. */
export interface ClassSums {
  days: number;
  units: number;
}

/** What a comparison answers: both sides on the compared days, and the change. */
export interface MatchedEffect {
  /** The days of the class looked at that have days of the other class in their stratum. */
  days: number;
  meanUnits: number | null;
  /** The other class's days of those strata. */
  otherDays: number;
  /** What those days sell in the other class: each stratum's mean, weighted by `days`. */
  otherMeanUnits: number | null;
  /** meanUnits / otherMeanUnits - 1; null without a stratum that has both, or a zero mean. */
  effect: number | null;
}

const round = (value: number, digits: number) => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/**
 * The class `of` against the class `against` within strata (market x month): the units of the
 * `of` days over what the same days would sell at their stratum's `against` mean (a ratio of
 * observed to expected). A stratum with days of only one class says nothing and is left out.
 */
export function matchedEffect<K extends string>(
  strata: readonly Readonly<Record<K, ClassSums>>[],
  of: K,
  against: K,
): MatchedEffect {
  let days = 0;
  let units = 0;
  let otherDays = 0;
  let expected = 0;
  for (const stratum of strata) {
    const a = stratum[of];
    const b = stratum[against];
    if (a.days === 0 || b.days === 0) continue;
    days += a.days;
    units += a.units;
    otherDays += b.days;
    expected += (a.days * b.units) / b.days;
  }
  return {
    days,
    meanUnits: days > 0 ? round(units / days, 3) : null,
    otherDays,
    otherMeanUnits: days > 0 ? round(expected / days, 3) : null,
    effect: days > 0 && expected > 0 ? round(units / expected - 1, 4) : null,
  };
}
