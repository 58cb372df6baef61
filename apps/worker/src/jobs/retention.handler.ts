import {
  DataExportsRepository,
  ExportStorage,
  PlatformRetentionRepository,
  TenantRetentionRepository,
  withTenant,
  type DatabaseClient,
} from '@marketprep/db';
import { parsePayload, type JobHandler } from './job';
import { retentionJob } from './retention.job';

const DAY_MS = 24 * 3_600_000;

/** Retention periods (worker env RETENTION_*; defaults in SECURITY.md). */
export interface RetentionPolicy {
  /** Webhook payloads are emptied after this many days (the ids stay for dedupe). */
  webhookPayloadDays: number;
  /** Webhook ids are deleted after this many days (providers stop retrying after 3). */
  webhookIdDays: number;
  /** Dispatched outbox rows. */
  outboxDays: number;
  /** Read notifications. */
  readNotificationDays: number;
  /** Finished webhook deliveries (the Developers screen's delivery log). */
  webhookDeliveryDays: number;
  /** Expired, used or revoked reset tokens and invitations. */
  tokenDays: number;
  /** Superseded prep lists kept per market day (the current one always stays). */
  prepListsKept: number;
  /** Audit log entries. */
  auditLogDays: number;
  /** Rows per statement. */
  batchSize: number;
}

/** The defaults SECURITY.md states. */
export const DEFAULT_RETENTION: RetentionPolicy = {
  webhookPayloadDays: 30,
  webhookIdDays: 90,
  outboxDays: 7,
  readNotificationDays: 90,
  webhookDeliveryDays: 30,
  tokenDays: 1,
  prepListsKept: 3,
  auditLogDays: 730,
  batchSize: 1_000,
};

/** Names of the rules, as `rule` labels of marketprep_retention_rows_total. */
export type RetentionRule =
  | 'webhook_payloads'
  | 'webhook_events'
  | 'outbox'
  | 'password_resets'
  | 'signup_requests'
  | 'invitations'
  | 'read_notifications'
  | 'webhook_deliveries'
  | 'superseded_prep_lists'
  | 'audit_log'
  | 'expired_exports';

/** Deletes in batches until a batch comes back short. */
async function drain(batchSize: number, step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step();
    total += n;
    if (n < batchSize) return total;
  }
}

/**
 * The retention sweep: each rule deletes in batches of `batchSize` (one short statement each), so
 * no hot table is locked for long; tenant rules run per vendor under withTenant. Expired
 * sessions stay with the hourly expire-sessions job. Returns the rows removed per rule and
 * reports them to `onRemoved` (the worker's /metrics).
 */
export function createRetentionHandler(deps: {
  db: DatabaseClient;
  now: () => Date;
  exportDir: string;
  policy?: Partial<RetentionPolicy>;
  onRemoved?: (rule: RetentionRule, count: number) => void;
}): JobHandler {
  const policy = { ...DEFAULT_RETENTION, ...deps.policy };
  const storage = new ExportStorage(deps.exportDir);
  return async (payload) => {
    parsePayload(retentionJob, payload);
    const now = deps.now().getTime();
    const ago = (days: number) => new Date(now - days * DAY_MS);
    const batch = policy.batchSize;
    const platform = new PlatformRetentionRepository(deps.db.prisma);
    const counts: Record<RetentionRule, number> = {
      webhook_events: await drain(batch, () =>
        platform.deleteWebhookEvents(ago(policy.webhookIdDays), batch),
      ),
      webhook_payloads: await drain(batch, () =>
        platform.clearWebhookPayloads(ago(policy.webhookPayloadDays), batch),
      ),
      outbox: await drain(batch, () =>
        platform.deleteDispatchedOutbox(ago(policy.outboxDays), batch),
      ),
      password_resets: await drain(batch, () =>
        platform.deletePasswordResets(ago(policy.tokenDays), batch),
      ),
      signup_requests: await drain(batch, () =>
        platform.deleteSignupRequests(ago(policy.tokenDays), batch),
      ),
      audit_log: await drain(batch, () => platform.purgeAuditLog(ago(policy.auditLogDays), batch)),
      invitations: 0,
      read_notifications: 0,
      webhook_deliveries: 0,
      superseded_prep_lists: 0,
      expired_exports: 0,
    };
    for (const vendorId of await platform.listVendorIds()) {
      const inTenant = (fn: (repo: TenantRetentionRepository) => Promise<number>) => () =>
        withTenant(deps.db.prisma, vendorId, (tx) => fn(new TenantRetentionRepository(tx)));
      counts.invitations += await drain(
        batch,
        inTenant((r) => r.deleteInvitations(vendorId, ago(policy.tokenDays), batch)),
      );
      counts.read_notifications += await drain(
        batch,
        inTenant((r) =>
          r.deleteReadNotifications(vendorId, ago(policy.readNotificationDays), batch),
        ),
      );
      counts.webhook_deliveries += await drain(
        batch,
        inTenant((r) =>
          r.deleteFinishedWebhookDeliveries(vendorId, ago(policy.webhookDeliveryDays), batch),
        ),
      );
      counts.superseded_prep_lists += await drain(
        batch,
        inTenant((r) => r.deleteSupersededPrepLists(vendorId, policy.prepListsKept, batch)),
      );
      const expired = await withTenant(deps.db.prisma, vendorId, (tx) =>
        new DataExportsRepository(tx).expireExports(new Date(now)),
      );
      for (const e of expired) if (e.location) await storage.remove(e.location);
      counts.expired_exports += expired.length;
    }
    for (const [rule, count] of Object.entries(counts) as [RetentionRule, number][]) {
      deps.onRemoved?.(rule, count);
    }
    return counts;
  };
}
