/** Counters of the Redis-backed caches (`cache_*_total{cache}` in /metrics). */
export interface SharedCacheCounters {
  hit(cache: string): void;
  miss(cache: string): void;
  /** Redis failed or was slow: the caller went to the source (PostgreSQL, the provider) instead. */
  fallback(cache: string): void;
}

/** Options of {@link FailOpenRedis}. */
export interface FailOpenRedisOptions<R> {
  /** The Redis client (ioredis in the apps; any client here, so this package needs none). */
  redis: R;
  /** A Redis command slower than this counts as a failure (ms). */
  timeoutMs?: number;
  /** After a failure, Redis is left alone this long (ms): callers go to the source at once. */
  retryAfterMs?: number;
  counters?: SharedCacheCounters;
  /** Monotonic ms (tests). */
  clock?: () => number;
}

/**
 * The fail-open rule every Redis cache of MarketPrep follows (issue 21): a command that errs or
 * answers slower than `timeoutMs` fails, is counted as a fallback, and Redis is then skipped for
 * `retryAfterMs` so a dead or slow Redis costs requests nothing while it is away. The client
 * reconnects on its own; the first command after the pause finds out whether Redis is back.
 */
export class FailOpenRedis<R> {
  readonly redis: R;
  readonly counters: SharedCacheCounters | undefined;
  private readonly timeoutMs: number;
  private readonly retryAfterMs: number;
  private readonly clock: () => number;
  private skipUntil = 0;

  constructor(options: FailOpenRedisOptions<R>) {
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
    run: (redis: R) => Promise<T>,
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

/** The two commands a text cache needs (ioredis's `get` and `set(key, value, 'PX', ms)`). */
export interface RedisTextCommands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', ms: number): Promise<unknown>;
}

/** Text answers kept between calls, shared through Redis; never throws (misses instead). */
export interface AnswerCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

/**
 * An {@link AnswerCache} in Redis under `prefix`, failing open: Redis away or slow reads as a
 * miss (counted as a fallback under `name`) and a write is dropped.
 */
export function redisAnswerCache(
  redis: FailOpenRedis<RedisTextCommands>,
  options: { name: string; prefix: string },
): AnswerCache {
  const { name, prefix } = options;
  return {
    async get(key) {
      try {
        const value = await redis.command(name, (r) => r.get(prefix + key));
        if (value === null) redis.counters?.miss(name);
        else redis.counters?.hit(name);
        return value ?? undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value, ttlMs) {
      if (redis.paused) return;
      await redis
        .command(name, (r) => r.set(prefix + key, value, 'PX', ttlMs))
        .catch(() => undefined);
    },
  };
}
