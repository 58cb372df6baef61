import { describe, expect, it } from 'vitest';
import { isProviderSchemaError } from '../http/errors';
import { readContractJson } from '../testing/provider-contracts';
import {
  OpenMeteoResponseSchema,
  createOpenMeteoClient,
  toDailyWeather,
} from './open-meteo.client';

describe('Open-Meteo client on the recorded python-open-meteo fixtures', () => {
  it('maps the forecast fixture’s parallel daily arrays to per-date records', () => {
    const body = OpenMeteoResponseSchema.parse(
      readContractJson('open-meteo/fixtures/forecast.json'),
    );
    const days = toDailyWeather(body);
    expect(days.length).toBe(body.daily.time.length);
    expect(days[0]).toEqual({
      date: '2026-10-03',
      values: {
        tempMaxC: 20.6,
        tempMinC: 8.4,
        tempMeanC: 14.2,
        precipMm: 0,
        precipProb: 0,
        sunshineHours: 9.49, // 34,146.1 s
        windKph: 9,
        cloudCoverPct: 78,
        humidityPct: 75,
        summary: null,
      },
    });
    expect(days[1]?.values.precipProb).toBe(0.08);
  });

  it('tolerates the historical fixture: variables not requested come back null', () => {
    const body = OpenMeteoResponseSchema.parse(
      readContractJson('open-meteo/fixtures/historical_weather.json'),
    );
    const days = toDailyWeather(body);
    expect(days.map((day) => [day.date, day.values.precipMm, day.values.tempMaxC])).toEqual([
      ['1953-01-31', 11.9, null],
      ['1953-02-01', 12.5, null],
    ]);
  });

  it('rejects an answer without daily data as a schema error, not a crash', async () => {
    const hourlyOnly = readContractJson(
      'open-meteo/fixtures/forecast_precipitation_probabilities.json',
    );
    const client = createOpenMeteoClient({
      userAgent: 'test',
      http: {
        retries: 0,
        fetch: () => Promise.resolve(new Response(JSON.stringify(hourlyOnly), { status: 200 })),
      },
    });
    const error: unknown = await client
      .getDailyForecast({
        latitude: 40.7,
        longitude: -74,
        timeZone: 'America/New_York',
        startDate: '2026-10-05',
        endDate: '2026-10-05',
      })
      .catch((caught: unknown) => caught);
    expect(isProviderSchemaError(error)).toBe(true);
    expect(isProviderSchemaError(error) && error.issues[0]?.path).toEqual(['daily']);
  });

  it('rejects daily arrays whose length differs from time', () => {
    const result = OpenMeteoResponseSchema.safeParse({
      daily: { time: ['2026-01-01', '2026-01-02'], temperature_2m_max: [1] },
    });
    expect(result.success).toBe(false);
  });

  it('asks the forecast and archive hosts for the daily variables in the market zone', async () => {
    const urls: URL[] = [];
    const fixture = readContractJson('open-meteo/fixtures/forecast.json');
    const client = createOpenMeteoClient({
      userAgent: 'test',
      forecastBaseUrl: 'https://forecast.example',
      archiveBaseUrl: 'https://archive.example',
      http: {
        retries: 0,
        fetch: (input) => {
          urls.push(new URL(input instanceof Request ? input.url : input.toString()));
          return Promise.resolve(new Response(JSON.stringify(fixture), { status: 200 }));
        },
      },
    });
    const request = {
      latitude: 52.27,
      longitude: 6.87,
      timeZone: 'Europe/Amsterdam',
      startDate: '2026-10-03',
      endDate: '2026-10-05',
    };
    await client.getDailyForecast(request);
    await client.getDailyArchive(request);
    expect(urls.map((url) => `${url.origin}${url.pathname}`)).toEqual([
      'https://forecast.example/v1/forecast',
      'https://archive.example/v1/archive',
    ]);
    expect(urls[0]?.searchParams.get('timezone')).toBe('Europe/Amsterdam');
    expect(urls[0]?.searchParams.get('daily')?.split(',')).toContain(
      'precipitation_probability_max',
    );
    expect(urls[1]?.searchParams.get('daily')?.split(',')).not.toContain(
      'precipitation_probability_max',
    );
    expect(urls[1]?.searchParams.get('start_date')).toBe('2026-10-03');
  });
});
