import type { ApiTokenRecord, Role, SessionRecord } from '@marketprep/db';

/** How long an authentication lookup is reused in this process, unless invalidated first. */
export const AUTH_CACHE_TTL_MS = 5_000;
/** Entries per map (sessions, roles, API tokens); the least recently used go first. */
export const AUTH_CACHE_MAX_ENTRIES = 10_000;

/** Options of {@link AuthCache}. */
export interface AuthCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  /** Monotonic milliseconds (tests). */
  clock?: () => number;
}

interface Entry<V> {
  value: V;
  expires: number;
}

/** A bounded map whose entries expire `ttlMs` after they were stored (LRU by insertion order). */
class TtlLru<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly clock: () => number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.clock() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Short-lived, bounded, per-process cache of what authentication looks up on every request:
 * session token hash -> session, (vendor, user) -> role, API token hash -> token. Only positive
 * answers are kept (an unknown credential always reaches the database).
 *
 * Staleness bound: a change made through this process (logout, password change or reset, active
 * vendor switch, member removal, token revocation, ...) clears the cache before the answer is
 * sent (see the auth plugin's `onSend` hook). A change made by another replica or process (the
 * worker, SQL) takes effect here within `ttlMs` (5 s by default). Expiry times are still checked
 * on every hit against the app clock.
 *
 * Fills are guarded by a generation counter: a lookup that started before an invalidation is not
 * stored, so a request racing a logout cannot put the revoked session back.
 */
export class AuthCache {
  private readonly sessions: TtlLru<SessionRecord>;
  private readonly roles: TtlLru<Role>;
  private readonly tokens: TtlLru<ApiTokenRecord>;
  private generationValue = 0;

  constructor(options: AuthCacheOptions = {}) {
    const ttl = options.ttlMs ?? AUTH_CACHE_TTL_MS;
    const max = options.maxEntries ?? AUTH_CACHE_MAX_ENTRIES;
    const clock = options.clock ?? (() => performance.now());
    this.sessions = new TtlLru(ttl, max, clock);
    this.roles = new TtlLru(ttl, max, clock);
    this.tokens = new TtlLru(ttl, max, clock);
  }

  /** Changes on every invalidation; pass the value read before a lookup to the `put*` methods. */
  get generation(): number {
    return this.generationValue;
  }

  getSession(tokenHash: string): SessionRecord | undefined {
    return this.sessions.get(tokenHash);
  }

  putSession(tokenHash: string, session: SessionRecord, generation: number): void {
    if (generation === this.generationValue) this.sessions.set(tokenHash, session);
  }

  getRole(vendorId: string, userId: string): Role | undefined {
    return this.roles.get(`${vendorId}:${userId}`);
  }

  putRole(vendorId: string, userId: string, role: Role, generation: number): void {
    if (generation === this.generationValue) this.roles.set(`${vendorId}:${userId}`, role);
  }

  getToken(tokenHash: string): ApiTokenRecord | undefined {
    return this.tokens.get(tokenHash);
  }

  putToken(tokenHash: string, token: ApiTokenRecord, generation: number): void {
    if (generation === this.generationValue) this.tokens.set(tokenHash, token);
  }

  /** Forgets everything (any change to sessions, memberships or tokens in this process). */
  invalidateAll(): void {
    this.generationValue += 1;
    this.sessions.clear();
    this.roles.clear();
    this.tokens.clear();
  }

  /** Entries held, for tests and metrics. */
  get size(): number {
    return this.sessions.size + this.roles.size + this.tokens.size;
  }
}
