import { z } from 'zod';

/** `GET /health/live`: the process is up (no dependency is checked). */
export const LivenessSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' });

/** One dependency's state in a readiness or detailed health answer. */
export const DependencyHealthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  latencyMs: z.number().nonnegative().optional(),
  detail: z.string().optional(),
});

/** `GET /health/ready`: can this instance serve requests (database answers)? */
export const ReadinessSchema = z
  .object({
    status: z.enum(['ok', 'down']),
    checks: z.object({ database: DependencyHealthSchema }),
  })
  .meta({ id: 'Readiness' });

/** Liveness body. */
export type Liveness = z.infer<typeof LivenessSchema>;
/** Readiness body. */
export type Readiness = z.infer<typeof ReadinessSchema>;

const HealthStatusSchema = z.enum(['ok', 'degraded', 'down']);

/** A dependency in the detailed health answer. */
export const DetailedCheckSchema = z.object({
  status: HealthStatusSchema,
  latencyMs: z.number().nonnegative().optional(),
  detail: z.string().optional(),
});

/** Age of the newest data of one kind across vendors. */
export const DataAgeSchema = z.object({
  status: HealthStatusSchema,
  newestAt: z.iso.datetime().nullable(),
  ageSeconds: z.number().int().nonnegative().nullable(),
});

/** `GET /health/detailed`: every dependency for the operators' dashboard. */
export const HealthDetailedSchema = z
  .object({
    status: HealthStatusSchema.describe('The worst status of the checks below'),
    checkedAt: z.iso.datetime(),
    checks: z.object({
      database: DetailedCheckSchema,
      redis: DetailedCheckSchema.extend({ configured: z.boolean() }),
      queue: DetailedCheckSchema.extend({
        outboxPending: z.number().int().nonnegative(),
        outboxFailed: z.number().int().nonnegative(),
        oldestPendingAgeSeconds: z.number().int().nonnegative().nullable(),
        bullmqWaiting: z
          .record(z.string(), z.number().int().nonnegative())
          .nullable()
          .describe('Waiting jobs per BullMQ queue; null without Redis'),
      }),
      providers: z
        .record(
          z.string(),
          DetailedCheckSchema.extend({ breaker: z.enum(['closed', 'open', 'half-open']) }),
        )
        .describe(
          "Each provider's circuit breaker as the workers report it (the worst state across " +
            'workers reporting within 60 s; the last report when all are stale)',
        ),
      data: z.object({ sales: DataAgeSchema, weather: DataAgeSchema }),
      worker: z
        .object({
          status: z.enum(['ok', 'stale', 'unknown']),
          reportedAt: z.iso.datetime().nullable(),
          ageSeconds: z
            .number()
            .int()
            .nonnegative()
            .nullable()
            .describe('Age of the newest worker report (null: none yet)'),
          workers: z
            .number()
            .int()
            .nonnegative()
            .describe('Worker processes that reported within the last 60 s'),
          syncLagSeconds: z
            .record(z.string(), z.number().int().nonnegative().nullable())
            .describe('Seconds since the last Square sync per ACTIVE connection id (null: never)'),
          detail: z.string().optional(),
        })
        .optional()
        .describe(
          'What the workers last reported in PostgreSQL (breakers feed `providers`): `ok` when at ' +
            'least one reported within 60 s, `stale` (degraded) when the newest report is older, ' +
            '`unknown` when no worker has reported yet',
        ),
    }),
  })
  .meta({
    id: 'HealthDetailed',
    example: {
      status: 'ok',
      checkedAt: '2026-11-22T08:00:00.000Z',
      checks: {
        database: { status: 'ok', latencyMs: 1 },
        redis: { status: 'ok', latencyMs: 0, configured: true },
        queue: {
          status: 'ok',
          outboxPending: 0,
          outboxFailed: 0,
          oldestPendingAgeSeconds: null,
          bullmqWaiting: { maintenance: 0 },
        },
        providers: {},
        data: {
          sales: { status: 'ok', newestAt: '2026-11-21T20:00:00.000Z', ageSeconds: 43200 },
          weather: { status: 'ok', newestAt: '2026-11-22T06:00:00.000Z', ageSeconds: 7200 },
        },
      },
    },
  });

/** Detailed health body. */
export type HealthDetailed = z.infer<typeof HealthDetailedSchema>;
