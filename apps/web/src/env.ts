import { z } from 'zod';

// The web server's configuration (STYLE.md #10). Read per request by the proxy, so one build can
// serve any API location (a Docker image is built once and configured at run time).

const ServerEnvSchema = z.object({
  API_URL: z
    .url({
      protocol: /^https?$/,
      error: 'API_URL must be an http(s) URL, e.g. http://127.0.0.1:4000',
    })
    .default('http://127.0.0.1:4000')
    .transform((url) => url.replace(/\/+$/, '')),
  /**
   * Reverse proxies in front of the web app (a TLS terminator) whose X-Forwarded-For entries the
   * web app keeps before adding the address it saw; 0 when browsers connect to it directly.
   */
  WEB_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Set by Next.js: `nodejs` or `edge`. */
  NEXT_RUNTIME: z.string().optional(),
});

/** The web server's parsed configuration. */
export type ServerEnv = z.infer<typeof ServerEnvSchema>;

/** Parses the server environment; throws a readable message on a bad value. */
export function loadServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  return ServerEnvSchema.parse({
    API_URL: source.API_URL || undefined,
    WEB_TRUST_PROXY: source.WEB_TRUST_PROXY || undefined,
    NEXT_RUNTIME: source.NEXT_RUNTIME || undefined,
  });
}
