import { ReplayResultSchema, type ReplayRun } from '@marketprep/contracts';
import {
  AuditRepository,
  ReplayRunsRepository,
  withTenant,
  type DatabaseClient,
  type ReplayRunRecord,
} from '@marketprep/db';
import { enqueueWork } from '../../lib/outbox';
import type { TenantContext } from '../../plugins/auth';

/** The worker job that replays (apps/worker replay-vendor). */
export const REPLAY_JOB = 'replay-vendor';

/**
 * "Your last season, replayed" (docs/replay.md): a replay is queued through the outbox for the
 * worker, which stores its progress and result on the run; the API reads them back.
 */
export class ReplayService {
  constructor(private readonly deps: { db: DatabaseClient }) {}

  /** Queues a replay of the last `months`, or answers the one already queued or running. */
  async requestReplay(
    tenant: TenantContext,
    months: number,
    requestId: string,
  ): Promise<{ created: boolean; run: ReplayRun }> {
    const result = await withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const runs = new ReplayRunsRepository(tx);
      const active = await runs.findActiveReplay();
      if (active) return { created: false, record: active };
      const record = await runs.createReplay({
        vendorId: tenant.vendorId,
        requestedByUserId: tenant.userId,
        months,
      });
      await enqueueWork(tx, {
        jobName: REPLAY_JOB,
        payload: { vendorId: tenant.vendorId, replayId: record.id },
        dedupeKey: `replay:${record.id}`,
        requestId,
      });
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: tenant.actorType,
        action: 'replay.requested',
        targetType: 'replay',
        targetId: record.id,
        metadata: { months },
      });
      return { created: true, record };
    });
    return { created: result.created, run: toReplayRun(result.record) };
  }

  /** The 20 newest replays of the business, newest first. */
  async listReplays(tenant: TenantContext): Promise<ReplayRun[]> {
    const records = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new ReplayRunsRepository(tx).listReplays(20),
    );
    return records.map(toReplayRun);
  }

  /** The newest replay of the business, or null. */
  async latestReplay(tenant: TenantContext): Promise<ReplayRun | null> {
    const record = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new ReplayRunsRepository(tx).findLatestReplay(),
    );
    return record ? toReplayRun(record) : null;
  }
}

const STATUS = {
  PENDING: 'pending',
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'failed',
  EXPIRED: 'failed',
} as const;

function toReplayRun(record: ReplayRunRecord): ReplayRun {
  // A result the worker stored under an older shape is shown as missing rather than as a 500.
  const parsed = record.result === null ? null : ReplayResultSchema.safeParse(record.result);
  return {
    id: record.id,
    status: STATUS[record.status],
    months: Math.min(24, Math.max(1, record.months)),
    progress: record.progress,
    requestedAt: record.requestedAt.toISOString(),
    completedAt: record.completedAt?.toISOString() ?? null,
    error: record.error,
    result: parsed?.success ? parsed.data : null,
  };
}
