import { describe, expect, it } from 'vitest';
import {
  INPUT_HEALTH_THRESHOLDS as T,
  assessInputHealth,
  combineInputHealth,
  salesRhythm,
  type InputHealthFacts,
  type SalesMarketCalendar,
} from './input-health';

const H = 3_600_000;
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** Weekly sale dates ending at `last`. */
const weekly = (last: string, count = 10) =>
  Array.from({ length: count }, (_, i) => addDays(last, -7 * (count - 1 - i)));

/** A healthy list: weekly Saturday seller, synced an hour ago, fresh NWS forecast. */
function facts(today: string, overrides: Partial<InputHealthFacts> = {}): InputHealthFacts {
  const now = new Date(`${today}T15:00:00Z`);
  const latest = addDays(today, -1);
  return {
    now,
    today,
    date: addDays(today, 2),
    sales: {
      square: { active: true, lastSyncedAt: new Date(now.getTime() - H) },
      lastImportAt: null,
      latestSalesDate: latest,
      recentSaleDates: weekly(latest),
      markets: [],
    },
    weather: { provider: 'NWS', kind: 'FORECAST', fetchedAt: new Date(now.getTime() - 2 * H) },
    events: { lastLookupAt: new Date(now.getTime() - 5 * H), onDay: 1 },
    model: { trainedThrough: latest },
    lines: [
      { productName: 'Sourdough', modelRung: 'pooled', dataSufficiency: 'rich' },
      { productName: 'Rye', modelRung: 'pooled', dataSufficiency: 'some' },
      { productName: 'Scones', modelRung: 'pooled', dataSufficiency: 'rich' },
    ],
    ...overrides,
  };
}

const reason = (f: InputHealthFacts, input: string) =>
  assessInputHealth(f).reasons.find((r) => r.input === input);

// A vendor's year, not one date: season start, Mother's Day week, DST change, Christmas, New Year.
const TODAYS = ['2026-04-04', '2026-05-07', '2026-11-01', '2026-12-21', '2027-01-01'];

