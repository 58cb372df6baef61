import { describe, expect, it } from 'vitest';
import { readContractJson } from '../testing/provider-contracts';
import {
  NwsForecastSchema,
  NwsPointSchema,
  createNwsClient,
  isNwsCountry,
  toDailyWeather,
} from './nws.client';
import { isProviderSchemaError } from '../http/errors';

const points = readContractJson('nws/fixtures/points.json');
const forecast = readContractJson('nws/fixtures/gridpoints_forecast.json');

/** Serves the recorded fixtures by path, as api.weather.gov would. */
function fixtureFetch(seen: Request[]): typeof fetch {
  return (input, init) => {
    const request = new Request(input, init);
    seen.push(request);
    const { pathname } = new URL(request.url);
    const body =
      pathname === '/points/30,-85'
        ? points
        : pathname === '/gridpoints/TAE/58,65/forecast'
          ? forecast
          : { status: 404 };
    return Promise.resolve(
      new Response(JSON.stringify(body), {
        status:
          pathname.startsWith('/points/30,-85') || pathname.startsWith('/gridpoints') ? 200 : 404,
        headers: { 'content-type': 'application/geo+json' },
      }),
    );
  };
}

describe('NWS client on the recorded pynws fixtures', () => {
  it('parses the points and forecast fixtures with the tolerant schemas', () => {
    const point = NwsPointSchema.parse(points);
    expect(point.properties.forecast).toBe('https://api.weather.gov/gridpoints/TAE/58,65/forecast');
    expect(point.properties.timeZone).toBe('America/New_York');
    const parsed = NwsForecastSchema.parse(forecast);
    expect(parsed.properties.periods).toHaveLength(2);
    expect(parsed.properties.periods[1]?.probabilityOfPrecipitation?.value).toBeNull();
  });

  it('turns the periods into one local day: high from the day, low from the night, °C', () => {
    const periods = NwsForecastSchema.parse(forecast).properties.periods;
    const days = toDailyWeather(periods, 'America/New_York');
    expect(days).toEqual([
      {
        date: '2019-10-13',
        values: {
          tempMaxC: 5, // 41 °F
          tempMinC: 20, // 68 °F
          tempMeanC: 12.5,
          precipMm: null,
          precipProb: 0.2, // 20 % by day, null at night
          sunshineHours: null,
          windKph: 16.1, // 10 mph
          cloudCoverPct: null,
          humidityPct: 63,
          summary: 'Chance Showers And Thunderstorms',
        },
      },
    ]);
  });

  it('runs points → forecast with a User-Agent and the market zone', async () => {
    const seen: Request[] = [];
    const client = createNwsClient({
      userAgent: '(marketprep.test, ops@marketprep.test)',
      http: { fetch: fixtureFetch(seen), retries: 0 },
    });
    const days = await client.getDailyForecast({
      latitude: 30,
      longitude: -85,
      timeZone: 'America/New_York',
    });
    expect(days.map((day) => day.date)).toEqual(['2019-10-13']);
    expect(seen.map((request) => new URL(request.url).pathname)).toEqual([
      '/points/30,-85',
      '/gridpoints/TAE/58,65/forecast',
    ]);
    expect(seen[0]?.headers.get('user-agent')).toBe('(marketprep.test, ops@marketprep.test)');
  });

  it('refuses a forecast link to another host than the configured one', async () => {
    const client = createNwsClient({
      baseUrl: 'http://127.0.0.1:9',
      userAgent: 'test',
      http: {
        retries: 0,
        fetch: () => Promise.resolve(new Response(JSON.stringify(points), { status: 200 })),
      },
    });
    const error: unknown = await client
      .getDailyForecast({ latitude: 30, longitude: -85 })
      .catch((caught: unknown) => caught);
    expect(isProviderSchemaError(error)).toBe(true);
  });

  it('covers the US and its territories only', () => {
    expect(isNwsCountry('US')).toBe(true);
    expect(isNwsCountry('pr')).toBe(true);
    expect(isNwsCountry('CA')).toBe(false);
  });
});
