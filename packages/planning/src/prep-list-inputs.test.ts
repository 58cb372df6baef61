import type { DemandProductRow, DemandWeatherRow } from '@marketprep/db';
import { describe, expect, it } from 'vitest';
import { holidayFlagsOn, holidayLabel } from './holidays';
import { localTime, zonedInstant } from './local-time';
import {
  buildTrainingInputs,
  chooseWeather,
  productEconomics,
  scheduleOn,
  weatherColumns,
} from './prep-list-inputs';

const weatherRow = (over: Partial<DemandWeatherRow>): DemandWeatherRow => ({
  marketId: 'm',
  date: '2026-11-28',
  kind: 'FORECAST',
  fetchedAt: new Date('2026-11-27T00:00:00Z'),
  tempMeanC: null,
  tempMaxC: 10,
  tempMinC: 2,
  precipMm: 1.5,
  precipProb: 0.6,
  sunshineHours: null,
  windKph: 12,
  cloudCoverPct: null,
  humidityPct: null,
  ...over,
});

describe('scheduleOn', () => {
  const market = {
    schedule: [
      { weekday: 5, opensAt: '07:30', closesAt: '12:30', seasonFrom: '05-01', seasonTo: '10-31' },
      { weekday: 5, opensAt: '09:00', closesAt: '13:00', seasonFrom: '11-01', seasonTo: '04-30' },
      { weekday: 2, opensAt: '15:00', closesAt: '19:00', seasonFrom: null, seasonTo: null },
    ],
  };
  it('matches weekday and season, including a season that wraps over New Year', () => {
    expect(scheduleOn(market, '2026-11-28')?.opensAt).toBe('09:00'); // Saturday, winter
    expect(scheduleOn(market, '2027-01-02')?.opensAt).toBe('09:00'); // Saturday after New Year
    expect(scheduleOn(market, '2026-06-06')?.opensAt).toBe('07:30'); // Saturday, summer
    expect(scheduleOn(market, '2026-11-25')?.opensAt).toBe('15:00'); // Wednesday, all year
    expect(scheduleOn(market, '2026-11-27')).toBeUndefined(); // Friday
  });
});

describe('time zones', () => {
  it('converts local times to instants and back across a DST change', () => {
    // Chicago: CDT (UTC-5) until 2026-11-01, CST (UTC-6) after.
    expect(zonedInstant('2026-10-31', '09:00', 'America/Chicago').toISOString()).toBe(
      '2026-10-31T14:00:00.000Z',
    );
    expect(zonedInstant('2026-11-07', '09:00', 'America/Chicago').toISOString()).toBe(
      '2026-11-07T15:00:00.000Z',
    );
    expect(localTime(new Date('2026-11-07T15:00:00Z'), 'America/Chicago')).toBe('09:00');
    expect(localTime(new Date('2026-06-06T23:30:00Z'), 'Asia/Tokyo')).toBe('08:30');
  });
});

describe('weather', () => {
  it('prefers the latest observation, else the latest forecast', () => {
    const old = weatherRow({ fetchedAt: new Date('2026-11-20T00:00:00Z'), precipMm: 9 });
    const latest = weatherRow({ fetchedAt: new Date('2026-11-27T00:00:00Z'), precipMm: 1 });
    expect(chooseWeather([latest, old]).get('m|2026-11-28')).toBe(latest);
    const observed = weatherRow({ kind: 'OBSERVED', fetchedAt: new Date('2026-11-01T00:00:00Z') });
    expect(chooseWeather([latest, observed, old]).get('m|2026-11-28')).toBe(observed);
  });

  it("maps stored columns to the engine's names, mean temperature from max and min", () => {
    expect(weatherColumns(weatherRow({}))).toEqual({
      temp_c: 6,
      precip_mm: 1.5,
      precip_prob: 0.6,
      wind: 12,
    });
  });
});

