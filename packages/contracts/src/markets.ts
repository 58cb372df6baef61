import { iso31661 } from 'iso-3166';
import { z } from 'zod';
import { WEEK_OF_MONTH_VALUES } from './market-calendar';
import { NextCursorSchema, PaginationQuerySchema, textSchema } from './pagination';

/** First and last calendar day any date of the API may name (PostgreSQL and JS agree on these). */
export const DATE_WINDOW = { first: '1900-01-01', last: '2200-12-31' } as const;

/**
 * Calendar date as the market sees it, `YYYY-MM-DD`: a real day (2026-02-30 is refused) within
 * {@link DATE_WINDOW}. Years such as 0000, 0001 or 9999 are valid ISO dates that no market has and
 * that date arithmetic downstream does not survive, so they stop here with a 400.
 */
export const LocalDateSchema = z.iso
  .date()
  .refine((date) => date >= DATE_WINDOW.first && date <= DATE_WINDOW.last, {
    message: `Expected a date between ${DATE_WINDOW.first} and ${DATE_WINDOW.last}`,
  });

const ASSIGNED_COUNTRIES = new Set(
  iso31661.filter((country) => country.state === 'assigned').map((country) => country.alpha2),
);

/**
 * An assigned ISO 3166-1 alpha-2 country code (`us` is read as `US`); user-assigned and unknown
 * codes such as `ZZ`, `XX` or `AA` are refused.
 */
export const CountryCodeSchema = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'Expected an ISO 3166-1 alpha-2 country code such as US')
  .transform((value) => value.toUpperCase())
  .refine((code) => ASSIGNED_COUNTRIES.has(code), 'Not an ISO 3166-1 country code');

/** Local wall-clock time `HH:MM`. */
export const LocalTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected HH:MM');

/** A day of the year `MM-DD` (season bounds; repeats every year). */
export const MonthDaySchema = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'Expected MM-DD')
  .refine((value) => {
    const [month, day] = value.split('-').map(Number);
    // 2000 is a leap year, so 02-29 is a valid season bound.
    const date = new Date(Date.UTC(2000, (month ?? 1) - 1, day ?? 1));
    return date.getUTCMonth() === (month ?? 1) - 1;
  }, 'Not a day of the year');

/**
 * Which of the month's weekdays a market runs on, for one that does not run every week: `[1, 3]`
 * is the 1st and 3rd Saturdays, `[-1]` the last one; empty for every week.
 */
export const WeeksOfMonthSchema = z
  .array(
    z
      .number()
      .int()
      .refine((week) => (WEEK_OF_MONTH_VALUES as readonly number[]).includes(week), {
        message: 'A week of the month is 1 to 5 (first to fifth) or -1 (the last)',
      }),
  )
  .max(6)
  .refine((weeks) => new Set(weeks).size === weeks.length, 'Name each week of the month once')
  .describe(
    "Which of the month's weekdays it runs on: 1-5 = first to fifth, -1 = last ([1, 3] = 1st and 3rd); empty for every week",
  );

/** One weekly opening of a market; weekday 0 = Monday. */
export const MarketScheduleEntrySchema = z.object({
  weekday: z.number().int().min(0).max(6),
  opensAt: LocalTimeSchema,
  closesAt: LocalTimeSchema,
  /** First day of the season (`MM-DD`, inclusive), or null for all year. */
  seasonFrom: MonthDaySchema.nullable().optional(),
  /** Last day of the season (`MM-DD`, inclusive); before `seasonFrom` wraps over New Year. */
  seasonTo: MonthDaySchema.nullable().optional(),
  /** Which of the month's weekdays it runs on; empty (or absent) for every week. */
  weeksOfMonth: WeeksOfMonthSchema.optional(),
  /** Every other week: a date it runs on, and every two weeks from it; null (or absent) otherwise. */
  everyOtherWeekFrom: LocalDateSchema.nullable().optional(),
});

