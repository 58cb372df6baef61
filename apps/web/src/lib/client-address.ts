import type { IncomingMessage } from 'node:http';

/**
 * The `X-Forwarded-For` the web server forwards to the API: the last `trustedHops` entries the
 * request arrived with (written by proxies in front of the web app, which are trusted), then the
 * address this server saw. Anything further left was written by the client and is dropped, so a
 * browser cannot choose the address the API's per-IP limits and sign-in throttle count.
 */
export function forwardedFor(
  incoming: string | string[] | undefined,
  peer: string | undefined,
  trustedHops: number,
): string {
  const entries = (Array.isArray(incoming) ? incoming.join(',') : (incoming ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const kept = trustedHops > 0 ? entries.slice(-trustedHops) : [];
  return [...kept, peer ?? 'unknown'].join(', ');
}

/** Rewrites the request's `X-Forwarded-For` as {@link forwardedFor} says, before Next sees it. */
export function stampClientAddress(request: IncomingMessage, trustedHops: number): void {
  request.headers['x-forwarded-for'] = forwardedFor(
    request.headers['x-forwarded-for'],
    request.socket.remoteAddress,
    trustedHops,
  );
}

let installed = false;

/**
 * Makes every HTTP request this process serves carry the client address it saw (see
 * {@link stampClientAddress}) before Next.js handles it. Next gives the proxy (`proxy.ts`) no
 * access to the socket and forwards a client-written `X-Forwarded-For` untouched, so the stamp is
 * put on at the one place that sees the socket: the server's `request` event. Idempotent.
 */
export async function installClientAddressStamp(trustedHops: number): Promise<void> {
  if (installed) return;
  installed = true;
  const { Server } = await import('node:http');
  const original = Reflect.get(Server.prototype, 'emit') as (
    this: InstanceType<typeof Server>,
    event: string | symbol,
    ...args: unknown[]
  ) => boolean;
  Reflect.set(
    Server.prototype,
    'emit',
    function emitWithClientAddress(
      this: InstanceType<typeof Server>,
      event: string | symbol,
      ...args: unknown[]
    ): boolean {
      if (event === 'request') stampClientAddress(args[0] as IncomingMessage, trustedHops);
      return original.call(this, event, ...args);
    },
  );
}
