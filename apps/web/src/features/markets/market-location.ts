import type { Market } from '@marketprep/contracts';

/** Whether a market still has the placeholder location an import gives it (0, 0). */
export function lacksLocation(market: Pick<Market, 'latitude' | 'longitude'>): boolean {
  return market.latitude === 0 && market.longitude === 0;
}
