import { z } from 'zod';

/** `:outboxId` of the operators' job routes. */
export const AdminJobParamsSchema = z.object({ outboxId: z.uuid() });

/** `GET /v1/admin/jobs/failed` query. */
export const AdminFailedJobsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .describe('Opaque cursor: the `nextCursor` of the previous page'),
});

/** A FAILED outbox row, as operators see it: ids from its payload only, never other values. */
export const FailedJobSchema = z
  .object({
    id: z.uuid().describe('The outbox id (also the BullMQ job id)'),
    jobName: z.string(),
    attempts: z.number().int().nonnegative(),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime(),
    requestId: z.string().nullable().describe('Id of the HTTP request that asked for the work'),
    payloadIds: z
      .record(z.string(), z.string())
      .describe('The payload’s id fields (vendorId, connectionId, marketId, ...) only'),
  })
  .meta({ id: 'FailedJob' });

/** `GET /v1/admin/jobs/failed` answer, newest first. */
export const FailedJobListSchema = z
  .object({
    data: z.array(FailedJobSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `?cursor=` to read the next page; null on the last page'),
  })
  .meta({ id: 'FailedJobList' });

/** `POST /v1/admin/jobs/:outboxId/retry` answer. */
export const JobRetriedSchema = z
  .object({ id: z.uuid(), status: z.literal('PENDING') })
  .meta({ id: 'JobRetried' });

export type FailedJob = z.infer<typeof FailedJobSchema>;
export type FailedJobList = z.infer<typeof FailedJobListSchema>;
