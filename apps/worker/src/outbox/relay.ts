import { OutboxRelayRepository, type ClaimedOutboxRow, type DatabaseClient } from '@marketprep/db';
import { UnrecoverableError, type Queue } from 'bullmq';
import type { Logger } from 'pino';
import { InvalidPayloadError } from '../jobs/job';
import type { RegisteredJob } from '../jobs/registry';

/** Key under which the relay passes the outbox row's request id along with a BullMQ job's data. */
export const OUTBOX_META_KEY = '__outbox';

/** Splits a BullMQ job's data into the handler's payload and the relay's metadata. */
export function splitJobData(data: unknown): { payload: unknown; requestId?: string } {
  if (data === null || typeof data !== 'object' || !(OUTBOX_META_KEY in data)) {
    return { payload: data };
  }
  const { [OUTBOX_META_KEY]: meta, ...payload } = data as Record<string, unknown>;
  const requestId =
    meta !== null && typeof meta === 'object' && 'requestId' in meta
      ? (meta as { requestId?: unknown }).requestId
      : undefined;
  return { payload, ...(typeof requestId === 'string' ? { requestId } : {}) };
}

/** True for errors that retrying cannot fix (bad payload, non-retryable provider answer). */
export function isUnrecoverable(error: unknown): boolean {
  return error instanceof UnrecoverableError || error instanceof InvalidPayloadError;
}

/** How the relay hands a row over. */
export type RelayMode =
  /** To BullMQ, the outbox id as job id (BullMQ ignores an id it already has: no double run). */
  | { kind: 'bullmq'; queue: Queue; addTimeoutMs?: number }
  /** Runs the handler here (no REDIS_URL), retrying with backoff, FAILED after the job's attempts. */
  | { kind: 'in-process' };

/** Options of {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  db: DatabaseClient;
  jobs: readonly RegisteredJob[];
  mode: RelayMode;
  logger: Logger;
  now?: () => Date;
  /** Poll interval (ms) when the last claim found nothing. */
  pollMs?: number;
  batchSize?: number;
  /** Backoff after a failed dispatch or run: base·2^(attempt-1), capped, with full jitter. */
  backoff?: { baseMs: number; maxMs: number };
  /** How long a claimed row is reserved while it is dispatched (BullMQ) or run (in-process). */
  leaseMs?: number;
  /** Told after each handled row (metrics, tests). */
  onRow?: (row: ClaimedOutboxRow, outcome: 'dispatched' | 'done' | 'retry' | 'failed') => void;
}

/** Completed BullMQ jobs are kept this long, so a re-dispatch of the same outbox id is a no-op. */
export const COMPLETED_JOB_RETENTION_S = 7 * 24 * 3600;

/**
 * The outbox relay: claims due PENDING rows in short transactions (`FOR UPDATE SKIP LOCKED`) and
 * dispatches them. With Redis: `queue.add(jobName, payload, { jobId: outboxId })`, then DISPATCHED;
 * Redis down: the row stays PENDING with its error and a backoff, nothing lost. Without Redis: the
 * handler runs here from the row; DISPATCHED when it succeeds, FAILED (kept for operators) when
 * it is unrecoverable or out of attempts.
 */
export class OutboxRelay {
  private readonly repo: OutboxRelayRepository;
  private readonly byName: Map<string, RegisteredJob>;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<number> | undefined;
  private stopped = true;

  constructor(private readonly options: OutboxRelayOptions) {
    this.repo = new OutboxRelayRepository(options.db.prisma);
    this.byName = new Map(options.jobs.map((job) => [job.definition.name, job]));
    this.now = options.now ?? (() => new Date());
  }

  /** Starts polling: again at once while rows keep coming, else after `pollMs`. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Wakes the relay now (e.g. on a NOTIFY), instead of at the next poll. */
  poke(): void {
    if (this.stopped || this.current) return;
    this.schedule(0);
  }

