import { describe, expect, it } from 'vitest';

import { FingerprintCache } from './fingerprint-cache';

describe('FingerprintCache', () => {
  it('serves a value only for the fingerprint it was computed from', () => {
    const cache = new FingerprintCache<number>(10);
    cache.set('vendor-1|56', 'sales v3', 4.2);
    expect(cache.get('vendor-1|56', 'sales v3')).toBe(4.2);
    // A new check-in moves the fingerprint: recompute.
    expect(cache.get('vendor-1|56', 'sales v4')).toBeUndefined();
    expect(cache.get('vendor-2|56', 'sales v3')).toBeUndefined();
    cache.set('vendor-1|56', 'sales v4', 3.9);
    expect(cache.get('vendor-1|56', 'sales v4')).toBe(3.9);
    expect(cache.size).toBe(1);
  });

  it('drops the least recently used entry past its cap', () => {
    const cache = new FingerprintCache<string>(2);
    cache.set('a', 'f', 'A');
    cache.set('b', 'f', 'B');
    expect(cache.get('a', 'f')).toBe('A');
    cache.set('c', 'f', 'C');
    expect(cache.size).toBe(2);
    expect(cache.get('b', 'f')).toBeUndefined();
    expect(cache.get('a', 'f')).toBe('A');
    expect(cache.get('c', 'f')).toBe('C');
  });
});
