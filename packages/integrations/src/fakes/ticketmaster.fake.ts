import { FakeHttpServer, type FakeResponse } from './fake-server';
import { addDays, hash01, zonedTime } from './synthetic-weather';

/** Options for the Ticketmaster fake. */
export interface TicketmasterFakeOptions {
  /** The only key accepted; others get 401. */
  apiKey?: string;
  /** Zone the fake's events are in. Default America/New_York. */
  timeZone?: string;
}

/** The key the fake accepts unless told otherwise. */
export const FAKE_TICKETMASTER_API_KEY = 'fake-ticketmaster-key';

const GEOHASH_ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

function decodeGeohash(hash: string): { latitude: number; longitude: number } | null {
  let lat: [number, number] = [-90, 90];
  let lon: [number, number] = [-180, 180];
  let even = true;
  for (const char of hash) {
    const index = GEOHASH_ALPHABET.indexOf(char);
    if (index < 0) return null;
    for (let bit = 4; bit >= 0; bit -= 1) {
      const on = ((index >> bit) & 1) === 1;
      const range = even ? lon : lat;
      const mid = (range[0] + range[1]) / 2;
      const next: [number, number] = on ? [mid, range[1]] : [range[0], mid];
      if (even) lon = next;
      else lat = next;
      even = !even;
    }
  }
  return { latitude: (lat[0] + lat[1]) / 2, longitude: (lon[0] + lon[1]) / 2 };
}

const SEGMENTS = [
  {
    segment: { id: 'KZFzniwnSyZfZ7v7nJ', name: 'Music' },
    genre: { id: 'KnvZfZ7vAeA', name: 'Rock' },
  },
  {
    segment: { id: 'KZFzniwnSyZfZ7v7nE', name: 'Sports' },
    genre: { id: 'KnvZfZ7vAde', name: 'Basketball' },
  },
  {
    segment: { id: 'KZFzniwnSyZfZ7v7na', name: 'Arts & Theatre' },
    genre: { id: 'KnvZfZ7v7l1', name: 'Theatre' },
  },
  {
    segment: { id: 'KZFzniwnSyZfZ7v7n1', name: 'Miscellaneous' },
    genre: { id: 'KnvZfZ7vA1n', name: 'Fairs & Festivals' },
  },
] as const;

const VENUES = ['Riverside Arena', 'Old Mill Theatre', 'Harbor Park', 'Civic Center', 'Grand Hall'];
const NAMES = [
  'Summer Nights',
  'City Derby',
  'Harvest Fair',
  'Jazz on the Green',
  'Cup Final',
  'Spring Gala',
];

function unauthorized(): FakeResponse {
  return {
    status: 401,
    body: {
      fault: { faultstring: 'Invalid ApiKey', detail: { errorcode: 'oauth.v2.InvalidApiKey' } },
    },
  };
}

function error(status: number, detail: string): FakeResponse {
  return {
    status,
    body: {
      errors: [
        {
          code: status === 400 ? 'DIS1001' : 'DIS1035',
          detail,
          status: String(status),
          _links: { about: { href: '/discovery/v2/errors.html#DIS1001' } },
        },
      ],
    },
  };
}

/**
 * A fake of app.ticketmaster.com Discovery v2 `GET /discovery/v2/events(.json)`: geo search
 * (`geoPoint` geohash or the deprecated `latlong`), radius, date window, pages, the real envelope
 * `{_embedded:{events}, _links, page}`; deterministic events per area and date.
 */
