import { z } from 'zod';
import { LocalDateSchema } from './markets';
import { PaginationQuerySchema, pageSchema, textSchema } from './pagination';

/** Where an event comes from: Ticketmaster Discovery, or entered by the vendor. */
export const EventSourceSchema = z.enum(['TICKETMASTER', 'VENDOR']);

/** An event near a market on a date (a concert, a game): it may change demand that day. */
export const EventSchema = z
  .object({
    id: z.uuid(),
    marketId: z.uuid(),
    source: EventSourceSchema,
    name: z.string(),
    date: LocalDateSchema.describe('Local calendar date of the event'),
    startsAt: z.iso.datetime().optional(),
    endsAt: z.iso.datetime().optional(),
    venueName: z.string().optional(),
    expectedAttendance: z.number().int().min(0).optional(),
    url: z.string().optional(),
    category: z.string().optional(),
  })
  .meta({ id: 'Event' });

/** `GET /v1/markets/:marketId/events`. */
export const EventListSchema = pageSchema(EventSchema).meta({ id: 'EventList' });

/** `?from=&to=` (inclusive local dates) plus pagination. */
export const EventListQuerySchema = PaginationQuerySchema.extend({
  from: LocalDateSchema.optional().describe('First date, inclusive'),
  to: LocalDateSchema.optional().describe('Last date, inclusive'),
});

/** Largest expected attendance accepted. */
export const MAX_EVENT_ATTENDANCE = 10_000_000;

const EventUrlSchema = z
  .url({ protocol: /^https?$/, hostname: z.regexes.domain })
  .max(2000)
  .describe('http(s) link to the event page');

/** `POST /v1/markets/:marketId/events`: an event the vendor knows about. */
export const EventCreateBodySchema = z
  .object({
    name: textSchema({ min: 1, max: 200 }),
    date: LocalDateSchema,
    expectedAttendance: z.number().int().min(0).max(MAX_EVENT_ATTENDANCE).optional(),
    url: EventUrlSchema.optional(),
    category: textSchema({ min: 1, max: 100 }).optional(),
    venueName: textSchema({ min: 1, max: 200 }).optional(),
  })
  .strict()
  .meta({
    id: 'EventCreateBody',
    example: {
      name: 'Harvest 10K run',
      date: '2026-12-19',
      expectedAttendance: 3000,
      category: 'sports',
      venueName: 'Riverside Park',
      url: 'https://example.com/harvest-10k',
    },
  });

/** `/v1/markets/:marketId/events/:eventId`. */
export const EventParamsSchema = z.object({ marketId: z.uuid(), eventId: z.uuid() });

/** An event. */
export type MarketEvent = z.infer<typeof EventSchema>;
/** `POST /v1/markets/:marketId/events` after parsing. */
export type EventCreateBody = z.infer<typeof EventCreateBodySchema>;
/** Query of the event list after parsing. */
export type EventListQuery = z.infer<typeof EventListQuerySchema>;
