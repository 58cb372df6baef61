import type { ApiTokenRecord, Role, SessionRecord } from '@marketprep/db';
import type { Redis } from 'ioredis';
import { FailOpenRedis, type SharedCacheCounters } from '../lib/redis-cache';
import type { AuthCache } from './auth-cache';

export type { SharedCacheCounters } from '../lib/redis-cache';

/** What a lookup found in the cache, and the version to store a database answer under. */
export interface CacheLookup<V> {
  value: V | undefined;
  /** Pass to `put*`: an answer looked up before an invalidation is never served after it. */
  version: string | null;
}

/**
 * The cache of authentication lookups the auth plugin uses: in-process ({@link LocalAuthCache},
 * one API process) or in Redis ({@link RedisAuthCache}, shared by every replica).
 */
export interface AuthLookupCache {
  getSession(tokenHash: string): Promise<CacheLookup<SessionRecord>>;
  putSession(tokenHash: string, session: SessionRecord, version: string | null): Promise<void>;
  getRole(vendorId: string, userId: string): Promise<CacheLookup<Role>>;
  putRole(vendorId: string, userId: string, role: Role, version: string | null): Promise<void>;
  getToken(tokenHash: string): Promise<CacheLookup<ApiTokenRecord>>;
  putToken(tokenHash: string, token: ApiTokenRecord, version: string | null): Promise<void>;
  /** Forgets every entry (a change to sessions, memberships or tokens); done before answering. */
  invalidateAll(): Promise<void>;
}

/** The in-process AuthCache behind the async interface (no Redis: a single API process). */
export class LocalAuthCache implements AuthLookupCache {
  constructor(readonly cache: AuthCache) {}

  getSession(tokenHash: string) {
    return Promise.resolve(this.lookup(this.cache.getSession(tokenHash)));
  }
  putSession(tokenHash: string, session: SessionRecord, version: string | null) {
    this.cache.putSession(tokenHash, session, Number(version));
    return Promise.resolve();
  }
  getRole(vendorId: string, userId: string) {
    return Promise.resolve(this.lookup(this.cache.getRole(vendorId, userId)));
  }
  putRole(vendorId: string, userId: string, role: Role, version: string | null) {
    this.cache.putRole(vendorId, userId, role, Number(version));
    return Promise.resolve();
  }
  getToken(tokenHash: string) {
    return Promise.resolve(this.lookup(this.cache.getToken(tokenHash)));
  }
  putToken(tokenHash: string, token: ApiTokenRecord, version: string | null) {
    this.cache.putToken(tokenHash, token, Number(version));
    return Promise.resolve();
  }
  invalidateAll() {
    this.cache.invalidateAll();
    return Promise.resolve();
  }

  private lookup<V>(value: V | undefined): CacheLookup<V> {
    return { value, version: String(this.cache.generation) };
  }
}

/** Options of {@link RedisAuthCache}. */
export interface RedisAuthCacheOptions {
  redis: Redis;
  /** Key prefix (tests use a private one). */
  prefix?: string;
  /** How long an entry lives in Redis (ms); invalidation does not wait for it. */
  ttlMs?: number;
  /** A Redis command slower than this counts as a failure (ms). */
  timeoutMs?: number;
  /** After a failure, Redis is left alone this long (ms): requests go to PostgreSQL at once. */
  retryAfterMs?: number;
  counters?: SharedCacheCounters;
  /** Monotonic ms (tests). */
  clock?: () => number;
}

