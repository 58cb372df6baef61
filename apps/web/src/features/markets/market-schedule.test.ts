import { describe, expect, it } from 'vitest';

import {
  findSeasonStart,
  formatMonthDay,
  formatScheduleSummary,
  formatSeason,
  type ScheduleEntry,
} from './market-schedule';

// The demo vendor's markets (packages/db/src/seed/demo-data.ts).
const riverside: ScheduleEntry[] = [
  { weekday: 5, opensAt: '09:00', closesAt: '13:00', seasonFrom: '11-01', seasonTo: '04-30' },
  { weekday: 5, opensAt: '07:30', closesAt: '12:30', seasonFrom: '05-01', seasonTo: '10-31' },
];
const lakeview: ScheduleEntry[] = [
  { weekday: 2, opensAt: '15:00', closesAt: '19:00', seasonFrom: '05-01', seasonTo: '10-31' },
];
const maplewood: ScheduleEntry[] = [
  { weekday: 6, opensAt: '09:00', closesAt: '14:00', seasonFrom: '04-01', seasonTo: '11-30' },
];

describe('formatScheduleSummary', () => {
  it('names each season after its hours, in season order', () => {
    expect(formatScheduleSummary(riverside)).toBe(
      'Saturdays 7:30 AM–12:30 PM (May–Oct), 9:00 AM–1:00 PM (Nov–Apr)',
    );
    expect(formatScheduleSummary(maplewood)).toBe('Sundays 9:00 AM–2:00 PM (Apr–Nov)');
  });

  it('keeps year-round hours plain and names weekdays with the same hours together', () => {
    expect(
      formatScheduleSummary([
        { weekday: 5, opensAt: '08:00', closesAt: '13:00' },
        { weekday: 2, opensAt: '08:00', closesAt: '13:00', seasonFrom: null, seasonTo: null },
      ]),
    ).toBe('Wednesdays and Saturdays 8:00 AM–1:00 PM');
    expect(formatScheduleSummary([...lakeview, ...maplewood])).toBe(
      'Wednesdays 3:00–7:00 PM (May–Oct); Sundays 9:00 AM–2:00 PM (Apr–Nov)',
    );
    expect(formatScheduleSummary([])).toBe('No regular schedule');
  });

  it('spells out seasons that do not run whole months', () => {
    expect(formatSeason('04-15', '10-20')).toBe('Apr 15–Oct 20');
    expect(formatSeason('07-01', '07-31')).toBe('Jul');
    expect(formatSeason('12-01', '02-28')).toBe('Dec–Feb');
    expect(formatSeason('12-01', '02-29')).toBe('Dec–Feb');
    expect(formatSeason(null, null)).toBeNull();
    expect(formatMonthDay('04-01')).toBe('Apr 1');
  });
});

describe('findSeasonStart', () => {
  it('says when the season starts on the dates a seasonal market is closed', () => {
    // The week before Christmas and New Year: Maplewood (Apr-Nov) and Lakeview (May-Oct) are out.
    expect(findSeasonStart(maplewood, '2026-12-19')).toBe('2027-04-01');
    expect(findSeasonStart(lakeview, '2026-12-19')).toBe('2027-05-01');
    expect(findSeasonStart(maplewood, '2027-01-01')).toBe('2027-04-01');
    // The day before and the first and last days of the season.
    expect(findSeasonStart(maplewood, '2027-03-31')).toBe('2027-04-01');
    expect(findSeasonStart(maplewood, '2027-04-01')).toBeNull();
    expect(findSeasonStart(maplewood, '2027-11-30')).toBeNull();
    expect(findSeasonStart(maplewood, '2027-12-01')).toBe('2028-04-01');
    // July: all in season; Riverside never closes; no schedule says nothing.
    expect(findSeasonStart(lakeview, '2027-07-15')).toBeNull();
    expect(findSeasonStart(riverside, '2027-01-15')).toBeNull();
    expect(findSeasonStart([], '2027-01-15')).toBeNull();
  });

  it('picks the nearest of several seasons, over New Year too', () => {
    const split: ScheduleEntry[] = [
      { weekday: 6, opensAt: '09:00', closesAt: '14:00', seasonFrom: '04-01', seasonTo: '06-30' },
      { weekday: 6, opensAt: '09:00', closesAt: '14:00', seasonFrom: '09-01', seasonTo: '10-31' },
      { weekday: 5, opensAt: '10:00', closesAt: '14:00', seasonFrom: '12-10', seasonTo: '01-05' },
    ];
    expect(findSeasonStart(split, '2026-07-04')).toBe('2026-09-01');
    expect(findSeasonStart(split, '2026-11-15')).toBe('2026-12-10');
    expect(findSeasonStart(split, '2026-12-31')).toBeNull();
    expect(findSeasonStart(split, '2027-01-06')).toBe('2027-04-01');
  });

  it('names the weeks of the month of a market that does not run every week', () => {
    expect(
      formatScheduleSummary([
        { weekday: 5, opensAt: '07:30', closesAt: '12:30', seasonFrom: '05-01', seasonTo: '10-31' },
        {
          weekday: 5,
          opensAt: '09:00',
          closesAt: '13:00',
          seasonFrom: '11-01',
          seasonTo: '04-30',
          weeksOfMonth: [1, 3],
        },
        { weekday: 6, opensAt: '10:00', closesAt: '14:00', weeksOfMonth: [-1] },
      ]),
    ).toBe(
      'Saturdays 7:30 AM–12:30 PM (May–Oct), 9:00 AM–1:00 PM (1st and 3rd of the month, Nov–Apr); Sundays 10:00 AM–2:00 PM (last of the month)',
    );
    // The same hours in two seasons are said once.
    expect(
      formatScheduleSummary([
        { weekday: 5, opensAt: '08:00', closesAt: '13:00', seasonFrom: '05-01', seasonTo: '10-31' },
        {
          weekday: 5,
          opensAt: '08:00',
          closesAt: '13:00',
          seasonFrom: '11-01',
          seasonTo: '04-30',
          weeksOfMonth: [1, 3],
        },
      ]),
    ).toBe('Saturdays 8:00 AM–1:00 PM (May–Oct; 1st and 3rd of the month, Nov–Apr)');
    expect(
      formatScheduleSummary([
        { weekday: 2, opensAt: '16:00', closesAt: '19:00', everyOtherWeekFrom: '2026-12-09' },
      ]),
    ).toBe('Wednesdays 4:00–7:00 PM (every other week from Dec 9)');
  });
});
