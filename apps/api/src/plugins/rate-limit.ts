import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { AppError } from '../errors';

/**
 * Global request limits (DESIGN.md "Tenancy and security"): anonymous requests per client IP,
 * authenticated ones per credential (session cookie or API token), plus a looser per-IP ceiling on
 * credentialed requests so rotating made-up credentials cannot escape the limit. Counters live in
 * Redis when configured, so all API instances share them; when Redis errors, is down or answers
 * slower than `redisTimeoutMs`, the decision is taken by an in-process store instead: the API
 * keeps limiting (not fail-open) and keeps answering (no 500, no hang).
 */
export interface RateLimitSettings {
  /** Window of every limit (ms). */
  windowMs: number;
  /** Requests per window per IP without credentials. */
  anonymousMax: number;
  /** Requests per window per session or API token. */
  identityMax: number;
  /** Requests per window per IP carrying credentials (any number of them). */
  ipMax: number;
  /** Shared counters; in-process only when absent. */
  redis?: Redis;
  /** Longest wait for Redis before deciding locally (ms). */
  redisTimeoutMs?: number;
  /** Redis key prefix. */
  keyPrefix?: string;
  /** Entries kept by the in-process store (least recently used are dropped). */
  localCapacity?: number;
  /** Called whenever a decision falls back to the in-process store. */
  onFallback?: (error: Error) => void;
}

/** Defaults used when the environment sets nothing (apps/api/src/env.ts has the same). */
export const DEFAULT_RATE_LIMITS = {
  windowMs: 60_000,
  anonymousMax: 600,
  identityMax: 1_200,
  ipMax: 6_000,
} as const;

type StoreCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** A fixed-window counter map with least-recently-used eviction. */
class LocalWindows {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();
  constructor(private readonly capacity: number) {}

  incr(key: string, windowMs: number, now = Date.now()): { current: number; ttl: number } {
    let entry = this.entries.get(key);
    if (!entry || entry.resetAt <= now) entry = { count: 0, resetAt: now + windowMs };
    entry.count += 1;
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return { current: entry.count, ttl: entry.resetAt - now };
  }

  read(key: string, now = Date.now()): { current: number; ttl: number } {
    const entry = this.entries.get(key);
    if (!entry || entry.resetAt <= now) return { current: 0, ttl: 0 };
    return { current: entry.count, ttl: entry.resetAt - now };
  }
}

const INCR_SCRIPT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}`;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis answered no faster than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The Redis-first, in-process-fallback store in @fastify/rate-limit's store shape. */
class FallbackStore {
  private readonly local: LocalWindows;
  constructor(
    private readonly settings: RateLimitSettings,
    private readonly prefix: string,
  ) {
    this.local = new LocalWindows(settings.localCapacity ?? 10_000);
  }

  incr(key: string, callback: StoreCallback, timeWindow: number): void {
    const redis = this.settings.redis;
    if (!redis || redis.status !== 'ready') {
      if (redis) this.settings.onFallback?.(new Error(`Redis is ${redis.status}`));
      callback(null, this.local.incr(key, timeWindow));
      return;
    }
    withTimeout(
      redis.eval(INCR_SCRIPT, 1, `${this.prefix}${key}`, String(timeWindow)) as Promise<
        [number, number]
      >,
      this.settings.redisTimeoutMs ?? 100,
    ).then(
      ([current, ttl]) => callback(null, { current: Number(current), ttl: Number(ttl) }),
      (error: unknown) => {
        this.settings.onFallback?.(error instanceof Error ? error : new Error(String(error)));
        callback(null, this.local.incr(key, timeWindow));
      },
    );
  }

  read(key: string, callback: StoreCallback): void {
    callback(null, this.local.read(key));
  }

  child(routeOptions: object): FallbackStore {
    // @fastify/rate-limit passes the merged per-route settings with `routeInfo` (the route).
    const route = (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } })
      .routeInfo;
    const method = Array.isArray(route?.method) ? route.method.join(',') : (route?.method ?? '');
    const suffix = route?.url ? `${method}${route.url}-` : 'custom-';
    return new FallbackStore(this.settings, `${this.prefix}${suffix}`);
  }
}

const SESSION_COOKIE = /(?:^|;\s*)mp_session=([^;]+)/;

/**
 * The key of the caller's credential, hashed (never the secret itself), or null without one.
 * Read from the raw headers: the limit runs first in onRequest, before cookies are parsed and
 * credentials are checked, so floods of bad credentials are limited too.
 */
export function credentialKeyOf(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  const cookie = request.headers.cookie;
  const secret =
    typeof authorization === 'string' && authorization.length > 0
      ? authorization
      : typeof cookie === 'string'
        ? SESSION_COOKIE.exec(cookie)?.[1]
        : undefined;
  if (!secret) return null;
  return `cred:${createHash('sha256').update(secret).digest('base64url').slice(0, 27)}`;
}

function tooManyRequests(_request: FastifyRequest, context: { ttl: number }): AppError {
  const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
  return new AppError(
    'RATE_LIMITED',
    `Too many requests: wait ${seconds} s before trying again (see Retry-After).`,
  );
}

/**
 * Registers @fastify/rate-limit globally with the fallback store, keyed per credential or per IP,
 * and the per-IP ceiling for credentialed requests. 429 answers are problem+json with Retry-After.
 */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance, settings: RateLimitSettings) => {
    const prefix = settings.keyPrefix ?? 'mp:rl:';
    const Store = class extends FallbackStore {
      constructor() {
        super(settings, prefix);
      }
    };
    await app.register(rateLimit, {
      global: true,
      hook: 'onRequest',
      timeWindow: settings.windowMs,
      keyGenerator: (request) => credentialKeyOf(request) ?? `ip:${request.ip}`,
      max: (_request, key) =>
        key.startsWith('cred:') ? settings.identityMax : settings.anonymousMax,
      store: Store,
      errorResponseBuilder: tooManyRequests,
    });
    const perIpCeiling = app.createRateLimit({
      timeWindow: settings.windowMs,
      max: settings.ipMax,
      keyGenerator: (request) => `ipc:${request.ip}`,
    });
    app.addHook('onRequest', async (request, reply) => {
      if (credentialKeyOf(request) === null) return;
      const result = await perIpCeiling(request);
      if (!result.isAllowed && result.isExceeded) {
        void reply.header('retry-after', String(Math.max(1, result.ttlInSeconds)));
        throw tooManyRequests(request, { ttl: result.ttl });
      }
    });
  },
  { name: 'rate-limit', dependencies: [] },
);
