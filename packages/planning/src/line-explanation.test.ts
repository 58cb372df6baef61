import type { PrepForecast } from '@marketprep/forecast';
import { describe, expect, it } from 'vitest';
import {
  availabilityNote,
  describeForecast,
  describeMonths,
  summarizeExplanation,
} from './line-explanation';

describe('summarizeExplanation', () => {
  it('names the typical day, the notable effects largest first, and the median', () => {
    expect(
      summarizeExplanation({
        baseline: 38,
        baselineSupport: 52,
        effects: [
          { name: 'weekday-season', units: 0.2, percent: 0.5, support: 52 },
          { name: 'weather', units: -5.73, percent: -15.1, support: 4 },
          { name: 'event', units: 3.3, percent: 10.2, support: 6 },
        ],
      }),
    ).toBe(
      'Typical day 38 (52 market days); weather -5.7 (-15%); event nearby +3.3 (+10%); median 35.8',
    );
  });
});

describe("a line in the vendor's words", () => {
  it('says months as ranges, wrapping New Year', () => {
    expect(describeMonths([7, 8, 9])).toBe('Jul-Sep');
    expect(describeMonths([11, 12, 1, 2])).toBe('Nov-Feb');
    expect(describeMonths([4, 5, 9, 10])).toBe('Apr-May, Sep-Oct');
    expect(describeMonths([6])).toBe('Jun');
    expect(describeMonths([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])).toBe('all year');
  });

  it('says why a product is out of season', () => {
    const learned = {
      inSeason: false,
      source: 'learned' as const,
      lastSoldOn: '2026-09-14',
      usualMonths: [7, 8, 9],
      seasonStart: false,
    };
    expect(availabilityNote(learned)).toBe('Not in season: last sold Sep 14; usually Jul-Sep');
    expect(availabilityNote({ ...learned, source: 'owner', usualMonths: [6, 7, 8] })).toBe(
      'Not in season: your season is Jun-Aug',
    );
    expect(availabilityNote({ ...learned, source: 'owner' }, { excludedHere: true })).toBe(
      'Not brought to this market (your product setting)',
    );
    expect(availabilityNote({ ...learned, inSeason: true })).toBeNull();
    expect(availabilityNote({ ...learned, inSeason: true, seasonStart: true })).toMatch(
      /^Season start/,
    );
  });

  it('names a holiday window and what it rests on', () => {
    expect(
      summarizeExplanation({
        baseline: 40,
        baselineSupport: 100,
        effects: [
          {
            name: 'holiday',
            units: 15.2,
            percent: 38,
            support: 2,
            names: ['christmas_week'],
          },
        ],
      }),
    ).toBe(
      'Typical day 40 (100 market days); Christmas week +15.2 (+38%, from your last 2 Christmas weeks); median 55.2',
    );
  });

  it('names a holiday learnt as itself instead of "public holiday"', () => {
    expect(
      summarizeExplanation({
        baseline: 40,
        baselineSupport: 300,
        effects: [
          {
            name: 'holiday',
            units: 20,
            percent: 50,
            support: 2,
            names: ['is_holiday', 'date:easter+50'],
          },
          { name: 'weather', units: -4, percent: -10, support: 300 },
        ],
      }),
    ).toBe(
      'Typical day 40 (300 market days); Whit Monday +20 (+50%, from your last 2 Whit Mondays); weather -4 (-10%); median 56',
    );
    expect(
      summarizeExplanation({
        baseline: 40,
        baselineSupport: 300,
        effects: [{ name: 'holiday', units: 8, percent: 20, support: 2, names: ['date:12-24'] }],
      }),
    ).toBe(
      "Typical day 40 (300 market days); Dec 24 +8 (+20%, from your last 2 years' Dec 24); median 48",
    );
  });

  it('stores an out-of-season line with its note as the summary, and a guess with its basis', () => {
    const base: PrepForecast = {
      date: '2026-12-05',
      market: 'm1',
      product: 'p1',
      p10: 0,
      p50: 0,
      p90: 0,
      criticalRatio: 0.7,
      criticalQuantile: 0,
      recommendedQuantity: 0,
      expectedSold: 0,
      expectedRevenue: 0,
      rung: 'out-of-season',
      dataSufficiency: 'rich',
      availability: {
        inSeason: false,
        source: 'learned',
        lastSoldOn: '2026-08-29',
        usualMonths: [7, 8],
        seasonStart: false,
      },
      demandQuantiles: [],
      explanation: { baseline: 0, baselineSupport: 0, effects: [] },
    };
    const marketName = (id: string) => (id === 'm2' ? 'Riverside' : id);
    const out = describeForecast(base, { marketName });
    expect(out.summary).toBe('Not in season: last sold Aug 29; usually Jul-Aug');
    expect(out.availability).toEqual({
      inSeason: false,
      source: 'learned',
      lastSoldOn: '2026-08-29',
      usualMonths: [7, 8],
      note: 'Not in season: last sold Aug 29; usually Jul-Aug',
    });
    const guess = describeForecast(
      {
        ...base,
        rung: 'cold-start',
        p50: 10,
        availability: { ...base.availability, inSeason: true, source: 'unknown' },
        explanation: {
          baseline: 10,
          baselineSupport: 0,
          basis: { kind: 'other-market', market: 'm2', scale: 0.5 },
          effects: [],
        },
      },
      { marketName },
    );
    expect(guess.basis).toBe('your sales at Riverside, scaled x0.5');
    expect(guess.summary).toBe(
      'No sales here yet: a guess from your sales at Riverside, scaled x0.5, 10 a day; median 10',
    );
  });
});
