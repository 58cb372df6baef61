import { MarketUpdateBodySchema } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import type { ScheduleEntry } from './market-schedule';
import {
  applyWeeksChoice,
  parseMonthDay,
  previewSchedule,
  toSchedulePayload,
  toScheduleRows,
  weeksChoiceOf,
  weeksChoices,
  withWeekday,
} from './schedule-rows';

const every = { weeksOfMonth: [], everyOtherWeekFrom: null };
const riverside: ScheduleEntry[] = [
  {
    weekday: 5,
    opensAt: '07:30',
    closesAt: '12:30',
    seasonFrom: '05-01',
    seasonTo: '10-31',
    ...every,
  },
  // Winter: the 1st and 3rd Saturdays only.
  {
    weekday: 5,
    opensAt: '09:00',
    closesAt: '13:00',
    seasonFrom: '11-01',
    seasonTo: '04-30',
    weeksOfMonth: [1, 3],
    everyOtherWeekFrom: null,
  },
  { weekday: 2, opensAt: '15:00', closesAt: '19:00', seasonFrom: null, seasonTo: null, ...every },
];

let key = 0;
const nextKey = () => (key += 1);

describe('the market form schedule', () => {
  it('shows each season and sends it back unchanged (a booth-fee edit keeps seasons and weeks)', () => {
    const rows = toScheduleRows(riverside, nextKey);
    expect(rows.map((r) => [r.seasonFrom, r.seasonTo])).toEqual([
      ['May 1', 'Oct 31'],
      ['Nov 1', 'Apr 30'],
      ['', ''],
    ]);
    const payload = toSchedulePayload(rows);
    expect(payload).toEqual({ ok: true, schedule: riverside });
    // Every entry carries both season keys, so the API never has to guess.
    if (!payload.ok) throw new Error('expected a payload');
    for (const entry of payload.schedule) {
      expect(Object.keys(entry)).toEqual(
        expect.arrayContaining(['seasonFrom', 'seasonTo']) as unknown,
      );
    }
    const body = MarketUpdateBodySchema.parse({ boothFeeMinor: 9000, schedule: payload.schedule });
    expect(body.schedule).toEqual(riverside);
  });

  it('sends a season typed in the vendor’s words, and blanks as all year', () => {
    const [row] = toScheduleRows([riverside[2]!], nextKey);
    const edited = { ...row!, seasonFrom: '  april 15 ', seasonTo: '20 Oct' };
    expect(toSchedulePayload([edited])).toEqual({
      ok: true,
      schedule: [
        {
          weekday: 2,
          opensAt: '15:00',
          closesAt: '19:00',
          seasonFrom: '04-15',
          seasonTo: '10-20',
          ...every,
        },
      ],
    });
    const cleared = toScheduleRows([riverside[0]!], nextKey).map((r) => ({
      ...r,
      seasonFrom: '',
      seasonTo: '',
    }));
    expect(toSchedulePayload(cleared)).toEqual({
      ok: true,
      schedule: [
        {
          weekday: 5,
          opensAt: '07:30',
          closesAt: '12:30',
          seasonFrom: null,
          seasonTo: null,
          ...every,
        },
      ],
    });
  });

  it('names the field to fix for a bad or half season', () => {
    const [row] = toScheduleRows([riverside[0]!], nextKey);
    expect(toSchedulePayload([{ ...row!, seasonFrom: 'Feb 30' }])).toEqual({
      ok: false,
      errors: { 'schedule.0.seasonFrom': 'Enter a day like May 1, or leave it blank' },
    });
    expect(toSchedulePayload([{ ...row!, seasonTo: '' }])).toEqual({
      ok: false,
      errors: {
        'schedule.0.seasonTo': 'Give both ends of the season, or leave both blank for all year',
      },
    });
  });

  it('parses the ways people write a day of the year', () => {
    expect(parseMonthDay('May 1')).toBe('05-01');
    expect(parseMonthDay('Sept. 3')).toBe('09-03');
    expect(parseMonthDay('1 May')).toBe('05-01');
    expect(parseMonthDay('05-01')).toBe('05-01');
    expect(parseMonthDay('5/1')).toBe('05-01');
    expect(parseMonthDay('Feb 29')).toBe('02-29');
    expect(parseMonthDay('')).toBeNull();
    expect(parseMonthDay('13-01')).toBeUndefined();
    expect(parseMonthDay('Apr 31')).toBeUndefined();
    expect(parseMonthDay('soon')).toBeUndefined();
  });

  it('previews what a half-typed schedule would say', () => {
    const rows = toScheduleRows(riverside, nextKey);
    expect(
      previewSchedule([
        { ...rows[0]!, seasonTo: 'Oct' },
        { ...rows[1]!, opensAt: '' },
      ]),
    ).toEqual([
      {
        weekday: 5,
        opensAt: '07:30',
        closesAt: '12:30',
        seasonFrom: null,
        seasonTo: null,
        ...every,
      },
    ]);
  });

  it('offers every week, every other week, twice and once a month, and keeps weeks set elsewhere', () => {
    const choices = weeksChoices([]);
    expect(choices.map((c) => c.label)).toEqual([
      'Every week',
      'Every other week',
      '1st and 3rd',
      '2nd and 4th',
      'Only the 1st',
      'Only the 2nd',
      'Only the 3rd',
      'Only the 4th',
      'Only the last',
    ]);
    expect(weeksChoices([1, 2, 4]).at(-1)).toEqual({ value: '1,2,4', label: '1st, 2nd and 4th' });
    expect(weeksChoices([2, 4])).toHaveLength(choices.length);
    const [row] = toScheduleRows([riverside[0]!], nextKey);
    for (const choice of weeksChoices([1, 2, 4])) {
      const next = { ...row!, ...applyWeeksChoice(row!, choice.value, '2026-12-07') };
      expect(weeksChoiceOf(next)).toBe(choice.value);
    }
    const payload = toSchedulePayload([
      { ...row!, ...applyWeeksChoice(row!, '2,4', '2026-12-07') },
    ]);
    expect(payload.ok && payload.schedule[0]?.weeksOfMonth).toEqual([2, 4]);
  });

  it('runs every other week from the next date of its weekday, and keeps the beat on a new weekday', () => {
    const [row] = toScheduleRows([riverside[0]!], nextKey);
    // Monday Dec 7: the next Saturday is Dec 12.
    const biweekly = { ...row!, ...applyWeeksChoice(row!, 'every-other', '2026-12-07') };
    expect(biweekly).toMatchObject({ weeksOfMonth: [], everyOtherWeekFrom: '2026-12-12' });
    const payload = toSchedulePayload([biweekly]);
    expect(payload.ok && payload.schedule[0]).toMatchObject({
      weeksOfMonth: [],
      everyOtherWeekFrom: '2026-12-12',
    });
    // Moved to Sundays: the Sunday of that week (Dec 13); back to every week: no date.
    expect(withWeekday(biweekly, 6)).toEqual({ weekday: 6, everyOtherWeekFrom: '2026-12-13' });
    expect(applyWeeksChoice(biweekly, '', '2026-12-07')).toEqual({
      weeksOfMonth: [],
      everyOtherWeekFrom: '',
    });
    // A date typed on another weekday names the field to fix.
    expect(toSchedulePayload([{ ...biweekly, everyOtherWeekFrom: '2026-12-13' }])).toEqual({
      ok: false,
      errors: { 'schedule.0.everyOtherWeekFrom': 'Choose a Saturday the market runs on' },
    });
  });
});
