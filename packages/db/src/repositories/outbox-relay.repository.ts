import { Prisma, type PrismaClient } from '../generated/prisma/client';

/** One outbox row claimed by the relay (attempts already counts this claim). */
export interface ClaimedOutboxRow {
  id: string;
  jobName: string;
  payload: Record<string, unknown>;
  dedupeKey: string | null;
  requestId: string | null;
  attempts: number;
  createdAt: Date;
}

/** A FAILED row, for operators. */
export interface FailedOutboxRow {
  id: string;
  jobName: string;
  payload: Record<string, unknown>;
  attempts: number;
  lastError: string | null;
  requestId: string | null;
  createdAt: Date;
}

const MAX_ERROR_LENGTH = 2_000;
const clip = (message: string) => message.slice(0, MAX_ERROR_LENGTH);

/**
 * The relay's side of the outbox (a platform table: no RLS, payloads carry the vendor id).
 * Claims are one statement (`FOR UPDATE SKIP LOCKED` in a CTE), so several relays never take the
 * same row and no lock is held while a row is dispatched; a claim leases the row (pushes
 * `available_at`) so a relay that dies mid-dispatch leaves it to be claimed again.
 */
export class OutboxRelayRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Claims up to `limit` PENDING rows due at `now` (oldest first): counts the attempt and leases
   * each row until `now + leaseMs`.
   */
  async claimDue(options: {
    now: Date;
    limit: number;
    leaseMs: number;
  }): Promise<ClaimedOutboxRow[]> {
    const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
    const rows = await this.prisma.$queryRaw<
      {
        id: string;
        job_name: string;
        payload: unknown;
        dedupe_key: string | null;
        request_id: string | null;
        attempts: number;
        created_at: Date;
      }[]
    >`
      WITH due AS (
        SELECT id FROM outbox
         WHERE status = 'PENDING' AND available_at <= ${options.now}
         ORDER BY available_at, created_at
         LIMIT ${options.limit}
         FOR UPDATE SKIP LOCKED
      )
      UPDATE outbox o
         SET attempts = o.attempts + 1, available_at = ${leaseUntil}
        FROM due
       WHERE o.id = due.id
      RETURNING o.id, o.job_name, o.payload, o.dedupe_key, o.request_id, o.attempts, o.created_at`;
    return rows
      .map((row) => ({
        id: row.id,
        jobName: row.job_name,
        payload:
          row.payload !== null && typeof row.payload === 'object' && !Array.isArray(row.payload)
            ? (row.payload as Record<string, unknown>)
            : {},
        dedupeKey: row.dedupe_key,
        requestId: row.request_id,
        attempts: row.attempts,
        createdAt: row.created_at,
      }))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** The row was handed to BullMQ (or, in-process, its job ran): done, as far as the outbox goes. */
  async markDispatched(id: string, at: Date): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE outbox SET status = 'DISPATCHED', dispatched_at = ${at}, last_error = NULL
       WHERE id = ${id}::uuid AND status = 'PENDING'`;
  }

  /** Leaves the row PENDING, to be claimed again at `availableAt`, with the error that stopped it. */
  async reschedule(id: string, error: string, availableAt: Date): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE outbox SET available_at = ${availableAt}, last_error = ${clip(error)}
       WHERE id = ${id}::uuid AND status = 'PENDING'`;
  }

  /** Gives up on the row (bad payload, unknown job, attempts used up); kept for operators. */
  async markFailed(id: string, error: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE outbox SET status = 'FAILED', last_error = ${clip(error)}
       WHERE id = ${id}::uuid AND status = 'PENDING'`;
  }

  /** FAILED rows, newest first, for operators. */
  async listFailed(
    limit = 100,
    /** Keyset: only rows after this one in the list's order (newest first). */
    after?: { createdAt: Date; id: string },
  ): Promise<FailedOutboxRow[]> {
    const rows = await this.prisma.outboxMessage.findMany({
      where: {
        status: 'FAILED',
        ...(after
          ? {
              OR: [
                { createdAt: { lt: after.createdAt } },
                { createdAt: after.createdAt, id: { lt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: Math.min(Math.max(limit, 1), 1_001),
      select: {
        id: true,
        jobName: true,
        payload: true,
        attempts: true,
        lastError: true,
        requestId: true,
        createdAt: true,
      },
    });
    return rows.map((row) => ({
      ...row,
      payload: (row.payload ?? {}) as Record<string, unknown>,
    }));
  }

  /**
   * An operator's retry of a FAILED row: PENDING again, attempts reset, due now. `already_pending`
   * when the same work (dedupe key) is pending already: at most one PENDING row per key.
   */
  async retryFailed(id: string, now: Date): Promise<'retried' | 'not_found' | 'already_pending'> {
    try {
      const updated = await this.prisma.$executeRaw`
        UPDATE outbox SET status = 'PENDING', attempts = 0, available_at = ${now}
         WHERE id = ${id}::uuid AND status = 'FAILED'`;
      return updated > 0 ? 'retried' : 'not_found';
    } catch (error) {
      if (isUniqueViolation(error)) return 'already_pending';
      throw error;
    }
  }
}

/** A unique-index violation, as Prisma reports it for raw statements over the pg adapter. */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const meta = error.meta as {
    code?: unknown;
    driverAdapterError?: { cause?: { kind?: unknown } };
  };
  return (
    error.code === 'P2002' ||
    meta?.code === '23505' ||
    meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation'
  );
}
