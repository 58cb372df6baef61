import { createHash } from 'node:crypto';
import {
  IdempotencyKeysRepository,
  withTenant,
  type DatabaseClient,
  type StoredIdempotentResponse,
} from '@marketprep/db';
import type { TokenCipher } from '@marketprep/integrations';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors';

/** How long a first answer is replayed (Stripe's window). */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** An unfinished claim older than this was left by a crashed request and may be taken over. */
export const IDEMPOTENCY_LOCK_MS = 60_000;
/** A key: 1-255 visible ASCII characters (a UUID v4 is the usual choice). */
const KEY = /^[\x21-\x7e]{1,255}$/;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Headers of the first answer a replay repeats (the rest, like the request id, are its own). */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'content-disposition'];

/** Options of the idempotency plugin. */
export interface IdempotencyPluginOptions {
  db: DatabaseClient;
  now: () => Date;
  ttlMs?: number;
  lockMs?: number;
  /** Seals the stored answers of `idempotency: 'sealed'` routes (TOKEN_ENCRYPTION_KEYS). */
  cipher?: TokenCipher;
}

/** Marks a stored answer sealed with the cipher (the rest of the text is its base64). */
const SEALED_PREFIX = 'sealed:';

interface Claimed {
  vendorId: string;
  key: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The idempotency key this request holds (set once claimed; cleared when settled). */
    idempotencyClaim: Claimed | null;
  }
  interface FastifyContextConfig {
    /**
     * `false`: the route ignores `Idempotency-Key` (a streamed body cannot be fingerprinted before
     * the handler reads it; the CSV import dedupes by file content instead). `'sealed'`: the
     * answer holds a secret shown once (a webhook signing secret), so it is stored encrypted with
     * the plugin's cipher, or not kept at all without one (a retry then runs again).
     */
    idempotency?: boolean | 'sealed';
  }
}

/** Keys sorted at every depth, so `{a,b}` and `{b,a}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether a parsed body can be fingerprinted: JSON values, text or bytes (not a stream). */
function isFingerprintable(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return true;
  if (Buffer.isBuffer(body) || Array.isArray(body)) return true;
  const proto: unknown = Object.getPrototypeOf(body);
  return proto === Object.prototype || proto === null;
}

/** SHA-256 of what makes two requests "the same": method, path with query, and body. */
export function requestFingerprint(request: {
  method: string;
  url: string;
  body: unknown;
}): string {
  const body =
    typeof request.body === 'string' || Buffer.isBuffer(request.body)
      ? createHash('sha256').update(request.body).digest('hex')
      : canonicalJson(request.body ?? null);
  return createHash('sha256').update(`${request.method}\n${request.url}\n${body}`).digest('hex');
}

