import { describe, expect, it } from 'vitest';
import { addDays, toDayNumber } from './calendar-dates';
import { learnSeasonProfiles } from './models/availability';
import { predictDemand } from './predict';
import { createRandom } from './testing/synthetic-vendor';
import { trainDemandModel } from './train';
import type { PrepForecast, SalesObservation } from './types';

// A Saturday market through three autumns: bread every week, and pumpkin pie from October to
// December that climbs every year: 3 in early October, 7 in early November, 12 in the second
// half of November, 3 in December. Its average Saturday is about 6, so a model of its average
// day (and a level that lags the climb) says 6 or 7 for a Saturday that sells 12.
const random = createRandom(5);
const noise = () => Math.exp(0.1 * (random() + random() + random() - 1.5));
const START = '2023-01-07'; // a Saturday
const SATURDAYS = Array.from({ length: 152 }, (_, i) => addDays(START, 7 * i));

function pieOn(date: string): number | null {
  const monthDay = date.slice(5);
  if (monthDay < '10-01') return null;
  if (monthDay < '10-15') return 3;
  if (monthDay < '11-01') return 4;
  if (monthDay < '11-15') return 7;
  if (monthDay < '11-29') return 12;
  return 3;
}

function salesThrough(last: string): SalesObservation[] {
  const rows: SalesObservation[] = [];
  for (const date of SATURDAYS) {
    if (date > last) break;
    rows.push({ date, market: 'city', product: 'bread', quantity: Math.round(40 * noise()) });
    const pie = pieOn(date);
    if (pie !== null) {
      rows.push({ date, market: 'city', product: 'pie', quantity: Math.round(pie * noise()) });
    }
  }
  return rows;
}

function pieForecast(trainedThrough: string, date: string): PrepForecast {
  const model = trainDemandModel({ sales: salesThrough(trainedThrough) });
  const [pie] = predictDemand({
    model,
    requests: [{ date, market: 'city', product: 'pie' }],
  });
  if (!pie) throw new Error('no forecast');
  return pie;
}

describe('a short season follows the same weeks of past seasons, at this season’s pace', () => {
  it('packs for a late-November Saturday as past ones sold, not an average autumn day', () => {
    // Trained through Nov 8, 2025 (7 sold); the list for Nov 15, when past years sold 12.
    const pie = pieForecast('2025-11-08', '2025-11-15');
    // Two thirds of the way from the model's 4 to the 12 two past Novembers say (two past years
    // against a prior worth one).
    expect(pie.p50).toBeGreaterThan(7.5);
    expect(pie.p50).toBeLessThan(12);
    const trend = pie.explanation.effects.find((e) => e.name === 'trend');
    expect(trend?.names).toEqual(['same-weeks']);
    // The parts still add up to the P50.
    const sum = pie.explanation.effects.reduce((s, e) => s + e.units, pie.explanation.baseline);
    expect(sum).toBeCloseTo(pie.p50, 6);
  });

  it('and for the first Saturday of December as past ones sold: less than the last ones', () => {
    const pie = pieForecast('2025-11-22', '2025-12-06');
    expect(pie.p50).toBeLessThan(5);
  });

  it('follows this season when it runs ahead of the past ones', () => {
    // The same pie selling twice as much this autumn: its late November follows.
    const model = trainDemandModel({
      sales: salesThrough('2025-11-08').map((row) =>
        row.product === 'pie' && row.date >= '2025-10-01'
          ? { ...row, quantity: row.quantity * 2 }
          : row,
      ),
    });
    const [pie] = predictDemand({
      model,
      requests: [{ date: '2025-11-15', market: 'city', product: 'pie' }],
    });
    expect(pie?.p50).toBeGreaterThan(15);
  });

  it('does not read a launch as a past season: a year without weeks to compare says nothing', () => {
    // Launched on Nov 18, 2023, selling 1 a Saturday that first November; full seasons since.
    const sales = salesThrough('2025-11-08').flatMap((row) => {
      if (row.product !== 'pie' || row.date >= '2024-01-01') return [row];
      return row.date >= '2023-11-18' && row.date < '2023-12-01' ? [{ ...row, quantity: 1 }] : [];
    });
    const [pie] = predictDemand({
      model: trainDemandModel({ sales }),
      requests: [{ date: '2025-11-15', market: 'city', product: 'pie' }],
    });
    // One past year to compare (halfway from the model's 4 to its 12); the launch read as a
    // season would pull it below the model.
    expect(pie?.p50).toBeGreaterThan(7);
  });

  it('takes the chance of no sale from the same weeks: none in late November, some in October', () => {
    // Every other October Saturday sells no pie (it ran out at the bakery); every late-November
    // Saturday sold. The product's zeros are October's, not Thanksgiving's.
    const sales = salesThrough('2025-11-08').map((row) =>
      row.product === 'pie' && row.date.slice(5) < '11-01' && Number(row.date.slice(8)) % 14 < 7
        ? { ...row, quantity: 0 }
        : row,
    );
    const forecastOn = (trainedThrough: string, date: string) =>
      predictDemand({
        model: trainDemandModel({ sales: sales.filter((row) => row.date <= trainedThrough) }),
        requests: [{ date, market: 'city', product: 'pie' }],
      })[0];
    const november = forecastOn('2025-11-08', '2025-11-15');
    // The week after October's first sale of the season, in the weeks with the zeros.
    const october = forecastOn('2025-10-11', '2025-10-18');
    const noSale = (forecast: PrepForecast | undefined) =>
      forecast?.explanation.effects.find((e) => e.name === 'no-sale-days')?.units ?? 0;
    // No pull of the zeros on the Saturday before Thanksgiving, and a range that starts above 0.
    expect(noSale(november)).toBeGreaterThan(-0.25);
    expect(november?.p10).toBeGreaterThan(3);
    expect(november?.p50).toBeGreaterThan(7.5);
    expect(noSale(october)).toBeLessThan(noSale(november));
  });

  it('leaves a product sold all year to its model', () => {
    const bread = predictDemand({
      model: trainDemandModel({ sales: salesThrough('2025-11-08') }),
      requests: [{ date: '2025-11-15', market: 'city', product: 'bread' }],
    })[0];
    expect(bread?.explanation.effects.find((e) => e.name === 'trend')?.names).toBeUndefined();
  });

  it('takes only a season that runs in one stretch of the year, not a few scattered weeks', () => {
    const soldOn = (dates: string[]) =>
      learnSeasonProfiles(
        dates.map((date) => ({ date, market: 'city', product: 'x', quantity: 5 })),
        toDayNumber('2025-11-08'),
      )[0];
    const autumns = SATURDAYS.filter((d) => d <= '2025-11-08' && pieOn(d) !== null);
    expect(soldOn(autumns)?.lastYears?.length).toBeGreaterThan(20);
    // The same over New Year (November to February).
    const winters = SATURDAYS.filter(
      (d) => d <= '2025-11-08' && (d.slice(5) >= '11-01' || d.slice(5) < '03-01'),
    );
    expect(soldOn(winters)?.lastYears).toBeDefined();
    // Five Saturdays spread over each year: no season to follow.
    const scattered = SATURDAYS.filter(
      (d) => d <= '2025-11-08' && ['01-1', '04-1', '07-1', '09-2', '11-0'].includes(d.slice(5, 9)),
    );
    expect(scattered.length).toBeGreaterThan(5);
    expect(soldOn(scattered)?.lastYears).toBeUndefined();
  });
});
