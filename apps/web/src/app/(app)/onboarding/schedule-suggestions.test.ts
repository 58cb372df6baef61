import { describe, expect, it } from 'vitest';
import {
  describeSuggestion,
  suggestedScheduleEntries,
  suggestionsForMarkets,
} from './schedule-suggestions';

const every = { seasonFrom: null, seasonTo: null, weeksOfMonth: [], everyOtherWeekFrom: null };
const wedSat = {
  market: 'Maple Street Market',
  weekdays: [2, 5],
  seasonFrom: null,
  seasonTo: null,
  openings: [
    { weekday: 2, ...every },
    { weekday: 5, ...every },
  ],
  saleDays: 28,
  matchedDays: 26,
  strayDays: 2,
};

describe('suggestionsForMarkets', () => {
  it('matches markets by name regardless of case and spacing, only those without a schedule', () => {
    const markets = [
      { id: 'a', name: 'maple  street market', schedule: [] },
      { id: 'b', name: 'Birch Park', schedule: [] },
      {
        id: 'c',
        name: 'Cedar Lane',
        schedule: [{ weekday: 6, opensAt: '09:00', closesAt: '12:00' }],
      },
    ];
    const found = suggestionsForMarkets(markets, [wedSat, { ...wedSat, market: 'Cedar Lane' }]);
    expect([...found.keys()]).toEqual(['a']);
    expect(found.get('a')).toBe(wedSat);
  });
});

describe('suggestedScheduleEntries', () => {
  it('gives one opening per weekday with the season', () => {
    const summer = {
      seasonFrom: '05-01',
      seasonTo: '10-31',
      weeksOfMonth: [],
      everyOtherWeekFrom: null,
    };
    expect(
      suggestedScheduleEntries({
        ...wedSat,
        weekdays: [5],
        ...summer,
        openings: [{ weekday: 5, ...summer }],
      }),
    ).toEqual([
      {
        weekday: 5,
        opensAt: '08:00',
        closesAt: '13:00',
        seasonFrom: '05-01',
        seasonTo: '10-31',
        weeksOfMonth: [],
        everyOtherWeekFrom: null,
      },
    ]);
  });

  it('gives a market weekly in summer and twice a month in winter both openings', () => {
    const rosa = {
      ...wedSat,
      weekdays: [5],
      openings: [
        {
          weekday: 5,
          seasonFrom: '05-01',
          seasonTo: '10-31',
          weeksOfMonth: [],
          everyOtherWeekFrom: null,
        },
        {
          weekday: 5,
          seasonFrom: '11-01',
          seasonTo: '04-30',
          weeksOfMonth: [1, 3],
          everyOtherWeekFrom: null,
        },
      ],
    };
    expect(suggestedScheduleEntries(rosa).map((e) => e.weeksOfMonth)).toEqual([[], [1, 3]]);
    expect(describeSuggestion(rosa)).toContain(
      'Your sales suggest Saturdays 8:00 AM–1:00 PM (May–Oct; 1st and 3rd of the month, Nov–Apr).',
    );
  });
});

describe('describeSuggestion', () => {
  it('says the days, how many sale days they hold and the one-offs left out', () => {
    expect(describeSuggestion(wedSat)).toBe(
      'Your sales suggest Wednesdays and Saturdays 8:00 AM–1:00 PM. 26 of your 28 sale days in the last year were on those days; 2 one-off days are left out. The hours are a guess: check them, then save.',
    );
    expect(describeSuggestion({ ...wedSat, matchedDays: 27, strayDays: 1 })).toContain(
      '27 of your 28 sale days in the last year were on those days; 1 one-off day is left out.',
    );
  });

  it('says when every sale day was on the suggested days', () => {
    expect(
      describeSuggestion({ ...wedSat, saleDays: 1200, matchedDays: 1200, strayDays: 0 }),
    ).toContain('All 1,200 sale days in the last year were on those days.');
  });

  it('words a single seasonal weekday that holds every sale day', () => {
    expect(
      describeSuggestion({
        ...wedSat,
        weekdays: [5],
        seasonFrom: '05-01',
        seasonTo: '10-31',
        openings: [
          {
            weekday: 5,
            seasonFrom: '05-01',
            seasonTo: '10-31',
            weeksOfMonth: [],
            everyOtherWeekFrom: null,
          },
        ],
        saleDays: 1,
        matchedDays: 1,
        strayDays: 0,
      }),
    ).toBe(
      'Your sales suggest Saturdays 8:00 AM–1:00 PM (May–Oct). Your one sale day in the last year was on that day. The hours are a guess: check them, then save.',
    );
  });
});
