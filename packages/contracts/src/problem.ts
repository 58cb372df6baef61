import { z } from 'zod';

/** RFC 9457 problem details: the body of every 4xx/5xx answer of the API. */
export const ProblemSchema = z
  .object({
    type: z.string().describe('URI naming the kind of problem'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Per-field problems for validation errors'),
  })
  .meta({ id: 'Problem' });

/** A problem details body. */
export type Problem = z.infer<typeof ProblemSchema>;

/**
 * The 404 of a date that is not a market day (prep list, check-in): the problem plus the market
 * days nearest to that date, so a client can offer them. Other 404s of those routes leave them out.
 */
export const NotAMarketDayProblemSchema = ProblemSchema.extend({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .describe('The date asked for (market-local)'),
  previousMarketDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .optional()
    .describe('The market day just before `date` (within a year), null when none'),
  nextMarketDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .optional()
    .describe('The market day just after `date` (within a year), null when none'),
}).meta({ id: 'NotAMarketDayProblem' });

/** A not-a-market-day problem body. */
export type NotAMarketDayProblem = z.infer<typeof NotAMarketDayProblemSchema>;
