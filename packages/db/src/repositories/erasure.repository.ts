import { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';
import type { DataRequestStatus } from './data-exports.repository';

/** An erasure request as the apps see it. */
export interface ErasureRecord {
  id: string;
  vendorId: string;
  requestedByUserId: string | null;
  status: DataRequestStatus;
  scheduledFor: Date;
  requestedAt: Date;
  completedAt: Date | null;
  cancelledAt: Date | null;
}

const select = {
  id: true,
  vendorId: true,
  requestedByUserId: true,
  status: true,
  scheduledFor: true,
  requestedAt: true,
  completedAt: true,
  cancelledAt: true,
} as const satisfies Prisma.ErasureRequestSelect;

/**
 * Every tenant table erasure empties, children before parents (composite foreign keys). Kept:
 * `vendors` (a scrubbed tombstone), `erasure_requests` (the record of the erasure) and
 * `audit_log` (pseudonymized, see {@link AuditRepository.pseudonymize}).
 * `demand_input_versions` comes after sales and check-ins, whose deletion bumps it.
 */
export const ERASED_TENANT_TABLES = [
  // The week's plan (issue 19): they reference products and markets.
  'week_plan_freezes',
  'week_plan_outlooks',
  'pre_order_missed_pickups',
  'pre_orders',
  'recommendation_lines',
  'feedback',
  'recommendations',
  'model_versions',
  'sales',
  'sales_imports',
  'daily_sales',
  'weather',
  'events',
  'market_days',
  'market_schedules',
  'markets',
  'products',
  'notification_deliveries',
  'notifications',
  'push_subscriptions',
  'alert_settings',
  'invitations',
  'api_tokens',
  'provider_connections',
  'subscriptions',
  'data_export_requests',
  'replay_runs',
  // Stored answers to retried writes (24 h), which hold the business's data.
  'idempotency_keys',
  'memberships',
  'demand_input_versions',
] as const;

/** Tenant tables erasure keeps (with what it leaves in them). */
export const KEPT_TENANT_TABLES = ['vendors', 'erasure_requests', 'audit_log'] as const;

/** Erasure requests and the hard deletion of a tenant (one tenant transaction per call). */
export class ErasureRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Schedules the erasure of the tenant's business. */
  async createErasure(input: {
    vendorId: string;
    requestedByUserId: string | null;
    scheduledFor: Date;
  }): Promise<ErasureRecord> {
    return this.tx.erasureRequest.create({ data: input, select });
  }

  /** The erasure waiting for its grace period to end, if any. */
  async findPendingErasure(): Promise<ErasureRecord | null> {
    return this.tx.erasureRequest.findFirst({
      where: { status: { in: ['PENDING', 'RUNNING'] } },
      orderBy: { requestedAt: 'desc' },
      select,
    });
  }

  /** One erasure request of the tenant. */
  async findErasure(id: string): Promise<ErasureRecord | null> {
    return this.tx.erasureRequest.findUnique({ where: { id }, select });
  }

  /** Cancels a PENDING erasure (restore); false when there was none to cancel. */
  async cancelErasure(id: string, now: Date): Promise<boolean> {
    const changed = await this.tx.erasureRequest.updateMany({
      where: { id, status: 'PENDING' },
      data: { status: 'CANCELLED', cancelledAt: now },
    });
    return changed.count === 1;
  }

  /** Claims a due PENDING erasure for the job (RUNNING); null when cancelled, done or not due. */
  async startErasure(id: string, now: Date): Promise<ErasureRecord | null> {
    const changed = await this.tx.erasureRequest.updateMany({
      where: { id, status: { in: ['PENDING', 'RUNNING'] }, scheduledFor: { lte: now } },
      data: { status: 'RUNNING' },
    });
    return changed.count === 1 ? this.findErasure(id) : null;
  }

  /** Marks the erasure done. */
  async completeErasure(id: string, now: Date): Promise<void> {
    await this.tx.erasureRequest.update({
      where: { id },
      data: { status: 'COMPLETED', completedAt: now, error: null },
    });
  }

  /** Records why the last attempt failed (the job retries). */
  async recordErasureError(id: string, error: string): Promise<void> {
    await this.tx.erasureRequest.updateMany({
      where: { id },
      data: { error: error.slice(0, 500) },
    });
  }

  /** The tenant's Square connection (to revoke its token) before its rows go. */
  async findProviderConnections(): Promise<
    { provider: string; externalAccountId: string; accessTokenEncrypted: Uint8Array | null }[]
  > {
    return this.tx.providerConnection.findMany({
      select: { provider: true, externalAccountId: true, accessTokenEncrypted: true },
    });
  }

  /** The tenant's Stripe subscription, if billing ever created one. */
  async findSubscription(): Promise<{
    stripeCustomerId: string | null;
    stripeSubscriptionId: string | null;
    status: string;
  } | null> {
    return this.tx.subscription.findFirst({
      select: { stripeCustomerId: true, stripeSubscriptionId: true, status: true },
    });
  }

  /**
   * Deletes at most `batch` rows of one erased table for `vendorId`; returns how many. Callers
   * loop until 0, one short transaction per batch, so no table stays locked for long.
   */
  async deleteTenantBatch(
    vendorId: string,
    table: (typeof ERASED_TENANT_TABLES)[number],
    batch: number,
  ): Promise<number> {
    if (!ERASED_TENANT_TABLES.includes(table)) throw new Error(`not an erased table: ${table}`);
    const name = Prisma.raw(`"${table}"`);
    if (table === 'markets') {
      // A market sized by another one points at it (NO ACTION): unlink before deleting.
      await this.tx.$executeRaw`UPDATE markets SET size_reference_market_id = NULL
                                 WHERE vendor_id = ${vendorId}::uuid
                                   AND size_reference_market_id IS NOT NULL`;
    }
    return this.tx.$executeRaw`
      DELETE FROM ${name} WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM ${name} WHERE vendor_id = ${vendorId}::uuid LIMIT ${batch}))`;
  }

  /** Leaves the vendor row as a tombstone without its name or settings. */
  async scrubVendor(vendorId: string, now: Date): Promise<void> {
    await this.tx.vendor.update({
      where: { id: vendorId },
      data: {
        name: 'Deleted business',
        slug: `deleted-${vendorId}`,
        isDemo: false,
        deletedAt: now,
      },
    });
  }

  /** The tenant's business name and slug (the typed confirmation compares the name). */
  async findVendor(): Promise<{ name: string; slug: string; deletedAt: Date | null } | null> {
    return this.tx.vendor.findFirst({ select: { name: true, slug: true, deletedAt: true } });
  }

  /** Whether the tenant's business was erased (its row is a tombstone). */
  async isVendorErased(): Promise<boolean> {
    const vendor = await this.tx.vendor.findFirst({ select: { deletedAt: true } });
    return vendor?.deletedAt != null;
  }
}
