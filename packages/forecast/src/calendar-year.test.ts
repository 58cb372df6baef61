import { describe, expect, it } from 'vitest';
import { addDays, toDayNumber, weekdayOfDay } from './calendar-dates';
import { predictDemand } from './predict';
import { createRandom } from './testing/synthetic-vendor';
import { trainDemandModel } from './train';
import type { MarketDayCovariates, PrepForecast, SalesObservation } from './types';

// A vendor's year as the fixture (STYLE.md #18): two years of Saturdays at a year-round market
// ("city") and a smaller one ("village"), with bread every week, berries only in July and August,
// a Christmas week that sells more bread, and a market closed on a holiday.
const random = createRandom(42);
const START = '2023-01-07'; // a Saturday
const SATURDAYS = Array.from({ length: 104 }, (_, i) => addDays(START, 7 * i));
const LAST = SATURDAYS[SATURDAYS.length - 1] ?? START;

const month = (date: string) => Number(date.slice(5, 7));
const isChristmasWeek = (date: string) => date.slice(5) >= '12-18' && date.slice(5) <= '12-24';
// A Saturday holiday the market never opens on (in both past years, and next year).
const CLOSED_HOLIDAYS = ['2023-07-01', '2024-06-29', '2025-06-28'];
const isClosedHoliday = (date: string) => CLOSED_HOLIDAYS.includes(date);
const noise = () => Math.exp(0.12 * (random() + random() + random() - 1.5));

function salesOf(market: string, size: number): SalesObservation[] {
  const rows: SalesObservation[] = [];
  for (const date of SATURDAYS) {
    if (isClosedHoliday(date)) {
      rows.push({ date, market, product: 'bread', quantity: 0 });
      continue;
    }
    const holiday = isChristmasWeek(date) ? 1.4 : 1;
    rows.push({
      date,
      market,
      product: 'bread',
      quantity: Math.round(40 * size * holiday * noise()),
    });
    const m = month(date);
    if (m === 7 || m === 8) {
      // The first two weeks of the season are small (the crop comes in).
      const firstWeeks = date.slice(5) < '07-15' ? 0.4 : 1;
      rows.push({
        date,
        market,
        product: 'berries',
        quantity: Math.round(30 * size * firstWeeks * noise()),
      });
    }
  }
  return rows;
}

const sales = [...salesOf('city', 1), ...salesOf('village', 0.5)];
const flagsOn = (date: string): Record<string, boolean> => ({
  ...(isChristmasWeek(date) ? { christmas_week: true } : {}),
  ...(isClosedHoliday(date) ? { canada_day: true } : {}),
});
const covariates: MarketDayCovariates[] = ['city', 'village'].flatMap((market) =>
  SATURDAYS.map((date) => ({ date, market, flags: flagsOn(date) })),
);
const model = trainDemandModel({ sales, covariates });

function forecast(
  date: string,
  product: string,
  market = 'city',
  extra: Partial<Parameters<typeof predictDemand>[0]> = {},
): PrepForecast {
  const result = predictDemand({
    model,
    requests: [{ date, market, product }],
    covariates: [{ date, market, flags: flagsOn(date) }],
    ...extra,
  })[0];
  if (!result) throw new Error('no forecast');
  return result;
}

const sumOfParts = (f: PrepForecast) =>
  f.explanation.effects.reduce((sum, e) => sum + e.units, f.explanation.baseline);

