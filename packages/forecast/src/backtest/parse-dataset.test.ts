import { describe, expect, it } from 'vitest';
import {
  DatasetError,
  parseCalendarCsv,
  parseCsv,
  parseEventsCsv,
  parseSalesCsv,
  parseWeatherCsv,
} from './parse-dataset';

function errorOf(run: () => unknown): DatasetError {
  try {
    run();
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error('expected a DatasetError');
}

describe('parse-dataset', () => {
  it('reads sales with optional brought and CRLF endings', () => {
    const sales = parseSalesCsv(
      'date,market,product,quantity,brought\r\n2015-01-02,m,bread,12,12\r\n2015-01-03,m,bread,7.5,\r\n',
    );
    expect(sales).toEqual([
      { date: '2015-01-02', market: 'm', product: 'bread', quantity: 12, brought: 12 },
      { date: '2015-01-03', market: 'm', product: 'bread', quantity: 7.5 },
    ]);
  });

  it('reads an empty quantity as a gap and sell-out times when present', () => {
    const sales = parseSalesCsv(
      'date,market,product,quantity,brought,sold_out_at,closes_at\n' +
        '2020-03-19,m,tulips,,,,\n' +
        '2020-03-20,m,tulips,40,40,11:30,13:00\n' +
        '2020-03-21,m,tulips,NA,,,\n',
    );
    expect(sales).toEqual([
      {
        date: '2020-03-20',
        market: 'm',
        product: 'tulips',
        quantity: 40,
        brought: 40,
        soldOutAt: '11:30',
        closesAt: '13:00',
      },
    ]);
    expect(() =>
      parseSalesCsv('date,market,product,quantity,sold_out_at\n2020-03-20,m,t,4,noon\n'),
    ).toThrow(/line 2, column 5: sold_out_at "noon" is not a HH:MM time/);
  });

  it('reads covariates: missing weather, 0/1 flags, quoted event names, empty attendance', () => {
    expect(parseWeatherCsv('date,market,temp_c,wind\n2015-01-02,m,,3\n')).toEqual([
      { date: '2015-01-02', market: 'm', weather: { wind: 3 } },
    ]);
    expect(parseCalendarCsv('date,market,is_holiday,is_closed\n2015-01-02,m,1,0\n')).toEqual([
      { date: '2015-01-02', market: 'm', flags: { is_holiday: true, is_closed: false } },
    ]);
    expect(parseEventsCsv('date,market,name,attendance\n2015-01-02,m,"Fair, big",\n')).toEqual([
      { date: '2015-01-02', market: 'm', events: [{ name: 'Fair, big' }] },
    ]);
  });

  it('names file, line and column of a malformed value', () => {
    const error = errorOf(() =>
      parseSalesCsv(
        'date,market,product,quantity\n2015-01-02,m,bread,12\n2015-01-03,m,bread,abc\n',
      ),
    );
    expect([error.file, error.line, error.column]).toEqual(['sales.csv', 3, 4]);
    expect(error.message).toBe('sales.csv: line 3, column 4: quantity "abc" is not a number');
    const date = errorOf(() => parseWeatherCsv('date,market,temp_c\n2015-02-30,m,1\n', 'w.csv'));
    expect(date.message).toBe(
      'w.csv: line 2, column 1: date "2015-02-30" is not a YYYY-MM-DD date',
    );
  });

  it('rejects short rows, missing columns, bad flags and negative quantities', () => {
    expect(errorOf(() => parseCsv('a,b,c\n1,2\n', 'x.csv')).message).toMatch(
      /^x\.csv: line 2, column 3: expected 3 fields/,
    );
    expect(errorOf(() => parseSalesCsv('date,market,quantity\n')).message).toMatch(
      /line 1, .*missing column "product"/,
    );
    expect(
      errorOf(() => parseCalendarCsv('date,market,is_holiday\n2015-01-01,m,yes\n')).message,
    ).toMatch(/line 2, column 3: is_holiday "yes" is not a 0\/1 flag/);
    expect(
      errorOf(() => parseSalesCsv('date,market,product,quantity\n2015-01-01,m,p,-1\n')).message,
    ).toMatch(/line 2, column 4: quantity -1 is negative/);
  });
});
