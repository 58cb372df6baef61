/**
 * The market form's "How big is this market?": the owner's size of a market relative to another of
 * theirs ("About half of Riverside"), as the form shows it and as the API receives it. The forecast
 * uses it until the market has sales of its own; without it a new market starts from the vendor's
 * smallest market.
 */
import type { Market, MarketExpectedSize } from '@marketprep/contracts';

/** The sizes offered, in words a vendor picks from on a phone. */
export const SIZE_SCALES: readonly { scale: number; label: string }[] = [
  { scale: 0.25, label: 'About a quarter of' },
  { scale: 0.5, label: 'About half of' },
  { scale: 0.75, label: 'About three quarters of' },
  { scale: 1, label: 'About the same as' },
  { scale: 1.5, label: 'About 1½ times' },
  { scale: 2, label: 'About twice' },
];

/** What the two selects hold: `scale` `''` means "not sure" (no size). */
export interface SizeChoice {
  scale: string;
  referenceMarketId: string;
}

/** A market the size can compare with. */
export type SizeReference = Pick<Market, 'id' | 'name'>;

/** The vendor's markets this one can be compared with: every listed one but itself. */
export function sizeReferencesFor(
  markets: readonly SizeReference[],
  marketId: string | undefined,
): SizeReference[] {
  return markets.filter((m) => m.id !== marketId);
}

/** The selects' starting values: the stored size, else "not sure" and the first other market. */
export function toSizeChoice(
  size: MarketExpectedSize | null | undefined,
  references: readonly SizeReference[],
): SizeChoice {
  return size
    ? { scale: String(size.scale), referenceMarketId: size.referenceMarketId }
    : { scale: '', referenceMarketId: references[0]?.id ?? '' };
}

/** The size options, with a stored size the list does not offer (set through the API) kept. */
export function sizeScaleOptions(current: string): { value: string; label: string }[] {
  const options = SIZE_SCALES.map((s) => ({ value: String(s.scale), label: s.label }));
  if (current !== '' && !options.some((o) => o.value === current)) {
    options.push({ value: current, label: `About ${current} ×` });
  }
  return options;
}

/** The reference options, with a stored reference the list does not hold kept (not dropped). */
export function sizeReferenceOptions(
  references: readonly SizeReference[],
  current: string,
): SizeReference[] {
  if (current === '' || references.some((r) => r.id === current)) return [...references];
  return [...references, { id: current, name: 'Another of your markets' }];
}

/**
 * The choice as the selects show it: before the market list arrives no reference is picked, and
 * the reference select then shows (and the form sends) the first other market.
 */
export function shownSizeChoice(
  choice: SizeChoice,
  references: readonly SizeReference[],
): SizeChoice {
  return { ...choice, referenceMarketId: choice.referenceMarketId || (references[0]?.id ?? '') };
}

/**
 * The `expectedSize` part of the form's body. Without another market the control is not shown and
 * the field is left out, so a PATCH keeps whatever size is stored.
 */
export function toSizePayload(
  choice: SizeChoice,
  references: readonly SizeReference[],
): { expectedSize?: MarketExpectedSize | null } {
  if (references.length === 0) return {};
  return { expectedSize: toExpectedSize(shownSizeChoice(choice, references)) };
}

/** What the API receives: null ("not sure") clears the size. */
export function toExpectedSize(choice: SizeChoice): MarketExpectedSize | null {
  if (choice.scale === '' || choice.referenceMarketId === '') return null;
  return { referenceMarketId: choice.referenceMarketId, scale: Number(choice.scale) };
}

/** The size in words for a market card ("About half of Riverside"), or null without one. */
export function describeExpectedSize(
  size: MarketExpectedSize | null | undefined,
  markets: readonly SizeReference[],
): string | null {
  if (!size) return null;
  const name = markets.find((m) => m.id === size.referenceMarketId)?.name;
  const words = SIZE_SCALES.find((s) => s.scale === size.scale)?.label ?? `About ${size.scale} ×`;
  return `${words} ${name ?? 'another of your markets'}`;
}
