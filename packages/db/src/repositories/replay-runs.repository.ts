import type { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';
import type { DataRequestStatus } from './data-exports.repository';

/** A replay of the business's last season (issue 22) as the apps see it. */
export interface ReplayRunRecord {
  id: string;
  status: DataRequestStatus;
  months: number;
  progress: number;
  /** The result JSON (contracts ReplayResultSchema), once COMPLETED. */
  result: unknown;
  error: string | null;
  requestedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
}

const select = {
  id: true,
  status: true,
  months: true,
  progress: true,
  result: true,
  error: true,
  requestedAt: true,
  startedAt: true,
  completedAt: true,
} as const satisfies Prisma.ReplayRunSelect;

/** Replay runs of the current tenant. Takes a tenant-scoped transaction (see withTenant). */
export class ReplayRunsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** The business's currency (ISO 4217), for the replay's money. */
  async findVendorCurrency(): Promise<string> {
    const vendor = await this.tx.vendor.findFirst({ select: { currency: true } });
    return vendor?.currency ?? 'USD';
  }

  /** A new PENDING replay of the last `months`. */
  async createReplay(input: {
    vendorId: string;
    requestedByUserId: string | null;
    months: number;
  }): Promise<ReplayRunRecord> {
    return this.tx.replayRun.create({ data: input, select });
  }

  /** The replay still queued or running, if any. */
  async findActiveReplay(): Promise<ReplayRunRecord | null> {
    return this.tx.replayRun.findFirst({
      where: { status: { in: ['PENDING', 'RUNNING'] } },
      orderBy: { requestedAt: 'desc' },
      select,
    });
  }

  /** The `take` newest replays, newest first. */
  async listReplays(take: number): Promise<ReplayRunRecord[]> {
    return this.tx.replayRun.findMany({
      orderBy: [{ requestedAt: 'desc' }, { id: 'desc' }],
      take,
      select,
    });
  }

  /** The newest replay, or null. */
  async findLatestReplay(): Promise<ReplayRunRecord | null> {
    return this.tx.replayRun.findFirst({ orderBy: { requestedAt: 'desc' }, select });
  }

  /** One replay. */
  async findReplay(id: string): Promise<ReplayRunRecord | null> {
    return this.tx.replayRun.findUnique({ where: { id }, select });
  }

  /** PENDING (or a RUNNING one again after a crash) -> RUNNING; null when it is not to be run. */
  async startReplay(id: string, at: Date): Promise<ReplayRunRecord | null> {
    const { count } = await this.tx.replayRun.updateMany({
      where: { id, status: { in: ['PENDING', 'RUNNING'] } },
      data: { status: 'RUNNING', startedAt: at, progress: 0 },
    });
    return count === 0 ? null : this.findReplay(id);
  }

  /** Progress 0-100 of a running replay. */
  async setReplayProgress(id: string, progress: number): Promise<void> {
    await this.tx.replayRun.updateMany({
      where: { id, status: 'RUNNING' },
      data: { progress: Math.max(0, Math.min(100, Math.round(progress))) },
    });
  }

  /** COMPLETED with its result. */
  async completeReplay(id: string, result: Prisma.InputJsonValue, at: Date): Promise<void> {
    await this.tx.replayRun.update({
      where: { id },
      data: { status: 'COMPLETED', progress: 100, result, completedAt: at, error: null },
    });
  }

  /** FAILED with a reason in words. */
  async failReplay(id: string, error: string, at: Date): Promise<void> {
    await this.tx.replayRun.update({
      where: { id },
      data: { status: 'FAILED', error: error.slice(0, 500), completedAt: at },
    });
  }
}
