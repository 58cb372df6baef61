import type { Redis } from 'ioredis';

/** Counters of the Redis-backed caches (`cache_*_total{cache}` in /metrics). */
export interface SharedCacheCounters {
  hit(cache: string): void;
  miss(cache: string): void;
  /** Redis failed or was slow: the caller went to PostgreSQL (or the provider) instead. */
  fallback(cache: string): void;
}

/** Options of {@link FailOpenRedis}. */
export interface FailOpenRedisOptions {
  redis: Redis;
  /** A Redis command slower than this counts as a failure (ms). */
  timeoutMs?: number;
  /** After a failure, Redis is left alone this long (ms): callers go to the source at once. */
  retryAfterMs?: number;
  counters?: SharedCacheCounters;
  /** Monotonic ms (tests). */
  clock?: () => number;
}

/**
 * The fail-open rule every Redis cache of the API follows (issue 21): a command that errs or
 * answers slower than `timeoutMs` fails, is counted as a fallback, and Redis is then skipped for
 * `retryAfterMs` so a dead or slow Redis costs requests nothing while it is away. ioredis
 * reconnects on its own; the first command after the pause finds out whether Redis is back.
 */
export class FailOpenRedis {
  readonly redis: Redis;
  readonly counters: SharedCacheCounters | undefined;
  private readonly timeoutMs: number;
  private readonly retryAfterMs: number;
  private readonly clock: () => number;
  private skipUntil = 0;

  constructor(options: FailOpenRedisOptions) {
    this.redis = options.redis;
    this.counters = options.counters;
    this.timeoutMs = options.timeoutMs ?? 50;
    this.retryAfterMs = options.retryAfterMs ?? 1_000;
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Whether Redis is being left alone after a failure. */
  get paused(): boolean {
    return this.clock() < this.skipUntil;
  }

  /**
   * `run` against Redis within the time limit. Throws when Redis is paused or the command fails
   * (and then pauses it); `cache` names the fallback counted. `evenIfPaused` tries anyway: an
   * invalidation must reach Redis as soon as it can, or other replicas serve what it revoked.
   */
  async command<T>(
    cache: string,
    run: (redis: Redis) => Promise<T>,
    options: { evenIfPaused?: boolean } = {},
  ): Promise<T> {
    if (this.paused && !options.evenIfPaused) {
      this.counters?.fallback(cache);
      throw new Error('Redis paused after a failure');
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        run(this.redis),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('Redis too slow')), this.timeoutMs);
        }),
      ]);
    } catch (error) {
      this.skipUntil = this.clock() + this.retryAfterMs;
      this.counters?.fallback(cache);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Options of {@link SharedTextCache}. */
export interface SharedTextCacheOptions {
  /** The metrics label (`cache="<name>"`) and part of the key. */
  name: string;
  /** Redis, shared by every replica; without it only the in-process layer caches. */
  redis?: FailOpenRedis;
  /** Key prefix in Redis (tests use a private one). */
  prefix?: string;
  /** How long an entry lives in Redis (ms). */
  ttlMs: number;
  /** Entries of the in-process layer in front of Redis (least recently set go first). */
  localEntries: number;
  /** How long the in-process layer keeps an entry (ms); Infinity for content-addressed keys. */
  localTtlMs?: number;
  /** Hit and miss counts (fallbacks are counted by `redis`). */
  counters?: SharedCacheCounters;
  /** Monotonic ms (tests). */
  clock?: () => number;
}

/**
 * Text values by key: a small in-process layer in front of Redis, shared by every API replica.
 * A read tries the process first, then Redis (one GET), and answers undefined when neither has it
 * or Redis is away (the caller then reads the source and {@link set}s it). Never throws.
 */
export class SharedTextCache {
  private readonly local = new Map<string, { at: number; value: string }>();
  private readonly prefix: string;
  private readonly clock: () => number;

  constructor(private readonly options: SharedTextCacheOptions) {
    this.prefix = `${options.prefix ?? 'mp:cache:'}${options.name}:`;
    this.clock = options.clock ?? (() => performance.now());
  }

  async get(key: string): Promise<string | undefined> {
    const { name, redis, counters } = this.options;
    const held = this.local.get(key);
    if (held && this.clock() - held.at < (this.options.localTtlMs ?? Infinity)) {
      counters?.hit(name);
      return held.value;
    }
    if (held) this.local.delete(key);
    if (!redis) {
      counters?.miss(name);
      return undefined;
    }
    try {
      const value = await redis.command(name, (r) => r.get(this.prefix + key));
      if (value === null) {
        counters?.miss(name);
        return undefined;
      }
      counters?.hit(name);
      this.remember(key, value);
      return value;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: string): Promise<void> {
    this.remember(key, value);
    const { redis, name, ttlMs } = this.options;
    if (!redis || redis.paused) return;
    await redis
      .command(name, (r) => r.set(this.prefix + key, value, 'PX', ttlMs))
      .catch(() => undefined);
  }

  /** Forgets `key` in this process (Redis keeps it until it expires: keys name their content). */
  forget(key: string): void {
    this.local.delete(key);
  }

  private remember(key: string, value: string): void {
    this.local.delete(key);
    this.local.set(key, { at: this.clock(), value });
    while (this.local.size > this.options.localEntries) {
      const oldest = this.local.keys().next().value;
      if (oldest === undefined) break;
      this.local.delete(oldest);
    }
  }
}
