import { MarketsRepository, withTenant, type DatabaseClient } from '@marketprep/db';
import type { Market } from '@marketprep/contracts';

/** Today's calendar date in `timeZone`, `YYYY-MM-DD`. */
export function localDate(now: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** Reads a vendor's markets. */
export class MarketsService {
  constructor(private readonly db: DatabaseClient) {}

  /** Active markets with their schedule and next market day in each market's own time zone. */
  async listMarkets(options: { vendorId: string; now: Date }): Promise<Market[]> {
    // The earliest "today" on Earth is UTC-12; start there, then cut per market's own zone.
    const from = localDate(new Date(options.now.getTime() - 12 * 3_600_000), 'UTC');
    const markets = await withTenant(this.db.prisma, options.vendorId, (tx) =>
      new MarketsRepository(tx).listMarkets({ from, upcomingDays: 3 }),
    );
    return markets.map(({ upcomingDates, ...market }) => {
      const today = localDate(options.now, market.timezone);
      return { ...market, nextMarketDate: upcomingDates.find((d) => d >= today) ?? null };
    });
  }
}
