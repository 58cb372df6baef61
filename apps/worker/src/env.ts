import { z } from 'zod';

// The worker's configuration, parsed once at start-up (STYLE.md #10).

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
  /** BullMQ on Redis when set; without it jobs run in-process from the PostgreSQL outbox. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Prefix of BullMQ keys; `{mp}` is a Redis Cluster hash tag so a queue stays in one slot. */
  QUEUE_PREFIX: z.string().min(1).default('{mp}'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The worker's parsed configuration. */
export type WorkerEnv = z.infer<typeof EnvSchema>;

/** Parses the environment, or throws one readable message naming every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  // An empty variable (`REDIS_URL=`) means "not set", as in most shells' .env conventions.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid worker configuration: ${problems}`);
  }
  return parsed.data;
}
