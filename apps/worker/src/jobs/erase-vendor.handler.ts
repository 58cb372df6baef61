import {
  AuditLogRepository,
  AuditRepository,
  ERASED_TENANT_TABLES,
  ErasureRepository,
  ExportStorage,
  PlatformRetentionRepository,
  withTenant,
} from '@marketprep/db';
import type { SquareApi, TokenCipher } from '@marketprep/integrations';
import { eraseVendorJob } from './erase-vendor.job';
import type { DataRightsJobDeps } from './export-vendor.handler';
import { parsePayload, type JobHandler } from './job';

/** Rows deleted per statement: short transactions, no long lock on a hot table. */
const ERASE_BATCH = 2_000;

/**
 * Cancels a Stripe subscription at once. The integrations Stripe client
 * (`StripeApi.cancelSubscription`) implements it; without billing configured there is none.
 */
export interface SubscriptionCanceller {
  cancelSubscription(subscriptionId: string): Promise<void>;
}

/** What the erase-vendor job needs beyond the data-rights deps. */
export interface EraseVendorDeps extends DataRightsJobDeps {
  /** Key of the audit log's stable pseudonyms (AUDIT_PSEUDONYM_KEY). */
  pseudonymKey: string;
  /** Square client and cipher, to revoke the business's token at Square. */
  square?: { square: SquareApi; cipher: TokenCipher };
  /** Stripe, to cancel the subscription when billing created one. */
  billing?: SubscriptionCanceller;
}

/**
 * Hard-deletes a business whose 7-day grace ended (a restored one is skipped): the Stripe
 * subscription is cancelled and the Square token revoked at the providers first (a failure stops
 * here and the job retries, so nothing is deleted while the business could still be charged or
 * synced), then its stored exports, then every row of every tenant table in short batches; the
 * audit log stays with pseudonymized ids and no free text, and the vendor row stays as a
 * tombstone so the erasure record survives. Every step is safe to run again.
 */
export function createEraseVendorHandler(deps: EraseVendorDeps): JobHandler {
  const storage = new ExportStorage(deps.exportDir);
  return async (payload, context) => {
    const { vendorId, erasureId } = parsePayload(eraseVendorJob, payload);
    const now = deps.now();
    const claimed = await withTenant(deps.db.prisma, vendorId, async (tx) => {
      const erasures = new ErasureRepository(tx);
      const erasure = await erasures.startErasure(erasureId, now);
      if (!erasure) return null;
      return {
        connections: await erasures.findProviderConnections(),
        subscription: await erasures.findSubscription(),
      };
    });
    if (!claimed) return { skipped: 'cancelled, done or not due' };
    try {
      const subscription = claimed.subscription;
      if (
        subscription?.stripeSubscriptionId &&
        !['CANCELED', 'INCOMPLETE_EXPIRED'].includes(subscription.status)
      ) {
        if (!deps.billing)
          throw new Error('Stripe is not configured: cannot cancel the subscription');
        await deps.billing.cancelSubscription(subscription.stripeSubscriptionId);
      }
      for (const connection of claimed.connections) {
        if (connection.provider !== 'SQUARE' || !connection.accessTokenEncrypted) continue;
        if (!deps.square) throw new Error('Square is not configured: cannot revoke the token');
        await deps.square.square.revokeToken(
          deps.square.cipher.decrypt(Buffer.from(connection.accessTokenEncrypted)),
        );
      }
      await storage.removeVendor(vendorId);
      for (const table of ERASED_TENANT_TABLES) {
        for (;;) {
          const deleted = await withTenant(deps.db.prisma, vendorId, (tx) =>
            new ErasureRepository(tx).deleteTenantBatch(vendorId, table, ERASE_BATCH),
          );
          if (deleted < ERASE_BATCH) break;
        }
      }
      const pseudonymized = await withTenant(deps.db.prisma, vendorId, async (tx) => {
        await new AuditRepository(tx).record({
          vendorId,
          actorUserId: null,
          actorType: 'system',
          action: 'vendor.erased',
          targetType: 'vendor',
        });
        const changed = await new AuditLogRepository(tx).pseudonymize(vendorId, deps.pseudonymKey);
        const erasures = new ErasureRepository(tx);
        await erasures.scrubVendor(vendorId, now);
        await erasures.completeErasure(erasureId, deps.now());
        return changed;
      });
      const platform = new PlatformRetentionRepository(deps.db.prisma);
      await platform.detachErasedVendor(vendorId, context.jobId);
      await platform.deleteWebhookEventsOf(claimed.connections.map((c) => c.externalAccountId));
      return { erased: vendorId, pseudonymized };
    } catch (error) {
      await withTenant(deps.db.prisma, vendorId, (tx) =>
        new ErasureRepository(tx).recordErasureError(
          erasureId,
          error instanceof Error ? error.message : String(error),
        ),
      );
      throw error;
    }
  };
}