describe('seasons: a product is brought only in the weeks it sells', () => {
  it('a July-August product gets 0 in December (with the reason) and a quantity in July', () => {
    const december = forecast('2025-12-06', 'berries');
    expect(december.rung).toBe('out-of-season');
    expect(december.recommendedQuantity).toBe(0);
    expect(december.expectedSold).toBe(0);
    expect(december.expectedRevenue ?? 0).toBe(0);
    expect(december.availability).toMatchObject({
      inSeason: false,
      source: 'learned',
      lastSoldOn: '2024-08-31',
      usualMonths: [7, 8],
    });

    const july = forecast('2025-07-26', 'berries');
    expect(july.rung).not.toBe('out-of-season');
    expect(july.availability.inSeason).toBe(true);
    expect(july.recommendedQuantity).toBeGreaterThan(15);
    // Bread is year-round: in season in December and July alike.
    expect(forecast('2025-12-06', 'bread').availability.inSeason).toBe(true);
  });

  it("the first weeks of a season follow last year's first weeks, not the end of last season", () => {
    const start = forecast('2025-07-05', 'berries');
    const mid = forecast('2025-07-26', 'berries');
    expect(start.availability.seasonStart).toBe(true);
    expect(mid.availability.seasonStart).toBe(true);
    // Last year: ~12 in the first two weeks, ~30 after.
    expect(start.p50).toBeLessThan(18);
    expect(mid.p50).toBeGreaterThan(22);
    const trend = start.explanation.effects.find((e) => e.name === 'trend');
    expect(trend?.names).toEqual(['season-start']);
    expect(sumOfParts(start)).toBeCloseTo(start.p50, 6);
  });

  it("the owner's setting wins: all year, only some months, not at this market", () => {
    const always = forecast('2025-12-06', 'berries', 'city', {
      products: [{ product: 'berries', season: { mode: 'always' } }],
    });
    expect(always.availability).toMatchObject({ inSeason: true, source: 'owner' });
    expect(always.recommendedQuantity).toBeGreaterThan(0);

    const months = { product: 'berries', season: { mode: 'months' as const, months: [6, 7] } };
    expect(forecast('2025-08-09', 'berries', 'city', { products: [months] }).rung).toBe(
      'out-of-season',
    );
    expect(
      forecast('2025-06-21', 'berries', 'city', { products: [months] }).recommendedQuantity,
    ).toBeGreaterThan(0);

    const notHere = {
      product: 'bread',
      season: { mode: 'learned' as const, excludedMarkets: ['village'] },
    };
    expect(
      forecast('2025-03-01', 'bread', 'village', { products: [notHere] }).recommendedQuantity,
    ).toBe(0);
    expect(
      forecast('2025-03-01', 'bread', 'city', { products: [notHere] }).recommendedQuantity,
    ).toBeGreaterThan(0);
  });

  it('a young product that stopped while the market kept trading is out of season; an old one keeps its season through a break', () => {
    // The stall keeps trading (honey every week); a rye introduced in June is not baked after
    // September, and the bread of two years pauses from October (a lockdown, a broken oven).
    const honey = SATURDAYS.map((date) => ({
      date,
      market: 'city',
      product: 'honey',
      quantity: 6,
    }));
    const rye = SATURDAYS.filter((date) => date >= '2024-06-01' && date <= '2024-09-28').map(
      (date) => ({ date, market: 'city', product: 'rye', quantity: 12 }),
    );
    const history = [...sales, ...honey, ...rye].filter(
      (s) => !(s.product === 'bread' && s.market === 'city' && s.date > '2024-10-01'),
    );
    const m = trainDemandModel({ sales: history, covariates });
    const date = addDays(LAST, 7);
    const [ryeForecast, breadForecast] = predictDemand({
      model: m,
      requests: [
        { date, market: 'city', product: 'rye' },
        { date, market: 'city', product: 'bread' },
      ],
    });
    expect(ryeForecast?.rung).toBe('out-of-season');
    expect(ryeForecast?.availability.lastSoldOn).toBe('2024-09-28');
    expect(breadForecast?.availability.inSeason).toBe(true);
    expect(breadForecast?.recommendedQuantity).toBeGreaterThan(0);
  });
});

