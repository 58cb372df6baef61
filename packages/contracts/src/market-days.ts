import { z } from 'zod';
import { LocalDateSchema, LocalTimeSchema } from './markets';
import { PaginationQuerySchema, pageSchema, textSchema } from './pagination';

/** Whether the vendor goes to the market that day. */
export const MarketDayStatusSchema = z.enum(['SCHEDULED', 'CANCELLED']);

/** One market date of one market. */
export const MarketDaySchema = z
  .object({
    id: z.uuid(),
    marketId: z.uuid(),
    date: LocalDateSchema.describe('Local calendar date of the market'),
    status: MarketDayStatusSchema,
    opensAt: LocalTimeSchema.nullable().describe('Local opening time that day'),
    closesAt: LocalTimeSchema.nullable().describe('Local closing time that day'),
    notes: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'MarketDay' });

/** `GET /v1/markets/:marketId/market-days`. */
export const MarketDayListSchema = pageSchema(MarketDaySchema).meta({ id: 'MarketDayList' });

/** `?from=&to=&status=` (inclusive local dates) plus pagination. */
export const MarketDayListQuerySchema = PaginationQuerySchema.extend({
  from: LocalDateSchema.optional().describe('First date, inclusive'),
  to: LocalDateSchema.optional().describe('Last date, inclusive'),
  status: MarketDayStatusSchema.optional(),
});

const notes = textSchema({ max: 2000 }).nullable();

/** `POST /v1/markets/:marketId/market-days`: a one-off date (times default to the schedule's). */
export const MarketDayCreateBodySchema = z
  .object({
    date: LocalDateSchema,
    opensAt: LocalTimeSchema.optional(),
    closesAt: LocalTimeSchema.optional(),
    notes: notes.optional(),
  })
  .strict()
  .meta({
    id: 'MarketDayCreateBody',
    example: { date: '2026-12-19', opensAt: '09:00', closesAt: '14:00', notes: 'Holiday market' },
  });

/** `PATCH /v1/market-days/:marketDayId`. Times are owner-only; status and notes are for staff too. */
export const MarketDayUpdateBodySchema = z
  .object({
    status: MarketDayStatusSchema,
    notes,
    opensAt: LocalTimeSchema.nullable(),
    closesAt: LocalTimeSchema.nullable(),
  })
  .partial()
  .strict()
  .meta({ id: 'MarketDayUpdateBody', example: { status: 'CANCELLED', notes: 'Storm warning' } });

/** `/v1/market-days/:marketDayId`. */
export const MarketDayParamsSchema = z.object({ marketDayId: z.uuid() });

/** A market day. */
export type MarketDay = z.infer<typeof MarketDaySchema>;
/** `POST /v1/markets/:marketId/market-days` after parsing. */
export type MarketDayCreateBody = z.infer<typeof MarketDayCreateBodySchema>;
/** `PATCH /v1/market-days/:marketDayId` after parsing. */
export type MarketDayUpdateBody = z.infer<typeof MarketDayUpdateBodySchema>;
/** Query of the market-day list after parsing. */
export type MarketDayListQuery = z.infer<typeof MarketDayListQuerySchema>;