/**
 * The owner's size of a market: about `scale` times the market `referenceMarketId` ("about half
 * of Riverside" is `{ referenceMarketId: riversideId, scale: 0.5 }`). The forecast uses it for a
 * market without sales of its own; without it, a new market starts from the vendor's smallest one.
 */
export const MarketExpectedSizeSchema = z
  .object({
    referenceMarketId: z
      .uuid()
      .describe('Another active market of the same vendor (not this one) to compare with'),
    scale: z
      .number()
      .min(0.1, 'Between 0.1 and 5 times the other market')
      .max(5, 'Between 0.1 and 5 times the other market')
      .multipleOf(0.01, 'At most two decimals, e.g. 0.75')
      .describe('How many times the reference market, 0.1-5 (two decimals): 0.5 = about half'),
  })
  .strict()
  .meta({
    id: 'MarketExpectedSize',
    example: { referenceMarketId: '3f6c2a9e-8d1b-4c5e-9a7f-2b4d6e8f0a1c', scale: 0.5 },
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
    nextMarketDate: LocalDateSchema.nullable().describe(
      'The next SCHEDULED market day on the calendar (today included), or null (none planned: out of season, or no schedule)',
    ),
    lastMarketDate: LocalDateSchema.nullable()
      .optional()
      .describe(
        'The latest market day of the last 14 days, today included (a stored SCHEDULED day, or a weekly opening in season without a stored day; never a cancelled or out-of-season day): the one to check in. Null when there was none.',
      ),
    expectedSize: MarketExpectedSizeSchema.nullable()
      .optional()
      .describe(
        "The owner's size of this market relative to another of theirs, used until it has its own sales; null when not given (then the vendor's smallest market). Always sent by this API.",
      ),
    /** Set when the market was archived (it stays readable, leaves the list). */
    archivedAt: z.iso.datetime().nullable().optional(),
    createdAt: z.iso.datetime().optional(),
    updatedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'Market' });

/** `GET /v1/markets`. */
export const MarketListSchema = z
  .object({ data: z.array(MarketSchema), nextCursor: NextCursorSchema.optional() })
  .meta({ id: 'MarketList' });

/** `?limit=&cursor=&includeArchived=` of `GET /v1/markets`. */
export const MarketListQuerySchema = PaginationQuerySchema.extend({
  includeArchived: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .describe('Also list archived markets'),
});

/** One weekly opening in a request: weekday 0 = Monday, opensAt before closesAt. */
export const MarketScheduleInputSchema = z
  .object({
    weekday: z
      .number()
      .int()
      .min(0, 'weekday is 0 (Monday) to 6 (Sunday)')
      .max(6, 'weekday is 0 (Monday) to 6 (Sunday)'),
    opensAt: LocalTimeSchema,
    closesAt: LocalTimeSchema,
    seasonFrom: MonthDaySchema.nullable()
      .optional()
      .describe(
        'First day of the season (MM-DD), null for all year. In a PATCH, an entry that leaves out both season keys keeps the season of the current entry with the same weekday and times',
      ),
    seasonTo: MonthDaySchema.nullable()
      .optional()
      .describe('Last day of the season (MM-DD, inclusive), null for all year'),
    weeksOfMonth: WeeksOfMonthSchema.optional().describe(
      "Which of the month's weekdays it runs on: 1-5 = first to fifth, -1 = last ([1, 3] = 1st and 3rd Saturdays); empty for every week. In a PATCH, an entry that leaves out both weeksOfMonth and everyOtherWeekFrom keeps the weeks of the current entry with the same weekday and times",
    ),
    everyOtherWeekFrom: LocalDateSchema.nullable()
      .optional()
      .describe(
        'Every other week: a date it runs on (on its weekday), and then every two weeks from it; null for every week. Not with weeksOfMonth (sending either one sets both)',
      ),
  })
  .strict()
  .refine((entry) => entry.opensAt < entry.closesAt, {
    message: 'opensAt must be before closesAt',
    path: ['closesAt'],
  })
  .refine((entry) => (entry.seasonFrom == null) === (entry.seasonTo == null), {
    message: 'Give both seasonFrom and seasonTo, or neither',
    path: ['seasonTo'],
  })
  .refine(
    (entry) =>
      entry.everyOtherWeekFrom == null ||
      (new Date(`${entry.everyOtherWeekFrom}T00:00:00Z`).getUTCDay() + 6) % 7 === entry.weekday,
    {
      message: 'everyOtherWeekFrom must be a date on the entry’s weekday',
      path: ['everyOtherWeekFrom'],
    },
  )
  .refine((entry) => entry.everyOtherWeekFrom == null || (entry.weeksOfMonth ?? []).length === 0, {
    message: 'Every other week or some weeks of the month, not both',
    path: ['everyOtherWeekFrom'],
  });