describe('assessInputHealth', () => {
  it.each(TODAYS)('is good with fresh inputs (%s)', (today) => {
    const health = assessInputHealth(facts(today));
    expect(health.verdict).toBe('good');
    expect(health.summary).toBeNull();
    expect(health.reasons.map((r) => r.input)).toEqual([
      'sales',
      'weather',
      'events',
      'model',
      'products',
    ]);
    expect(reason(facts(today), 'weather')?.text).toBe(
      'Weather: NWS (National Weather Service) forecast, fetched 2 h ago.',
    );
  });

  it.each(TODAYS)('sales late against the weekly rhythm at the edges (%s)', (today) => {
    const at = (since: number) => {
      const latest = addDays(today, -since);
      return facts(today, {
        sales: {
          square: null,
          lastImportAt: new Date(`${latest}T20:00:00Z`),
          latestSalesDate: latest,
          recentSaleDates: weekly(latest),
          markets: [],
        },
        model: { trainedThrough: latest },
      });
    };
    // No schedule known, so every day counts: 6 days usually pass without sales. Good through 6
    // + 1 missed days (8 since the last sale), check from 9, stale past 3 x 7 + 1 = 22 missed (23).
    expect(reason(at(8), 'sales')?.status).toBe('good');
    expect(reason(at(9), 'sales')?.status).toBe('check');
    expect(reason(at(9), 'sales')?.text).toContain(
      '9 days without sales while you usually sell every 7 days',
    );
    expect(reason(at(23), 'sales')?.status).toBe('check');
    expect(reason(at(24), 'sales')?.status).toBe('stale');
    expect(assessInputHealth(at(24)).verdict).toBe('stale');
  });

  it('a vendor selling three times a week is late sooner', () => {
    const today = '2026-06-16';
    const dates = Array.from({ length: 30 }, (_, i) => addDays('2026-04-01', Math.floor(i * 2.33)));
    const latest = dates.at(-1) as string;
    expect(salesRhythm(dates, [])).toEqual({ usualMissed: 1, scheduled: false });
    const health = facts(today, {
      sales: {
        square: null,
        lastImportAt: null,
        latestSalesDate: latest,
        recentSaleDates: dates,
        markets: [],
      },
    });
    // Last sale Jun 7, 8 days missed since: stale for a 2-day rhythm (past 3 x 2 + 1 = 7).
    expect(latest).toBe('2026-06-07');
    expect(reason(health, 'sales')?.status).toBe('stale');
    expect(reason(health, 'sales')?.text).toContain('sales entered by check-ins only');
  });

  describe('sales rhythm in scheduled market days', () => {
    // Saturday all year; Tuesday and Thursday markets May-Oct: three markets a week in summer,
    // one in winter (the demo vendor's calendar).
    const opening = (weekday: number, seasonFrom: string | null, seasonTo: string | null) => ({
      weekday,
      seasonFrom,
      seasonTo,
    });
    const calendar: SalesMarketCalendar[] = [
      { schedule: [opening(5, null, null)], storedDays: [], archivedOn: null },
      { schedule: [opening(1, '05-01', '10-31')], storedDays: [], archivedOn: null },
      { schedule: [opening(3, '05-01', '10-31')], storedDays: [], archivedOn: null },
    ];
    const isOpen = (date: string) => {
      const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
      const summer = date.slice(5) >= '05-01' && date.slice(5) <= '10-31';
      return weekday === 5 || (summer && (weekday === 1 || weekday === 3));
    };
    /** A sale on every market day from Jun 1 through `last`. */
    const soldEveryMarketDay = (last: string) => {
      const dates: string[] = [];
      for (let d = '2026-06-01'; d <= last; d = addDays(d, 1)) if (isOpen(d)) dates.push(d);
      return dates;
    };
    const at = (today: string, last: string, markets = calendar) =>
      facts(today, {
        sales: {
          square: null,
          lastImportAt: new Date(`${last}T20:00:00Z`),
          latestSalesDate: last,
          recentSaleDates: soldEveryMarketDay(last).filter((d) => d >= addDays(last, -119)),
          markets,
        },
        model: { trainedThrough: last },
      });

    it('the usual rhythm is every market day, summer and winter alike', () => {
      expect(salesRhythm(soldEveryMarketDay('2026-11-28'), calendar)).toEqual({
        usualMissed: 0,
        scheduled: true,
      });
      // Without the calendar the summer's three markets a week read as a 2-day rhythm.
      expect(salesRhythm(soldEveryMarketDay('2026-11-28'), []).usualMissed).toBe(1);
    });

    it('a winter week of one market is not late (the December false alarm)', () => {
      // Last sale Sat Nov 28; Fri Dec 4 is 6 days later with no market day between.
      expect(reason(at('2026-12-04', '2026-11-28'), 'sales')).toEqual({
        input: 'sales',
        status: 'good',
        text: 'Sales: last sale Nov 28, last CSV import 6 days ago (you usually sell on every market day).',
      });
      // Counted in calendar days the same facts were late.
      expect(reason(at('2026-12-04', '2026-11-28', []), 'sales')?.status).toBe('check');
      // Sun Dec 6: Sat Dec 5 missed, within the grace of one market day.
      expect(reason(at('2026-12-06', '2026-11-28'), 'sales')?.status).toBe('good');
      // Sun Dec 13: two Saturdays missed.
      expect(reason(at('2026-12-13', '2026-11-28'), 'sales')?.status).toBe('check');
      expect(reason(at('2026-12-13', '2026-11-28'), 'sales')?.text).toContain(
        'That is 2 market days without sales (Sat, Dec 5; Sat, Dec 12) while you usually sell on every market day',
      );
      // Stale past 3 x 1 + 1 = 4 missed market days: Dec 27 has 4, Jan 3 (next year) has 5.
      expect(reason(at('2026-12-27', '2026-11-28'), 'sales')?.status).toBe('check');
      expect(reason(at('2027-01-03', '2026-11-28'), 'sales')?.status).toBe('stale');
      expect(reason(at('2027-01-03', '2026-11-28'), 'sales')?.text).toContain(
        'more than 4 market days without sales',
      );
    });

    it('a closure is not a missed market day, an extra stored day is', () => {
      const withDays = (storedDays: SalesMarketCalendar['storedDays']) =>
        calendar.map((m, i) => (i === 0 ? { ...m, storedDays } : m));
      const cancelled = withDays([{ date: '2026-12-12', status: 'CANCELLED' }]);
      expect(reason(at('2026-12-13', '2026-11-28', cancelled), 'sales')?.status).toBe('good');
      const extra = withDays([{ date: '2026-12-09', status: 'SCHEDULED' }]);
      expect(reason(at('2026-12-10', '2026-11-28', extra), 'sales')?.status).toBe('check');
    });

    it('summer: three markets a week, late after two missed', () => {
      // Sun Jul 12: last sale Thu Jul 9 misses Sat Jul 11 only; Tue Jul 7 misses Thu and Sat.
      expect(reason(at('2026-07-12', '2026-07-09'), 'sales')?.status).toBe('good');
      expect(reason(at('2026-07-12', '2026-07-07'), 'sales')?.status).toBe('check');
      expect(reason(at('2026-07-12', '2026-07-07'), 'sales')?.text).toContain(
        '2 market days without sales (Thu, Jul 9; Sat, Jul 11)',
      );
    });

    it('a market that just ended its season, or was archived, is not missed', () => {
      // Tue/Thu markets ended Sat Oct 31; Sat Nov 7 (today, left out) is the next market day.
      expect(reason(at('2026-11-07', '2026-10-31'), 'sales')?.status).toBe('good');
      const wednesday = { schedule: [opening(2, null, null)], storedDays: [] };
      const archived = [...calendar, { ...wednesday, archivedOn: '2026-11-01' }];
      expect(reason(at('2026-11-07', '2026-10-31', archived), 'sales')?.status).toBe('good');
      // The same Wednesday market still trading: Wed Nov 4 counts, within the grace.
      const trading = [...calendar, { ...wednesday, archivedOn: null }];
      expect(reason(at('2026-11-07', '2026-10-31', trading), 'sales')?.status).toBe('good');
      // ...and with Sat Nov 7 over too (Sun Nov 8) two are missed.
      expect(reason(at('2026-11-08', '2026-10-31', trading), 'sales')?.status).toBe('check');
      expect(reason(at('2026-11-08', '2026-10-31', archived), 'sales')?.status).toBe('good');
    });
  });

  it('Square sync age at its edges', () => {
    const today = '2026-07-15';
    const synced = (hours: number) => {
      const base = facts(today);
      return facts(today, {
        sales: {
          ...base.sales,
          square: { active: true, lastSyncedAt: new Date(base.now.getTime() - hours * H) },
        },
      });
    };
    expect(reason(synced(T.squareSyncCheckHours), 'sales')?.status).toBe('good');
    expect(reason(synced(T.squareSyncCheckHours + 1), 'sales')?.status).toBe('check');
    expect(reason(synced(T.squareSyncStaleHours), 'sales')?.status).toBe('check');
    expect(reason(synced(T.squareSyncStaleHours + 1), 'sales')?.text).toContain(
      'Square synced 3 days ago',
    );
    expect(reason(synced(T.squareSyncStaleHours + 1), 'sales')?.status).toBe('stale');
    const base = facts(today);
    const broken = facts(today, {
      sales: { ...base.sales, square: { active: false, lastSyncedAt: base.now } },
    });
    expect(reason(broken, 'sales')).toMatchObject({ status: 'check' });
    expect(reason(broken, 'sales')?.text).toContain('Square connection needs attention');
  });

  it('no sales at all is a check', () => {
    const base = facts('2026-03-01');
    const f = facts('2026-03-01', {
      sales: { ...base.sales, square: null, latestSalesDate: null, recentSaleDates: [] },
    });
    expect(reason(f, 'sales')).toMatchObject({ status: 'check' });
  });

  it('weather: climatology within the horizon is a check, beyond it is expected', () => {
    const today = '2026-12-21';
    const base = facts(today);
    const clim = {
      provider: 'CLIMATOLOGY' as const,
      kind: 'FORECAST' as const,
      fetchedAt: base.now,
    };
    const near = facts(today, { weather: clim });
    expect(assessInputHealth(near).verdict).toBe('check');
    expect(reason(near, 'weather')?.text).toContain('climatology');
    expect(reason(near, 'weather')?.text).toContain('did not answer');
    const far = facts(today, { weather: clim, date: addDays(today, T.weatherHorizonDays + 1) });
    expect(reason(far, 'weather')?.status).toBe('good');
    const edge = facts(today, { weather: null, date: addDays(today, T.weatherHorizonDays) });
    expect(reason(edge, 'weather')?.status).toBe('check');
    const beyond = facts(today, { weather: null, date: addDays(today, T.weatherHorizonDays + 1) });
    expect(reason(beyond, 'weather')?.status).toBe('good');
  });

  it('weather: a stale cache says its age, check then stale', () => {
    const today = '2026-11-01';
    const base = facts(today);
    const aged = (hours: number) =>
      facts(today, {
        weather: {
          provider: 'OPEN_METEO',
          kind: 'FORECAST',
          fetchedAt: new Date(base.now.getTime() - hours * H),
        },
      });
    expect(reason(aged(T.weatherCacheCheckHours), 'weather')?.status).toBe('good');
    expect(reason(aged(T.weatherCacheCheckHours + 1), 'weather')).toEqual({
      input: 'weather',
      status: 'check',
      text: 'Weather: a stale cached forecast from Open-Meteo, 13 h old (the forecast services did not answer since).',
    });
    expect(reason(aged(T.weatherCacheStaleHours), 'weather')?.status).toBe('check');
    expect(reason(aged(T.weatherCacheStaleHours + 1), 'weather')?.status).toBe('stale');
    // A past day's observed weather is never stale.
    const observed = facts(today, {
      weather: { provider: 'OPEN_METEO', kind: 'OBSERVED', fetchedAt: new Date(0) },
    });
    expect(reason(observed, 'weather')?.status).toBe('good');
  });

  it('events: never looked up, or not for days, is a check', () => {
    const today = '2026-05-07';
    const base = facts(today);
    const looked = (days: number | null) =>
      facts(today, {
        events: {
          lastLookupAt: days === null ? null : new Date(base.now.getTime() - days * 24 * H),
          onDay: 0,
        },
      });
    expect(reason(looked(null), 'events')).toMatchObject({ status: 'check' });
    expect(reason(looked(null), 'events')?.text).toContain('no event listings available');
    expect(reason(looked(T.eventsCheckDays), 'events')?.status).toBe('good');
    expect(reason(looked(T.eventsCheckDays + 0.1), 'events')?.status).toBe('check');
    const far = facts(today, {
      date: addDays(today, T.eventsHorizonDays + 1),
      events: { lastLookupAt: null, onDay: 0 },
    });
    expect(reason(far, 'events')?.status).toBe('good');
  });

  it('model: untrained or lagging names the date', () => {
    const today = '2026-04-04';
    const latest = addDays(today, -1);
    expect(reason(facts(today, { model: null }), 'model')?.status).toBe('check');
    const lag = (days: number) =>
      facts(today, { model: { trainedThrough: addDays(latest, -days) } });
    expect(reason(lag(T.modelLagCheckDays), 'model')?.status).toBe('good');
    expect(reason(lag(T.modelLagCheckDays + 1), 'model')).toEqual({
      input: 'model',
      status: 'check',
      text: 'Model: trained through Mar 26, 8 days behind your sales (it retrains on the next recompute).',
    });
  });

  it('products on a guess: named, a check from a third of those in season', () => {
    const today = '2026-12-21';
    const line = (productName: string, modelRung: string, dataSufficiency = 'rich') => ({
      productName,
      modelRung,
      dataSufficiency,
    });
    const two = facts(today, {
      lines: [
        line('Jam', 'cold-start', 'none'),
        line('Pie', 'thin', 'thin'),
        line('A', 'pooled'),
        line('B', 'pooled'),
        line('C', 'pooled'),
        line('D', 'pooled'),
        line('Corn', 'out-of-season'),
      ],
    });
    // 2 of 6 in season = exactly a third: check.
    expect(reason(two, 'products')).toEqual({
      input: 'products',
      status: 'check',
      text: 'Products: 2 of 6 on a guess (no history: Jam; thin data: Pie).',
    });
    const one = facts(today, { lines: two.lines.filter((l) => l.productName !== 'Pie') });
    expect(reason(one, 'products')?.status).toBe('good');
    expect(reason(one, 'products')?.text).toBe('Products: 1 of 5 on a guess (no history: Jam).');
  });

  it('the verdict is the worst reason and the summary joins the others', () => {
    const today = '2026-11-01';
    const base = facts(today);
    const f = facts(today, {
      weather: { provider: 'CLIMATOLOGY', kind: 'FORECAST', fetchedAt: base.now },
      events: { lastLookupAt: null, onDay: 0 },
    });
    const health = assessInputHealth(f);
    expect(health.verdict).toBe('check');
    expect(health.summary).toContain('Weather: climatology');
    expect(health.summary).toContain('Events: no event listings');
    expect(health.summary).not.toContain('Sales:');
  });
});

