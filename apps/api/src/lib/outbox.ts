import { OutboxRepository, type OutboxEnqueueResult, type TenantTransaction } from '@marketprep/db';

/** What {@link enqueueWork} needs. */
export interface EnqueueWorkOptions {
  /** Job name the worker registers. */
  jobName: string;
  /** JSON payload: ids (vendor id included), never secrets. */
  payload: Record<string, unknown>;
  /** Collapses repeated requests for the same work while one is pending (e.g. `retrain:<vendorId>`). */
  dedupeKey?: string;
  /** Id of the HTTP request asking for the work (`request.id`), stored on the row so the worker logs it. */
  requestId: string | null;
  /** Earliest dispatch time (default now). */
  availableAt?: Date;
}

/**
 * Requests background work through the PostgreSQL outbox, inside the caller's transaction: the
 * work exists if and only if the change that caused it commits, and it survives a Redis outage
 * (the relay hands it to BullMQ, or runs it in-process, with the row id as job id).
 *
 * ```ts
 * await withTenant(db.prisma, vendorId, async (tx) => {
 *   await new FeedbackRepository(tx).upsert(...);
 *   await enqueueWork(tx, { jobName: 'retrain', payload: { vendorId }, dedupeKey: `retrain-${vendorId}`, requestId });
 * });
 * ```
 */
export function enqueueWork(
  tx: TenantTransaction,
  options: EnqueueWorkOptions,
): Promise<OutboxEnqueueResult> {
  const jobName = options.jobName.trim();
  if (!/^[A-Za-z][A-Za-z0-9._-]{0,99}$/.test(jobName)) {
    // A programming error, not user input: job names are constants.
    throw new Error(`enqueueWork: invalid job name ${JSON.stringify(options.jobName)}`);
  }
  return new OutboxRepository(tx).enqueue({
    jobName,
    payload: options.payload,
    dedupeKey: options.dedupeKey ?? null,
    requestId: options.requestId,
    availableAt: options.availableAt,
  });
}