const marketFields = {
  name: textSchema({ min: 1, max: 120 }),
  address: textSchema({ max: 300 }).nullable(),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  timezone: z.string().min(1).max(64).describe('IANA time zone, e.g. America/Chicago'),
  countryCode: CountryCodeSchema,
  regionCode: z
    .string()
    .regex(/^[A-Za-z0-9]{1,10}$/, 'Expected a subdivision code such as IL')
    .transform((value) => value.toUpperCase())
    .nullable(),
  boothFeeMinor: z.number().int().min(0).max(100_000_000).describe('Minor units (cents)'),
  schedule: z
    .array(MarketScheduleInputSchema)
    .max(21)
    .describe('The whole weekly schedule; replaces the current one'),
  expectedSize: MarketExpectedSizeSchema.nullable().describe(
    "The owner's size: about `scale` times another of the vendor's active markets, used until this market has its own sales. null clears it; in a PATCH, leaving it out keeps it",
  ),
};

/** `POST /v1/markets`. */
export const MarketCreateBodySchema = z
  .object({
    name: marketFields.name,
    address: marketFields.address.optional(),
    latitude: marketFields.latitude,
    longitude: marketFields.longitude,
    timezone: marketFields.timezone,
    countryCode: marketFields.countryCode,
    regionCode: marketFields.regionCode.optional(),
    boothFeeMinor: marketFields.boothFeeMinor.optional(),
    schedule: marketFields.schedule.optional(),
    expectedSize: marketFields.expectedSize.optional(),
  })
  .strict()
  .meta({
    id: 'MarketCreateBody',
    example: {
      name: 'Green City Market',
      address: '1817 N Clark St, Chicago, IL',
      latitude: 41.9136,
      longitude: -87.6347,
      timezone: 'America/Chicago',
      countryCode: 'US',
      regionCode: 'IL',
      boothFeeMinor: 6500,
      schedule: [{ weekday: 5, opensAt: '07:00', closesAt: '13:00' }],
    },
  });

/**
 * `PATCH /v1/markets/:marketId`: only the fields given change. `schedule` replaces the set; an
 * entry without season keys (or without `weeksOfMonth`) keeps the season (or the weeks) of the
 * current entry with its weekday and times;
 * `expectedSize` left out keeps the current size, null clears it.
 */
export const MarketUpdateBodySchema = z
  .object(marketFields)
  .partial()
  .strict()
  .meta({ id: 'MarketUpdateBody', example: { boothFeeMinor: 7000 } });

/** `/v1/markets/:marketId`. */
export const MarketParamsSchema = z.object({ marketId: z.uuid() });

/** A market. */
export type Market = z.infer<typeof MarketSchema>;
/** A list of markets. */
export type MarketList = z.infer<typeof MarketListSchema>;
/** The owner's size of a market ("about half of Riverside"). */
export type MarketExpectedSize = z.infer<typeof MarketExpectedSizeSchema>;
/** A weekly opening in a request. */
export type MarketScheduleInput = z.infer<typeof MarketScheduleInputSchema>;
/** `POST /v1/markets` after parsing. */
export type MarketCreateBody = z.infer<typeof MarketCreateBodySchema>;
/** `PATCH /v1/markets/:marketId` after parsing. */
export type MarketUpdateBody = z.infer<typeof MarketUpdateBodySchema>;