describe('holidays: named windows with their own learned effect', () => {
  it('learns a holiday window from two past years and names it', () => {
    const saturdayBeforeChristmas = '2025-12-20';
    expect(weekdayOfDay(toDayNumber(saturdayBeforeChristmas))).toBe(5);
    const f = forecast(saturdayBeforeChristmas, 'bread');
    const holiday = f.explanation.effects.find((e) => e.name === 'holiday');
    expect(holiday?.names).toEqual(['christmas_week']);
    expect(holiday?.percent).toBeGreaterThan(20);
    expect(holiday?.support).toBe(2);
    const ordinary = forecast('2025-12-13', 'bread');
    expect(f.p50).toBeGreaterThan(ordinary.p50 * 1.2);
    // Effects still add up to the P50.
    expect(sumOfParts(f)).toBeCloseTo(f.p50, 6);
  });

  it("each product's holiday effect leans on the vendor's", () => {
    // A town fair on two dates lifts the city's bread by half and leaves the village's alone.
    const fairDays = ['2023-06-10', '2024-06-08'];
    const lifted = sales.map((s) =>
      fairDays.includes(s.date) && s.market === 'city' && s.product === 'bread'
        ? { ...s, quantity: Math.round(s.quantity * 1.5) }
        : s,
    );
    const flagged = covariates.map((c) =>
      fairDays.includes(c.date) ? { ...c, flags: { ...c.flags, town_fair: true } } : c,
    );
    const m = trainDemandModel({ sales: lifted, covariates: flagged });
    const date = '2025-06-14';
    const fairEffect = (market: string) =>
      predictDemand({
        model: m,
        requests: [{ date, market, product: 'bread' }],
        covariates: [{ date, market, flags: { town_fair: true } }],
      })[0]?.explanation.effects.find((e) => e.name === 'holiday')?.percent ?? 0;
    const city = fairEffect('city');
    const village = fairEffect('village');
    // Two days of its own are not the whole story: the city's +50% is shrunk toward the vendor's
    // (about +25%), and the village's 0 is pulled up toward it.
    expect(city).toBeGreaterThan(15);
    expect(city).toBeLessThan(45);
    expect(village).toBeGreaterThan(2);
    expect(village).toBeLessThan(city);
  });

  it('a holiday the market is closed on gives a closed-like day', () => {
    const f = forecast('2025-06-28', 'bread');
    expect(f.p50).toBe(0);
    expect(f.recommendedQuantity).toBe(0);
  });
});

describe('cold start: a new market starts from what the vendor knows', () => {
  it("scales a new market from the vendor's smallest market by default", () => {
    const f = forecast('2025-03-01', 'bread', 'new-market');
    const village = forecast('2025-03-01', 'bread', 'village');
    const city = forecast('2025-03-01', 'bread', 'city');
    expect(f.rung).toBe('cold-start');
    expect(f.explanation.basis).toMatchObject({ kind: 'other-market', market: 'village' });
    expect(f.p50).toBeGreaterThan(village.p50 * 0.7);
    expect(f.p50).toBeLessThan(village.p50 * 1.3);
    expect(f.p50).toBeLessThan(city.p50 * 0.75);
    // A guess never sends the vendor with more than the top of its range.
    expect(f.recommendedQuantity).toBeLessThanOrEqual(Math.ceil(f.p90));
  });

  it("or from the owner's size: about half of the city market", () => {
    const f = forecast('2025-03-01', 'bread', 'new-market', {
      marketScales: { 'new-market': { reference: 'city', scale: 0.5 } },
    });
    const city = forecast('2025-03-01', 'bread', 'city');
    expect(f.explanation.basis).toMatchObject({ kind: 'other-market', market: 'city', scale: 0.5 });
    expect(f.p50).toBeGreaterThan(city.p50 * 0.35);
    expect(f.p50).toBeLessThan(city.p50 * 0.65);
  });

  it("falls back to the smallest market when the owner's reference has no sales yet", () => {
    const f = forecast('2025-03-01', 'bread', 'new-market', {
      marketScales: { 'new-market': { reference: 'another-new-market', scale: 0.5 } },
    });
    expect(f.explanation.basis).toMatchObject({ kind: 'other-market', market: 'village' });
    expect(f.p50).toBeGreaterThan(0);
  });

  it('keeps a seasonal product out of season at a new market too', () => {
    expect(forecast('2025-12-06', 'berries', 'new-market').rung).toBe('out-of-season');
  });
});

