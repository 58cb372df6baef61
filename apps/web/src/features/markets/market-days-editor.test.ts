import { describe, expect, it } from 'vitest';

import { describeMarketDay } from './market-days-editor';

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
