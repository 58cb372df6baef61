import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new random secret with a readable prefix (`mp_s_…` sessions, `mp_t_…` API tokens). */
export function generateSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 hex: how every bearer secret is stored (a leaked table reveals no usable secret). */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * The CSRF token of a session: an HMAC of the session secret, so it is bound to the session,
 * needs no storage, and cannot be forged without the server key.
 */
export function csrfTokenFor(sessionSecret: string, key: string): string {
  return createHmac('sha256', key).update(`csrf:${sessionSecret}`).digest('base64url');
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
