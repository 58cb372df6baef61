import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Header name of the signature (lower case, as Node reports incoming headers). */
export const SIGNATURE_HEADER = 'marketprep-signature';
/** Largest accepted gap between the signature's timestamp and the receiver's clock (5 minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A fresh endpoint signing secret, `whsec_` + 32 random bytes (base64url). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * The `MarketPrep-Signature` value for a body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>" keyed with the endpoint secret>` (Stripe's scheme: the timestamp is signed,
 * so a captured request cannot be replayed past the receiver's tolerance).
 */
export function signWebhookBody(secret: string, body: string, timestampSeconds: number): string {
  const t = Math.floor(timestampSeconds);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1}`;
}

/** Why a signature was refused, or undefined when it is valid. */
export type SignatureRefusal =
  'malformed' | 'timestamp-outside-tolerance' | 'no-matching-signature';

/**
 * Checks a `MarketPrep-Signature` header against the RAW body as received (before any JSON
 * parsing). Any of several `v1=` entries may match (secrets being rotated).
 */
export function verifyWebhookSignature(options: {
  secret: string;
  body: string;
  header: string | undefined;
  nowSeconds: number;
  toleranceSeconds?: number;
}): SignatureRefusal | undefined {
  if (!options.header) return 'malformed';
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of options.header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return 'malformed';
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(options.nowSeconds - timestamp) > tolerance) return 'timestamp-outside-tolerance';
  const expected = Buffer.from(
    createHmac('sha256', options.secret)
      .update(`${timestamp}.${options.body}`, 'utf8')
      .digest('hex'),
  );
  const matches = signatures.some((candidate) => timingSafeEqual(Buffer.from(candidate), expected));
  return matches ? undefined : 'no-matching-signature';
}
