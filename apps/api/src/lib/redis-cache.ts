import type { FailOpenRedis, SharedCacheCounters } from '@marketprep/integrations';
import type { Redis } from 'ioredis';

// The fail-open rule (FailOpenRedis) lives in @marketprep/integrations, shared with the worker's
// provider-answer cache.
export { FailOpenRedis, type SharedCacheCounters } from '@marketprep/integrations';

/** Options of {@link SharedTextCache}. */
export interface SharedTextCacheOptions {
  /** The metrics label (`cache="<name>"`) and part of the key. */
  name: string;
  /** Redis, shared by every replica; without it only the in-process layer caches. */
  redis?: FailOpenRedis<Redis>;
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
