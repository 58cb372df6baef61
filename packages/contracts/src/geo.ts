import { z } from 'zod';

/**
 * `GET /v1/geo/lookup?q=`: a US ZIP code (`60614`, `60614-1234`) or a place (`Evanston, IL`,
 * `Evanston Illinois`, `Evanston`). Letters, digits, spaces and `,.'-` only.
 */
export const GeoLookupQuerySchema = z
  .object({
    q: z
      .string()
      .trim()
      .min(2, 'Type a ZIP code or a town, e.g. 60614 or Evanston, IL')
      .max(100, 'At most 100 characters')
      .regex(
        /^[\p{L}\p{N} ,.'-]+$/u,
        "Use letters, digits, spaces and , . ' - only, e.g. 60614 or Evanston, IL",
      )
      .describe('A US ZIP code or a place name, optionally with its state'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(8)
      .default(8)
      .describe('Most places to return, 1-8 (default 8)'),
  })
  .strict();

/** One place a lookup found: where it is and the time zone it keeps. */
export const GeoPlaceSchema = z
  .object({
    label: z.string().describe('e.g. "Chicago, IL 60614" or "Evanston, IL"'),
    city: z.string(),
    regionCode: z.string().describe('State or province code, e.g. IL'),
    countryCode: z.string().length(2),
    zip: z.string().nullable().describe('The ZIP code looked up; null for a place name'),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    timezone: z.string().describe('IANA time zone at that point, e.g. America/Chicago'),
  })
  .meta({ id: 'GeoPlace' });

/** `GET /v1/geo/lookup`: the places found, best first (at most 8; none is an empty list). */
export const GeoLookupResultSchema = z
  .object({
    data: z.array(GeoPlaceSchema).max(8),
    nextCursor: z.null().describe('Always null: a lookup answers its best places in one page'),
  })
  .meta({ id: 'GeoLookupResult' });

/** A place found by the lookup. */
export type GeoPlace = z.infer<typeof GeoPlaceSchema>;
/** The lookup's answer. */
export type GeoLookupResult = z.infer<typeof GeoLookupResultSchema>;
