import { z } from 'zod';

/**
 * Every machine-readable problem `code` the API answers with, its HTTP status and what it means.
 * The problem's `type` is `PROBLEM_TYPE_BASE + code`, documented under the same heading in
 * docs/errors.md (a test holds the two together). Codes are stable: clients branch on them.
 */
export const PROBLEM_CODES = {
  'bad-request': { status: 400, title: 'Bad request' },
  'validation-failed': { status: 400, title: 'The request is not valid' },
  'invalid-cursor': { status: 400, title: 'The cursor is not valid' },
  'idempotency-key-invalid': { status: 400, title: 'The Idempotency-Key is not valid' },
  'sales-batch-invalid': { status: 400, title: 'The sales batch has errors' },
  unauthenticated: { status: 401, title: 'Not signed in' },
  'payment-required': { status: 402, title: 'Billing needs attention' },
  forbidden: { status: 403, title: 'Not allowed' },
  'csrf-invalid': { status: 403, title: 'Missing or invalid CSRF token' },
  'token-scope-missing': { status: 403, title: 'The API token lacks a scope' },
  'session-required': { status: 403, title: 'A person must sign in for this' },
  'plan-limit': { status: 403, title: "The plan's limit is reached" },
  'plan-feature': { status: 403, title: 'The plan does not include this feature' },
  'not-found': { status: 404, title: 'Not found' },
  'not-a-market-day': { status: 404, title: 'Not a market day' },
  conflict: { status: 409, title: 'Conflict' },
  'name-taken': { status: 409, title: 'The name is taken' },
  'email-taken': { status: 409, title: 'The email has an account' },
  'market-archived': { status: 409, title: 'The market is archived' },
  'idempotency-key-reused': {
    status: 409,
    title: 'The Idempotency-Key was used for another request',
  },
  'idempotency-key-in-progress': {
    status: 409,
    title: 'A request with this Idempotency-Key is running',
  },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'payload-too-large': { status: 413, title: 'Request too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service unavailable' },
  'database-unavailable': { status: 503, title: 'The database is not answering' },
} as const satisfies Record<string, { status: number; title: string }>;

/** A machine-readable problem code (see PROBLEM_CODES). */
export type ProblemCode = keyof typeof PROBLEM_CODES;

/** Every `type` URI is this base plus the problem's code. */
export const PROBLEM_TYPE_BASE = 'https://marketprep.app/problems/';

/** RFC 9457 problem details: the body of every 4xx/5xx answer of the API. */
export const ProblemSchema = z
  .object({
    type: z
      .string()
      .describe('URI naming the kind of problem: `https://marketprep.app/problems/<code>`'),
    code: z
      .string()
      .optional()
      .describe(
        'Stable machine-readable code (`name-taken`, `market-archived`, ...), documented in docs/errors.md',
      ),
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
