import type { GoNoGo } from '@marketprep/contracts';

/**
 * Whether a market day's go / no-go call says anything: only with a revenue to weigh against the
 * booth fee (its prep list's or its past days'). A new market without either, or products without
 * prices, got "Marginal" (or "Below booth fee" at $0): a verdict on nothing.
 */
export function hasVerdict(day: Pick<GoNoGo['data'][number], 'basis'>): boolean {
  return day.basis === 'recommendation' || day.basis === 'history';
}
