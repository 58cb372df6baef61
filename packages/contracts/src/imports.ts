import { z } from 'zod';
import { CountryCodeSchema } from './markets';
import { NextCursorSchema } from './pagination';
import { ProblemSchema } from './problem';

/** Layouts the sales importer understands. */
export const ImportFormatSchema = z
  .enum(['plain', 'square-item-sales'])
  .describe(
    '`plain`: date,market,product,quantity[,brought][,unit_price]; `square-item-sales`: Square Dashboard "Item Sales" export',
  );

/** Text encodings the importer detects. */
export const ImportEncodingSchema = z.enum([
  'utf-8',
  'utf-8-bom',
  'utf-16le',
  'utf-16be',
  'windows-1252',
]);

/** Field delimiters the importer detects from the header line. */
export const ImportDelimiterSchema = z.enum([',', ';', '\t']);

/** Where an import stands. */
export const ImportStatusSchema = z.enum(['PREVIEWED', 'COMMITTED', 'FAILED']);

/** One problem in one row of the file (line 1 is the header). */
export const ImportRowErrorSchema = z
  .object({
    line: z.number().int().min(1),
    column: z.string().nullable().describe('Header name of the offending column, if one'),
    message: z.string(),
  })
  .meta({ id: 'ImportRowError' });

/** Query of the upload endpoints: the file name (for the history) and defaults for new markets. */
export const ImportUploadQuerySchema = z
  .object({
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      // No control character at all (NUL is refused by PostgreSQL; a line break has no place in a
      // file name shown in the history).
      .regex(/^\P{Cc}*$/u, 'Must not contain control characters')
      .optional(),
    marketTimezone: z
      .string()
      .min(1)
      .max(64)
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'Unknown IANA time zone')
      .optional()
      .describe("Time zone of markets the import creates (default: the vendor's)"),
    marketCountryCode: CountryCodeSchema.optional().describe(
      'Country of markets the import creates (default US)',
    ),
  })
  .strict();

/**
 * A market's weekly schedule as the file's sales suggest it: the weekdays that carry its sale days
 * over the last year (one-off days left out), its season months when a full year shows a break,
 * and the openings to prefill, with the weeks of the month of a market that does not run every week.
 */
export const ImportScheduleSuggestionSchema = z
  .object({
    market: z.string().describe('The market name as in the file'),
    weekdays: z.array(z.number().int().min(0).max(6)).describe('0 = Monday, ascending'),
    seasonFrom: z.string().nullable().describe('MM-DD, null for all year'),
    seasonTo: z.string().nullable().describe('MM-DD, null for all year'),
    openings: z
      .array(
        z.object({
          weekday: z.number().int().min(0).max(6),
          seasonFrom: z.string().nullable().describe('MM-DD, null for all year'),
          seasonTo: z.string().nullable().describe('MM-DD, null for all year'),
          weeksOfMonth: z
            .array(z.number().int())
            .describe('1-5 = first to fifth, -1 = last; empty for every week'),
          everyOtherWeekFrom: z
            .string()
            .nullable()
            .describe(
              'Every other week: its last sale day on that weekday (YYYY-MM-DD); else null',
            ),
        }),
      )
      .describe(
        'The openings to suggest: one per weekday with the season above, or two for a weekday that runs every week in some months and on some weeks of the month in the others (weekly May-Oct, 1st and 3rd Saturdays Nov-Apr)',
      ),
    saleDays: z.number().int().nonnegative().describe('Distinct sale days in the last year'),
    matchedDays: z.number().int().nonnegative().describe('Of those, on the suggested weekdays'),
    strayDays: z.number().int().nonnegative().describe('Other sale days, left out as one-offs'),
  })
  .meta({ id: 'ImportScheduleSuggestion' });

/** What an upload understood (preview) or applied (commit). */
/** A plan limit the previewed file would pass on commit. */
export const ImportPlanLimitSchema = z
  .object({
    limit: z.enum(['markets', 'products']),
    allowed: z.number().int().nonnegative().describe('What the plan includes'),
    current: z.number().int().nonnegative().describe('What the business has now'),
    adding: z.number().int().positive().describe('New ones in the file'),
    requiredPlan: z.string().nullable().describe('The cheapest plan that allows them all'),
    message: z.string().describe('The words the commit would be refused with'),
  })
  .meta({ id: 'ImportPlanLimit' });

