import type { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';

/** Work to hand to the worker, written in the same transaction as the change that caused it. */
export interface OutboxInsert {
  /** Job name the worker registers (`recommend`, `retrain`, ...). */
  jobName: string;
  /** JSON payload: ids, never secrets. */
  payload: Record<string, unknown>;
  /** While a PENDING row with this key exists, a new request for the same work is collapsed into it. */
  dedupeKey?: string | null;
  /** Request id of the HTTP request that asked for the work, so logs join up across processes. */
  requestId?: string | null;
  /** Earliest dispatch time (default now). */
  availableAt?: Date;
}

/** Result of {@link OutboxRepository.enqueue}. */
export interface OutboxEnqueueResult {
  id: string;
  /** True when an equal pending request existed and no row was written. */
  deduplicated: boolean;
}

/**
 * Writes outbox rows in the caller's transaction. The outbox is a platform table (no RLS); the
 * payload carries the vendor id.
 */
export class OutboxRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /**
   * Inserts one message. With a dedupe key, a transaction-scoped advisory lock on the key
   * serializes concurrent requests, so two transactions cannot both insert the same pending work.
   */
  async enqueue(message: OutboxInsert): Promise<OutboxEnqueueResult> {
    const dedupeKey = message.dedupeKey ?? null;
    if (dedupeKey !== null) {
      const lockName = `outbox:${dedupeKey}`;
      await this.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockName}, 0))`;
      const existing = await this.tx.outboxMessage.findFirst({
        where: { dedupeKey, status: 'PENDING' },
        select: { id: true },
      });
      if (existing) return { id: existing.id, deduplicated: true };
    }
    const row = await this.tx.outboxMessage.create({
      data: {
        jobName: message.jobName,
        payload: message.payload as Prisma.InputJsonObject,
        dedupeKey,
        requestId: message.requestId ?? null,
        ...(message.availableAt ? { availableAt: message.availableAt } : {}),
      },
      select: { id: true },
    });
    return { id: row.id, deduplicated: false };
  }
}
