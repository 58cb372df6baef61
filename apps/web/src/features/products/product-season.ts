/**
 * A product's season in the vendor's words, and the editable draft of it the product form keeps:
 * which mode, which months, which markets it never goes to (see ProductSeasonSchema).
 */
import type { ProductSeason } from '@marketprep/contracts';

/** Month names, January first (index + 1 is the month number the API uses). */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const short = (month: number) => MONTH_NAMES[month - 1]?.slice(0, 3) ?? String(month);

/** What the season control edits; every list present, so toggling needs no undefined checks. */
export interface SeasonDraft {
  mode: ProductSeason['mode'];
  months: readonly number[];
  /** Date ranges set through the API: the form shows and keeps them, it does not edit them. */
  ranges: readonly { from: string; to: string }[];
  excludedMarkets: readonly string[];
}

/** The draft of a stored season (null = learned at every market). */
export function seasonDraft(season: ProductSeason | null): SeasonDraft {
  return {
    mode: season?.mode ?? 'learned',
    months: season?.months ?? [],
    ranges: season?.ranges ?? [],
    excludedMarkets: season?.excludedMarkets ?? [],
  };
}

/**
 * The season to send for a draft, spelled as the API stores it: months in order, empty lists left
 * out, months and ranges only with mode `months`, and "learned at every market" as null. Two
 * drafts of the same setting give the same value, so the form can tell whether it changed.
 */
export function seasonFromDraft(draft: SeasonDraft): ProductSeason | null {
  const excluded =
    draft.excludedMarkets.length > 0 ? { excludedMarkets: [...draft.excludedMarkets] } : {};
  if (draft.mode === 'learned')
    return draft.excludedMarkets.length > 0 ? { mode: 'learned', ...excluded } : null;
  if (draft.mode === 'always') return { mode: 'always', ...excluded };
  return {
    mode: 'months',
    ...(draft.months.length > 0 ? { months: [...draft.months].sort((a, b) => a - b) } : {}),
    ...(draft.ranges.length > 0 ? { ranges: draft.ranges.map((r) => ({ ...r })) } : {}),
    ...excluded,
  };
}

/** Whether two seasons are the same setting. */
export function sameSeason(a: ProductSeason | null, b: ProductSeason | null): boolean {
  return (
    JSON.stringify(seasonFromDraft(seasonDraft(a))) ===
    JSON.stringify(seasonFromDraft(seasonDraft(b)))
  );
}

/** `month` added to or taken from the draft's months. */
export function toggleMonth(draft: SeasonDraft, month: number): SeasonDraft {
  const months = draft.months.includes(month)
    ? draft.months.filter((m) => m !== month)
    : [...draft.months, month].sort((a, b) => a - b);
  return { ...draft, months };
}

/** `marketId` added to or taken from the markets the product never goes to. */
export function toggleExcludedMarket(draft: SeasonDraft, marketId: string): SeasonDraft {
  const excludedMarkets = draft.excludedMarkets.includes(marketId)
    ? draft.excludedMarkets.filter((id) => id !== marketId)
    : [...draft.excludedMarkets, marketId];
  return { ...draft, excludedMarkets };
}

/**
 * Months as runs, round the year: `[6, 7, 8]` is "Jun-Aug", `[11, 12, 1, 2]` "Nov-Feb",
 * `[1, 5, 6]` "Jan, May-Jun"; runs in calendar order of their first month.
 */
export function describeMonths(months: readonly number[]): string {
  const set = new Set(months.filter((m) => m >= 1 && m <= 12));
  if (set.size === 12) return 'every month';
  const previous = (m: number) => (m === 1 ? 12 : m - 1);
  const next = (m: number) => (m === 12 ? 1 : m + 1);
  const runs: string[] = [];
  for (let start = 1; start <= 12; start++) {
    if (!set.has(start) || set.has(previous(start))) continue;
    let end = start;
    while (set.has(next(end))) end = next(end);
    runs.push(end === start ? short(start) : `${short(start)}-${short(end)}`);
  }
  return runs.join(', ');
}

/** `12-01` as "Dec 1". */
export function describeMonthDay(value: string): string {
  const [month = 0, day = 0] = value.split('-').map(Number);
  return `${short(month)} ${day}`;
}

/**
 * One line for a product card: "Season: Jun-Aug; not at Riverside". `marketName` names a market
 * id; one it cannot name (archived, or the markets are still loading) is counted instead.
 */
export function describeSeason(
  season: ProductSeason | null,
  marketName: (id: string) => string | undefined,
): string {
  const when =
    season === null || season.mode === 'learned'
      ? 'learned from your sales'
      : season.mode === 'always'
        ? 'all year'
        : [
            ...(season.months?.length ? [describeMonths(season.months)] : []),
            ...(season.ranges ?? []).map(
              (r) => `${describeMonthDay(r.from)} to ${describeMonthDay(r.to)}`,
            ),
          ].join(', ');
  const excluded = season?.excludedMarkets ?? [];
  const names = excluded.map(marketName).filter((name): name is string => name !== undefined);
  const unnamed = excluded.length - names.length;
  const others = `${unnamed} ${names.length > 0 ? 'other ' : ''}market${unnamed > 1 ? 's' : ''}`;
  const markets = [...names, ...(unnamed > 0 ? [others] : [])];
  return `Season: ${when}${markets.length > 0 ? `; not at ${markets.join(', ')}` : ''}`;
}