  /** Stops polling and waits for the batch in progress (a running in-process job finishes). */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.current?.catch(() => undefined);
  }

  /** Claims and handles one batch; returns how many rows it handled. */
  async tick(): Promise<number> {
    const rows = await this.repo.claimDue({
      now: this.now(),
      limit: this.options.batchSize ?? 50,
      leaseMs: this.options.leaseMs ?? (this.options.mode.kind === 'bullmq' ? 30_000 : 300_000),
    });
    for (const row of rows) {
      if (this.options.mode.kind === 'bullmq') await this.dispatch(row, this.options.mode);
      else await this.runHere(row);
    }
    return rows.length;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      const run = this.tick().catch((error: unknown) => {
        // The database is unreachable or similar: try again at the next poll.
        this.options.logger.warn({ err: error }, 'outbox relay: claim failed');
        return 0;
      });
      this.current = run;
      void run.then((handled) => {
        this.current = undefined;
        if (!this.stopped) this.schedule(handled > 0 ? 0 : (this.options.pollMs ?? 500));
      });
    }, delayMs);
  }

  private backoffAt(attempts: number): Date {
    const { baseMs, maxMs } = this.options.backoff ?? { baseMs: 1_000, maxMs: 60_000 };
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
    // Full jitter, but never sooner than half the step (a flapping Redis is not hammered).
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    return new Date(this.now().getTime() + delay);
  }

  private logFor(row: ClaimedOutboxRow): Logger {
    return this.options.logger.child({
      job: row.jobName,
      jobId: row.id,
      ...(row.requestId ? { requestId: row.requestId } : {}),
    });
  }

  private async dispatch(
    row: ClaimedOutboxRow,
    mode: { queue: Queue; addTimeoutMs?: number },
  ): Promise<void> {
    const registered = this.byName.get(row.jobName);
    const log = this.logFor(row);
    if (!registered) {
      await this.repo.markFailed(row.id, `No handler registered for job ${row.jobName}`);
      log.error('outbox: unknown job name, marked FAILED');
      this.options.onRow?.(row, 'failed');
      return;
    }
    const data = { ...row.payload, [OUTBOX_META_KEY]: { requestId: row.requestId } };
    try {
      await withTimeout(
        mode.queue.add(row.jobName, data, {
          jobId: row.id,
          attempts: registered.definition.attempts,
          backoff: { type: 'exponential', delay: 5_000 },
          removeOnComplete: { age: COMPLETED_JOB_RETENTION_S },
          removeOnFail: false,
        }),
        mode.addTimeoutMs ?? 3_000,
      );
    } catch (error) {
      // Redis is down or slow: the row waits in the outbox (attempts and error kept for operators).
      const message = error instanceof Error ? error.message : String(error);
      await this.repo.reschedule(row.id, `dispatch: ${message}`, this.backoffAt(row.attempts));
      log.warn({ err: error, attempts: row.attempts }, 'outbox: dispatch failed, will retry');
      this.options.onRow?.(row, 'retry');
      return;
    }
    await this.repo.markDispatched(row.id, this.now());
    log.debug('outbox: dispatched');
    this.options.onRow?.(row, 'dispatched');
  }

  private async runHere(row: ClaimedOutboxRow): Promise<void> {
    const registered = this.byName.get(row.jobName);
    const log = this.logFor(row);
    if (!registered) {
      await this.repo.markFailed(row.id, `No handler registered for job ${row.jobName}`);
      log.error('outbox: unknown job name, marked FAILED');
      this.options.onRow?.(row, 'failed');
      return;
    }
    try {
      const result = await registered.handler(row.payload, {
        jobId: row.id,
        ...(row.requestId ? { requestId: row.requestId } : {}),
        logger: log,
      });
      await this.repo.markDispatched(row.id, this.now());
      log.debug({ result }, 'job done');
      this.options.onRow?.(row, 'done');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (isUnrecoverable(error) || row.attempts >= registered.definition.attempts) {
        await this.repo.markFailed(row.id, message);
        log.error({ err: error, attempts: row.attempts }, 'job failed for good (kept as FAILED)');
        this.options.onRow?.(row, 'failed');
      } else {
        await this.repo.reschedule(row.id, message, this.backoffAt(row.attempts));
        log.warn({ err: error, attempts: row.attempts }, 'job failed, will retry');
        this.options.onRow?.(row, 'retry');
      }
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
