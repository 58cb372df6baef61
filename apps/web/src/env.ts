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
});

/** The web server's parsed configuration. */
export type ServerEnv = z.infer<typeof ServerEnvSchema>;

/** Parses the server environment; throws a readable message on a bad value. */
export function loadServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  return ServerEnvSchema.parse({ API_URL: source.API_URL || undefined });
}