describe('the edge of a season: a week or two early, not before the weeks it never sold in', () => {
  // Three and a half years of Saturdays at one market, through July 12, 2025: bread every week,
  // apples from the first Saturday of August through March, a few at first, many by the autumn
  // (the demo vendor's apples). Trained in July, as the nightly retrain would be.
  const saturdays = Array.from({ length: 185 }, (_, i) => addDays('2022-01-01', 7 * i));
  const orchard: SalesObservation[] = saturdays.flatMap((date) => {
    const rows: SalesObservation[] = [
      { date, market: 'farm', product: 'bread', quantity: Math.round(40 * noise()) },
    ];
    const m = month(date);
    if (m >= 8 || m <= 3) {
      const first = m === 8 && date.slice(8) <= '14';
      rows.push({ date, market: 'farm', product: 'apples', quantity: first ? 3 : 30 });
    }
    return rows;
  });
  const lastDay = saturdays[saturdays.length - 1] ?? '';
  const orchardModel = trainDemandModel({ sales: orchard, covariates: [] });
  // The same stall with one past apple season (from June 2023).
  const youngModel = trainDemandModel({
    sales: orchard.filter((sale) => sale.date >= '2023-06-01'),
    covariates: [],
  });
  const apples = (date: string, model = orchardModel): PrepForecast => {
    const result = predictDemand({
      model,
      requests: [{ date, market: 'farm', product: 'apples' }],
    })[0];
    if (!result) throw new Error('no forecast');
    return result;
  };

  it('two weeks before its first sale in three years it is out of season, not 30 bags', () => {
    expect(lastDay).toBe('2025-07-12');
    // 2025-07-19: the weeks around July 19 traded in each year without apples.
    const early = apples('2025-07-19');
    expect(early.availability).toMatchObject({ inSeason: false, source: 'learned' });
    expect(early.recommendedQuantity).toBe(0);
    // Three Julys without apples the week before August too; from August, its first weeks.
    expect(apples('2025-07-26').availability.inSeason).toBe(false);
    const first = apples('2025-08-02');
    expect(first.availability).toMatchObject({ inSeason: true, seasonStart: true });
    expect(first.p50).toBeLessThan(6);
    expect(apples('2025-09-20').p50).toBeGreaterThan(20);
  });

  it("with one past season, the week before may start it: at its first weeks' level", () => {
    expect(apples('2025-07-19', youngModel).availability.inSeason).toBe(false);
    const eve = apples('2025-07-26', youngModel);
    expect(eve.availability).toMatchObject({ inSeason: true, seasonStart: true });
    expect(eve.p50).toBeLessThan(6);
  });

  it('a season running this year may run past its usual end', () => {
    // Cherries every June Saturday for three years; this year still selling on June 28.
    const cherries = saturdays
      .filter((date) => month(date) === 6)
      .map((date) => ({ date, market: 'farm', product: 'cherries', quantity: 20 }));
    const juneModel = trainDemandModel({
      sales: [...orchard.filter((sale) => sale.date <= '2025-06-28'), ...cherries],
      covariates: [],
    });
    const on = (date: string) =>
      predictDemand({
        model: juneModel,
        requests: [{ date, market: 'farm', product: 'cherries' }],
      })[0]?.availability.inSeason;
    // Two weeks after its last sale, inside the margin: in, though past Julys traded without it.
    expect(on('2025-07-12')).toBe(true);
    // A list made for next summer: the same July weeks are out.
    expect(on('2026-07-11')).toBe(false);
  });

  it("a market that has not met the week yet goes by the product's season at the others", () => {
    // Squash from September through February in the city (every Saturday, three years), and
    // September to November at a spring-to-autumn market that opened last August.
    const squash = (market: string, date: string) => ({
      date,
      market,
      product: 'squash',
      quantity: 12,
    });
    const history = saturdays.filter((date) => date <= '2025-03-29');
    const spring = history.filter(
      (date) => date >= '2024-08-03' && month(date) >= 4 && month(date) <= 11,
    );
    const sales: SalesObservation[] = [
      ...history.map((date) => ({ date, market: 'city', product: 'bread', quantity: 40 })),
      ...history
        .filter((date) => month(date) >= 9 || month(date) <= 2)
        .map((d) => squash('city', d)),
      ...spring.map((date) => ({ date, market: 'spring', product: 'bread', quantity: 20 })),
      ...spring.filter((date) => month(date) >= 9).map((d) => squash('spring', d)),
    ];
    const twoMarkets = trainDemandModel({ sales, covariates: [] });
    const at = (market: string, date: string) =>
      predictDemand({
        model: twoMarkets,
        requests: [{ date, market, product: 'squash' }],
      })[0]?.availability;
    // The spring market's first April Saturday: never met here, out in the city every April.
    expect(at('spring', '2025-04-05')).toMatchObject({ inSeason: false, source: 'learned' });
    expect(at('city', '2025-04-05')?.inSeason).toBe(false);
    expect(at('spring', '2025-09-13')?.inSeason).toBe(true);
  });

  it('a list made months ahead, while it still sells, starts next season at its first weeks', () => {
    // Trained in the autumn, with apples selling: next summer's first weeks, not 30 bags.
    const autumnModel = trainDemandModel({
      sales: orchard.filter((sale) => sale.date <= '2024-10-26'),
      covariates: [],
    });
    const next = apples('2025-08-02', autumnModel);
    expect(next.availability).toMatchObject({ inSeason: true, seasonStart: true });
    expect(next.p50).toBeLessThan(6);
    expect(apples('2025-07-19', autumnModel).availability.inSeason).toBe(false);
    // Still in this season: its own level.
    expect(apples('2024-11-02', autumnModel).p50).toBeGreaterThan(20);
  });

  it('the week before its earliest start, the chance of none is that of the same weeks', () => {
    // Strawberries from mid-May to July, 6 a Saturday at first, 25 from June, trained at the end
    // of April 2026; the history starts in January 2024, so the Saturdays before the 2025 crop are
    // the only ones known without it (a product's weeks before its first sale say nothing).
    const strawberrySaturdays = Array.from({ length: 121 }, (_, i) => addDays('2024-01-06', 7 * i));
    const stall: SalesObservation[] = strawberrySaturdays.flatMap((date) => {
      const monthDay = date.slice(5);
      const rows = [{ date, market: 'farm', product: 'bread', quantity: Math.round(40 * noise()) }];
      if (monthDay >= '05-15' && monthDay <= '07-31') {
        const quantity = Math.round((monthDay < '05-29' ? 6 : 25) * noise());
        rows.push({ date, market: 'farm', product: 'strawberries', quantity });
      }
      return rows;
    });
    const model = trainDemandModel({ sales: stall, covariates: [] });
    const on = (date: string) => {
      const result = predictDemand({
        model,
        requests: [{ date, market: 'farm', product: 'strawberries' }],
      })[0];
      if (!result) throw new Error('no forecast');
      return result;
    };
    const noSale = (f: PrepForecast) =>
      f.explanation.effects.find((e) => e.name === 'no-sale-days')?.units ?? 0;
    // May 9, 2026: a week before the first sale of both past seasons (May 18 and 17), inside the
    // margin, and the Saturdays around it last year sold none: a range from 0, the median pulled
    // down by that chance.
    expect(strawberrySaturdays[strawberrySaturdays.length - 1]).toBe('2026-04-25');
    const early = on('2026-05-09');
    expect(early.availability).toMatchObject({ inSeason: true, seasonStart: true });
    expect(early.p10).toBe(0);
    expect(noSale(early)).toBeLessThan(-0.5);
    // Three weeks on, in the weeks it sold every year: no such pull.
    const june = on('2026-06-06');
    expect(june.p10).toBeGreaterThan(5);
    expect(noSale(june)).toBeGreaterThan(-0.5);
  });
});

