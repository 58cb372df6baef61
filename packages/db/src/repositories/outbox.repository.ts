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
   * Inserts one message. With a dedupe key, the partial unique index "one PENDING row per key"
   * collapses it into the pending one (ON CONFLICT DO NOTHING waits for a concurrent inserter of
   * the same key, so two transactions cannot both add the same pending work).
   */
  async enqueue(message: OutboxInsert): Promise<OutboxEnqueueResult> {
    const dedupeKey = message.dedupeKey ?? null;
    const payload = JSON.stringify(message.payload);
    const requestId = message.requestId ?? null;
    const availableAt = message.availableAt ?? null;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const inserted = await this.tx.$queryRaw<{ id: string }[]>`
        INSERT INTO outbox (job_name, payload, dedupe_key, request_id, available_at)
        VALUES (${message.jobName}, ${payload}::jsonb, ${dedupeKey}, ${requestId},
                coalesce(${availableAt}::timestamptz, now()))
        ON CONFLICT (dedupe_key) WHERE status = 'PENDING' AND dedupe_key IS NOT NULL DO NOTHING
        RETURNING id::text`;
      if (inserted[0]) return { id: inserted[0].id, deduplicated: false };
      // A new statement (new snapshot) sees the pending row that won, even one committed while
      // the insert waited; if it was dispatched in between, insert again.
      const pending = await this.tx.$queryRaw<{ id: string }[]>`
        SELECT id::text FROM outbox WHERE dedupe_key = ${dedupeKey} AND status = 'PENDING' LIMIT 1`;
      if (pending[0]) return { id: pending[0].id, deduplicated: true };
    }
    throw new Error(`outbox: could not enqueue ${message.jobName} (${String(dedupeKey)})`);
  }
}
