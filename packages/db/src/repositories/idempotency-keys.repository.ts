import type { TenantTransaction } from '../tenant';

/** A stored first answer, replayed to a retry. */
export interface StoredIdempotentResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What claiming a key found. */
export type IdempotencyClaim =
  /** The key is this request's now: run the handler, then `complete` or `release`. */
  | { kind: 'claimed' }
  /** A request with the same key and parameters already answered: replay it. */
  | { kind: 'replay'; response: StoredIdempotentResponse }
  /** The key was used with other parameters (method, path, query or body). */
  | { kind: 'mismatch'; method: string; path: string }
  /** A request with this key is still running. */
  | { kind: 'in-progress' };

/** A claim to take: who, which key, which request (by its hash), and when. */
export interface IdempotencyClaimInput {
  vendorId: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
  now: Date;
  /** How long the stored answer is replayed. */
  ttlMs: number;
  /** After this, an unfinished claim counts as abandoned (its process died) and is taken over. */
  lockMs: number;
}

interface Row {
  method: string;
  path: string;
  request_hash: string;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  completed_at: Date | null;
}

/**
 * Idempotency keys of one vendor (RLS: the transaction's vendor only). Each call is meant to run
 * in its own short transaction, apart from the handler's, so a concurrent duplicate sees the claim
 * at once and the stored answer survives whatever the handler's transaction did.
 */
export class IdempotencyKeysRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /**
   * Claims `key` for a request, atomically: a free key, an expired one, or an abandoned claim of
   * the same request becomes this request's; otherwise says what holds it.
   */
  async claim(input: IdempotencyClaimInput): Promise<IdempotencyClaim> {
    const lockedUntil = new Date(input.now.getTime() + input.lockMs);
    const expiresAt = new Date(input.now.getTime() + input.ttlMs);
    const claimed = await this.tx.$queryRaw<{ claimed: boolean }[]>`
      INSERT INTO idempotency_keys
        (vendor_id, key, method, path, request_hash, created_at, locked_until, expires_at)
      VALUES (${input.vendorId}::uuid, ${input.key}, ${input.method}, ${input.path},
              ${input.requestHash}, ${input.now}, ${lockedUntil}, ${expiresAt})
      ON CONFLICT (vendor_id, key) DO UPDATE SET
        method = EXCLUDED.method, path = EXCLUDED.path, request_hash = EXCLUDED.request_hash,
        response_status = NULL, response_headers = NULL, response_body = NULL,
        created_at = EXCLUDED.created_at, locked_until = EXCLUDED.locked_until,
        completed_at = NULL, expires_at = EXCLUDED.expires_at
      WHERE idempotency_keys.expires_at <= ${input.now}
         OR (idempotency_keys.completed_at IS NULL
             AND idempotency_keys.locked_until <= ${input.now}
             AND idempotency_keys.request_hash = EXCLUDED.request_hash)
      RETURNING true AS claimed`;
    if (claimed.length > 0) return { kind: 'claimed' };
    const [row] = await this.tx.$queryRaw<Row[]>`
      SELECT method, path, request_hash, response_status, response_headers, response_body,
             completed_at
        FROM idempotency_keys
       WHERE vendor_id = ${input.vendorId}::uuid AND key = ${input.key}`;
    // Deleted between the two statements (released by its request): the caller may try again.
    if (!row) return { kind: 'in-progress' };
    if (row.request_hash !== input.requestHash)
      return { kind: 'mismatch', method: row.method, path: row.path };
    if (row.completed_at === null || row.response_status === null) return { kind: 'in-progress' };
    return {
      kind: 'replay',
      response: {
        status: row.response_status,
        headers: row.response_headers ?? {},
        body: row.response_body ?? '',
      },
    };
  }

  /** Stores the answer of a claimed key (replayed until the key expires). */
  async complete(input: {
    vendorId: string;
    key: string;
    response: StoredIdempotentResponse;
    now: Date;
  }): Promise<void> {
    await this.tx.$executeRaw`
      UPDATE idempotency_keys
         SET response_status = ${input.response.status},
             response_headers = ${JSON.stringify(input.response.headers)}::jsonb,
             response_body = ${input.response.body},
             completed_at = ${input.now}
       WHERE vendor_id = ${input.vendorId}::uuid AND key = ${input.key} AND completed_at IS NULL`;
  }

  /** Frees a claimed key whose answer is not kept (5xx, 429): a retry runs the request again. */
  async release(input: { vendorId: string; key: string }): Promise<void> {
    await this.tx.$executeRaw`
      DELETE FROM idempotency_keys
       WHERE vendor_id = ${input.vendorId}::uuid AND key = ${input.key} AND completed_at IS NULL`;
  }

  /** Deletes the vendor's expired keys; returns how many. */
  async purgeExpired(input: { vendorId: string; now: Date }): Promise<number> {
    return this.tx.$executeRaw`
      DELETE FROM idempotency_keys
       WHERE vendor_id = ${input.vendorId}::uuid AND expires_at <= ${input.now}`;
  }
}