export function createTicketmasterFake(options: TicketmasterFakeOptions = {}): FakeHttpServer {
  const apiKey = options.apiKey ?? FAKE_TICKETMASTER_API_KEY;
  const timeZone = options.timeZone ?? 'America/New_York';

  return new FakeHttpServer(
    'ticketmaster',
    ({ url, baseUrl }) => {
      if (url.pathname !== '/discovery/v2/events.json' && url.pathname !== '/discovery/v2/events') {
        return error(404, `Resource not found: ${url.pathname}`);
      }
      const params = url.searchParams;
      if (params.get('apikey') !== apiKey) return unauthorized();
      let point: { latitude: number; longitude: number } | null = null;
      const geoPoint = params.get('geoPoint');
      const latlong = params.get('latlong');
      if (geoPoint) point = decodeGeohash(geoPoint);
      else if (latlong) {
        const [lat, lon] = latlong.split(',').map(Number);
        if (Number.isFinite(lat) && Number.isFinite(lon))
          point = { latitude: lat ?? 0, longitude: lon ?? 0 };
      }
      if (!point) return error(400, 'Query param with name geoPoint or latlong is required');
      const radius = Number(params.get('radius') ?? 50);
      const unit = params.get('unit') ?? 'miles';
      const radiusKm = unit === 'km' ? radius : radius * 1.609344;
      const size = Number(params.get('size') ?? 20);
      const page = Number(params.get('page') ?? 0);
      if (
        !Number.isInteger(size) ||
        size < 1 ||
        size > 200 ||
        !Number.isInteger(page) ||
        page < 0
      ) {
        return error(400, 'Invalid paging parameters');
      }
      if (size * page >= 1000)
        return error(400, 'Result window is too large, page * size must be less than 1000');
      const startParam = params.get('startDateTime') ?? new Date().toISOString();
      const endParam = params.get('endDateTime') ?? addDays(startParam.slice(0, 10), 30);
      const start = startParam.slice(0, 10);
      const end = endParam.slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end)) {
        return error(400, 'Invalid startDateTime or endDateTime');
      }
      const cell = `${point.latitude.toFixed(1)},${point.longitude.toFixed(1)}`;
      const events = [];
      for (let date = start; date <= end && events.length < 2_000; date = addDays(date, 1)) {
        const count = Math.floor(hash01(cell, date, 'count') * 3);
        for (let index = 0; index < count; index += 1) {
          const r = (salt: string): number => hash01(cell, date, index, salt);
          const distanceKm = Math.round(r('distance') * 40 * 100) / 100;
          if (distanceKm > radiusKm) continue;
          const hour = 12 + Math.floor(r('hour') * 9);
          const startsAt = zonedTime(date, hour, timeZone);
          const classification =
            SEGMENTS[Math.floor(r('segment') * SEGMENTS.length)] ?? SEGMENTS[0];
          const id = `Z7r9jZ1A${Math.floor(r('id') * 0xffffff).toString(36)}${date.replace(/-/g, '')}${index}`;
          const venueName = VENUES[Math.floor(r('venue') * VENUES.length)] ?? 'Civic Center';
          const name = NAMES[Math.floor(r('name') * NAMES.length)] ?? 'Show';
          const distance =
            unit === 'km' ? distanceKm : Math.round((distanceKm / 1.609344) * 100) / 100;
          events.push({
            name,
            type: 'event',
            id,
            test: false,
            url: `https://www.ticketmaster.com/event/${id}`,
            locale: 'en-us',
            images: [
              {
                ratio: '16_9',
                url: `https://s1.ticketm.net/dam/a/${id}_RETINA_PORTRAIT_16_9.jpg`,
                width: 640,
                height: 360,
                fallback: false,
              },
            ],
            distance,
            units: unit === 'km' ? 'KILOMETERS' : 'MILES',
            dates: {
              start: {
                localDate: date,
                localTime: `${String(hour).padStart(2, '0')}:00:00`,
                dateTime: startsAt.instant.toISOString().replace(/\.\d{3}Z$/, 'Z'),
                dateTBD: false,
                dateTBA: false,
                timeTBA: false,
                noSpecificTime: false,
              },
              timezone: timeZone,
              status: { code: 'onsale' },
              spanMultipleDays: false,
            },
            classifications: [{ primary: true, ...classification }],
            _links: { self: { href: `/discovery/v2/events/${id}?locale=en-us` } },
            _embedded: {
              venues: [
                {
                  name: venueName,
                  type: 'venue',
                  id: `KovZpZA${Math.floor(r('venue-id') * 0xffff).toString(36)}`,
                  locale: 'en-us',
                  distance,
                  units: unit === 'km' ? 'KILOMETERS' : 'MILES',
                  timezone: timeZone,
                  city: { name: 'Fakeville' },
                  country: { name: 'United States Of America', countryCode: 'US' },
                  // The live API sends venue coordinates as strings.
                  location: {
                    longitude: point.longitude.toFixed(6),
                    latitude: point.latitude.toFixed(6),
                  },
                },
              ],
            },
          });
        }
      }
      const totalElements = events.length;
      const totalPages = Math.ceil(totalElements / size);
      const slice = events.slice(page * size, page * size + size);
      const self = `${url.pathname}?${params.toString().replace(/apikey=[^&]*&?/, '')}`;
      return {
        status: 200,
        contentType: 'application/json;charset=utf-8',
        body: {
          ...(slice.length > 0 ? { _embedded: { events: slice } } : {}),
          _links: {
            self: { href: self },
            ...(page + 1 < totalPages
              ? { next: { href: `${baseUrl}${url.pathname}?page=${page + 1}&size=${size}` } }
              : {}),
          },
          page: { size, totalElements, totalPages, number: page },
        },
      };
    },
    (status) =>
      error(status, status === 429 ? 'Rate limit quota violation' : 'Internal Server Error'),
  );
}
