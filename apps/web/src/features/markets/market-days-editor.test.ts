import { describe, expect, it } from 'vitest';

import { describeMarketDay, newDayErrors } from './market-days-editor';

describe('describeMarketDay', () => {
  it('says the date and the hours of a market day, the year only when it is not this one', () => {
    expect(
      describeMarketDay({ date: '2026-12-12', opensAt: '09:00', closesAt: '13:00' }, 2026),
    ).toEqual({ date: 'Sat, Dec 12', hours: '9:00 AM–1:00 PM' });
    expect(
      describeMarketDay({ date: '2027-01-02', opensAt: '16:00', closesAt: '19:00' }, 2026),
    ).toEqual({ date: 'Sat, Jan 2, 2027', hours: '4:00–7:00 PM' });
    expect(describeMarketDay({ date: '2026-12-22', opensAt: null, closesAt: null })).toEqual({
      date: 'Tue, Dec 22',
      hours: null,
    });
  });
});

describe('newDayErrors', () => {
  const saturdays = {
    today: '2026-12-07',
    schedule: [{ weekday: 5, seasonFrom: '05-01', seasonTo: '10-31' }],
  };

  it('takes the schedule’s hours only on a date the schedule opens', () => {
    const blank = { opensAt: '', closesAt: '' };
    // A Saturday out of season and a Wednesday: the schedule has no hours to take.
    expect(newDayErrors({ date: '2026-12-19', ...blank }, saturdays)).toEqual({
      opensAt: 'The schedule has no hours on this date: give the times',
    });
    expect(newDayErrors({ date: '2026-12-23', ...blank }, saturdays)).toHaveProperty('opensAt');
    expect(newDayErrors({ date: '2027-05-01', ...blank }, saturdays)).toEqual({});
    expect(
      newDayErrors({ date: '2026-12-23', opensAt: '15:00', closesAt: '19:00' }, saturdays),
    ).toEqual({});
  });

  it('wants a date from today on, both times or neither, and closing after opening', () => {
    expect(newDayErrors({ date: '', opensAt: '', closesAt: '' }, saturdays)).toEqual({
      date: 'Choose the date of the market',
    });
    expect(
      newDayErrors({ date: '2026-12-01', opensAt: '15:00', closesAt: '19:00' }, saturdays),
    ).toEqual({ date: 'Choose today or a later date' });
    expect(newDayErrors({ date: '2026-12-23', opensAt: '15:00', closesAt: '' }, saturdays)).toEqual(
      { closesAt: 'Give both times, or leave both blank' },
    );
    expect(
      newDayErrors({ date: '2026-12-23', opensAt: '19:00', closesAt: '15:00' }, saturdays),
    ).toEqual({ closesAt: 'The market closes after it opens' });
  });
});