/** Whether an answer with this status is kept and replayed: not 5xx, 429 or 408 (retry those). */
function isKept(status: number): boolean {
  return status < 500 && status !== 429 && status !== 408;
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/**
 * `Idempotency-Key` on every write of a business (POST, PUT, PATCH, DELETE on tenant routes):
 * the first answer is stored per business and key for 24 h and replayed to a retry with the same
 * method, path, query and body (`Idempotent-Replayed: true`); other parameters with the same key
 * answer 409 `idempotency-key-reused`, and a retry while the first still runs 409
 * `idempotency-key-in-progress` with Retry-After. 5xx, 408 and 429 answers are not kept, so a
 * retry runs again. Runs after authentication and the billing guard (their refusals are not
 * kept: paying or signing in again must not be answered from the store), before the handler.
 */
export const idempotencyPlugin = fp<IdempotencyPluginOptions>(
  (app: FastifyInstance, options: IdempotencyPluginOptions, done: (err?: Error) => void) => {
    const ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS;
    const lockMs = options.lockMs ?? IDEMPOTENCY_LOCK_MS;
    const repo = <T>(vendorId: string, fn: (r: IdempotencyKeysRepository) => Promise<T>) =>
      withTenant(options.db.prisma, vendorId, (tx) => fn(new IdempotencyKeysRepository(tx)));

    const release = async (request: FastifyRequest, claim: Claimed) => {
      request.idempotencyClaim = null;
      try {
        await repo(claim.vendorId, (r) => r.release(claim));
      } catch (err) {
        // The claim then lapses after lockMs and a retry takes it over.
        request.log.warn({ err }, 'idempotency: could not release a key');
      }
    };

    app.decorateRequest('idempotencyClaim', null);
    app.addHook('preHandler', async (request, reply) => {
      if (!WRITES.has(request.method)) return;
      const header = request.headers['idempotency-key'];
      if (header === undefined) return;
      if (request.routeOptions.config.idempotency === false || !request.tenant) return;
      // A streamed body (CSV upload) cannot be fingerprinted before the handler reads it.
      if (!isFingerprintable(request.body)) return;
      if (typeof header !== 'string' || !KEY.test(header)) {
        throw new AppError(
          'BAD_REQUEST',
          'Idempotency-Key must be 1-255 visible ASCII characters (a UUID is a good choice).',
          [{ path: 'Idempotency-Key', message: 'Invalid key' }],
          { code: 'idempotency-key-invalid' },
        );
      }
      const vendorId = request.tenant.vendorId;
      const now = options.now();
      const path = request.url;
      const claim = await repo(vendorId, (r) =>
        r.claim({
          vendorId,
          key: header,
          method: request.method,
          path,
          requestHash: requestFingerprint(request),
          now,
          ttlMs,
          lockMs,
        }),
      );
      switch (claim.kind) {
        case 'claimed':
          request.idempotencyClaim = { vendorId, key: header };
          return;
        case 'replay': {
          const { status, headers } = claim.response;
          let { body } = claim.response;
          if (body.startsWith(SEALED_PREFIX)) {
            // Stored by a process with the key ring; this one must have it too (same env).
            if (!options.cipher) throw new Error('idempotency: a sealed answer and no cipher');
            body = options.cipher.decrypt(Buffer.from(body.slice(SEALED_PREFIX.length), 'base64'));
          }
          for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
          return reply.status(status).header('idempotent-replayed', 'true').send(body);
        }
        case 'mismatch':
          throw new AppError(
            'CONFLICT',
            `This Idempotency-Key was already used for another request (${claim.method} ${claim.path.split('?')[0]} with other parameters). Use a new key for a new request.`,
            undefined,
            { code: 'idempotency-key-reused' },
          );
        case 'in-progress':
          void reply.header('retry-after', '1');
          throw new AppError(
            'CONFLICT',
            'A request with this Idempotency-Key is still running. Retry in a moment to get its answer.',
            undefined,
            { code: 'idempotency-key-in-progress' },
          );
      }
    });

    // Store the answer before it leaves: a retry arriving right after must find it.
    app.addHook('onSend', async (request, reply, payload) => {
      const claim = request.idempotencyClaim;
      if (!claim) return payload;
      const status = reply.statusCode;
      const body =
        typeof payload === 'string'
          ? payload
          : Buffer.isBuffer(payload)
            ? payload.toString('utf8')
            : null;
      const sealed = request.routeOptions.config.idempotency === 'sealed';
      if (!isKept(status) || body === null || (sealed && !options.cipher)) {
        await release(request, claim);
        return payload;
      }
      const headers: StoredIdempotentResponse['headers'] = {};
      for (const name of REPLAYED_HEADERS) {
        const value = headerText(reply.getHeader(name));
        if (value !== undefined) headers[name] = value;
      }
      request.idempotencyClaim = null;
      try {
        await repo(claim.vendorId, (r) =>
          r.complete({
            ...claim,
            response: {
              status,
              headers,
              body:
                sealed && options.cipher
                  ? SEALED_PREFIX + options.cipher.encrypt(body).toString('base64')
                  : body,
            },
            now: options.now(),
          }),
        );
      } catch (err) {
        request.log.warn({ err }, 'idempotency: could not store the answer');
        await release(request, claim);
      }
      return payload;
    });
    // A request that ended without sending (aborted) frees its key.
    app.addHook('onResponse', async (request) => {
      if (request.idempotencyClaim) await release(request, request.idempotencyClaim);
    });
    done();
  },
  { name: 'idempotency', dependencies: ['auth'] },
);