describe('a market new to the vendor, opening in May', () => {
  // Two years of Saturdays in the city (all year) and, from May 2024, Wednesdays at a May-October
  // market; bread everywhere, pumpkin pie from October to December at both, strawberries from
  // mid-May to July at both. Trained at the end of April 2025; a Thursday market opens on May 8.
  const saturdays = Array.from({ length: 121 }, (_, i) => addDays('2023-01-07', 7 * i)).filter(
    (date) => date <= '2025-04-26',
  );
  const wednesdays = Array.from({ length: 60 }, (_, i) => addDays('2024-05-01', 7 * i)).filter(
    (date) => date.slice(5) >= '05-01' && date.slice(5) <= '10-31' && date <= '2025-04-26',
  );
  const sold = (market: string, date: string) => {
    const monthDay = date.slice(5);
    return [
      { date, market, product: 'bread', quantity: Math.round(40 * noise()) },
      ...(monthDay >= '10-01'
        ? [{ date, market, product: 'pumpkin pie', quantity: Math.round(8 * noise()) }]
        : []),
      ...(monthDay >= '05-15' && monthDay <= '07-31'
        ? [{ date, market, product: 'strawberries', quantity: Math.round(20 * noise()) }]
        : []),
    ];
  };
  const model = trainDemandModel({
    sales: [
      ...saturdays.map((d) => sold('city', d)),
      ...wednesdays.map((d) => sold('lake', d)),
    ].flat(),
    covariates: [],
  });
  const at = (product: string, date: string) => {
    const result = predictDemand({ model, requests: [{ date, market: 'new', product }] })[0];
    if (!result) throw new Error('no forecast');
    return result;
  };

  it('brings no pumpkin pie to its first day: the city traded every spring without it', () => {
    // The lake market has not traded in May since its first pie, so it says nothing of May; the
    // city does. Before, a product new to a market needed every market's evidence: 'unknown', in.
    const pie = at('pumpkin pie', '2025-05-08');
    expect(pie.availability).toMatchObject({ inSeason: false, source: 'learned' });
    expect(pie.recommendedQuantity).toBe(0);
    // In October it is in season there as at the others, and bread always is.
    expect(at('pumpkin pie', '2025-10-16').availability.inSeason).toBe(true);
    expect(at('bread', '2025-05-08').availability.inSeason).toBe(true);
    // Strawberries a week before the others' first sales are within the margin, as at the others.
    expect(at('strawberries', '2025-05-08').availability.inSeason).toBe(true);
  });

  it("takes strawberries' chance of none on its first day from the others' same weeks", () => {
    // The others' Saturdays and Wednesdays around May 8 sold none last year, and their crop came
    // the week after: a guess for a new market, but not a full one.
    const noSale = (f: PrepForecast) =>
      f.explanation.effects.find((e) => e.name === 'no-sale-days')?.units ?? 0;
    const first = at('strawberries', '2025-05-08');
    expect(first.rung).toBe('cold-start');
    expect(first.p10).toBe(0);
    expect(noSale(first)).toBeLessThan(-0.5);
    // In June, when the others sell them every week: the guess as it was.
    const june = at('strawberries', '2025-06-12');
    expect(june.p10).toBeGreaterThan(10);
    expect(noSale(june)).toBeGreaterThan(-0.5);
  });
});

