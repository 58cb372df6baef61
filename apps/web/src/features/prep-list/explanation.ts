/**
 * The engine's explanation of a prep-list line in the vendor's words: the typical day for this
 * weekday (the market's typical day on a weekday new to it), then each effect that moved it, with its size and how many past market days stand
 * behind it ("Typical Saturday: 38 · Weather: −15% (from 4 market days) · Events nearby: +10%").
 * Pure: no clock, no locale surprises.
 */
import type { PrepListExplanation } from '@marketprep/contracts';

import { formatSignedQuantity, formatWeekday } from '../../lib/format';

type EffectName = PrepListExplanation['effects'][number]['name'];

/** What each effect is called on screen, unless it has a name of its own ("Christmas week"). */
export const EFFECT_LABELS: Record<EffectName, string> = {
  'weekday-season': 'Weekday and season',
  weather: 'Weather forecast',
  holiday: 'Holiday',
  event: 'Events nearby',
  trend: 'Recent trend',
  'recent-sell-outs': 'Recent sell-outs',
  'no-sale-days': 'Days without sales',
};

/** An effect smaller than both of these changes nothing a vendor would pack differently. */
const MIN_PERCENT = 2;
const MIN_UNITS = 0.5;

/** A true minus sign reads better than a hyphen next to a number. */
const MINUS = '\u2212';

/** `3.527` -> `"3.5"`, `38.2` -> `"38"`: one decimal only where it matters. */
export function formatUnits(value: number): string {
  const rounded = Math.abs(value) < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  const text = Number.isInteger(rounded) ? String(Math.abs(rounded)) : Math.abs(rounded).toFixed(1);
  return rounded < 0 ? `${MINUS}${text}` : text;
}

/** `-15` -> `"−15%"`, `10.8` -> `"+11%"`. */
export function formatSignedPercent(percent: number): string {
  const rounded = Math.round(percent);
  if (rounded === 0) return '0%';
  return rounded > 0 ? `+${rounded}%` : `${MINUS}${Math.abs(rounded)}%`;
}

/** `"from your 4 market days"`, `"from 1 market day"`, nothing for 0. */
function describeSupport(support: number): string | null {
  if (support <= 0) return null;
  return support === 1 ? 'from 1 market day' : `from ${support} market days`;
}

/** `"Christmas week"` -> `"Christmas weeks"`: the last word carries the plural. */
function pluralLabel(label: string): string {
  return /(s|x|ch|sh)$/i.test(label) ? `${label}es` : `${label}s`;
}

/**
 * Where a named holiday effect comes from, as the API's summary says it: `"from your last 2
 * Christmas weeks"`, `"from your last Christmas week"`, and nothing when it rests on none here.
 * Two holidays in one effect ("Christmas week + New Year's week") count market days instead.
 */
function describeHolidaySupport(label: string, support: number): string | null {
  if (support <= 0 || label.includes(' + ')) return describeSupport(support);
  return support === 1
    ? `from your last ${label}`
    : `from your last ${support} ${pluralLabel(label)}`;
}

/** The weekday of a `YYYY-MM-DD` date (0 = Monday). */
export function weekdayOf(localDate: string): number {
  const [year = 0, month = 1, day = 1] = localDate.split('-').map(Number);
  const sundayFirst = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return (sundayFirst + 6) % 7;
}

/** One part of an explanation, ready to show. */
export interface ExplanationPart {
  /** Stable key for lists. */
  key: string;
  label: string;
  /** The size: `"38"` for the baseline, `"−15%"` for an effect. */
  value: string;
  /** Units added or removed, e.g. `"−5.7"`; absent for the baseline. */
  units?: string;
  /** The same as a number (unrounded), for wording it with the product's unit. */
  unitsValue?: number;
  /** `"from 4 market days"`, when any. */
  support?: string;
  /** Whether it moved the quantity enough to mention in the one-line summary. */
  notable: boolean;
  /** Absolute size in percent, for ordering (0 for the baseline). */
  magnitude: number;
}

/**
 * The baseline and every effect of `explanation`, in the engine's order. A baseline that is a
 * guess (a cold start) says where it comes from; an effect with a name says it ("Christmas week").
 */
