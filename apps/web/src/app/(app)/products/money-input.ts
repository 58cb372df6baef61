/**
 * Money as a person types it ("4.50", "$4.5", "4") to integer minor units (450); null when it is
 * not an amount. At most two decimals; no thousands separators needed for stall prices.
 */
export function parseMoneyInput(text: string): number | null {
  const cleaned = text.trim().replace(/^\$/, '').replace(/,/g, '');
  if (!/^\d{1,7}(\.\d{0,2})?$/.test(cleaned)) return null;
  const [whole = '0', fraction = ''] = cleaned.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Minor units back to the text of an input: 450 → "4.50". */
export function formatMoneyInput(minor: number): string {
  return (minor / 100).toFixed(2);
}

/**
 * The newsvendor critical ratio (price − cost) / (price − salvage): the share of demand to cover.
 * Null when the price does not exceed the salvage value (the ratio is undefined there).
 */
export function criticalRatio(priceMinor: number, costMinor: number, salvageMinor: number) {
  if (priceMinor <= salvageMinor) return null;
  return Math.min(1, Math.max(0, (priceMinor - costMinor) / (priceMinor - salvageMinor)));
}

/**
 * The economics rule both product forms check before saving: a price (an import without prices
 * leaves 0, and "leftover value must be below the price" did not say what was missing), and a
 * leftover value below it. Field errors keyed like the API's; empty when both hold.
 */
export function priceRuleErrors(body: {
  priceMinor: number;
  salvageValueMinor: number;
}): Record<string, string> {
  if (body.priceMinor <= 0) return { priceMinor: 'Enter the price you sell it for' };
  if (body.salvageValueMinor >= body.priceMinor) {
    return { salvageValueMinor: 'Must be below the price' };
  }
  return {};
}
