import { OutboxRelayRepository, type DatabaseClient } from '@marketprep/db';
import type { FailedJob } from '@marketprep/contracts';
import { IsoKeyCursorSchema, decodeCursor, toPage } from '../../lib/pagination';
import { AppError } from '../../errors';

const ID_KEY = /^(id|[A-Za-z]+Id)$/;

/** Only the id fields of a payload (payloads carry ids, but operators see nothing else). */
export function payloadIdsOf(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).filter(
      (entry): entry is [string, string] => ID_KEY.test(entry[0]) && typeof entry[1] === 'string',
    ),
  );
}

/** Failed background work for operators: list the FAILED outbox rows and retry one. */
export class AdminJobsService {
  private readonly outbox: OutboxRelayRepository;

  constructor(private readonly deps: { db: DatabaseClient; now: () => Date }) {
    this.outbox = new OutboxRelayRepository(deps.db.prisma);
  }

  /** A page of FAILED rows, newest first (`cursor`: the `nextCursor` of the page before). */
  async listFailed(
    limit: number,
    cursor?: string,
  ): Promise<{ data: FailedJob[]; nextCursor: string | null }> {
    const after = decodeCursor(cursor, IsoKeyCursorSchema);
    const rows = await this.outbox.listFailed(
      limit + 1,
      after ? { createdAt: new Date(after[0]), id: after[1] } : undefined,
    );
    const items = rows.map((row) => ({
      id: row.id,
      jobName: row.jobName,
      attempts: row.attempts,
      lastError: row.lastError,
      createdAt: row.createdAt.toISOString(),
      requestId: row.requestId,
      payloadIds: payloadIdsOf(row.payload),
    }));
    return toPage(items, limit, (job) => [job.createdAt, job.id]);
  }

  /** Puts a FAILED row back to PENDING (attempts reset); anything else is a 404. */
  async retry(outboxId: string): Promise<{ id: string; status: 'PENDING' }> {
    const outcome = await this.outbox.retryFailed(outboxId, this.deps.now());
    if (outcome === 'not_found') throw new AppError('NOT_FOUND', 'No failed job with this id.');
    if (outcome === 'already_pending') {
      throw new AppError(
        'CONFLICT',
        'The same job is already pending; it will run without a retry.',
      );
    }
    return { id: outboxId, status: 'PENDING' };
  }
}