export const ImportReportSchema = z
  .object({
    importId: z.uuid().nullable(),
    fileName: z.string(),
    fileSha256: z.string(),
    status: ImportStatusSchema,
    alreadyImported: z
      .boolean()
      .describe('This exact file (same SHA-256) was committed before; nothing changed'),
    format: ImportFormatSchema,
    encoding: ImportEncodingSchema,
    delimiter: ImportDelimiterSchema,
    ignoredColumns: z.array(z.string()),
    rowsRead: z.number().int().nonnegative(),
    rowsValid: z.number().int().nonnegative(),
    rowsSkipped: z
      .number()
      .int()
      .nonnegative()
      .describe('Rows that are no product sale (Square "Custom Amount" itemizations)'),
    errorCount: z.number().int().nonnegative(),
    errors: z.array(ImportRowErrorSchema).describe('The first 200 problems, in file order'),
    dateRange: z.object({ from: z.iso.date(), to: z.iso.date() }).nullable(),
    markets: z.object({ existing: z.array(z.string()), new: z.array(z.string()) }),
    products: z.object({ existing: z.array(z.string()), new: z.array(z.string()) }),
    totals: z.object({
      salesLines: z
        .number()
        .int()
        .nonnegative()
        .describe('Distinct (market, product, date) combinations'),
      quantity: z.number().describe('Units sold, before refunds'),
      refundedQuantity: z.number(),
      revenueMinor: z.number().int().describe('Net revenue in minor units, refunds deducted'),
    }),
    planLimits: z
      .array(ImportPlanLimitSchema)
      .optional()
      .describe(
        'Preview only: the plan limits a commit of this file would pass (it would be refused whole, 403), with the plan that unlocks them; empty when it fits',
      ),
    suggestedSchedules: z
      .array(ImportScheduleSuggestionSchema)
      .optional()
      .describe(
        "Each market's weekly schedule as its sales dates suggest it, for the owner to confirm (missing in reports stored before suggestions)",
      ),
    committedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ImportReport' });

/** An import in the history list. */
export const ImportSummarySchema = z
  .object({
    id: z.uuid(),
    fileName: z.string(),
    fileSha256: z.string(),
    format: z.string(),
    status: ImportStatusSchema,
    rowCount: z.number().int().nonnegative(),
    errorCount: z.number().int().nonnegative(),
    createdAt: z.iso.datetime(),
    committedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ImportSummary' });

/** `GET /v1/imports`. */
export const ImportListSchema = z
  .object({ data: z.array(ImportSummarySchema), nextCursor: NextCursorSchema })
  .meta({ id: 'ImportList' });

/** `GET /v1/imports` query. */
export const ImportListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe('Opaque cursor: the `nextCursor` of the previous page'),
  })
  .strict();

/** `GET /v1/imports/:importId` params. */
export const ImportParamsSchema = z.object({ importId: z.uuid() }).strict();

/** A refused commit: the problem plus the full report (row errors with line numbers). */
export const ImportProblemSchema = ProblemSchema.extend({
  report: ImportReportSchema.optional(),
}).meta({ id: 'ImportProblem' });

/** Import format. */
export type ImportFormat = z.infer<typeof ImportFormatSchema>;
/** Detected encoding. */
export type ImportEncoding = z.infer<typeof ImportEncodingSchema>;
/** Detected delimiter. */
export type ImportDelimiter = z.infer<typeof ImportDelimiterSchema>;
/** One row problem. */
export type ImportRowError = z.infer<typeof ImportRowErrorSchema>;
/** A plan limit a previewed file would pass. */
export type ImportPlanLimit = z.infer<typeof ImportPlanLimitSchema>;
/** An import report. */
export type ImportReport = z.infer<typeof ImportReportSchema>;
/** A market's suggested weekly schedule. */
export type ImportScheduleSuggestion = z.infer<typeof ImportScheduleSuggestionSchema>;
/** An import in the history. */
export type ImportSummary = z.infer<typeof ImportSummarySchema>;
/** Upload query. */
export type ImportUploadQuery = z.infer<typeof ImportUploadQuerySchema>;
