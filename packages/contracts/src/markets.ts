import { z } from 'zod';

/** Calendar date as the market sees it, `YYYY-MM-DD`. */
export const LocalDateSchema = z.iso.date();

/** Local wall-clock time `HH:MM`. */
export const LocalTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected HH:MM');

/** One weekly opening of a market; weekday 0 = Monday. */
export const MarketScheduleEntrySchema = z.object({
  weekday: z.number().int().min(0).max(6),
  opensAt: LocalTimeSchema,
  closesAt: LocalTimeSchema,
});

/** A market as the API returns it. */
export const MarketSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    address: z.string().nullable(),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    timezone: z.string().describe('IANA time zone of the market'),
    countryCode: z.string().length(2),
    regionCode: z.string().nullable(),
    boothFeeMinor: z.number().int().nonnegative().describe('Booth fee in minor units (cents)'),
    active: z.boolean(),
    schedule: z.array(MarketScheduleEntrySchema),
    nextMarketDate: LocalDateSchema.nullable(),
  })
  .meta({ id: 'Market' });

/** `GET /v1/markets`. */
export const MarketListSchema = z
  .object({ data: z.array(MarketSchema) })
  .meta({ id: 'MarketList' });

/** A market. */
export type Market = z.infer<typeof MarketSchema>;
/** A list of markets. */
export type MarketList = z.infer<typeof MarketListSchema>;