describe('holidays', () => {
  it('flags public holidays of the country and region, nothing for an unknown country', () => {
    expect(holidayFlagsOn({ countryCode: 'US', regionCode: 'IL', date: '2026-11-26' })).toEqual({
      is_holiday: true,
      thanksgiving_day: true,
    });
    expect(holidayFlagsOn({ countryCode: 'US', regionCode: 'US-IL', date: '2026-03-02' })).toEqual({
      is_holiday: true,
    });
    expect(holidayFlagsOn({ countryCode: 'US', regionCode: null, date: '2026-06-13' })).toEqual({});
    expect(holidayFlagsOn({ countryCode: 'XX', regionCode: null, date: '2026-12-25' })).toEqual({});
  });

  it('flags the windows of the holidays and observances vendors live by', () => {
    const flags = (date: string, countryCode = 'US') =>
      Object.keys(holidayFlagsOn({ countryCode, regionCode: 'IL', date }));
    expect(flags('2026-02-14')).toEqual(['valentines_day']); // an observance in date-holidays
    expect(flags('2026-04-04')).toEqual(['easter']); // Easter Saturday
    expect(flags('2026-05-09')).toEqual(['mothers_day']); // the Saturday before
    expect(flags('2026-06-20')).toEqual(['fathers_day']);
    expect(flags('2026-10-31')).toEqual(['halloween']);
    expect(flags('2026-11-21')).toEqual(['thanksgiving_week']);
    expect(flags('2026-11-27')).toEqual(['thanksgiving_weekend']); // the Friday after
    expect(flags('2026-12-19')).toEqual(['christmas_week']); // the Saturday before Christmas Eve
    expect(flags('2026-12-18')).toEqual(['christmas_week']);
    expect(flags('2026-12-17')).toEqual([]);
    expect(flags('2026-12-26')).toEqual(['new_year_week']);
    expect(flags('2027-01-01').sort()).toEqual(['is_holiday', 'new_year_week']);
    // Another country's calendar: Mothering Sunday in the UK is three weeks before Easter.
    expect(flags('2026-03-14', 'GB')).toEqual(['mothers_day']);
    expect(holidayLabel('christmas_week').label).toBe('Christmas week');
  });
});

describe('buildTrainingInputs', () => {
  it('turns check-ins into censoring fields and cancelled days into closed flags', () => {
    const inputs = buildTrainingInputs({
      markets: [{ id: 'm', timezone: 'America/Chicago', countryCode: 'US', regionCode: 'IL' }],
      products: [
        {
          id: 'p',
          name: 'Loaf',
          unit: 'loaf',
          category: 'bread',
          priceMinor: 700,
          unitCostMinor: 200,
          salvageValueMinor: 100,
          expectedDailyUnits: null,
          active: true,
          season: null,
        },
      ],
      sales: [
        {
          marketId: 'm',
          productId: 'p',
          date: '2026-11-21',
          quantity: 30,
          brought: 30,
          soldOutAt: new Date('2026-11-21T16:30:00Z'),
          opensAt: new Date('2026-11-21T15:00:00Z'),
          closesAt: new Date('2026-11-21T19:00:00Z'),
        },
      ],
      weather: [weatherRow({ date: '2026-11-21', kind: 'OBSERVED' })],
      events: [{ marketId: null, date: '2026-11-21', name: 'Parade', expectedAttendance: 5000 }],
      cancelledDays: [{ marketId: 'm', date: '2026-11-14' }],
    });
    expect(inputs.sales).toEqual([
      {
        date: '2026-11-21',
        market: 'm',
        product: 'p',
        quantity: 30,
        brought: 30,
        soldOutAt: '10:30',
        opensAt: '09:00',
        closesAt: '13:00',
      },
    ]);
    const byDate = new Map(inputs.covariates.map((c) => [c.date, c]));
    expect(byDate.get('2026-11-21')?.events).toEqual([{ name: 'Parade', attendance: 5000 }]);
    expect(byDate.get('2026-11-21')?.weather?.temp_c).toBe(6);
    expect(byDate.get('2026-11-14')?.flags).toEqual({ is_closed: true });
    expect(inputs.products).toEqual([
      { product: 'p', price: 700, unitCost: 200, salvageValue: 100, category: 'bread' },
    ]);
  });
});

