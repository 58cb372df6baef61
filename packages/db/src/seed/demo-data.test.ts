import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateDemoData } from './demo-data';
import type { DemoDailySale, DemoData } from './demo-data';

const TODAY = '2026-11-22';
const data = generateDemoData({ seed: 42, today: TODAY });

const MS_PER_DAY = 86_400_000;
const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY;
const weekdayOf = (date: string): number => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
const monthOf = (date: string): number => Number(date.slice(5, 7));
const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;
const digest = (value: DemoData): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** Units sold per market day at one market, restricted to some product categories. */
function unitsPerDay(
  source: DemoData,
  marketKey: string,
  categories: readonly string[],
): Map<string, number> {
  const categoryOf = new Map(source.products.map((product) => [product.key, product.category]));
  const totals = new Map<string, number>();
  for (const sale of source.dailySales) {
    if (sale.marketKey !== marketKey) continue;
    if (!categories.includes(categoryOf.get(sale.productKey) ?? '')) continue;
    totals.set(sale.date, (totals.get(sale.date) ?? 0) + sale.quantity);
  }
  return totals;
}

describe('generateDemoData', () => {
  it('is deterministic in seed and today, and the seed matters', () => {
    expect(generateDemoData({ seed: 42, today: TODAY })).toEqual(data);
    const other = generateDemoData({ seed: 43, today: TODAY });
    expect(other.dailySales.map((sale) => sale.quantity)).not.toEqual(
      data.dailySales.map((sale) => sale.quantity),
    );
    expect(other.weather).not.toEqual(data.weather);
    // The catalogue and the calendar do not depend on the seed.
    expect(other.products).toEqual(data.products);
    expect(other.markets).toEqual(data.markets);
  });

  it('runs well under a second and yields a realistic amount of history', () => {
    const started = performance.now();
    const fresh = generateDemoData({ seed: 7, today: TODAY });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(fresh.dailySales.length).toBeGreaterThan(4500);
    expect(fresh.dailySales.length).toBeLessThan(8000);
  });

  it('has three Chicago-area markets on three distinct weekdays with realistic fees', () => {
    expect(data.vendor).toEqual({
      name: 'Prairie Hearth Bakery & Farm',
      slug: 'prairie-hearth-demo',
      timezone: 'America/Chicago',
      currency: 'USD',
    });
    expect(data.markets).toHaveLength(3);
    const weekdays = data.markets.map((market) => {
      const days = new Set(market.schedule.map((entry) => entry.weekday));
      expect(days.size).toBe(1);
      return [...days][0];
    });
    expect(new Set(weekdays)).toEqual(new Set([2, 5, 6]));
    for (const market of data.markets) {
      expect(market.timezone).toBe('America/Chicago');
      expect(market.countryCode).toBe('US');
      expect(market.regionCode).toBe('IL');
      expect(market.boothFeeMinor).toBeGreaterThanOrEqual(4500);
      expect(market.boothFeeMinor).toBeLessThanOrEqual(8500);
      expect(market.latitude).toBeCloseTo(41.9, 0);
      expect(market.longitude).toBeCloseTo(-87.7, 0);
      const weekday = market.schedule[0]?.weekday;
      for (const day of data.marketDays.filter((d) => d.marketKey === market.key)) {
        expect(weekdayOf(day.date)).toBe(weekday);
      }
    }
  });

  it('has 20-30 products with prices above cost above salvage, three of them new', () => {
    expect(data.products.length).toBeGreaterThanOrEqual(20);
    expect(data.products.length).toBeLessThanOrEqual(30);
    expect(new Set(data.products.map((product) => product.key)).size).toBe(data.products.length);
    expect(new Set(data.products.map((product) => product.category))).toEqual(
      new Set(['bread', 'pastry', 'produce', 'flowers', 'preserves']),
    );
    for (const product of data.products) {
      expect(product.priceMinor).toBeGreaterThan(product.unitCostMinor);
      expect(product.unitCostMinor).toBeGreaterThan(product.salvageValueMinor);
      expect(product.salvageValueMinor).toBeGreaterThanOrEqual(0);
      expect(product.shelfLifeDays).toBeGreaterThanOrEqual(1);
    }
    const sourdough = data.products.find((product) => product.key === 'country-sourdough');
    expect(sourdough?.salvageValueMinor).toBe(270); // day-old bread: 30% of $9.00
    const newProducts = data.products.filter(
      (product) => dayNumber(product.introducedOn) > dayNumber(TODAY) - 122,
    );
    expect(newProducts.map((product) => product.key).sort()).toEqual([
      'cardamom-bun',
      'cranberry-walnut-loaf',
      'hot-honey',
    ]);
  });

  it('covers two years of past market days plus the next 14 days, no Christmas market', () => {
    const dates = data.marketDays.map((day) => day.date).sort();
    expect(dates[0]! >= '2024-11-22').toBe(true);
    expect(dates[0]! <= '2024-11-30').toBe(true);
    expect(dates.at(-1)! <= '2026-12-05').toBe(true);
    expect(dates).not.toContain('2025-12-25');
    const keys = data.marketDays.map((day) => `${day.marketKey}|${day.date}`);
    expect(new Set(keys).size).toBe(keys.length);
    const perMarket = (key: string): number =>
      data.marketDays.filter((day) => day.marketKey === key && day.date < TODAY).length;
    expect(perMarket('riverside-saturday')).toBe(105); // every Saturday 2024-11-23..2026-11-21
    expect(perMarket('lakeview-wednesday')).toBe(52); // May-Oct
    expect(perMarket('maplewood-sunday')).toBeGreaterThanOrEqual(68); // Apr-Nov
    // Wednesdays only in May-October, Sundays only in April-November.
    for (const day of data.marketDays) {
      if (day.marketKey === 'lakeview-wednesday')
        expect(monthOf(day.date)).toBeGreaterThanOrEqual(5);
      if (day.marketKey === 'lakeview-wednesday') expect(monthOf(day.date)).toBeLessThanOrEqual(10);
      if (day.marketKey === 'maplewood-sunday') expect(monthOf(day.date)).toBeGreaterThanOrEqual(4);
      if (day.marketKey === 'maplewood-sunday') expect(monthOf(day.date)).toBeLessThanOrEqual(11);
    }
  });

  it('lists upcoming market days for the next 14 days with weather and without sales', () => {
    const upcoming = data.marketDays.filter((day) => day.date >= TODAY);
    expect(upcoming.map((day) => `${day.marketKey} ${day.date}`)).toEqual([
      'maplewood-sunday 2026-11-22',
      'riverside-saturday 2026-11-28',
      'maplewood-sunday 2026-11-29',
      'riverside-saturday 2026-12-05',
    ]);
    expect(upcoming.every((day) => day.status === 'SCHEDULED')).toBe(true);
    expect(data.dailySales.filter((sale) => sale.date >= TODAY)).toEqual([]);
    for (const day of upcoming) {
      const forecast = data.weather.find(
        (row) => row.marketKey === day.marketKey && row.date === day.date,
      );
      expect(forecast?.precipProb).toBeGreaterThan(0);
      expect(forecast?.precipProb).toBeLessThan(1);
    }
    const upcomingEvents = data.events.filter((event) => event.date >= TODAY);
    expect(upcomingEvents.length).toBeGreaterThanOrEqual(1);
    expect(upcomingEvents.length).toBeLessThanOrEqual(2);
  });

  it('has exactly one weather row per market day, with a plausible Chicago climate', () => {
    expect(data.weather.map((row) => `${row.marketKey}|${row.date}`)).toEqual(
      data.marketDays.map((day) => `${day.marketKey}|${day.date}`),
    );
    for (const row of data.weather) {
      expect(row.tempMaxC).toBeGreaterThan(row.tempMinC);
      expect(row.precipMm).toBeGreaterThanOrEqual(0);
      expect(row.precipProb).toBeGreaterThanOrEqual(0);
      expect(row.precipProb).toBeLessThanOrEqual(1);
      expect(row.cloudCoverPct).toBeGreaterThanOrEqual(0);
      expect(row.cloudCoverPct).toBeLessThanOrEqual(100);
      expect(row.sunshineHours).toBeGreaterThanOrEqual(0);
      expect(row.sunshineHours).toBeLessThanOrEqual(15.5);
    }
    const monthMean = (months: number[]): number =>
      mean(data.weather.filter((row) => months.includes(monthOf(row.date))).map((r) => r.tempMaxC));
    expect(monthMean([1, 2])).toBeLessThan(5);
    expect(monthMean([7])).toBeGreaterThan(24);
    expect(monthMean([7])).toBeLessThan(33);
    const wetShare = data.weather.filter((row) => row.precipMm > 0).length / data.weather.length;
    expect(wetShare).toBeGreaterThan(0.2);
    expect(wetShare).toBeLessThan(0.5);
  });

  it('cancels a few past market days for severe weather, with a note and no sales', () => {
    const cancelled = data.marketDays.filter((day) => day.status === 'CANCELLED');
    expect(cancelled.length).toBeGreaterThanOrEqual(3);
    expect(cancelled.length).toBeLessThanOrEqual(5);
    for (const day of cancelled) {
      expect(day.date < TODAY).toBe(true);
      expect(day.notes).toMatch(/^Cancelled by the market: (severe thunderstorm|winter storm)/);
      const storm = data.weather.find((w) => w.marketKey === day.marketKey && w.date === day.date);
      expect(storm?.precipMm).toBeGreaterThanOrEqual(18);
      expect(storm?.windKph).toBeGreaterThanOrEqual(50);
      expect(
        data.dailySales.filter(
          (sale) => sale.marketKey === day.marketKey && sale.date === day.date,
        ),
      ).toEqual([]);
    }
  });

  it('only has sales for existing, held, past market days of introduced products', () => {
    const marketDays = new Map(data.marketDays.map((day) => [`${day.marketKey}|${day.date}`, day]));
    const products = new Map(data.products.map((product) => [product.key, product]));
    const marketKeys = new Set(data.markets.map((market) => market.key));
    const seen = new Set<string>();
    for (const sale of data.dailySales) {
      expect(marketKeys.has(sale.marketKey)).toBe(true);
      const product = products.get(sale.productKey);
      expect(product).toBeDefined();
      expect(sale.date >= product!.introducedOn).toBe(true);
      expect(marketDays.get(`${sale.marketKey}|${sale.date}`)?.status).toBe('SCHEDULED');
      expect(sale.date < TODAY).toBe(true);
      const key = `${sale.marketKey}|${sale.productKey}|${sale.date}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    // New products do sell after their introduction.
    expect(data.dailySales.some((sale) => sale.productKey === 'hot-honey')).toBe(true);
  });

  it('keeps the pack-up numbers consistent', () => {
    const products = new Map(data.products.map((product) => [product.key, product]));
    for (const sale of data.dailySales) {
      for (const value of [sale.quantity, sale.brought, sale.leftOver, sale.wasted, sale.donated]) {
        expect(Number.isInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
      }
      expect(sale.brought).toBeGreaterThanOrEqual(1);
      expect(sale.quantity).toBeLessThanOrEqual(sale.brought);
      expect(sale.leftOver).toBe(sale.brought - sale.quantity);
      expect(sale.wasted + sale.donated).toBeLessThanOrEqual(sale.leftOver);
      const product = products.get(sale.productKey)!;
      // Current price, or the ~7% lower price from before this year's price rise.
      expect(sale.unitPriceMinor).toBeLessThanOrEqual(product.priceMinor);
      expect(sale.unitPriceMinor).toBeGreaterThanOrEqual(product.priceMinor * 0.9);
      if (product.category === 'preserves') expect(sale.wasted + sale.donated).toBe(0);
      if (product.shelfLifeDays <= 2) expect(sale.wasted + sale.donated).toBe(sale.leftOver);
    }
    const bread = data.dailySales.filter(
      (sale) => products.get(sale.productKey)?.category === 'bread',
    );
    const sum = (rows: DemoDailySale[], pick: (row: DemoDailySale) => number): number =>
      rows.reduce((total, row) => total + pick(row), 0);
    expect(sum(bread, (row) => row.donated)).toBeGreaterThan(sum(bread, (row) => row.wasted));
    expect(data.dailySales.some((sale) => sale.quantity === 0)).toBe(true);
  });

  it('has some sell-outs, each timed within opening hours', () => {
    const marketDays = new Map(data.marketDays.map((day) => [`${day.marketKey}|${day.date}`, day]));
    const soldOut = data.dailySales.filter((sale) => sale.soldOutAt !== undefined);
    const share = soldOut.length / data.dailySales.length;
    expect(share).toBeGreaterThan(0.04);
    expect(share).toBeLessThan(0.12);
    for (const sale of data.dailySales) {
      expect(sale.soldOutAt !== undefined).toBe(sale.quantity === sale.brought);
    }
    for (const sale of soldOut) {
      const day = marketDays.get(`${sale.marketKey}|${sale.date}`)!;
      const at = Date.parse(sale.soldOutAt!);
      expect(at).toBeGreaterThan(Date.parse(day.opensAt));
      expect(at).toBeLessThan(Date.parse(day.closesAt));
    }
  });

  it('shows seasonality: summer produce only in summer, busier summer Saturdays', () => {
    const monthsSold = (productKey: string): number[] =>
      data.dailySales.filter((sale) => sale.productKey === productKey).map((s) => monthOf(s.date));
    const tomatoes = monthsSold('heirloom-tomatoes');
    expect(tomatoes.length).toBeGreaterThan(40);
    expect(tomatoes.every((month) => month >= 6 && month <= 10)).toBe(true);
    expect(tomatoes.filter((month) => month >= 7 && month <= 9).length).toBeGreaterThan(
      tomatoes.length * 0.75,
    );
    expect(monthsSold('strawberries').every((month) => month >= 5 && month <= 7)).toBe(true);
    expect(monthsSold('pumpkin-pie').every((month) => month >= 9 || month === 1)).toBe(true);
    expect(monthsSold('summer-bouquet').every((month) => month >= 5 && month <= 10)).toBe(true);

    const saturday = unitsPerDay(data, 'riverside-saturday', [
      'bread',
      'pastry',
      'produce',
      'flowers',
      'preserves',
    ]);
    const inMonths = (months: number[]): number[] =>
      [...saturday].filter(([date]) => months.includes(monthOf(date))).map(([, units]) => units);
    expect(mean(inMonths([6, 7, 8]))).toBeGreaterThan(1.3 * mean(inMonths([1, 2])));
  });

  it('sells more pies in the week before Thanksgiving than in the rest of November', () => {
    const pies = data.dailySales.filter(
      (sale) => sale.productKey === 'pumpkin-pie' && sale.marketKey === 'riverside-saturday',
    );
    const thanksgivingSaturday = pies.find((sale) => sale.date === '2025-11-22');
    const otherNovember = pies.filter(
      (sale) => sale.date.startsWith('2025-11') && sale.date !== '2025-11-22',
    );
    expect(thanksgivingSaturday!.quantity).toBeGreaterThan(
      2 * mean(otherNovember.map((sale) => sale.quantity)),
    );
  });

  it.each([42, 1, 7])(
    'sells less on rainy days than on dry days at each market (seed %i)',
    (seed) => {
      const source = seed === 42 ? data : generateDemoData({ seed, today: TODAY });
      for (const market of source.markets) {
        const units = unitsPerDay(source, market.key, ['bread', 'pastry']);
        const rainy: number[] = [];
        const dry: number[] = [];
        for (const row of source.weather) {
          const sold = units.get(row.date);
          // Same market, the busy months only, so season does not masquerade as weather.
          if (row.marketKey !== market.key || sold === undefined) continue;
          if (monthOf(row.date) < 5 || monthOf(row.date) > 9) continue;
          if (row.precipMm >= 5) rainy.push(sold);
          else if (row.precipMm === 0) dry.push(sold);
        }
        expect(rainy.length).toBeGreaterThanOrEqual(2);
        expect(mean(rainy)).toBeLessThan(0.92 * mean(dry));
      }
    },
  );

  it('places events on existing market days, with an attendance', () => {
    const keys = new Set(data.marketDays.map((day) => `${day.marketKey}|${day.date}`));
    expect(data.events.length).toBeGreaterThanOrEqual(5);
    for (const event of data.events) {
      expect(keys.has(`${event.marketKey}|${event.date}`)).toBe(true);
      expect(event.expectedAttendance).toBeGreaterThan(0);
    }
    expect(data.events.map((event) => event.name)).toContain('Lakefront Marathon');
  });

  it('converts local opening times to UTC across daylight-saving changes', () => {
    const at = (marketKey: string, date: string) =>
      data.marketDays.find((day) => day.marketKey === marketKey && day.date === date);
    // Spring forward on 2026-03-08: winter hours 09:00-13:00, CST (UTC-6) then CDT (UTC-5).
    expect(at('riverside-saturday', '2026-03-07')).toMatchObject({
      opensAt: '2026-03-07T15:00:00.000Z',
      closesAt: '2026-03-07T19:00:00.000Z',
    });
    expect(at('riverside-saturday', '2026-03-14')).toMatchObject({
      opensAt: '2026-03-14T14:00:00.000Z',
      closesAt: '2026-03-14T18:00:00.000Z',
    });
    // Fall back on 2025-11-02: the first winter Saturday is still CDT, the next one CST.
    expect(at('riverside-saturday', '2025-11-01')?.opensAt).toBe('2025-11-01T14:00:00.000Z');
    expect(at('riverside-saturday', '2025-11-08')?.opensAt).toBe('2025-11-08T15:00:00.000Z');
    // Summer hours 07:30-12:30 CDT; the Wednesday evening market closes after midnight UTC.
    expect(at('riverside-saturday', '2026-07-04')?.opensAt).toBe('2026-07-04T12:30:00.000Z');
    expect(at('lakeview-wednesday', '2026-07-01')).toMatchObject({
      opensAt: '2026-07-01T20:00:00.000Z',
      closesAt: '2026-07-02T00:00:00.000Z',
    });
  });

  it.each(['Pacific/Kiritimati', 'America/Los_Angeles'])(
    'gives the same output when the process runs in TZ=%s',
    (timeZone) => {
      const moduleUrl = new URL('./demo-data.ts', import.meta.url).href;
      const script = [
        `const { generateDemoData } = await import(${JSON.stringify(moduleUrl)});`,
        `const { createHash } = await import('node:crypto');`,
        `const data = generateDemoData({ seed: 42, today: '${TODAY}' });`,
        `process.stdout.write(createHash('sha256').update(JSON.stringify(data)).digest('hex'));`,
      ].join('\n');
      const output = execFileSync(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          cwd: fileURLToPath(new URL('../../../../', import.meta.url)),
          env: { TZ: timeZone },
          encoding: 'utf8',
        },
      );
      expect(output).toBe(digest(data));
    },
  );

  it('honours years and rejects bad options', () => {
    const oneYear = generateDemoData({ seed: 42, today: TODAY, years: 1 });
    const firstDate = oneYear.marketDays.map((day) => day.date).sort()[0]!;
    expect(firstDate >= '2025-11-22').toBe(true);
    expect(oneYear.dailySales.length).toBeLessThan(data.dailySales.length * 0.6);
    expect(() => generateDemoData({ seed: 42, today: '2026-02-30' })).toThrow(RangeError);
    expect(() => generateDemoData({ seed: 42, today: '22/11/2026' })).toThrow(RangeError);
    expect(() => generateDemoData({ seed: 42, today: TODAY, years: 0 })).toThrow(RangeError);
    expect(() => generateDemoData({ seed: Number.NaN, today: TODAY })).toThrow(RangeError);
  });
});
