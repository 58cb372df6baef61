import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nwsValidators,
  openMeteoValidators,
  readContractJson,
  ticketmasterValidators,
} from '../testing/provider-contracts';
import { startFakeProviders, type FakeProviders } from './index';

// Every fake answer must match what the provider publishes (STYLE.md #12), quirks applied.
const now = new Date('2026-06-10T15:00:00Z');
let fakes: FakeProviders;

beforeAll(async () => {
  fakes = await startFakeProviders({ nws: { now: () => now }, openMeteo: { now: () => now } });
});
afterAll(async () => {
  await fakes.stop();
});

async function getJson(url: string): Promise<{ status: number; body: unknown; type: string }> {
  const response = await fetch(url);
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: await response.json(),
  };
}

describe('NWS fake vs nws/openapi.yaml', () => {
  const validate = nwsValidators();

  it('the extended period schema accepts the recorded pynws periods (the quirk is real)', () => {
    const fixture = readContractJson('nws/fixtures/gridpoints_forecast.json') as {
      properties: unknown;
    };
    const properties = validate.forecastProperties;
    expect(properties(fixture.properties), properties.errorText()).toBe(true);
    expect(nwsValidators({ extendPeriod: false }).forecastProperties(fixture.properties)).toBe(
      false,
    );
  });

  it('rejects what the spec forbids (so the checks below can fail)', async () => {
    const forecast = await getJson(`${fakes.urls.nws}/gridpoints/OKX/1060000,1307128/forecast`);
    const body = structuredClone(forecast.body) as {
      properties: { periods: Record<string, unknown>[] };
    };
    expect(validate.forecast(body)).toBe(true);
    body.properties.periods[0]!.windDirection = 'UP';
    expect(validate.forecast(body)).toBe(false);
    body.properties.periods[0]!.windDirection = 'N';
    body.properties.periods[0]!.surprise = 1;
    expect(validate.forecast(body)).toBe(false);
  });

  it('serves points and forecasts that validate, for several US points', async () => {
    for (const [lat, lon] of [
      [40.7128, -74.006],
      [30, -85],
      [47.61, -122.33],
      [21.3, -157.85],
    ] as const) {
      const point = await getJson(`${fakes.urls.nws}/points/${lat},${lon}`);
      expect(point.status).toBe(200);
      expect(point.type).toBe('application/geo+json');
      expect(validate.point(point.body), validate.point.errorText()).toBe(true);
      const forecastUrl = (point.body as { properties: { forecast: string } }).properties.forecast;
      expect(forecastUrl.startsWith(fakes.urls.nws)).toBe(true);
      const forecast = await getJson(forecastUrl);
      expect(validate.forecast(forecast.body), validate.forecast.errorText()).toBe(true);
      const periods = (forecast.body as { properties: { periods: unknown[] } }).properties.periods;
      expect(periods).toHaveLength(14);
    }
  });

  it('answers a point outside the US with a valid 404 problem', async () => {
    const answer = await getJson(`${fakes.urls.nws}/points/48.85,2.35`);
    expect(answer.status).toBe(404);
    expect(answer.type).toBe('application/problem+json');
    expect(validate.problem(answer.body), validate.problem.errorText()).toBe(true);
  });

  it('is deterministic', async () => {
    const first = await getJson(`${fakes.urls.nws}/gridpoints/OKX/1060000,1307128/forecast`);
    const second = await getJson(`${fakes.urls.nws}/gridpoints/OKX/1060000,1307128/forecast`);
    expect(second.body).toEqual(first.body);
  });
});