describe('a market that trades mid-May to October', () => {
  // Three seasons of Saturdays from the third Saturday of May to the end of October: salad greens
  // every market day, pumpkins from late September to the last day. Trained after the last one.
  const saturdays = Array.from({ length: 128 }, (_, i) => addDays('2023-05-20', 7 * i)).filter(
    (date) => date.slice(5) >= '05-15' && date.slice(5) <= '10-31',
  );
  const farm: SalesObservation[] = saturdays.flatMap((date) => [
    { date, market: 'oak-park', product: 'salad', quantity: Math.round(30 * noise()) },
    ...(date.slice(5) >= '09-20'
      ? [{ date, market: 'oak-park', product: 'pumpkins', quantity: Math.round(25 * noise()) }]
      : []),
  ]);
  const farmModel = trainDemandModel({ sales: farm, covariates: [] });
  const on = (date: string, product: string) => {
    const result = predictDemand({
      model: farmModel,
      requests: [{ date, market: 'oak-park', product }],
    })[0];
    if (!result) throw new Error('no forecast');
    return result;
  };

  it('brings no pumpkins to a May 1 opening: they were out in its first weeks every year', () => {
    expect(saturdays[saturdays.length - 1]).toBe('2025-10-25');
    // Pumpkins sold until the last market day, so nothing "stopped" them over the winter.
    const may = on('2026-05-02', 'pumpkins');
    expect(may.availability).toMatchObject({ inSeason: false, source: 'learned' });
    expect(may.recommendedQuantity).toBe(0);
    // Salad greens sold from the first market day on: in season on the early opening.
    expect(on('2026-05-02', 'salad').availability.inSeason).toBe(true);
    // Pumpkins in their own weeks stay in season.
    expect(on('2026-10-03', 'pumpkins').availability.inSeason).toBe(true);
  });

  it('with two seasons (one spring without them) pumpkins are still out on May 1', () => {
    const twoSeasons = trainDemandModel({
      sales: farm.filter((sale) => sale.date >= '2024-01-01'),
      covariates: [],
    });
    const may = predictDemand({
      model: twoSeasons,
      requests: [{ date: '2026-05-02', market: 'oak-park', product: 'pumpkins' }],
    })[0];
    expect(may?.availability).toMatchObject({ inSeason: false, source: 'learned' });
  });
});
