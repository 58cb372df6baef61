import type { PrismaClient } from '../generated/prisma/client';

/** Backlog of the PostgreSQL outbox (work requested, not yet handed to the worker). */
export interface OutboxBacklog {
  pending: number;
  failed: number;
  /**
   * Creation time of the oldest PENDING row that is due or was already tried, or null when none
   * is. Rows written ahead for later (T-48h / T-24h prep lists, up to 2 h early) do not count
   * until they are due, so the age alerts on stuck work, not on scheduled work.
   */
  oldestPendingAt: Date | null;
}

/** Newest data timestamps across all vendors (no vendor data: two timestamps). */
export interface DataFreshness {
  /** Latest `daily_sales.updated_at`, or null when there are no sales yet. */
  newestSalesAt: Date | null;
  /** Latest `weather.fetched_at`, or null when no weather was fetched yet. */
  newestWeatherAt: Date | null;
}

/** One worker process's newest report, as stored (the JSON is parsed by the reader). */
export interface WorkerStatusRow {
  workerId: string;
  reportedAt: Date;
  status: unknown;
}

/**
 * Platform-level figures for the operators' health check. Reads only the outbox (a platform
 * table) and the `monitoring` functions (migrations `*_health_freshness`, `*_worker_status`), so
 * the app role never reads another vendor's rows.
 */
export class HealthRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Counts pending and failed outbox rows and the age of the oldest pending one. */
  async outboxBacklog(): Promise<OutboxBacklog> {
    const rows = await this.prisma.$queryRaw<
      { pending: bigint; failed: bigint; oldest: Date | null }[]
    >`SELECT count(*) FILTER (WHERE status = 'PENDING') AS pending,
             count(*) FILTER (WHERE status = 'FAILED') AS failed,
             min(created_at) FILTER (
               WHERE status = 'PENDING' AND (available_at <= now() OR attempts > 0)
             ) AS oldest
      FROM outbox`;
    const row = rows[0];
    return {
      pending: Number(row?.pending ?? 0),
      failed: Number(row?.failed ?? 0),
      oldestPendingAt: row?.oldest ?? null,
    };
  }

  /** Newest sales and weather timestamps across vendors. */
  async dataFreshness(): Promise<DataFreshness> {
    const rows = await this.prisma.$queryRaw<
      { newest_sales_at: Date | null; newest_weather_at: Date | null }[]
    >`SELECT newest_sales_at, newest_weather_at FROM monitoring.data_freshness()`;
    return {
      newestSalesAt: rows[0]?.newest_sales_at ?? null,
      newestWeatherAt: rows[0]?.newest_weather_at ?? null,
    };
  }

  /**
   * Stores a worker's status under its id (`monitoring.report_worker_status`, migration
   * `*_worker_status`); rows of workers silent for a day are removed on the way.
   */
  async reportWorkerStatus(input: {
    workerId: string;
    reportedAt: Date;
    status: unknown;
  }): Promise<void> {
    const json = JSON.stringify(input.status);
    await this.prisma.$executeRaw`SELECT monitoring.report_worker_status(
      ${input.workerId}, ${input.reportedAt}::timestamptz, ${json}::jsonb)`;
  }

  /** Every worker's newest report, newest first (at most 100). */
  async workerStatuses(): Promise<WorkerStatusRow[]> {
    const rows = await this.prisma.$queryRaw<
      { worker_id: string; reported_at: Date; status: unknown }[]
    >`SELECT worker_id, reported_at, status FROM monitoring.worker_statuses()`;
    return rows.map((row) => ({
      workerId: row.worker_id,
      reportedAt: row.reported_at,
      status: row.status,
    }));
  }
}
