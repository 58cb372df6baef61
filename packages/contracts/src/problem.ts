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
