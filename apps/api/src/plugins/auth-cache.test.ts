import type { SessionRecord } from '@marketprep/db';
import { describe, expect, it } from 'vitest';
import { AuthCache } from './auth-cache';

const session = (id: string): SessionRecord => ({
  id,
  userId: '00000000-0000-4000-8000-000000000001',
  activeVendorId: null,
  expiresAt: new Date('2030-01-01T00:00:00Z'),
  user: { email: 'a@example.com', name: 'A', isPlatformAdmin: false },
});

describe('AuthCache', () => {
  it('forgets entries after the TTL', () => {
    let now = 0;
    const cache = new AuthCache({ ttlMs: 5_000, clock: () => now });
    cache.putSession('h1', session('s1'), cache.generation);
    cache.putRole('v1', 'u1', 'OWNER', cache.generation);
    now = 4_999;
    expect(cache.getSession('h1')?.id).toBe('s1');
    expect(cache.getRole('v1', 'u1')).toBe('OWNER');
    now = 5_000;
    expect(cache.getSession('h1')).toBeUndefined();
    expect(cache.getRole('v1', 'u1')).toBeUndefined();
  });

  it('drops everything on invalidation, and refuses fills that started before it', () => {
    const cache = new AuthCache();
    cache.putSession('h1', session('s1'), cache.generation);
    const started = cache.generation;
    cache.invalidateAll();
    expect(cache.getSession('h1')).toBeUndefined();
    cache.putSession('h2', session('s2'), started);
    cache.putRole('v1', 'u1', 'STAFF', started);
    expect(cache.getSession('h2')).toBeUndefined();
    expect(cache.getRole('v1', 'u1')).toBeUndefined();
    cache.putSession('h2', session('s2'), cache.generation);
    expect(cache.getSession('h2')?.id).toBe('s2');
  });

  it('keeps at most maxEntries per map, evicting the oldest', () => {
    const cache = new AuthCache({ maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) cache.putSession(key, session(key), cache.generation);
    expect(cache.getSession('a')).toBeUndefined();
    expect(cache.getSession('b')?.id).toBe('b');
    expect(cache.getSession('c')?.id).toBe('c');
    expect(cache.size).toBe(2);
  });

  it('keys roles by vendor and user', () => {
    const cache = new AuthCache();
    cache.putRole('v1', 'u1', 'OWNER', cache.generation);
    expect(cache.getRole('v2', 'u1')).toBeUndefined();
    expect(cache.getRole('v1', 'u2')).toBeUndefined();
  });
});