describe('combineInputHealth', () => {
  it('the worst verdict, each off reason once with the lists it holds for', () => {
    const today = '2026-12-10';
    const good = assessInputHealth(facts(today));
    const base = facts(today);
    const climatology = assessInputHealth(
      facts(today, { weather: { provider: 'CLIMATOLOGY', kind: 'FORECAST', fetchedAt: base.now } }),
    );
    const stale = assessInputHealth(
      facts(today, {
        weather: { provider: 'CLIMATOLOGY', kind: 'FORECAST', fetchedAt: base.now },
        sales: {
          ...base.sales,
          square: { active: true, lastSyncedAt: new Date(base.now.getTime() - 80 * H) },
        },
      }),
    );
    const week = combineInputHealth([
      { label: 'Sat, Dec 12 at Riverside', health: climatology },
      { label: 'Sun, Dec 13 at Maple', health: stale },
      { label: 'Wed, Dec 16 at Riverside', health: good },
    ]);
    expect(week.verdict).toBe('stale');
    expect(week.reasons.map((r) => [r.input, r.status])).toEqual([
      ['weather', 'check'],
      ['sales', 'stale'],
    ]);
    expect(week.reasons[0]?.text).toBe(
      'Sat, Dec 12 at Riverside; Sun, Dec 13 at Maple: Weather: climatology (the usual weather of this date at this market): the forecast services did not answer.',
    );
    expect(week.reasons[1]?.text).toMatch(
      /^Sun, Dec 13 at Maple: Sales: .*Square synced 3 days ago/,
    );
    expect(week.summary).toBe(week.reasons.map((r) => r.text).join(' '));
    expect(combineInputHealth([{ label: 'x', health: good }])).toEqual({
      verdict: 'good',
      summary: null,
      reasons: [],
    });
    expect(combineInputHealth([]).verdict).toBe('good');
  });
});
