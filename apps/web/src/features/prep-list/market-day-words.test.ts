import { describe, expect, it } from 'vitest';

import { marketDayWords } from './market-day-words';

const riverside = [
  { weekday: 5, opensAt: '07:30', closesAt: '12:30', seasonFrom: '05-01', seasonTo: '10-31' },
  { weekday: 5, opensAt: '09:00', closesAt: '13:00', seasonFrom: '11-01', seasonTo: '04-30' },
];

describe('marketDayWords', () => {
  it('gives a one-off day its own hours and note', () => {
    const holiday = { opensAt: '15:00', closesAt: '19:00', notes: ' Holiday market ' };
    expect(marketDayWords('2026-12-23', holiday, riverside)).toBe('3:00–7:00 PM · Holiday market');
  });

  it('gives a scheduled day the hours of the season it falls in', () => {
    const stored = { opensAt: null, closesAt: null, notes: null };
    expect(marketDayWords('2026-12-19', stored, riverside)).toBe('9:00 AM–1:00 PM');
    expect(marketDayWords('2027-06-19', stored, riverside)).toBe('7:30 AM–12:30 PM');
    expect(marketDayWords('2027-06-19', { ...stored, notes: 'Booth 14' }, riverside)).toBe(
      '7:30 AM–12:30 PM · Booth 14',
    );
  });

  it('says nothing it does not know', () => {
    expect(marketDayWords('2026-12-19', undefined, undefined)).toBeNull();
    // A Wednesday the schedule does not hold, stored without hours or note.
    expect(
      marketDayWords('2026-12-23', { opensAt: null, closesAt: null, notes: '' }, riverside),
    ).toBeNull();
  });
});
