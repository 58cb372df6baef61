import type { PrismaClient } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';

/**
 * Retention on platform tables (reset tokens, webhook intake, outbox): each call deletes
 * at most `batch` rows in one short statement and returns how many, so the caller loops and no
 * hot table is locked for long.
 */
export class PlatformRetentionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Password reset tokens that expired (or were used) before `before`. */
  async deletePasswordResets(before: Date, batch: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM password_reset_tokens WHERE id IN (
        SELECT id FROM password_reset_tokens
         WHERE expires_at < ${before} OR used_at < ${before} LIMIT ${batch})`;
  }

  /**
   * Sign-up requests (issue 16) whose link expired or was used before `before`: nothing of a
   * sign-up that was never confirmed (its password hash included) outlives its link by long.
   */
  async deleteSignupRequests(before: Date, batch: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM signup_requests WHERE id IN (
        SELECT id FROM signup_requests
         WHERE expires_at < ${before} OR used_at < ${before} LIMIT ${batch})`;
  }

  /**
   * Empties the payload of webhook events received before `before`; the row (provider and event
   * id) stays, so a late redelivery is still recognised as a duplicate.
   */
  async clearWebhookPayloads(before: Date, batch: number): Promise<number> {
    return this.prisma.$executeRaw`
      UPDATE webhook_events SET payload = '{}'::jsonb WHERE id IN (
        SELECT id FROM webhook_events
         WHERE received_at < ${before} AND payload <> '{}'::jsonb LIMIT ${batch})`;
  }

  /** Webhook event ids received before `before` (long after any provider stops retrying). */
  async deleteWebhookEvents(before: Date, batch: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM webhook_events WHERE id IN (
        SELECT id FROM webhook_events WHERE received_at < ${before} LIMIT ${batch})`;
  }

  /** Outbox rows dispatched before `before` (FAILED rows stay for the operators). */
  async deleteDispatchedOutbox(before: Date, batch: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM outbox WHERE id IN (
        SELECT id FROM outbox
         WHERE status = 'DISPATCHED' AND dispatched_at < ${before} LIMIT ${batch})`;
  }

  /** Audit entries older than `before`, platform-wide (data_rights.purge_audit_log). */
  async purgeAuditLog(before: Date, batch: number): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>`
      SELECT data_rights.purge_audit_log(${before}, ${batch}::int) AS n`;
    return row?.n ?? 0;
  }

  /** Every vendor id (data_rights.vendor_ids): the per-tenant rules run for each. */
  async listVendorIds(): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ vendor_id: string }[]>`
      SELECT vendor_id::text FROM data_rights.vendor_ids()`;
    return rows.map((r) => r.vendor_id);
  }

  /** After an erasure: sessions no longer open the erased business; its queued work is dropped. */
  async detachErasedVendor(vendorId: string, keepOutboxId?: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE sessions SET active_vendor_id = NULL WHERE active_vendor_id = ${vendorId}::uuid`;
    await this.prisma.$executeRaw`
      DELETE FROM outbox WHERE status = 'PENDING' AND payload->>'vendorId' = ${vendorId}
        AND id::text <> ${keepOutboxId ?? ''}`;
  }

  /** Webhook payloads of an erased vendor's provider accounts (they hold its sales). */
  async deleteWebhookEventsOf(externalAccountIds: string[]): Promise<number> {
    if (externalAccountIds.length === 0) return 0;
    return this.prisma.$executeRaw`
      DELETE FROM webhook_events WHERE external_account_id = ANY(${externalAccountIds}::text[])`;
  }
}

/**
 * Retention inside one tenant (notifications, prep lists, invitations, webhook deliveries);
 * batched like above.
 */
export class TenantRetentionRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Notifications read before `before`. */
  async deleteReadNotifications(vendorId: string, before: Date, batch: number): Promise<number> {
    return this.tx.$executeRaw`
      DELETE FROM notifications WHERE id IN (
        SELECT id FROM notifications
         WHERE vendor_id = ${vendorId}::uuid AND read_at < ${before} LIMIT ${batch})`;
  }

  /**
   * Finished webhook deliveries (succeeded, or failed for good) created before `before`; one still
   * retrying stays whatever its age, so the delivery log never loses a delivery in flight.
   */
  async deleteFinishedWebhookDeliveries(
    vendorId: string,
    before: Date,
    batch: number,
  ): Promise<number> {
    return this.tx.$executeRaw`
      DELETE FROM webhook_deliveries WHERE id IN (
        SELECT id FROM webhook_deliveries
         WHERE vendor_id = ${vendorId}::uuid AND status IN ('succeeded', 'failed')
           AND created_at < ${before}
         LIMIT ${batch})`;
  }

  /** Invitations that expired or were accepted before `before`. */
  async deleteInvitations(vendorId: string, before: Date, batch: number): Promise<number> {
    return this.tx.$executeRaw`
      DELETE FROM invitations WHERE id IN (
        SELECT id FROM invitations
         WHERE vendor_id = ${vendorId}::uuid
           AND (expires_at < ${before} OR accepted_at < ${before} OR revoked_at < ${before})
         LIMIT ${batch})`;
  }

  /**
   * Superseded prep lists beyond the newest `keep` of each market day (the CURRENT one is never
   * deleted; lines go with their list).
   */
  async deleteSupersededPrepLists(vendorId: string, keep: number, batch: number): Promise<number> {
    return this.tx.$executeRaw`
      DELETE FROM recommendations WHERE id IN (
        SELECT id FROM (
          SELECT r.id,
                 row_number() OVER (PARTITION BY r.market_day_id
                                    ORDER BY r.generated_at DESC, r.id DESC) AS rank
            FROM recommendations r
           WHERE r.vendor_id = ${vendorId}::uuid AND r.status = 'SUPERSEDED') ranked
         WHERE ranked.rank > ${keep}
         LIMIT ${batch})`;
  }
}
