import { localDateOf } from '../weather/types';
import { FakeHttpServer, type FakeResponse } from './fake-server';
import { addDays, hash01, syntheticDay, usTimeZoneFor, zonedTime } from './synthetic-weather';

/** Options for the NWS fake. */
export interface NwsFakeOptions {
  /** The fake's clock for "today" (forecasts start today). Default: the real clock. */
  now?: () => Date;
  /** Forecast days served (NWS gives 7). */
  days?: number;
}

const OFFICES = ['OKX', 'LWX', 'TAE', 'LOT', 'BOU', 'MTR', 'SEW', 'FWD'] as const;
const DIRECTIONS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const CONTEXT = [
  'https://geojson.org/geojson-ld/geojson-context.jsonld',
  {
    '@version': '1.1',
    wx: 'https://api.weather.gov/ontology#',
    '@vocab': 'https://api.weather.gov/ontology#',
  },
];

function problem(status: number, title: string, detail: string): FakeResponse {
  const id = hash01(title, detail, Date.now()).toString(16).slice(2, 10);
  return {
    status,
    contentType: 'application/problem+json',
    body: {
      correlationId: id,
      title,
      type: `https://api.weather.gov/problems/${title.replace(/\s+/g, '')}`,
      status,
      detail,
      instance: `https://api.weather.gov/requests/${id}`,
    },
  };
}

/** The US (with territories) roughly; NWS answers 404 elsewhere. */
function isCovered(latitude: number, longitude: number): boolean {
  return latitude >= 13 && latitude <= 72 && longitude >= -180 && longitude <= -64;
}

/** Grid coordinates that encode the point, so the forecast route can recover it. */
function gridOf(latitude: number, longitude: number): { x: number; y: number } {
  return { x: Math.round((longitude + 180) * 10_000), y: Math.round((latitude + 90) * 10_000) };
}

function pointOfGrid(x: number, y: number): { latitude: number; longitude: number } {
  return { latitude: y / 10_000 - 90, longitude: x / 10_000 - 180 };
}

function toF(celsius: number): number {
  return Math.round((celsius * 9) / 5 + 32);
}

/**
 * A fake of api.weather.gov: `GET /points/{lat},{lon}` and `GET /gridpoints/{wfo}/{x},{y}/forecast`
 * with GeoJSON bodies shaped like the live API (including `probabilityOfPrecipitation`, `dewpoint`
 * and `relativeHumidity` as `{unitCode, value}`), deterministic per point and date.
 */
