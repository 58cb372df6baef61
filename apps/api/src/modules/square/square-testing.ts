import { randomBytes } from 'node:crypto';
import {
  ProviderBreaker,
  TokenCipher,
  createSquareClient,
  createSquareFake,
  parseTokenKeyRing,
  type SquareFake,
  type SquareFakeOptions,
} from '@marketprep/integrations';
import type { SquareModuleConfig } from './square.service';

/** The notification URL tests register (part of every signature). */
export const TEST_SQUARE_WEBHOOK_URL = 'https://api.marketprep.test/v1/webhooks/square';
/** The webhook signature key tests use. */
export const TEST_SQUARE_SIGNATURE_KEY = 'test-square-signature-key';

/**
 * Test helper: a started Square fake and the module config pointing at it (client, a fresh
 * token key ring, webhook key and URL). Pass `config` as `square` to `createHarness`.
 */
export async function startSquareForTests(options: SquareFakeOptions = {}): Promise<{
  fake: SquareFake;
  config: SquareModuleConfig;
  stop(): Promise<void>;
}> {
  const fake = createSquareFake({
    redirectUri: 'http://127.0.0.1:4000/v1/integrations/square/callback',
    ...options,
  });
  await fake.start();
  const config: SquareModuleConfig = {
    client: createSquareClient({
      baseUrl: fake.baseUrl,
      applicationId: fake.applicationId,
      applicationSecret: fake.applicationSecret,
      breaker: new ProviderBreaker('square'),
      backoff: { baseMs: 1, maxMs: 10 },
      timeoutMs: 3_000,
    }),
    cipher: new TokenCipher(parseTokenKeyRing(`t1:${randomBytes(32).toString('base64')}`, 't1')),
    webhookSignatureKey: TEST_SQUARE_SIGNATURE_KEY,
    webhookUrl: TEST_SQUARE_WEBHOOK_URL,
  };
  return { fake, config, stop: () => fake.stop() };
}
