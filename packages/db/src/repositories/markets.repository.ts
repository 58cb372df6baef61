import type { TenantTransaction } from '../tenant';

/** A market as the apps see it (plain data; Prisma types stay in packages/db). */
export interface MarketSummary {
  id: string;
  name: string;
  address: string | null;
  latitude: number;
  longitude: number;
  timezone: string;
  countryCode: string;
  regionCode: string | null;
  boothFeeMinor: number;
  active: boolean;
  /** Weekly schedule, 0 = Monday, local times 'HH:MM'. */
  schedule: { weekday: number; opensAt: string; closesAt: string }[];
  /** The next few scheduled (not cancelled) market days on or after `from`, 'YYYY-MM-DD'. */
  upcomingDates: string[];
}

/** Markets of the current tenant. Takes a tenant-scoped transaction (see withTenant). */
export class MarketsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Lists the vendor's active markets by name, with their schedule and upcoming market days. */
  async listMarkets(options: { from: string; upcomingDays?: number }): Promise<MarketSummary[]> {
    const from = new Date(`${options.from}T00:00:00Z`);
    const rows = await this.tx.market.findMany({
      where: { active: true, archivedAt: null },
      orderBy: { name: 'asc' },
      select: {
        id: true,
        name: true,
        address: true,
        latitude: true,
        longitude: true,
        timezone: true,
        countryCode: true,
        regionCode: true,
        boothFeeMinor: true,
        active: true,
        schedules: {
          orderBy: { weekday: 'asc' },
          select: { weekday: true, opensAt: true, closesAt: true },
        },
        marketDays: {
          where: { date: { gte: from }, status: 'SCHEDULED' },
          orderBy: { date: 'asc' },
          take: options.upcomingDays ?? 1,
          select: { date: true },
        },
      },
    });
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      address: row.address,
      latitude: row.latitude.toNumber(),
      longitude: row.longitude.toNumber(),
      timezone: row.timezone,
      countryCode: row.countryCode,
      regionCode: row.regionCode,
      boothFeeMinor: row.boothFeeMinor,
      active: row.active,
      schedule: row.schedules.map((s) => ({
        weekday: s.weekday,
        opensAt: s.opensAt.toISOString().slice(11, 16),
        closesAt: s.closesAt.toISOString().slice(11, 16),
      })),
      upcomingDates: row.marketDays.map((d) => d.date.toISOString().slice(0, 10)),
    }));
  }
}
