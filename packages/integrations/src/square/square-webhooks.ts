import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Header Square signs webhook notifications in. */
export const SQUARE_SIGNATURE_HEADER = 'x-square-hmacsha256-signature';

/**
 * Square's webhook signature: base64(HMAC-SHA256(signature key, notification URL + raw body)).
 * The URL must be the one registered with Square, byte for byte.
 */
export function signSquareWebhook(options: {
  signatureKey: string;
  notificationUrl: string;
  rawBody: string | Buffer;
}): string {
  return createHmac('sha256', options.signatureKey)
    .update(options.notificationUrl)
    .update(options.rawBody)
    .digest('base64');
}

/** Checks a notification's signature in constant time; false for a missing or malformed one. */
export function verifySquareWebhookSignature(options: {
  signatureKey: string;
  notificationUrl: string;
  rawBody: string | Buffer;
  signature: string | string[] | undefined;
}): boolean {
  const given = options.signature;
  if (typeof given !== 'string' || given.length === 0 || given.length > 200) return false;
  const expected = Buffer.from(signSquareWebhook(options), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The envelope of a Square webhook notification (the fields we use). */
export const SquareWebhookEventSchema = z.object({
  merchant_id: z.string().min(1).max(100),
  type: z.string().min(1).max(100),
  event_id: z.string().min(1).max(100),
  created_at: z.string().max(64).optional(),
  data: z.object({ type: z.string().optional(), id: z.string().optional() }).loose().optional(),
});

/** A parsed Square webhook notification. */
export type SquareWebhookEvent = z.infer<typeof SquareWebhookEventSchema>;

/** Event types that may mean new or changed sales (order.created fires only for API orders). */
export function isSquareSalesEvent(type: string): boolean {
  return type.startsWith('payment.') || type === 'order.updated' || type.startsWith('refund.');
}
