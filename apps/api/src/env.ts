import { z } from 'zod';

// The API's whole configuration, parsed once at start-up (STYLE.md #10). Nothing else reads
// process.env; everything below receives this object.

const booleanString = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(1).max(65_535).default(4000),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Until accounts exist (issue 4), requests without credentials act as this vendor, read-only.
   * Set by `npm start` for the seeded demo vendor; unset in production.
   */
  DEMO_VENDOR_ID: z.uuid().optional(),
  /** Log every request line (off in tests). */
  LOG_REQUESTS: booleanString.default(true),
});

/** The API's parsed configuration. */
export type ApiEnv = z.infer<typeof EnvSchema>;

/** Parses the environment, or throws one readable message naming every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): ApiEnv {
  // An empty variable (`REDIS_URL=`) means "not set", as in most shells' .env conventions.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid API configuration: ${problems}`);
  }
  if (parsed.data.NODE_ENV === 'production' && parsed.data.DEMO_VENDOR_ID) {
    throw new Error('Invalid API configuration: DEMO_VENDOR_ID must not be set in production');
  }
  return parsed.data;
}
