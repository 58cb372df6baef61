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
