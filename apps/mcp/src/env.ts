import { z } from 'zod';

// The MCP server's configuration, parsed once at start-up (STYLE.md #10).

const EnvSchema = z.object({
  /** Origin of the MarketPrep REST API the tools call. */
  MARKETPREP_API_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4000'),
  /**
   * API token (Settings › API tokens) of the business the assistant acts for; required for stdio.
   * Its scopes hold: a read-only token cannot submit a check-in.
   */
  MARKETPREP_API_TOKEN: z
    .string()
    .regex(/^mp_t_[A-Za-z0-9_-]{20,}$/, 'MARKETPREP_API_TOKEN must be an API token (mp_t_...)')
    .optional(),
  /** Streamable HTTP: where to listen (each request brings its own token). */
  MCP_HOST: z.string().default('127.0.0.1'),
  MCP_PORT: z.coerce.number().int().min(0).max(65_535).default(4100),
});

/** The parsed configuration. */
export type McpEnv = z.infer<typeof EnvSchema>;

/** Parses the environment, or throws one message naming every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): McpEnv {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid MCP configuration: ${problems}`);
  }
  return parsed.data;
}