export function explanationParts(
  explanation: PrepListExplanation,
  { date }: { date: string },
): ExplanationPart[] {
  const weekday = formatWeekday(weekdayOf(date));
  const baselineSupport =
    explanation.basis !== undefined
      ? `from ${explanation.basis}`
      : describeSupport(explanation.baselineSupport);
  // A one-off day on a weekday this product never sold on here (a Wednesday holiday market at a
  // Saturday market): its typical day is the market's usual one, not a "typical Wednesday", and
  // the weekday's effect comes from that weekday at the vendor's other markets.
  const weekdayEffect = explanation.effects.find((effect) => effect.name === 'weekday-season');
  const newWeekday =
    explanation.basis === undefined &&
    explanation.baselineSupport > 0 &&
    weekdayEffect !== undefined &&
    weekdayEffect.support === 0;
  const parts: ExplanationPart[] = [
    {
      key: 'baseline',
      label:
        explanation.basis !== undefined
          ? `Guess for a ${weekday}`
          : newWeekday
            ? 'Typical market day'
            : `Typical ${weekday}`,
      value: formatUnits(explanation.baseline),
      ...(baselineSupport !== null && { support: baselineSupport }),
      notable: true,
      magnitude: 0,
    },
  ];
  for (const [index, effect] of explanation.effects.entries()) {
    const units = formatUnits(effect.units);
    const percent = formatSignedPercent(effect.percent);
    // An effect under 1% and under half a unit moved nothing a vendor packs: not worth a word
    // (a "0%" among the smaller effects reads as noise).
    if (percent === '0%' && Math.abs(effect.units) < MIN_UNITS) continue;
    // Under 1% of a big day can still be a unit or more: say so rather than "0%".
    const value = percent === '0%' ? 'less than 1%' : percent;
    const firstOfWeekday = newWeekday && effect === weekdayEffect;
    const label = firstOfWeekday
      ? `First ${weekday} here`
      : (effect.label ?? EFFECT_LABELS[effect.name]);
    const support = firstOfWeekday
      ? `from ${weekday}s elsewhere`
      : effect.name === 'holiday' && effect.label !== undefined
        ? describeHolidaySupport(effect.label, effect.support)
        : describeSupport(effect.support);
    parts.push({
      key: `${effect.name}-${index}`,
      label,
      value,
      units: effect.units > 0 ? `+${units}` : units,
      unitsValue: effect.units,
      ...(support !== null && { support }),
      notable: Math.abs(effect.percent) >= MIN_PERCENT || Math.abs(effect.units) >= MIN_UNITS,
      magnitude: Math.abs(effect.percent),
    });
  }
  return parts;
}

/** The baseline, then the effects that matter largest first, then the rest (the minor ones). */
export function splitExplanation(
  explanation: PrepListExplanation,
  { date }: { date: string },
): { headline: ExplanationPart[]; minor: ExplanationPart[] } {
  const [baseline, ...effects] = explanationParts(explanation, { date });
  const notable = effects.filter((part) => part.notable).sort((a, b) => b.magnitude - a.magnitude);
  return {
    headline: baseline === undefined ? notable : [baseline, ...notable],
    minor: effects.filter((part) => !part.notable),
  };
}

/**
 * The explanation in one line: the typical day and the effects that matter, largest first, each
 * once, with the units it adds when `unit` is given, e.g. `"Typical Saturday: 38 (from 96 market
 * days) · Weather forecast: −15%, −6 loaves (from 4 market days)"`: whole loaves, as they are
 * packed (one decimal only for what is weighed).
 */
export function explanationSentence(
  explanation: PrepListExplanation,
  { date, unit }: { date: string; unit?: string },
): string {
  return splitExplanation(explanation, { date })
    .headline.map((part) => {
      const units =
        unit !== undefined && part.unitsValue !== undefined
          ? `, ${formatSignedQuantity(part.unitsValue, unit)}`
          : '';
      return `${part.label}: ${part.value}${units}${part.support ? ` (${part.support})` : ''}`;
    })
    .join(' · ');
}
