import type { PrepListAvailability, PrepListExplanation } from '@marketprep/contracts';
import type {
  BaselineBasis,
  Explanation,
  ExplanationEffect,
  ForecastAvailability,
  PrepForecast,
} from '@marketprep/forecast';
import { DATE_FLAG_PREFIX, PUBLIC_HOLIDAY_FLAG } from '@marketprep/forecast';
import { holidayLabel } from './holidays';

/** A line's explanation as stored with the prep list: the contract's, plus its availability. */
export type StoredLineExplanation = PrepListExplanation & { availability: PrepListAvailability };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Months as the vendor says them: [7, 8, 9] -> "Jul-Sep"; [11, 12, 1] -> "Nov-Jan". */
export function describeMonths(months: readonly number[]): string {
  const set = new Set(months.filter((m) => m >= 1 && m <= 12));
  if (set.size === 12) return 'all year';
  if (set.size === 0) return '';
  // Start each run at a month whose previous month is not in the set (wrapping New Year).
  const runs: string[] = [];
  for (let m = 1; m <= 12; m++) {
    if (!set.has(m) || set.has(((m + 10) % 12) + 1)) continue;
    let end = m;
    while (set.has((end % 12) + 1)) end = (end % 12) + 1;
    const name = (month: number) => MONTHS[month - 1] ?? '';
    runs.push(end === m ? name(m) : `${name(m)}-${name(end)}`);
  }
  return runs.join(', ');
}

/** "Sep 14" of a `YYYY-MM-DD` date. */
export function shortDate(date: string): string {
  return `${MONTHS[Number(date.slice(5, 7)) - 1] ?? ''} ${Number(date.slice(8, 10))}`;
}

/** Why a product is out of season, or that its numbers follow a season start; else null. */
export function availabilityNote(
  availability: ForecastAvailability,
  options: { excludedHere?: boolean } = {},
): string | null {
  const usual = describeMonths(availability.usualMonths);
  if (!availability.inSeason) {
    if (availability.source === 'owner') {
      if (options.excludedHere) return 'Not brought to this market (your product setting)';
      return `Not in season: your season is ${usual || 'not set'}`;
    }
    const last = availability.lastSoldOn ? `last sold ${shortDate(availability.lastSoldOn)}` : '';
    return `Not in season: ${[last, usual ? `usually ${usual}` : ''].filter(Boolean).join('; ')}`;
  }
  if (availability.seasonStart) return 'Season start: following your first weeks of last season';
  return null;
}

/** Where a cold start's typical day comes from, in the vendor's words. */
export function describeBasis(
  basis: BaselineBasis | undefined,
  marketName: (id: string) => string,
): string | undefined {
  if (!basis) return undefined;
  if (basis.kind === 'stated') return 'your own estimate for this product';
  if (basis.kind === 'category') return 'your other products of this kind';
  const scale = Math.round(basis.scale * 100) / 100;
  return `your sales at ${marketName(basis.market)}${scale === 1 ? '' : `, scaled x${scale}`}`;
}

const EFFECT_LABELS: Readonly<Record<string, string>> = {
  'weekday-season': 'weekday and season',
  weather: 'weather',
  holiday: 'holiday',
  event: 'event nearby',
  trend: 'recent trend',
  'recent-sell-outs': 'recent sell-outs',
  'no-sale-days': 'chance of no sale',
};

/**
 * The names to say of a holiday effect: a holiday the engine knows by its date ("Whit Monday")
 * stands for the generic "Public holiday" flag of the same day.
 */
function holidayNames(names: readonly string[]): readonly string[] {
  const dated = names.some((n) => n.startsWith(DATE_FLAG_PREFIX));
  return dated ? names.filter((n) => n !== PUBLIC_HOLIDAY_FLAG) : names;
}

/** The name of an effect that has one: "Christmas week", "Season start". */
export function effectLabel(effect: ExplanationEffect): string | undefined {
  const names = effect.names ?? [];
  if (names.length === 0) return undefined;
  if (effect.name === 'holiday')
    return holidayNames(names)
      .map((n) => holidayLabel(n).label)
      .join(' + ');
  if (names.includes('season-start')) return 'Season start';
  if (names.includes('same-weeks')) return 'Same weeks last season';
  return undefined;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const signed = (value: number) => (value > 0 ? `+${value}` : `${value}`);

/** "(from your last 2 Christmas weeks)" for a named holiday effect. */
function holidaySource(effect: ExplanationEffect): string {
  const first = holidayNames(effect.names ?? [])[0];
  if (!first) return '';
  const { label, plural } = holidayLabel(first);
  if (effect.support >= 2) return `, from your last ${effect.support} ${plural}`;
  if (effect.support === 1) return `, from your last ${label}`;
  return `, none here yet: from your other products`;
}

/**
 * The explanation in one short sentence: the typical day (or where a guess comes from), the
 * effects that move the P50 by at least half a unit or 5% (largest first, at most four), then
 * the median they add up to. Named effects say their name and what they rest on.
 */
export function summarizeExplanation(
  explanation: Explanation,
  options: { basis?: string } = {},
): string {
  const parts = [
    options.basis
      ? `No sales here yet: a guess from ${options.basis}, ${round1(explanation.baseline)} a day`
      : `Typical day ${round1(explanation.baseline)} (${explanation.baselineSupport} market days)`,
  ];
  const notable = explanation.effects
    .filter((effect) => Math.abs(effect.units) >= 0.5 || Math.abs(effect.percent) >= 5)
    .sort((a, b) => Math.abs(b.units) - Math.abs(a.units))
    .slice(0, 4);
  for (const effect of notable) {
    const label = effectLabel(effect) ?? EFFECT_LABELS[effect.name] ?? effect.name;
    const source = effect.name === 'holiday' ? holidaySource(effect) : '';
    parts.push(
      `${label} ${signed(round1(effect.units))} (${signed(Math.round(effect.percent))}%${source})`,
    );
  }
  const median = explanation.effects.reduce(
    (sum, effect) => sum + effect.units,
    explanation.baseline,
  );
  parts.push(`median ${round1(median)}`);
  return parts.join('; ');
}

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/** The stored explanation of one forecast: numbers rounded, names labelled, availability said. */
export function describeForecast(
  forecast: PrepForecast,
  options: { marketName: (id: string) => string; excludedHere?: boolean },
): StoredLineExplanation {
  const { explanation, availability } = forecast;
  const note = availabilityNote(availability, { excludedHere: options.excludedHere ?? false });
  const basis = describeBasis(explanation.basis, options.marketName);
  const stored: PrepListAvailability = {
    inSeason: availability.inSeason,
    source: availability.source,
    lastSoldOn: availability.lastSoldOn,
    usualMonths: [...availability.usualMonths],
    note,
  };
  let summary: string;
  if (forecast.rung === 'out-of-season') summary = note ?? 'Not in season';
  else if (forecast.rung === 'closed') summary = 'Market closed this day';
  else {
    summary = summarizeExplanation(explanation, basis ? { basis } : {});
    if (availability.seasonStart && note) summary = `${note}. ${summary}`;
  }
  return {
    baseline: round(explanation.baseline, 3),
    baselineSupport: Math.round(explanation.baselineSupport),
    ...(basis ? { basis } : {}),
    effects: explanation.effects.map((effect) => {
      const label = effectLabel(effect);
      return {
        name: effect.name,
        units: round(effect.units, 3),
        percent: round(effect.percent, 1),
        support: Math.max(0, Math.round(effect.support)),
        ...(label ? { label } : {}),
      };
    }),
    summary,
    availability: stored,
  };
}