describe('buildTrainingInputs with pre-orders', () => {
  const sale = (date: string, quantity: number, brought: number | null) => ({
    marketId: 'm',
    productId: 'p',
    date,
    quantity,
    brought,
    soldOutAt: null,
    opensAt: null,
    closesAt: null,
  });
  const history = (preOrders: Parameters<typeof buildTrainingInputs>[0]['preOrders']) =>
    buildTrainingInputs({
      markets: [{ id: 'm', timezone: 'America/Chicago', countryCode: 'US', regionCode: 'IL' }],
      products: [],
      sales: [sale('2026-11-07', 30, 40), sale('2026-11-14', 28, null), sale('2026-11-21', 4, 12)],
      weather: [],
      events: [],
      cancelledDays: [],
      preOrders,
    });

  it('trains on walk-up sales: each pickup leaves what was sold and brought', () => {
    const inputs = history([
      // A standing order of 10 every Saturday from Nov 14; a one-off of 6 on Nov 21.
      {
        marketId: 'm',
        productId: 'p',
        quantity: 10,
        repeat: 'weekly',
        firstDate: '2026-11-14',
        untilDate: null,
        missedPickups: [],
      },
      {
        marketId: 'm',
        productId: 'p',
        quantity: 6,
        repeat: 'once',
        firstDate: '2026-11-21',
        untilDate: null,
        missedPickups: [],
      },
    ]);
    expect(inputs.sales.map((s) => [s.date, s.quantity, s.brought])).toEqual([
      ['2026-11-07', 30, 40],
      ['2026-11-14', 18, undefined],
      // More pre-ordered than recorded as sold: never below zero.
      ['2026-11-21', 0, 0],
    ]);
  });

  it('takes out only the pickups that happened: a missed one was never sold', () => {
    const order = {
      marketId: 'm',
      productId: 'p',
      quantity: 10,
      repeat: 'weekly' as const,
      firstDate: '2026-11-07',
      untilDate: null,
    };
    // The customer did not come on Nov 14: its 10 stayed out of Sold (left over), so the walk-up
    // sales that day are all 28 sold, and 28 of the units brought were for walk-ups.
    const inputs = history([{ ...order, missedPickups: ['2026-11-14'] }]);
    expect(inputs.sales.map((s) => [s.date, s.quantity, s.brought])).toEqual([
      ['2026-11-07', 20, 30],
      ['2026-11-14', 28, undefined],
      ['2026-11-21', 0, 2],
    ]);
  });

  it('leaves sales alone without pre-orders, or for another product', () => {
    const none = history(undefined);
    const other = history([
      {
        marketId: 'm',
        productId: 'q',
        quantity: 10,
        repeat: 'weekly',
        firstDate: '2026-11-07',
        untilDate: null,
        missedPickups: [],
      },
    ]);
    expect(other.sales).toEqual(none.sales);
    expect(none.sales.map((s) => s.quantity)).toEqual([30, 28, 4]);
  });
});

describe('productEconomics', () => {
  const product = (over: Partial<DemandProductRow>): DemandProductRow => ({
    id: 'p',
    name: 'Strawberries',
    unit: 'quart',
    category: 'Produce',
    priceMinor: 800,
    unitCostMinor: 300,
    salvageValueMinor: 0,
    expectedDailyUnits: 12,
    active: true,
    season: null,
    ...over,
  });

  it('leaves the season out when the owner set none, so the engine learns it', () => {
    expect(productEconomics(product({}))).toEqual({
      product: 'p',
      price: 800,
      unitCost: 300,
      salvageValue: 0,
      category: 'Produce',
      expectedQuantity: 12,
    });
  });

  it('leaves out a price or a cost of 0 (not entered yet), so the engine packs it like the others', () => {
    // An import or a product added without its cost: as a cost of 0 it would cover 95% of demand.
    const uncosted = productEconomics(product({ unitCostMinor: 0, salvageValueMinor: 100 }));
    expect(uncosted).not.toHaveProperty('unitCost');
    expect(uncosted).toMatchObject({ price: 800, salvageValue: 100 });
    const unpriced = productEconomics(product({ priceMinor: 0 }));
    expect(unpriced).not.toHaveProperty('price');
    expect(unpriced.unitCost).toBe(300);
  });

  it.each([
    ['in-season months', { mode: 'months', months: [6, 7] }, { mode: 'months', months: [6, 7] }],
    [
      'months, a range over New Year and a market it never goes to',
      {
        mode: 'months',
        months: [7],
        ranges: [{ from: '12-01', to: '01-06' }],
        excludedMarkets: ['m2'],
      },
      {
        mode: 'months',
        months: [7],
        ranges: [{ from: '12-01', to: '01-06' }],
        excludedMarkets: ['m2'],
      },
    ],
    ['all year', { mode: 'always' }, { mode: 'always' }],
    [
      'learned, but not at one market',
      { mode: 'learned', excludedMarkets: ['m2'] },
      { mode: 'learned', excludedMarkets: ['m2'] },
    ],
    [
      'empty lists (left out)',
      { mode: 'always', months: [], excludedMarkets: [] },
      { mode: 'always' },
    ],
  ] as const)("passes the owner's %s on as the season", (_label, season, expected) => {
    const economics = productEconomics(
      product({ season: structuredClone(season) as DemandProductRow['season'] }),
    );
    expect(economics.season).toEqual(expected);
    expect(economics.price).toBe(800);
  });

  it('gives every product of a training set its own season', () => {
    const inputs = buildTrainingInputs({
      markets: [],
      products: [
        product({ id: 'corn', season: { mode: 'months', months: [7, 8, 9] } }),
        product({ id: 'bread', season: null }),
      ],
      sales: [],
      weather: [],
      events: [],
      cancelledDays: [],
    });
    expect(inputs.products.map((p) => [p.product, p.season])).toEqual([
      ['corn', { mode: 'months', months: [7, 8, 9] }],
      ['bread', undefined],
    ]);
  });
});
