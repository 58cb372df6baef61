import {
  AlertSettingsRepository,
  AuditRepository,
  DELIVERY_JOB_NAMES,
  NotificationsRepository,
  OutboxRepository,
  PushSubscriptionsRepository,
  withTenant,
  type AlertSettingsRecord,
  type DatabaseClient,
} from '@marketprep/db';
import {
  isAllowedPushEndpoint,
  type AlertSettings,
  type AlertSettingsUpdateBody,
  type PushSubscriptionBody,
} from '@marketprep/contracts';
import { AppError } from '../../errors';
import type { TenantContext } from '../../plugins/auth';

/** What the alert-channel routes need. */
export interface AlertChannelsDeps {
  db: DatabaseClient;
  now: () => Date;
  /** VAPID public key browsers subscribe with; push is off without it. */
  pushPublicKey?: string;
  /** Loopback push endpoints (the local fake push service); never in production. */
  allowLoopbackPush: boolean;
}

/** A member acting for themselves (an API token has no browser to push to). */
function memberOf(tenant: TenantContext): string {
  if (!tenant.userId) {
    throw new AppError('FORBIDDEN', 'Push subscriptions belong to a signed-in member.');
  }
  return tenant.userId;
}

/**
 * Per-business alert routing (which categories go by email and push, the outlook-change
 * threshold) and the members' push subscriptions (issue 19, docs/alerts.md).
 */
export class AlertChannelsService {
  constructor(private readonly deps: AlertChannelsDeps) {}

  private toDto(record: AlertSettingsRecord): AlertSettings {
    return {
      routes: record.routes,
      outlookChangeThreshold: record.outlookChangeThreshold,
      updatedAt: record.updatedAt?.toISOString() ?? null,
      pushPublicKey: this.deps.pushPublicKey ?? null,
    };
  }

  /** The business's settings (defaults until an owner changes them). */
  async getSettings(tenant: TenantContext): Promise<AlertSettings> {
    const record = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new AlertSettingsRepository(tx).getAlertSettings(tenant.vendorId),
    );
    return this.toDto(record);
  }

  /** Replaces the settings, with an audit entry in the same transaction. */
  async updateSettings(
    tenant: TenantContext,
    body: AlertSettingsUpdateBody,
    context: { requestId: string },
  ): Promise<AlertSettings> {
    const record = await withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const saved = await new AlertSettingsRepository(tx).saveAlertSettings(
        tenant.vendorId,
        body,
        this.deps.now(),
      );
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: tenant.actorType === 'api_token' ? 'api_token' : 'user',
        action: 'alerts.settings_updated',
        targetType: 'vendor',
        targetId: tenant.vendorId,
        requestId: context.requestId,
        metadata: { routes: body.routes, outlookChangeThreshold: body.outlookChangeThreshold },
      });
      return saved;
    });
    return this.toDto(record);
  }

  /** Stores this browser's subscription for the signed-in member. */
  async subscribe(
    tenant: TenantContext,
    body: PushSubscriptionBody,
    userAgent: string | undefined,
  ): Promise<{ id: string; endpoint: string }> {
    const userId = memberOf(tenant);
    if (!isAllowedPushEndpoint(body.endpoint, { allowLoopback: this.deps.allowLoopbackPush })) {
      throw new AppError(
        'BAD_REQUEST',
        'The endpoint is not on a known push service (https on FCM, Mozilla, Apple or Windows).',
      );
    }
    if (!this.deps.pushPublicKey) {
      throw new AppError('UNAVAILABLE', 'Push notifications are not configured here.');
    }
    const saved = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new PushSubscriptionsRepository(tx).savePushSubscription({
        vendorId: tenant.vendorId,
        userId,
        endpoint: body.endpoint,
        p256dh: body.keys.p256dh,
        auth: body.keys.auth,
        userAgent: userAgent?.slice(0, 300) ?? null,
      }),
    );
    return { id: saved.id, endpoint: saved.endpoint };
  }

  /** Forgets this browser's subscription of the signed-in member (nothing to forget: 404). */
  async unsubscribe(tenant: TenantContext, endpoint: string): Promise<void> {
    const userId = memberOf(tenant);
    const removed = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new PushSubscriptionsRepository(tx).removePushSubscription(userId, endpoint),
    );
    if (!removed) throw new AppError('NOT_FOUND', 'No such push subscription.');
  }

  /**
   * A test alert to the signed-in member: in the app, and by email and push regardless of the
   * routing (that is what is being tested), through the same outbox jobs as every alert.
   */
  async sendTest(tenant: TenantContext, context: { requestId: string }): Promise<{ id: string }> {
    const userId = memberOf(tenant);
    const now = this.deps.now();
    return withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const id = await new NotificationsRepository(tx).createNotification({
        vendorId: tenant.vendorId,
        userId,
        kind: 'alerts.test',
        title: 'Test alert from MarketPrep',
        body: 'Alerts reach you here. Deadline reminders and outlook changes will look like this.',
        data: { url: '/settings/alerts' },
        createdAt: now,
      });
      if (!id) throw new Error('test alert: not stored');
      const outbox = new OutboxRepository(tx);
      for (const jobName of Object.values(DELIVERY_JOB_NAMES)) {
        await outbox.enqueue({
          jobName,
          payload: { vendorId: tenant.vendorId, notificationId: id },
          dedupeKey: `${jobName}:${id}`,
          requestId: context.requestId,
        });
      }
      return { id };
    });
  }
}
