import { z } from 'zod';
import { isProviderError, type ProviderError } from '../http/errors';
import { createHttpClient, type HttpClientOptions } from '../http/http-client';

const NamedSchema = z.object({ name: z.string().optional() }).nullable().optional();

/** The parts of a Discovery v2 Event we use; unknown fields pass (the live API has many). */
export const TicketmasterEventSchema = z.object({
  id: z.string().min(1),
  name: z.string().default(''),
  url: z.string().optional(),
  distance: z.number().optional(),
  units: z.string().optional(),
  dates: z
    .object({
      start: z
        .object({
          localDate: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/)
            .optional(),
          localTime: z.string().optional(),
          dateTime: z.string().optional(),
        })
        .optional(),
      timezone: z.string().optional(),
    })
    .optional(),
  classifications: z
    .array(z.object({ primary: z.boolean().optional(), segment: NamedSchema, genre: NamedSchema }))
    .optional(),
  _embedded: z
    .object({
      venues: z
        .array(z.object({ name: z.string().optional(), distance: z.number().optional() }))
        .optional(),
    })
    .optional(),
});

/** The real search envelope (the Swagger spec models it as a bare array; see contracts quirks). */
export const TicketmasterSearchResponseSchema = z.object({
  _embedded: z.object({ events: z.array(TicketmasterEventSchema) }).optional(),
  page: z.object({
    size: z.number().int(),
    totalElements: z.number().int(),
    totalPages: z.number().int(),
    number: z.number().int(),
  }),
});

/** An event near a market, as the `events` table stores it. */
export interface NearbyEvent {
  externalId: string;
  name: string;
  /** Local date of the start, `YYYY-MM-DD`. */
  date: string;
  /** ISO instant of the start, null when TBA/TBD or a day-long event. */
  startsAt: string | null;
  venueName: string | null;
  distanceKm: number | null;
  /** Ticketmaster does not publish attendance. */
  expectedAttendance: null;
  url: string | null;
  /** Segment (Music, Sports, Arts & Theatre, ...), else genre. */
  category: string | null;
}

/** Configuration; without `apiKey` the provider is off and searches return nothing. */
export interface TicketmasterClientOptions {
  apiKey?: string;
  /** Default `https://app.ticketmaster.com`. */
  baseUrl?: string;
  userAgent: string;
  /** Events per page, max 200. Default 100. */
  pageSize?: number;
  /** Pages fetched per search at most. Default 5. */
  maxPages?: number;
  http?: Omit<HttpClientOptions, 'provider' | 'userAgent'>;
}

/** A geo search over a date window (inclusive local dates). */
export interface TicketmasterSearchRequest {
  latitude: number;
  longitude: number;
  radiusKm: number;
  startDate: string;
  endDate: string;
  signal?: AbortSignal;
}

/** Ticketmaster Discovery v2 event search. */
export interface TicketmasterClient {
  /** `disabled` when no key is configured (not an error). */
  readonly status: 'enabled' | 'disabled';
  searchEvents(request: TicketmasterSearchRequest): Promise<NearbyEvent[]>;
}

/** True for an error raised by the Ticketmaster client. */
export function isTicketmasterError(error: unknown): error is ProviderError {
  return isProviderError(error) && error.provider === 'ticketmaster';
}

const GEOHASH_ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/** Geohash of a point (Discovery's `geoPoint`; `latlong` is deprecated). */
export function encodeGeohash(latitude: number, longitude: number, precision = 9): string {
  let latRange: [number, number] = [-90, 90];
  let lonRange: [number, number] = [-180, 180];
  let hash = '';
  let bits = 0;
  let bitCount = 0;
  let evenBit = true;
  while (hash.length < precision) {
    const range = evenBit ? lonRange : latRange;
    const value = evenBit ? longitude : latitude;
    const mid = (range[0] + range[1]) / 2;
    bits <<= 1;
    if (value >= mid) {
      bits |= 1;
      if (evenBit) lonRange = [mid, range[1]];
      else latRange = [mid, range[1]];
    } else if (evenBit) lonRange = [range[0], mid];
    else latRange = [range[0], mid];
    evenBit = !evenBit;
    bitCount += 1;
    if (bitCount === 5) {
      hash += GEOHASH_ALPHABET[bits];
      bits = 0;
      bitCount = 0;
    }
  }
  return hash;
}

