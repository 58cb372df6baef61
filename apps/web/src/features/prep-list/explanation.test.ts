import type { PrepListExplanation } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import {
  explanationParts,
  explanationSentence,
  splitExplanation,
  formatSignedPercent,
  formatUnits,
  weekdayOf,
} from './explanation';

const explanation: PrepListExplanation = {
  baseline: 38,
  baselineSupport: 96,
  effects: [
    { name: 'weekday-season', units: 0.2, percent: 0.6, support: 90 },
    { name: 'weather', units: -5.7, percent: -15, support: 4 },
    { name: 'event', units: 3.5, percent: 10.8, support: 1 },
    { name: 'holiday', units: 0, percent: 0, support: 0 },
  ],
  summary: 'Typical day 38 (96 market days); weather -5.7 (-15%); event +3.5 (+11%)',
};

describe('explanation text', () => {
  it('names the weekday of the market date', () => {
    expect(weekdayOf('2026-11-28')).toBe(5); // a Saturday
    expect(weekdayOf('2026-11-23')).toBe(0); // a Monday
  });

  it('reads as the vendor would say it: typical day, then notable effects largest first', () => {
    expect(explanationSentence(explanation, { date: '2026-11-28' })).toBe(
      'Typical Saturday: 38 (from 96 market days) · Weather forecast: −15% (from 4 market days) · Events nearby: +11% (from 1 market day)',
    );
  });

  it('keeps every part that moved something, with units and support, marking tiny ones', () => {
    const parts = explanationParts(explanation, { date: '2026-11-28' });
    // The holiday effect of 0% and 0 units is left out: it changed nothing.
    expect(parts.map((part) => part.label)).toEqual([
      'Typical Saturday',
      'Weekday and season',
      'Weather forecast',
      'Events nearby',
    ]);
    expect(parts[2]).toMatchObject({ value: '−15%', units: '−5.7', support: 'from 4 market days' });
    expect(parts[3]).toMatchObject({ value: '+11%', units: '+3.5', notable: true });
    expect(parts[1]?.notable).toBe(false);
  });

  it('says each effect once: the sentence holds the notable ones, the rest are minor', () => {
    const { headline, minor } = splitExplanation(explanation, { date: '2026-11-28' });
    expect(headline.map((part) => part.label)).toEqual([
      'Typical Saturday',
      'Weather forecast',
      'Events nearby',
    ]);
    expect(minor.map((part) => part.label)).toEqual(['Weekday and season']);
    expect(explanationSentence(explanation, { date: '2026-11-28', unit: 'loaf' })).toBe(
      'Typical Saturday: 38 (from 96 market days) · Weather forecast: −15%, −6 loaves (from 4 market days) · Events nearby: +11%, +4 loaves (from 1 market day)',
    );
    const one: PrepListExplanation = {
      ...explanation,
      effects: [{ name: 'weather', units: -1, percent: -8, support: 3 }],
    };
    expect(explanationSentence(one, { date: '2026-11-28', unit: 'loaf' })).toContain(
      'Weather forecast: −8%, −1 loaf (from 3 market days)',
    );
    // Whole units for what is counted, never "+8.4 loaf"; one decimal for what is weighed.
    const small: PrepListExplanation = {
      ...explanation,
      effects: [
        { name: 'trend', units: 8.4, percent: 22, support: 6 },
        { name: 'weather', units: 0.3, percent: 4, support: 2 },
      ],
    };
    expect(explanationSentence(small, { date: '2026-07-18', unit: 'loaf' })).toBe(
      'Typical Saturday: 38 (from 96 market days) · Recent trend: +22%, +8 loaves (from 6 market days) · Weather forecast: +4%, less than 1 loaf (from 2 market days)',
    );
    expect(explanationSentence(small, { date: '2026-07-18', unit: 'lb' })).toContain(
      'Recent trend: +22%, +8.4 lb',
    );
    // Under 1% and under half a unit: left out, never "Events nearby 0%" among the smaller effects.
    const tiny: PrepListExplanation = {
      ...explanation,
      baseline: 200,
      effects: [
        { name: 'event', units: 0.2, percent: 0.1, support: 3 },
        { name: 'trend', units: 0.8, percent: 0.4, support: 6 },
        { name: 'weather', units: -0.3, percent: -1.2, support: 2 },
      ],
    };
    const tinySplit = splitExplanation(tiny, { date: '2026-12-19' });
    expect(tinySplit.minor.map((part) => `${part.label} ${part.value}`)).toEqual([
      'Weather forecast −1%',
    ]);
    expect(tinySplit.headline.map((part) => `${part.label}: ${part.value}`)).toEqual([
      'Typical Saturday: 200',
      'Recent trend: less than 1%',
    ]);
  });

  it('says a named effect by its name and where a guessed typical day comes from', () => {
    // Holiday support counts past holidays of that name, as the API's summary says it.
    const named: PrepListExplanation = {
      baseline: 12,
      baselineSupport: 0,
      basis: 'your sales at Riverside, scaled x0.5',
      effects: [
        { name: 'holiday', units: 4.6, percent: 38, support: 2, label: 'Christmas week' },
        { name: 'holiday', units: 1, percent: 6, support: 1, label: "New Year's week" },
        { name: 'weather', units: -1, percent: -6, support: 9 },
      ],
      summary: '',
    };
    const parts = explanationParts(named, { date: '2026-12-19' });
    expect(parts.map((part) => part.label)).toEqual([
      'Guess for a Saturday',
      'Christmas week',
      "New Year's week",
      'Weather forecast',
    ]);
    expect(new Set(parts.map((part) => part.key)).size).toBe(parts.length);
    expect(explanationSentence(named, { date: '2026-12-19' })).toBe(
      "Guess for a Saturday: 12 (from your sales at Riverside, scaled x0.5) · Christmas week: +38% (from your last 2 Christmas weeks) · New Year's week: +6% (from your last New Year's week) · Weather forecast: −6% (from 9 market days)",
    );
    const combined: PrepListExplanation = {
      ...named,
      effects: [
        {
          name: 'holiday',
          units: 3,
          percent: 20,
          support: 3,
          label: "Christmas week + New Year's week",
        },
        { name: 'holiday', units: 2, percent: 10, support: 0, label: 'Easter weekend' },
      ],
    };
    expect(explanationParts(combined, { date: '2026-12-26' }).map((p) => p.support)).toEqual([
      'from your sales at Riverside, scaled x0.5',
      'from 3 market days',
      undefined,
    ]);
  });

  it('does not call a one-off day on a weekday new to the market a typical one of that weekday', () => {
    // A Wednesday holiday market at a Saturday market: 102 Saturdays behind the typical day, no
    // Wednesday here, the weekday's effect learnt at the vendor's other markets.
    const oneOff: PrepListExplanation = {
      baseline: 39.3,
      baselineSupport: 102,
      effects: [
        { name: 'weekday-season', units: 1.6, percent: 4, support: 0 },
        { name: 'holiday', units: 4, percent: 10, support: 2, label: 'Christmas week' },
      ],
      summary: '',
    };
    expect(explanationSentence(oneOff, { date: '2026-12-23', unit: 'loaf' })).toBe(
      'Typical market day: 39 (from 102 market days) · Christmas week: +10%, +4 loaves (from your last 2 Christmas weeks) · First Wednesday here: +4%, +2 loaves (from Wednesdays elsewhere)',
    );
    // The same product on its own Saturday keeps its weekday's words.
    const saturday: PrepListExplanation = {
      ...oneOff,
      effects: [{ name: 'weekday-season', units: 3.8, percent: 9.6, support: 101 }],
    };
    expect(explanationParts(saturday, { date: '2026-12-19' }).map((p) => p.label)).toEqual([
      'Typical Saturday',
      'Weekday and season',
    ]);
  });

  it('formats sizes: one decimal below 10, a real minus sign', () => {
    expect(formatUnits(3.527)).toBe('3.5');
    expect(formatUnits(38.4)).toBe('38');
    expect(formatUnits(-0.29)).toBe('−0.3');
    expect(formatUnits(4)).toBe('4');
    expect(formatSignedPercent(-15.4)).toBe('−15%');
    expect(formatSignedPercent(0.4)).toBe('0%');
    expect(formatSignedPercent(10.6)).toBe('+11%');
  });
});