describe('Open-Meteo fake vs open-meteo/*.yml and the tighter schema', () => {
  const validate = openMeteoValidators();
  const daily =
    'temperature_2m_max,temperature_2m_min,temperature_2m_mean,precipitation_sum,sunshine_duration,wind_speed_10m_max,cloud_cover_mean,relative_humidity_2m_mean';

  it('the tight schema accepts the recorded fixtures’ daily blocks', () => {
    const fixture = readContractJson('open-meteo/fixtures/historical_weather.json') as Record<
      string,
      unknown
    >;
    const { hourly: _hourly, hourly_units: _units, ...dailyOnly } = fixture;
    expect(validate.tight(dailyOnly), validate.tight.errorText()).toBe(true);
  });

  it('the tight schema rejects ragged arrays and strings in series', () => {
    const base = {
      latitude: 1,
      longitude: 2,
      generationtime_ms: 0.1,
      utc_offset_seconds: 0,
      timezone: 'GMT',
      timezone_abbreviation: 'GMT',
      elevation: 3,
      daily_units: { time: 'iso8601', precipitation_sum: 'mm' },
    };
    expect(
      validate.tight({ ...base, daily: { time: ['2026-01-01'], precipitation_sum: [1] } }),
    ).toBe(true);
    expect(
      validate.tight({ ...base, daily: { time: ['2026-01-01'], precipitation_sum: [1, 2] } }),
    ).toBe(false);
    expect(
      validate.tight({ ...base, daily: { time: ['2026-01-01'], precipitation_sum: ['1'] } }),
    ).toBe(false);
  });

  it('serves forecasts that validate', async () => {
    const url = `${fakes.urls.openMeteoForecast}/v1/forecast?latitude=52.37&longitude=4.9&timezone=Europe/Amsterdam&daily=${daily},precipitation_probability_max&start_date=2026-06-10&end_date=2026-06-20`;
    const answer = await getJson(url);
    expect(answer.status).toBe(200);
    expect(validate.forecastSpec(answer.body), validate.forecastSpec.errorText()).toBe(true);
    expect(validate.tight(answer.body), validate.tight.errorText()).toBe(true);
    const body = answer.body as { daily: { time: string[] }; utc_offset_seconds: number };
    expect(body.daily.time).toHaveLength(11);
    expect(body.utc_offset_seconds).toBe(7200);
  });

  it('serves archives that validate, with nulls where ERA5 has no data yet', async () => {
    const url = `${fakes.urls.openMeteoArchive}/v1/archive?latitude=52.37&longitude=4.9&timezone=Europe/Amsterdam&daily=${daily}&start_date=2026-05-30&end_date=2026-06-09`;
    const answer = await getJson(url);
    expect(validate.archiveSpec(answer.body), validate.archiveSpec.errorText()).toBe(true);
    expect(validate.tight(answer.body), validate.tight.errorText()).toBe(true);
    const maxima = (answer.body as { daily: { temperature_2m_max: (number | null)[] } }).daily
      .temperature_2m_max;
    expect(maxima.slice(0, 6).every((value) => typeof value === 'number')).toBe(true);
    expect(maxima.slice(-4)).toEqual([null, null, null, null]);
  });

  it('answers bad parameters with a valid 400 body', async () => {
    for (const query of [
      'latitude=999&longitude=4.9&daily=temperature_2m_max',
      'latitude=52&longitude=4.9&daily=not_a_variable',
      'latitude=52&longitude=4.9&timezone=Mars/Olympus&daily=temperature_2m_max',
    ]) {
      const answer = await getJson(`${fakes.urls.openMeteoForecast}/v1/forecast?${query}`);
      expect(answer.status).toBe(400);
      expect(validate.error(answer.body), validate.error.errorText()).toBe(true);
      expect(answer.body).toMatchObject({ error: true });
    }
    const archive = await getJson(
      `${fakes.urls.openMeteoArchive}/v1/archive?latitude=52&longitude=4.9&daily=precipitation_probability_max&start_date=2026-01-01&end_date=2026-01-02`,
    );
    expect(archive.status).toBe(400);
  });
});

describe('Ticketmaster fake vs discovery-v2.json', () => {
  const validate = ticketmasterValidators();

  it('the hand-built unit-test fixture matches the spec’s Event too', async () => {
    const { readFileSync } = await import('node:fs');
    const fixture = JSON.parse(
      readFileSync(
        new URL('../events/fixtures/discovery-events-search.json', import.meta.url),
        'utf8',
      ),
    ) as { _embedded: { events: unknown[] } };
    expect(validate.envelope(fixture), validate.envelope.errorText()).toBe(true);
    for (const event of fixture._embedded.events) {
      expect(validate.event(event), validate.event.errorText()).toBe(true);
    }
  });

  it('serves the real envelope whose events validate against Event', async () => {
    const query = new URLSearchParams({
      apikey: fakes.ticketmasterApiKey,
      geoPoint: 'dr5regw3p',
      radius: '40',
      unit: 'km',
      startDateTime: '2026-06-01T00:00:00Z',
      endDateTime: '2026-06-30T23:59:59Z',
      size: '20',
    });
    const answer = await getJson(
      `${fakes.urls.ticketmaster}/discovery/v2/events.json?${query.toString()}`,
    );
    expect(answer.status).toBe(200);
    expect(validate.envelope(answer.body), validate.envelope.errorText()).toBe(true);
    const body = answer.body as {
      _embedded?: { events: unknown[] };
      page: { totalElements: number };
    };
    expect(body.page.totalElements).toBeGreaterThan(5);
    for (const event of body._embedded?.events ?? []) {
      expect(validate.event(event), validate.event.errorText()).toBe(true);
    }
    const broken = structuredClone(body._embedded?.events[0]) as Record<string, unknown>;
    delete broken.id;
    expect(validate.event(broken)).toBe(false);
    expect(validate.event({ ...broken, id: 'x', type: 'concert' })).toBe(false);
  });

  it('answers a wrong key with 401 and an empty page with no _embedded', async () => {
    const denied = await getJson(
      `${fakes.urls.ticketmaster}/discovery/v2/events.json?apikey=nope&geoPoint=dr5r`,
    );
    expect(denied.status).toBe(401);
    const empty = await getJson(
      `${fakes.urls.ticketmaster}/discovery/v2/events.json?apikey=${fakes.ticketmasterApiKey}&geoPoint=dr5r&radius=1&unit=km&startDateTime=2026-06-01T00:00:00Z&endDateTime=2026-06-01T23:59:59Z&page=40`,
    );
    expect(empty.status).toBe(200);
    expect(validate.envelope(empty.body), validate.envelope.errorText()).toBe(true);
    expect(empty.body).not.toHaveProperty('_embedded');
  });
});
