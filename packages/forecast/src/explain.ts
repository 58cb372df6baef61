import type { EffectName, Explanation, ExplanationEffect } from './types';

/** Back from the model's log1p scale to units (never below zero). */
export function fromLogScale(value: number): number {
  return Math.max(0, Math.expm1(value));
}

/** One effect on the log scale, before it is turned into units. */
export interface LogEffect {
  readonly name: EffectName;
  readonly logEffect: number;
  readonly support: number;
  /** Names behind the effect (holiday windows, `season-start`), passed through to the explanation. */
  readonly names?: readonly string[];
}

/**
 * Turns a log-scale median (a baseline plus effects) into units. The effects are applied one after
 * another in the given fixed order and each gets the change it makes, so the parts add up to the
 * P50 exactly and each effect moves it the way its sign says. Returns the explanation and the P50.
 */
export function explainMedian(input: {
  readonly baselineLog: number;
  readonly baselineSupport: number;
  readonly basis?: Explanation['basis'];
  readonly effects: readonly LogEffect[];
}): { explanation: Explanation; p50: number; medianLog: number } {
  let cumulative = input.baselineLog;
  let previous = fromLogScale(cumulative);
  const baseline = previous;
  const effects: ExplanationEffect[] = input.effects.map((effect) => {
    cumulative += effect.logEffect;
    const current = fromLogScale(cumulative);
    const units = current - previous;
    const percent = previous > 0 ? (100 * units) / previous : 0;
    previous = current;
    return {
      name: effect.name,
      units,
      percent,
      support: effect.support,
      ...(effect.names && effect.names.length > 0 ? { names: effect.names } : {}),
    };
  });
  return {
    explanation: {
      baseline,
      baselineSupport: input.baselineSupport,
      ...(input.basis ? { basis: input.basis } : {}),
      effects,
    },
    p50: previous,
    medianLog: cumulative,
  };
}
