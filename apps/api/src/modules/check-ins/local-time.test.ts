import { describe, expect, it } from 'vitest';
import { resolveRange } from './date-range';
import { addDays, daysBetween, localDateOf, weekdayOf, zonedInstant } from './local-time';

describe('local time', () => {
  it('turns a local wall-clock time into the instant, across DST changes', () => {
    expect(zonedInstant('2026-11-21', '11:40', 'America/Chicago').toISOString()).toBe(
      '2026-11-21T17:40:00.000Z',
    );
    expect(zonedInstant('2026-07-04', '08:00', 'America/Chicago').toISOString()).toBe(
      '2026-07-04T13:00:00.000Z',
    );
    // The day clocks go back (1 Nov 2026 in the US): 08:00 is already CST.
    expect(zonedInstant('2026-11-01', '08:00', 'America/Chicago').toISOString()).toBe(
      '2026-11-01T14:00:00.000Z',
    );
    expect(zonedInstant('2026-03-29', '09:30', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T07:30:00.000Z',
    );
  });

  it('reads the local calendar date of an instant', () => {
    expect(localDateOf(new Date('2026-11-22T05:30:00Z'), 'America/Chicago')).toBe('2026-11-21');
    expect(localDateOf(new Date('2026-11-22T05:30:00Z'), 'Asia/Tokyo')).toBe('2026-11-22');
  });

  it('does calendar arithmetic with Monday = 0', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(daysBetween('2026-11-01', '2026-11-22')).toBe(21);
    expect(weekdayOf('2026-11-21')).toBe(5);
    expect(weekdayOf('2026-11-23')).toBe(0);
  });

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
