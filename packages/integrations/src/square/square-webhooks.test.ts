import { describe, expect, it } from 'vitest';
import {
  isSquareSalesEvent,
  signSquareWebhook,
  verifySquareWebhookSignature,
} from './square-webhooks';

// The test vector from ../shared/contracts/README.md ("Known quirks").
const vector = {
  notificationUrl: 'https://webhook.site/webhooks',
  signatureKey: 'signature-key',
  rawBody: '{"data":{"type":"webhooks","id":"fake_id"}}',
  signature: 'W3FlCNk5IA3ZQ2LHTWoajvzfaDu/OwY2tNHIHC3IUOA=',
};

describe('Square webhook signatures', () => {
  it('matches the published test vector', () => {
    expect(signSquareWebhook(vector)).toBe(vector.signature);
    expect(verifySquareWebhookSignature(vector)).toBe(true);
    expect(verifySquareWebhookSignature({ ...vector, rawBody: Buffer.from(vector.rawBody) })).toBe(
      true,
    );
  });

  it('rejects a changed body, URL, key, or signature, and a missing one', () => {
    expect(verifySquareWebhookSignature({ ...vector, rawBody: `${vector.rawBody} ` })).toBe(false);
    expect(
      verifySquareWebhookSignature({ ...vector, notificationUrl: 'https://webhook.site/webhook' }),
    ).toBe(false);
    expect(verifySquareWebhookSignature({ ...vector, signatureKey: 'signature-kez' })).toBe(false);
    const flipped = `X${vector.signature.slice(1)}`;
    expect(verifySquareWebhookSignature({ ...vector, signature: flipped })).toBe(false);
    expect(verifySquareWebhookSignature({ ...vector, signature: undefined })).toBe(false);
    expect(verifySquareWebhookSignature({ ...vector, signature: ['a', 'b'] })).toBe(false);
    expect(verifySquareWebhookSignature({ ...vector, signature: 'short' })).toBe(false);
  });

  it('knows which events can change sales', () => {
    expect(isSquareSalesEvent('payment.updated')).toBe(true);
    expect(isSquareSalesEvent('order.updated')).toBe(true);
    expect(isSquareSalesEvent('order.created')).toBe(false);
    expect(isSquareSalesEvent('customer.created')).toBe(false);
  });
});
