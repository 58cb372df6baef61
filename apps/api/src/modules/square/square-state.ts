import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual, sha256Hex } from '../../lib/secrets';

/** How long an OAuth `state` stays valid (the owner is on Square's consent page meanwhile). */
export const STATE_TTL_MS = 10 * 60_000;

/** What a verified state proves. */
export interface SquareOAuthState {
  vendorId: string;
  userId: string;
}

function mac(key: string, body: string): string {
  return createHmac('sha256', key).update(`square-oauth-state:${body}`).digest('base64url');
}

/**
 * A stateless OAuth `state`: vendor, user, a hash of the session secret, expiry and a nonce,
 * HMAC-signed with the server key. No table: the callback recomputes the MAC and checks that the
 * same browser session (cookie) comes back before the expiry.
 */
export function createOAuthState(options: {
  key: string;
  vendorId: string;
  userId: string;
  sessionSecret: string;
  now: Date;
}): string {
  const body = [
    options.vendorId,
    options.userId,
    sha256Hex(options.sessionSecret).slice(0, 32),
    String(options.now.getTime() + STATE_TTL_MS),
    randomBytes(9).toString('base64url'),
  ].join('.');
  const encoded = Buffer.from(body, 'utf8').toString('base64url');
  return `${encoded}.${mac(options.key, encoded)}`;
}

/** Verifies a state for this session; null when forged, expired, or from another session. */
export function verifyOAuthState(options: {
  key: string;
  state: string;
  sessionSecret: string;
  now: Date;
}): SquareOAuthState | null {
  const [encoded, signature, extra] = options.state.split('.');
  if (!encoded || !signature || extra !== undefined) return null;
  if (!safeEqual(signature, mac(options.key, encoded))) return null;
  const parts = Buffer.from(encoded, 'base64url').toString('utf8').split('.');
  if (parts.length !== 5) return null;
  const [vendorId, userId, sessionHash, expiresAt] = parts as [string, string, string, string];
  if (!safeEqual(sessionHash, sha256Hex(options.sessionSecret).slice(0, 32))) return null;
  if (!/^\d+$/.test(expiresAt) || Number(expiresAt) < options.now.getTime()) return null;
  return { vendorId, userId };
}
