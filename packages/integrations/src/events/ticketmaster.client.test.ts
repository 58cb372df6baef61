import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isTicketmasterError } from './ticketmaster.client';
import {
  TicketmasterSearchResponseSchema,
  createTicketmasterClient,
  encodeGeohash,
  toNearbyEvent,
} from './ticketmaster.client';

// Hand-built after the real Discovery v2 envelope (contracts README: the spec models a bare array).
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/discovery-events-search.json', import.meta.url), 'utf8'),
) as { page: { totalPages: number } };

describe('Ticketmaster client', () => {
  it('maps the envelope’s events to nearby events', () => {
    const body = TicketmasterSearchResponseSchema.parse(fixture);
    const events = (body._embedded?.events ?? []).map(toNearbyEvent);
    expect(events).toEqual([
      {
        externalId: 'vvG1fZ9kPq3aBc',
        name: 'Harbor Jazz Festival',
        date: '2026-06-13',
        startsAt: '2026-06-13T22:30:00.000Z',
        venueName: 'Inner Harbor Amphitheater',
        distanceKm: 3.88, // 2.41 miles
        expectedAttendance: null,
        url: 'https://www.ticketmaster.com/harbor-jazz-festival-baltimore-maryland-06-13-2026/event/15006058D1',
        category: 'Music',
      },
      {
        externalId: 'Z7r9jZ1AdJ9uK',
        name: 'County Fair Opening Day',
        date: '2026-06-14',
        startsAt: null,
        venueName: null,
        distanceKm: 19.15,
        expectedAttendance: null,
        url: 'https://www.ticketmaster.com/event/Z7r9jZ1AdJ9uK',
        category: 'Miscellaneous',
      },
    ]);
  });

  it('reports disabled without a key and makes no request', async () => {
    let calls = 0;
    const client = createTicketmasterClient({
      userAgent: 't',
      http: {
        fetch: () => {
          calls += 1;
          return Promise.reject(new Error('must not be called'));
        },
      },
    });
    expect(client.status).toBe('disabled');
    await expect(
      client.searchEvents({
        latitude: 39.3,
        longitude: -76.6,
        radiusKm: 20,
        startDate: '2026-06-13',
        endDate: '2026-06-14',
      }),
    ).resolves.toEqual([]);
    expect(calls).toBe(0);
  });

  it('follows pages up to the cap with the geo, radius and window parameters', async () => {
    const urls: URL[] = [];
    const lastPage = { page: { size: 2, totalElements: 3, totalPages: 2, number: 1 } };
    const client = createTicketmasterClient({
      apiKey: 'k-123',
      userAgent: 't',
      pageSize: 2,
      http: {
        retries: 0,
        fetch: (input) => {
          const url = new URL(input instanceof Request ? input.url : input.toString());
          urls.push(url);
          const body = url.searchParams.get('page') === '0' ? fixture : lastPage;
          return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
        },
      },
    });
    const events = await client.searchEvents({
      latitude: 39.2904,
      longitude: -76.6122,
      radiusKm: 25,
      startDate: '2026-06-13',
      endDate: '2026-06-14',
    });
    expect(events.map((event) => event.externalId)).toEqual(['vvG1fZ9kPq3aBc', 'Z7r9jZ1AdJ9uK']);
    expect(urls.map((url) => url.searchParams.get('page'))).toEqual(['0', '1']);
    const first = urls[0]!;
    expect(first.pathname).toBe('/discovery/v2/events.json');
    expect(Object.fromEntries(first.searchParams)).toMatchObject({
      apikey: 'k-123',
      geoPoint: encodeGeohash(39.2904, -76.6122),
      radius: '25',
      unit: 'km',
      startDateTime: '2026-06-12T00:00:00Z',
      endDateTime: '2026-06-15T23:59:59Z',
      size: '2',
    });
  });

  it('drops events outside the local date window (the query window has a day of margin)', async () => {
    const client = createTicketmasterClient({
      apiKey: 'k',
      userAgent: 't',
      maxPages: 1,
      http: {
        fetch: () => Promise.resolve(new Response(JSON.stringify(fixture), { status: 200 })),
      },
    });
    const events = await client.searchEvents({
      latitude: 39.3,
      longitude: -76.6,
      radiusKm: 25,
      startDate: '2026-06-14',
      endDate: '2026-06-14',
    });
    expect(events.map((event) => event.date)).toEqual(['2026-06-14']);
  });

  it('encodes geohashes like the reference implementation', () => {
    expect(encodeGeohash(57.64911, 10.40744, 11)).toBe('u4pruydqqvj');
  });

  it('tags its errors', async () => {
    const client = createTicketmasterClient({
      apiKey: 'k',
      userAgent: 't',
      http: { retries: 0, fetch: () => Promise.resolve(new Response('{}', { status: 401 })) },
    });
    const error: unknown = await client
      .searchEvents({
        latitude: 1,
        longitude: 1,
        radiusKm: 1,
        startDate: '2026-01-01',
        endDate: '2026-01-01',
      })
      .catch((e: unknown) => e);
    expect(isTicketmasterError(error)).toBe(true);
  });
});
