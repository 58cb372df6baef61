import type { StoredWebhookSecret, WebhooksRepository } from '@marketprep/db';
import type { TokenCipher } from '@marketprep/integrations';

/**
 * Opens an endpoint's stored signing secret: sealed ones with the token key ring (the key id in
 * the sealed value picks the key, so secrets sealed before a rotation still open), a legacy row's
 * as it is. Throws when the secret is sealed and this worker has no key ring, or the key it names
 * was retired (TokenDecryptionError): an operator's fix, so the caller lets the runtime retry.
 */
export function openWebhookSecret(stored: StoredWebhookSecret, cipher?: TokenCipher): string {
  if (stored.kind === 'legacy-clear') return stored.secret;
  if (!cipher) {
    throw new Error(
      'webhook secrets are sealed but TOKEN_ENCRYPTION_KEYS is not configured on the worker',
    );
  }
  return cipher.decrypt(stored.sealed);
}

/** Whether a stored secret should be sealed again with the current key (rotation, legacy clear). */
export function webhookSecretIsStale(stored: StoredWebhookSecret, cipher: TokenCipher): boolean {
  return stored.kind === 'legacy-clear' || stored.keyId !== cipher.currentKeyId;
}

/**
 * Seals `secret` with the current key in place of `stored` when that is stale; false when it was
 * current already or another worker re-sealed it first.
 */
export async function resealWebhookSecret(
  repo: WebhooksRepository,
  options: { endpointId: string; stored: StoredWebhookSecret; secret: string; cipher: TokenCipher },
): Promise<boolean> {
  const { cipher, stored } = options;
  if (!webhookSecretIsStale(stored, cipher)) return false;
  return repo.storeSealedSecret({
    endpointId: options.endpointId,
    expected: stored,
    sealed: cipher.encrypt(options.secret),
    keyId: cipher.currentKeyId,
  });
}
