import {
  WebhooksRepository,
  listVendorIdsWithSecretsToReseal,
  withTenant,
  type DatabaseClient,
} from '@marketprep/db';
import type { TokenCipher } from '@marketprep/integrations';
import { parsePayload, type JobHandler } from './job';
import { resealWebhookSecretsJob } from './reseal-webhook-secrets.job';
import { openWebhookSecret, resealWebhookSecret } from './webhook-secrets';

/**
 * Builds the daily re-seal: for each business with a stale secret (found platform-wide by vendor
 * id only), opens each such secret and seals it with the current key in one tenant transaction.
 * A secret that cannot be opened (its key was retired from the ring too early) is counted and
 * logged, not retried: the others still move; the job fails at the end so operators see it.
 */
export function createResealWebhookSecretsHandler(deps: {
  db: DatabaseClient;
  cipher: TokenCipher;
}): JobHandler {
  return async (payload, context) => {
    parsePayload(resealWebhookSecretsJob, payload);
    const { cipher } = deps;
    let resealed = 0;
    const unopenable: string[] = [];
    for (const vendorId of await listVendorIdsWithSecretsToReseal(
      deps.db.prisma,
      cipher.currentKeyId,
    )) {
      await withTenant(deps.db.prisma, vendorId, async (tx) => {
        const repo = new WebhooksRepository(tx);
        for (const { id, secret: stored } of await repo.listSecretsToReseal(cipher.currentKeyId)) {
          let secret: string;
          try {
            secret = openWebhookSecret(stored, cipher);
          } catch (error) {
            unopenable.push(id);
            context.logger?.error(
              { endpointId: id, err: error },
              'webhook secret cannot be opened with TOKEN_ENCRYPTION_KEYS',
            );
            continue;
          }
          if (await resealWebhookSecret(repo, { endpointId: id, stored, secret, cipher })) {
            resealed++;
          }
        }
      });
    }
    if (unopenable.length > 0) {
      throw new Error(
        `reseal-webhook-secrets: ${unopenable.length} secret(s) name a key missing from TOKEN_ENCRYPTION_KEYS (endpoints ${unopenable.join(', ')}); ${resealed} re-sealed`,
      );
    }
    return { resealed, keyId: cipher.currentKeyId };
  };
}
