import { loadServerEnv } from './env';

/**
 * Runs once when the web server starts (Next.js instrumentation). On the Node.js runtime it stamps
 * the client address on every request (lib/client-address.ts), so the API proxy forwards an
 * `X-Forwarded-For` the browser could not choose and the API's TRUST_PROXY hop count holds.
 */
export async function register(): Promise<void> {
  const env = loadServerEnv();
  if (env.NEXT_RUNTIME !== 'nodejs') return;
  const { installClientAddressStamp } = await import('./lib/client-address');
  await installClientAddressStamp(env.WEB_TRUST_PROXY);
}