/** Discovery's deep-paging limit: page * size must stay below 1,000. */
const DEEP_PAGING_LIMIT = 1_000;

/** Builds the Ticketmaster client. */
export function createTicketmasterClient(options: TicketmasterClientOptions): TicketmasterClient {
  const apiKey = options.apiKey?.trim();
  const pageSize = Math.min(200, Math.max(1, options.pageSize ?? 100));
  const maxPages = Math.max(1, options.maxPages ?? 5);
  const baseUrl = options.baseUrl ?? 'https://app.ticketmaster.com';
  const http = createHttpClient({
    ...options.http,
    provider: 'ticketmaster',
    userAgent: options.userAgent,
  });

  if (!apiKey) {
    return {
      status: 'disabled',
      searchEvents: () => Promise.resolve([]),
    };
  }

  return {
    status: 'enabled',
    async searchEvents(request) {
      const events: NearbyEvent[] = [];
      const seen = new Set<string>();
      for (let page = 0; page < maxPages && (page + 1) * pageSize <= DEEP_PAGING_LIMIT; page += 1) {
        const url = new URL('/discovery/v2/events.json', baseUrl);
        url.searchParams.set('apikey', apiKey);
        url.searchParams.set('geoPoint', encodeGeohash(request.latitude, request.longitude));
        url.searchParams.set('radius', String(Math.max(1, Math.round(request.radiusKm))));
        url.searchParams.set('unit', 'km');
        // Discovery wants UTC without milliseconds; a day's margin each side covers every zone,
        // and events are then kept by their local date.
        url.searchParams.set('startDateTime', `${shiftDate(request.startDate, -1)}T00:00:00Z`);
        url.searchParams.set('endDateTime', `${shiftDate(request.endDate, 1)}T23:59:59Z`);
        url.searchParams.set('sort', 'date,asc');
        url.searchParams.set('size', String(pageSize));
        url.searchParams.set('page', String(page));
        const body = await http.getJson({
          url,
          schema: TicketmasterSearchResponseSchema,
          signal: request.signal,
        });
        for (const event of body._embedded?.events ?? []) {
          const mapped = toNearbyEvent(event);
          if (!mapped || seen.has(mapped.externalId)) continue;
          if (mapped.date < request.startDate || mapped.date > request.endDate) continue;
          seen.add(mapped.externalId);
          events.push(mapped);
        }
        if (body.page.number + 1 >= body.page.totalPages) break;
      }
      return events;
    },
  };
}

function shiftDate(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** Maps one Discovery event; events without a local date (TBA) are skipped. */
export function toNearbyEvent(event: z.output<typeof TicketmasterEventSchema>): NearbyEvent | null {
  const start = event.dates?.start;
  const date = start?.localDate ?? start?.dateTime?.slice(0, 10);
  if (!date) return null;
  const venue = event._embedded?.venues?.[0];
  const rawDistance = event.distance ?? venue?.distance;
  const distanceKm =
    rawDistance === undefined
      ? null
      : Math.round((/mile/i.test(event.units ?? '') ? rawDistance * 1.609344 : rawDistance) * 100) /
        100;
  const classification =
    event.classifications?.find((entry) => entry.primary) ?? event.classifications?.[0];
  const segment = classification?.segment?.name;
  const genre = classification?.genre?.name;
  const category =
    segment && segment !== 'Undefined' ? segment : genre && genre !== 'Undefined' ? genre : null;
  const startsAt = start?.dateTime ? new Date(start.dateTime) : null;
  return {
    externalId: event.id,
    name: event.name,
    date,
    startsAt: startsAt && !Number.isNaN(startsAt.getTime()) ? startsAt.toISOString() : null,
    venueName: venue?.name ?? null,
    distanceKm,
    expectedAttendance: null,
    url: event.url ?? null,
    category,
  };
}
