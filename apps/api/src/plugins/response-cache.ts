import { readDataVersion, readUserDataVersion, type DatabaseClient } from '@marketprep/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import { ReadCoalescer } from '../lib/coalesce';
import { isNotModified } from '../lib/etag';
import type { ApiMetrics } from './metrics';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Tenant GETs are cached unless `false`: their answer depends on something other than the
     * business's data, the caller, the URL and the minute, or they have a cache of their own.
     * `'user'` caches a signed-in user's GET (not tied to one business) by the user's data
     * version and their session as resolved: for answers made of the user, their sessions and
     * the businesses they belong to.
     */
    responseCache?: false | 'user';
  }
  interface FastifyRequest {
    /** Set on a cache miss: the key the answer is stored under when it is a 200. */
    responseCacheKey: string | null;
  }
}

/** Options of {@link responseCachePlugin}. */
export interface ResponseCacheOptions {
  db: Pick<DatabaseClient, 'pool'>;
  now: () => Date;
  metrics?: ApiMetrics;
  /** Bytes of answers kept in this process (least recently used go first). */
  maxBytes?: number;
  /** Larger answers are not kept. */
  maxEntryBytes?: number;
}

/** The headers a handler sets that belong to the answer (the rest are the request's own). */
const KEPT_HEADERS = ['content-type', 'content-disposition', 'etag', 'vary'] as const;

interface StoredAnswer {
  body: string | Buffer;
  headers: Partial<Record<(typeof KEPT_HEADERS)[number], string>>;
}

const CACHE = 'answers';

/**
 * The answer cache of tenant GETs (issue 21). A GET's answer is a function of the business's
 * data, the caller (person or token, role, read-only), the URL and the clock. The business's
 * data version (readDataVersion: one prepared statement, changed by a trigger on every committed
 * write of the business, by any process) stands for the first; the minute stands for the clock.
 * So an answer is served again, without its handler, while none of those changed: never over a
 * committed write, on any replica, and at most a minute behind the clock (a list of upcoming
 * market days rolls over at the next minute, not at the next write).
 *
 * A signed-in user's own GETs that opt in (`responseCache: 'user'`: the session's answer, the
 * account export) are keyed the same way by the user's data version (their row, their sessions,
 * every business they belong to) and the session as the auth layer resolved it.
 *
 * The version is read before the handler runs, so an answer stored under it is at least as new
 * as that version. Only 200s are kept, in this process (answers hold private data; Redis keeps
 * what is shared across replicas: prep lists, auth lookups). Routes that must not be cached say
 * `config: { responseCache: false }`. Runs after authentication, the billing guard and the
 * idempotency check, so every request is still authorized as before.
 */
export const responseCachePlugin = fp<ResponseCacheOptions>(
  (app: FastifyInstance, options: ResponseCacheOptions, done: (err?: Error) => void) => {
    const maxEntryBytes = options.maxEntryBytes ?? 1024 * 1024;
    const answers = new LRUCache<string, StoredAnswer>({
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      // The key and the headers are a few hundred bytes.
      sizeCalculation: (answer) => byteLength(answer.body) + 512,
    });
    const metrics = options.metrics;

    /**
     * Misses being answered, by key: concurrent requests for the same key wait for the first
     * one's answer instead of each running the handler (a week's plan is ~90 ms of CPU; fifty at
     * once are seconds). Settled when the first one's answer is sent, whatever it was.
     */
    const inFlight = new Map<string, { done: Promise<void>; settle: () => void }>();
    const settle = (key: string | null) => {
      if (key === null) return;
      const flight = inFlight.get(key);
      inFlight.delete(key);
      flight?.settle();
    };

    app.decorateRequest('responseCacheKey', null);

    /**
     * Version reads, coalesced per business (and per user): a page's parallel GETs, or many
     * callers at once, share one statement that began after each of them arrived (ReadCoalescer),
     * so no answer is checked against a version read before its caller's own write committed.
     */
    const versions = new ReadCoalescer<string>();

    /** The key of the request's answer; undefined when it is not cached. Reads PostgreSQL. */
    const keyOf = async (request: FastifyRequest): Promise<string | undefined> => {
      if (request.method !== 'GET') return undefined;
      const mode = request.routeOptions.config.responseCache;
      const minute = Math.floor(options.now().getTime() / 60_000);
      const tenant = request.tenant;
      const identity = request.identity;
      if (tenant && mode === undefined) {
        const version = await versions.read(`vendor:${tenant.vendorId}`, () =>
          readDataVersion(options.db, tenant.vendorId),
        );
        const caller =
          tenant.userId ?? (identity?.kind === 'token' ? `token:${identity.tokenId}` : 'unknown');
        return ['tenant', tenant.vendorId, version, minute, caller, tenant.role, tenant.readOnly]
          .concat(request.url)
          .join('\n');
      }
      if (mode === 'user' && identity?.kind === 'session') {
        const { session } = identity;
        const version = await versions.read(`user:${session.userId}`, () =>
          readUserDataVersion(options.db, session.userId),
        );
        // The session as resolved (the auth cache keeps it current): active business, name, email.
        return ['user', session.userId, version, minute, session.id, JSON.stringify(session)]
          .concat(request.url)
          .join('\n');
      }
      return undefined;
    };

    app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      let key: string | undefined;
      try {
        key = await keyOf(request);
      } catch {
        // PostgreSQL is away: the handler answers (503) as it would without the cache.
        metrics?.cacheFallbacks.inc({ cache: CACHE });
        return;
      }
      if (key === undefined) return;
      let hit = answers.get(key);
      const flight = hit ? undefined : inFlight.get(key);
      if (flight) {
        await flight.done;
        hit = answers.get(key);
      }
      if (!hit) {
        // Not a 200 to share, or the first for this key: this request runs the handler.
        metrics?.cacheMisses.inc({ cache: CACHE });
        request.responseCacheKey = key;
        if (!inFlight.has(key)) {
          let resolve = () => undefined as void;
          const done = new Promise<void>((r) => (resolve = r));
          inFlight.set(key, { done, settle: resolve });
        }
        return;
      }
      metrics?.cacheHits.inc({ cache: CACHE });
      for (const [name, value] of Object.entries(hit.headers)) void reply.header(name, value);
      if (
        hit.headers.etag !== undefined &&
        isNotModified(request, reply, hit.body, hit.headers.etag)
      ) {
        return reply.code(304).send(null);
      }
      return reply.send(hit.body);
    });

    app.addHook('onSend', (request, reply, payload, next) => {
      const key = request.responseCacheKey;
      if (key !== null && reply.statusCode === 200) {
        if (
          (typeof payload === 'string' || Buffer.isBuffer(payload)) &&
          byteLength(payload) <= maxEntryBytes
        ) {
          const headers: StoredAnswer['headers'] = {};
          for (const name of KEPT_HEADERS) {
            const value = reply.getHeader(name);
            if (typeof value === 'string') headers[name] = value;
          }
          answers.set(key, { body: payload, headers });
        }
      }
      settle(key);
      request.responseCacheKey = null;
      next(null, payload);
    });
    // An answer that never reached onSend (the client went away): release those waiting.
    app.addHook('onResponse', (request, _reply, next) => {
      settle(request.responseCacheKey);
      next();
    });
    app.addHook('onRequestAbort', (request, next) => {
      settle(request.responseCacheKey);
      next();
    });
    done();
  },
  { name: 'response-cache', dependencies: ['auth'] },
);

function byteLength(body: string | Buffer): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.length;
}