export function createNwsFake(options: NwsFakeOptions = {}): FakeHttpServer {
  const now = options.now ?? (() => new Date());
  const days = options.days ?? 7;

  return new FakeHttpServer(
    'nws',
    ({ url, baseUrl }) => {
      const pointMatch = /^\/points\/(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(url.pathname);
      if (pointMatch) {
        const latitude = Number(pointMatch[1]);
        const longitude = Number(pointMatch[2]);
        if (!isCovered(latitude, longitude)) {
          return problem(
            404,
            'Invalid Point',
            `Unable to provide data for requested point ${latitude},${longitude}`,
          );
        }
        const office = OFFICES[Math.floor(hash01(latitude, longitude) * OFFICES.length)] ?? 'OKX';
        const { x, y } = gridOf(latitude, longitude);
        const grid = `${baseUrl}/gridpoints/${office}/${x},${y}`;
        const self = `${baseUrl}/points/${latitude},${longitude}`;
        return {
          status: 200,
          contentType: 'application/geo+json',
          body: {
            '@context': CONTEXT,
            id: self,
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [longitude, latitude] },
            properties: {
              '@id': self,
              '@type': 'wx:Point',
              cwa: office,
              forecastOffice: `${baseUrl}/offices/${office}`,
              gridId: office,
              gridX: x,
              gridY: y,
              forecast: `${grid}/forecast`,
              forecastHourly: `${grid}/forecast/hourly`,
              forecastGridData: grid,
              observationStations: `${grid}/stations`,
              relativeLocation: {
                type: 'Feature',
                geometry: { type: 'Point', coordinates: [longitude + 0.01, latitude + 0.01] },
                properties: {
                  city: 'Fakeville',
                  state: 'NY',
                  distance: { unitCode: 'wmoUnit:m', value: 1523.4 },
                  bearing: { unitCode: 'wmoUnit:degree_(angle)', value: 213 },
                },
              },
              forecastZone: `${baseUrl}/zones/forecast/NYZ072`,
              county: `${baseUrl}/zones/county/NYC061`,
              fireWeatherZone: `${baseUrl}/zones/fire/NYZ212`,
              timeZone: usTimeZoneFor(latitude, longitude),
              radarStation: 'KOKX',
            },
          },
        };
      }

      const forecastMatch = /^\/gridpoints\/([A-Z]{3})\/(\d+),(\d+)\/forecast$/.exec(url.pathname);
      if (forecastMatch) {
        const { latitude, longitude } = pointOfGrid(
          Number(forecastMatch[2]),
          Number(forecastMatch[3]),
        );
        const timeZone = usTimeZoneFor(latitude, longitude);
        const today = localDateOf(now(), timeZone);
        const periods = [];
        for (let day = 0; day < days; day += 1) {
          const date = addDays(today, day);
          const weather = syntheticDay(latitude, longitude, date);
          const weekday = WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()] ?? 'Today';
          const morning = zonedTime(date, 6, timeZone);
          const evening = zonedTime(date, 18, timeZone);
          const nextMorning = zonedTime(addDays(date, 1), 6, timeZone);
          const windLow = Math.max(0, Math.round(weather.windMaxKmh / 1.609344) - 5);
          const windHigh = Math.round(weather.windMaxKmh / 1.609344);
          const direction =
            DIRECTIONS[Math.floor(hash01(date, longitude) * DIRECTIONS.length)] ?? 'S';
          const common = {
            temperatureUnit: 'F',
            temperatureTrend: null,
            probabilityOfPrecipitation: {
              unitCode: 'wmoUnit:percent',
              value: weather.precipProbPct === 0 ? null : weather.precipProbPct,
            },
            dewpoint: { unitCode: 'wmoUnit:degC', value: weather.dewpointC },
            relativeHumidity: { unitCode: 'wmoUnit:percent', value: weather.humidityPct },
            windDirection: direction,
            shortForecast: weather.summary,
          };
          periods.push({
            number: periods.length + 1,
            name: day === 0 ? 'Today' : weekday,
            startTime: morning.iso,
            endTime: evening.iso,
            isDaytime: true,
            temperature: toF(weather.tempMaxC),
            windSpeed: `${windLow} to ${windHigh} mph`,
            icon: `${baseUrl}/icons/land/day/few?size=medium`,
            detailedForecast: `${weather.summary}, with a high near ${toF(weather.tempMaxC)}.`,
            ...common,
          });
          periods.push({
            number: periods.length + 1,
            name: day === 0 ? 'Tonight' : `${weekday} Night`,
            startTime: evening.iso,
            endTime: nextMorning.iso,
            isDaytime: false,
            temperature: toF(weather.tempMinC),
            windSpeed: `${windLow} mph`,
            icon: `${baseUrl}/icons/land/night/few?size=medium`,
            detailedForecast: `${weather.summary}, with a low around ${toF(weather.tempMinC)}.`,
            ...common,
          });
        }
        const first = periods[0]?.startTime ?? `${today}T06:00:00+00:00`;
        const generatedAt = now()
          .toISOString()
          .replace(/\.\d{3}Z$/, '+00:00');
        return {
          status: 200,
          contentType: 'application/geo+json',
          body: {
            '@context': CONTEXT,
            type: 'Feature',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [longitude - 0.01, latitude - 0.01],
                  [longitude + 0.01, latitude - 0.01],
                  [longitude + 0.01, latitude + 0.01],
                  [longitude - 0.01, latitude + 0.01],
                  [longitude - 0.01, latitude - 0.01],
                ],
              ],
            },
            properties: {
              units: 'us',
              forecastGenerator: 'BaselineForecastGenerator',
              generatedAt,
              updateTime: generatedAt,
              validTimes: `${first}/P${days}D`,
              elevation: {
                unitCode: 'wmoUnit:m',
                value: Math.round(hash01(latitude, longitude, 'elev') * 300),
              },
              periods,
            },
          },
        };
      }
      return problem(404, 'Not Found', `${url.pathname} is not served by this fake`);
    },
    (status) =>
      status === 429
        ? problem(429, 'Too Many Requests', 'Rate limit exceeded')
        : problem(status, 'Unexpected Problem', 'An unexpected problem has occurred.'),
  );
}
