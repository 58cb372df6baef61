/**
 * How long a product sells, in the words of its card: the week's plan carries leftovers only
 * within it (docs/week-plan.md). Null when not set (nothing is carried).
 */
export function describeShelfLife(days: number | null): string | null {
  if (days === null) return null;
  if (days <= 1) return 'sells the day it is made';
  return `keeps ${days} days`;
}
