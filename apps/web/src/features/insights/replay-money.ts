import type { ReplayMoney } from '@marketprep/contracts';

/**
 * The two parts of a money comparison in a vendor's words: a part that is zero is left out (a
 * month without sell-outs has none to recover), and a negative one says what it cost (bringing
 * more can mean more waste and fewer missed sales) instead of "-$3.00 less waste".
 */
export function moneyEffects(
  money: Pick<ReplayMoney, 'wasteAvoidedMinor' | 'salesRecoveredMinor'>,
  format: (minor: number) => string,
): string {
  const parts: string[] = [];
  const waste = money.wasteAvoidedMinor;
  if (waste > 0) parts.push(`${format(waste)} less waste`);
  if (waste < 0) parts.push(`${format(-waste)} more waste`);
  const sales = money.salesRecoveredMinor;
  if (sales > 0) parts.push(`${format(sales)} of sell-outs recovered`);
  if (sales < 0) parts.push(`${format(-sales)} more in missed sales`);
  return parts.length > 0 ? parts.join(', ') : 'no change in waste or sell-outs';
}
