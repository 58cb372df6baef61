import { describe, expect, it } from 'vitest';
import {
  expectedRevenueWords,
  formatClockRange,
  formatCarried,
  formatClockTime,
  formatWeekdayClock,
  noneHasPrice,
  weekdayClockParts,
} from './wording';

const priced = { priced: true };
const unpriced = { priced: false };

describe('noneHasPrice', () => {
  it('holds only when there are products and none has a price', () => {
    expect(noneHasPrice([unpriced, unpriced])).toBe(true);
    expect(noneHasPrice([unpriced, priced])).toBe(false);
    expect(noneHasPrice([priced])).toBe(false);
    expect(noneHasPrice([])).toBe(false);
  });
});

describe('expectedRevenueWords', () => {
  it('is the money when every product has a price (or there are none)', () => {
    expect(expectedRevenueWords('$197.75', [priced, priced])).toBe('$197.75');
    expect(expectedRevenueWords('$0.00', [])).toBe('$0.00');
    // A priced product that is expected to earn nothing still earns a real $0.00.
    expect(expectedRevenueWords('$0.00', [priced])).toBe('$0.00');
  });

  it('says "no prices yet", not "$0.00", when no product has a price', () => {
    expect(expectedRevenueWords('$0.00', [unpriced, unpriced])).toBe('no prices yet');
  });

  it('counts the products left out when only some have a price', () => {
    expect(expectedRevenueWords('$48.00', [priced, unpriced])).toBe(
      '$48.00 (1 product has no price yet)',
    );
    expect(expectedRevenueWords('$48.00', [unpriced, priced, unpriced])).toBe(
      '$48.00 (2 products have no price yet)',
    );
  });
});

describe('formatClockTime', () => {
  it('writes the 12-hour clock, as the app writes instants', () => {
    expect(formatClockTime('08:00')).toBe('8:00 AM');
    expect(formatClockTime('13:30')).toBe('1:30 PM');
    expect(formatClockTime('12:00')).toBe('12:00 PM');
    expect(formatClockTime('00:05')).toBe('12:05 AM');
  });

  it('gives hours as a market sign does: AM/PM once when both are in the same half', () => {
    expect(formatClockRange('15:00', '19:00')).toBe('3:00–7:00 PM');
    expect(formatClockRange('07:30', '12:30')).toBe('7:30 AM–12:30 PM');
    expect(formatClockRange('08:00', '11:45')).toBe('8:00–11:45 AM');
    expect(() => formatClockRange('8:00', '12:00')).toThrow(RangeError);
  });

  it('rejects anything but HH:MM', () => {
    expect(() => formatClockTime('8:00')).toThrow(RangeError);
    expect(() => formatClockTime('24:00')).toThrow(RangeError);
  });
});

describe('formatWeekdayClock', () => {
  it("says a deadline as its weekday and 12-hour time in the market's zone", () => {
    // 2026-12-12T00:00Z is Fri, Dec 11, 6:00 PM in Chicago and Sat, Dec 12, 1:00 AM in Berlin.
    expect(formatWeekdayClock('2026-12-12T00:00:00Z', 'America/Chicago')).toBe('Fri 6:00 PM');
    expect(formatWeekdayClock('2026-12-12T00:00:00Z', 'Europe/Berlin')).toBe('Sat 1:00 AM');
    expect(formatWeekdayClock('2026-12-11T18:00:00Z', 'UTC')).toBe('Fri 6:00 PM');
  });

  it('gives the weekday and the time apart, for a screen that may break the line between them', () => {
    expect(weekdayClockParts('2026-12-12T00:00:00Z', 'America/Chicago')).toEqual({
      weekday: 'Fri',
      time: '6:00 PM',
    });
  });
});

describe('formatCarried', () => {
  it('marks carried stock that is still an expectation', () => {
    expect(formatCarried({ carriedOver: 0, carriedExpected: 0 })).toBeNull();
    expect(formatCarried({ carriedOver: 6, carriedExpected: 0 })).toBe('6');
    expect(formatCarried({ carriedOver: 7, carriedExpected: 7 })).toBe('~7');
    expect(formatCarried({ carriedOver: 9, carriedExpected: 3 })).toBe('~9');
  });
});