/** A session, role or token as stored: the version it was looked up under, and the value. */
interface Stored<V> {
  v: string;
  value: V;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const reviveDates = (_key: string, value: unknown) =>
  typeof value === 'string' && ISO_DATE.test(value) ? new Date(value) : value;

/**
 * Sessions, roles and API tokens shared by every API replica through Redis, invalidated for all
 * of them at once by a version key (issue 21).
 *
 * Each entry carries the version (`<prefix>v`) it was looked up under, and every read fetches
 * the entry and the current version in one MGET: an entry is served only while its version is
 * the current one. A revocation, role change or logout on any replica INCRs the version before
 * its answer leaves, so the very next request on any replica misses and reads PostgreSQL: a
 * revoked token is refused everywhere at once, without relying on pub/sub delivery timing. A
 * put after an invalidation stores the old version and is never served.
 *
 * No in-process layer sits in front: it would still need the version round trip to stay correct,
 * which is the same MGET that fetches the entry.
 *
 * Fails open: when Redis errs or answers slower than `timeoutMs`, the lookup goes to PostgreSQL
 * (counted as a fallback), and Redis is left alone for `retryAfterMs`. An invalidation that could
 * not reach Redis is retried before the next read Redis answers, so entries made before it are not
 * served when Redis returns; entries also expire after `ttlMs`.
 */
export class RedisAuthCache implements AuthLookupCache {
  private readonly redis: FailOpenRedis<Redis>;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly counters: SharedCacheCounters | undefined;
  /** An INCR that failed: owed before any entry may be served again. */
  private invalidationOwed = false;

  constructor(options: RedisAuthCacheOptions) {
    this.redis = new FailOpenRedis(options);
    this.prefix = options.prefix ?? 'mp:auth:';
    this.ttlMs = options.ttlMs ?? 60_000;
    this.counters = options.counters;
  }

  getSession(tokenHash: string) {
    return this.get<SessionRecord>('auth-session', `s:${tokenHash}`);
  }
  putSession(tokenHash: string, session: SessionRecord, version: string | null) {
    return this.put('auth-session', `s:${tokenHash}`, session, version);
  }
  getRole(vendorId: string, userId: string) {
    return this.get<Role>('auth-role', `r:${vendorId}:${userId}`);
  }
  putRole(vendorId: string, userId: string, role: Role, version: string | null) {
    return this.put('auth-role', `r:${vendorId}:${userId}`, role, version);
  }
  getToken(tokenHash: string) {
    return this.get<ApiTokenRecord>('auth-token', `t:${tokenHash}`);
  }
  putToken(tokenHash: string, token: ApiTokenRecord, version: string | null) {
    return this.put('auth-token', `t:${tokenHash}`, token, version);
  }

  async invalidateAll(): Promise<void> {
    try {
      // Tried even while reads skip Redis after a failure (as before FailOpenRedis).
      await this.redis.command('auth-invalidate', (r) => r.incr(`${this.prefix}v`), {
        evenIfPaused: true,
      });
      this.invalidationOwed = false;
    } catch {
      this.invalidationOwed = true;
    }
  }

  private async get<V>(cache: string, key: string): Promise<CacheLookup<V>> {
    try {
      if (this.invalidationOwed) await this.invalidateAll();
      if (this.invalidationOwed) {
        this.counters?.fallback(cache);
        return { value: undefined, version: null };
      }
      const [version, raw] = await this.redis.command(cache, (r) =>
        r.mget(`${this.prefix}v`, `${this.prefix}${key}`),
      );
      const current = version ?? '0';
      if (raw) {
        const stored = JSON.parse(raw, reviveDates) as Stored<V>;
        if (stored.v === current) {
          this.counters?.hit(cache);
          return { value: stored.value, version: current };
        }
      }
      this.counters?.miss(cache);
      return { value: undefined, version: current };
    } catch {
      // Counted as a fallback by FailOpenRedis.
      return { value: undefined, version: null };
    }
  }

  private async put<V>(cache: string, key: string, value: V, version: string | null) {
    // No version: Redis was away when the lookup began, so nothing is stored.
    if (version === null || this.redis.paused) return;
    const stored: Stored<V> = { v: version, value };
    await this.redis
      .command(cache, (r) =>
        r.set(`${this.prefix}${key}`, JSON.stringify(stored), 'PX', this.ttlMs),
      )
      .catch(() => undefined);
  }
}
