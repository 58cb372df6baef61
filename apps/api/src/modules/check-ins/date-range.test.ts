import { describe, expect, it } from 'vitest';
import { resolveRange } from './date-range';

describe('date ranges', () => {
  it('resolves and checks date ranges', () => {
    const now = new Date('2026-11-22T20:00:00Z');
    expect(resolveRange({}, now)).toEqual({ from: '2026-09-29', to: '2026-11-23' });
    expect(resolveRange({ from: '2026-01-01' }, now, 10)).toEqual({
      from: '2026-01-01',
      to: '2026-01-10',
    });
    expect(() => resolveRange({ from: '2026-02-01', to: '2026-01-01' }, now)).toThrow(/after/);
    expect(() => resolveRange({ from: '2024-01-01', to: '2026-01-02' }, now)).toThrow(/two years/);
    expect(resolveRange({ from: '2024-01-01', to: '2025-12-31' }, now).from).toBe('2024-01-01');
    expect(resolveRange({ to: '1970-01-05' }, now).from).toBe('1970-01-01');
    expect(resolveRange({ from: '2999-12-30' }, now).to).toBe('2999-12-31');
  });
});
