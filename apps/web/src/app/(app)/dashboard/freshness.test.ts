import { describe, expect, it } from 'vitest';

import { formatAge, formatSeconds } from './freshness';

describe('formatAge', () => {
  const now = new Date('2026-11-22T12:00:00Z');

  it('says how long ago, rounding down to the unit a person reads', () => {
    expect(formatAge('2026-11-22T11:59:30Z', now)).toBe('just now');
    expect(formatAge('2026-11-22T11:55:00Z', now)).toBe('5 min ago');
    expect(formatAge('2026-11-22T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAge('2026-11-19T12:00:00Z', now)).toBe('3 days ago');
  });

  it('says never for missing data and treats a future time as now', () => {
    expect(formatAge(null, now)).toBe('never');
    expect(formatAge('2026-11-22T12:05:00Z', now)).toBe('just now');
    expect(formatSeconds(null)).toBe('never');
  });
});
