import type { TenantTransaction } from '../tenant';
import { dateColumn, isoDate, type CheckInMarketDay } from './feedback.repository';

/** Daily weather of a market as the insights use it (one row per market and date). */
export interface WeatherDay {
  marketId: string;
  date: string;
  kind: 'FORECAST' | 'OBSERVED';
  provider: string;
  fetchedAt: Date;
  tempMaxC: number | null;
  tempMinC: number | null;
  precipMm: number | null;
  precipProb: number | null;
  summary: string | null;
}

/** Read models for charts and the go/no-go view. Takes a tenant-scoped transaction. */
export class InsightsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Market days in a date range (optionally of some markets, or only scheduled ones). */
  async findMarketDays(options: {
    marketIds?: string[];
    from: string;
    to: string;
    scheduledOnly?: boolean;
  }): Promise<CheckInMarketDay[]> {
    const rows = await this.tx.marketDay.findMany({
      where: {
        date: { gte: dateColumn(options.from), lte: dateColumn(options.to) },
        ...(options.marketIds ? { marketId: { in: options.marketIds } } : {}),
        ...(options.scheduledOnly ? { status: 'SCHEDULED' as const } : {}),
      },
      orderBy: [{ date: 'asc' }, { marketId: 'asc' }],
      select: { id: true, marketId: true, date: true, status: true, opensAt: true, closesAt: true },
    });
    return rows.map((r) => ({ ...r, date: isoDate(r.date) }));
  }

  /**
   * One weather row per market and date in a range: observed beats forecast (unless
   * `forecastOnly`), then the latest fetch wins.
   */
  async findWeather(options: {
    marketIds?: string[];
    from: string;
    to: string;
    forecastOnly?: boolean;
  }): Promise<WeatherDay[]> {
    const rows = await this.tx.weather.findMany({
      where: {
        date: { gte: dateColumn(options.from), lte: dateColumn(options.to) },
        ...(options.marketIds ? { marketId: { in: options.marketIds } } : {}),
        ...(options.forecastOnly ? { kind: 'FORECAST' as const } : {}),
      },
      orderBy: [{ fetchedAt: 'desc' }, { id: 'asc' }],
      select: {
        marketId: true,
        date: true,
        kind: true,
        provider: true,
        fetchedAt: true,
        tempMaxC: true,
        tempMinC: true,
        precipMm: true,
        precipProb: true,
        summary: true,
      },
    });
    const best = new Map<string, WeatherDay>();
    for (const r of rows) {
      const key = `${r.marketId}|${isoDate(r.date)}`;
      const held = best.get(key);
      if (held && !(held.kind === 'FORECAST' && r.kind === 'OBSERVED')) continue;
      best.set(key, {
        marketId: r.marketId,
        date: isoDate(r.date),
        kind: r.kind,
        provider: r.provider,
        fetchedAt: r.fetchedAt,
        tempMaxC: r.tempMaxC?.toNumber() ?? null,
        tempMinC: r.tempMinC?.toNumber() ?? null,
        precipMm: r.precipMm?.toNumber() ?? null,
        precipProb: r.precipProb?.toNumber() ?? null,
        summary: r.summary,
      });
    }
    return [...best.values()];
  }

  /**
   * Revenue of a market's last `count` dates with sales before `before` (newest first), summed
   * over products.
   */
  async findRecentRevenue(options: {
    marketId: string;
    before: string;
    count: number;
  }): Promise<{ date: string; revenueMinor: number }[]> {
    const rows = await this.tx.dailySales.groupBy({
      by: ['date'],
      where: { marketId: options.marketId, date: { lt: dateColumn(options.before) } },
      _sum: { revenueMinor: true },
      orderBy: { date: 'desc' },
      take: options.count,
    });
    return rows.map((r) => ({
      date: isoDate(r.date),
      revenueMinor: Number(r._sum.revenueMinor ?? 0),
    }));
  }
}
