import type { TenantTransaction } from '../tenant';
import { OutboxRepository } from './outbox.repository';

/**
 * Alert categories a vendor routes to email and Web Push (issue 19). In-app is always on. The
 * contracts' AlertCategorySchema lists the same names (a unit test keeps them equal).
 */
export const ALERT_CATEGORIES = [
  'deadline_reminder',
  'outlook_change',
  'all_clear',
  'weather',
  'sync',
  'account',
] as const;
/** One alert category. */
export type AlertCategory = (typeof ALERT_CATEGORIES)[number];
/** The delivery channels besides in-app. */
export type AlertChannel = 'email' | 'push';
/** Which channels each category goes to. */
export type AlertRoutes = Record<AlertCategory, { email: boolean; push: boolean }>;

/**
 * Defaults of a business that never changed its settings: the plan alerts (reminder, outlook
 * change) by email and push, the rest by push only. `account` (billing, data exports) is mailed
 * by its own job (billing-email), so its email switch is never used here.
 */
export const DEFAULT_ALERT_ROUTES: AlertRoutes = {
  deadline_reminder: { email: true, push: true },
  outlook_change: { email: true, push: true },
  all_clear: { email: false, push: true },
  weather: { email: false, push: true },
  sync: { email: true, push: false },
  account: { email: false, push: true },
};

/** How much a planned quantity must move before the outlook-change alert goes out. */
export interface OutlookChangeThreshold {
  mode: 'percent' | 'units';
  /** > 0: percent of the earlier quantity, or units of the product. */
  value: number;
}

/** Default: a move of more than 20% of the planned quantity. */
export const DEFAULT_OUTLOOK_CHANGE_THRESHOLD: OutlookChangeThreshold = {
  mode: 'percent',
  value: 20,
};

/** A business's alert settings (stored or defaults). */
export interface AlertSettingsRecord {
  routes: AlertRoutes;
  outlookChangeThreshold: OutlookChangeThreshold;
  updatedAt: Date | null;
}

/**
 * The category of a notification kind, or null for kinds that stay in-app only. The plan alerts
 * are recognised by name (`plan.deadline_reminder`, `plan.outlook_change`, `plan.all_clear`, or
 * any kind naming a deadline/reminder, outlook or all-clear), the existing ones by prefix.
 */
export function categorizeAlertKind(kind: string): AlertCategory | null {
  const k = kind.toLowerCase();
  if (/deadline|reminder/.test(k)) return 'deadline_reminder';
  if (/outlook/.test(k)) return 'outlook_change';
  if (/all[._-]?clear/.test(k)) return 'all_clear';
  if (k.startsWith('weather.') || k.startsWith('event.')) return 'weather';
  if (k.startsWith('sync.')) return 'sync';
  if (k.startsWith('billing.') || k.startsWith('data_export.')) return 'account';
  return null;
}

/** The channels (besides in-app) a notification of `kind` goes to under `routes`. */
export function channelsForKind(kind: string, routes: AlertRoutes): AlertChannel[] {
  const category = categorizeAlertKind(kind);
  if (!category) return [];
  const route = routes[category];
  const channels: AlertChannel[] = [];
  // Account notices carry their own email (billing-email job); a second one would repeat it.
  if (route.email && category !== 'account') channels.push('email');
  if (route.push) channels.push('push');
  return channels;
}

/**
 * Whether a planned quantity moving from `before` to `after` is worth an outlook-change alert:
 * strictly more than the threshold, in units or in percent of `before` (from 0, any increase
 * counts in percent mode).
 */
export function isOutlookChangeSignificant(
  change: { before: number; after: number },
  threshold: OutlookChangeThreshold,
): boolean {
  const moved = Math.abs(change.after - change.before);
  if (threshold.mode === 'units') return moved > threshold.value;
  if (change.before === 0) return moved > 0;
  return (moved / Math.abs(change.before)) * 100 > threshold.value;
}

/** Stored routes merged over the defaults (a category added later gets its default). */
function mergeRoutes(stored: unknown): AlertRoutes {
  const routes = structuredClone(DEFAULT_ALERT_ROUTES);
  if (!stored || typeof stored !== 'object') return routes;
  for (const category of ALERT_CATEGORIES) {
    const value = (stored as Record<string, unknown>)[category];
    if (!value || typeof value !== 'object') continue;
    const { email, push } = value as { email?: unknown; push?: unknown };
    if (typeof email === 'boolean') routes[category].email = email;
    if (typeof push === 'boolean') routes[category].push = push;
  }
  return routes;
}

/** Alert settings of the current tenant (one row per business). Takes a tenant transaction. */
export class AlertSettingsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** The business's settings, the defaults where nothing is stored. */
  async getAlertSettings(vendorId: string): Promise<AlertSettingsRecord> {
    const row = await this.tx.alertSettings.findUnique({
      where: { vendorId },
      select: {
        routes: true,
        outlookThresholdMode: true,
        outlookThresholdValue: true,
        updatedAt: true,
      },
    });
    if (!row) {
      return {
        routes: structuredClone(DEFAULT_ALERT_ROUTES),
        outlookChangeThreshold: { ...DEFAULT_OUTLOOK_CHANGE_THRESHOLD },
        updatedAt: null,
      };
    }
    return {
      routes: mergeRoutes(row.routes),
      outlookChangeThreshold: {
        mode: row.outlookThresholdMode === 'units' ? 'units' : 'percent',
        value: Number(row.outlookThresholdValue),
      },
      updatedAt: row.updatedAt,
    };
  }

  /**
   * The outlook-change threshold the planner compares against (with
   * {@link isOutlookChangeSignificant}); the default when the vendor set none.
   */
  async getOutlookChangeThreshold(vendorId: string): Promise<OutlookChangeThreshold> {
    return (await this.getAlertSettings(vendorId)).outlookChangeThreshold;
  }

  /** Replaces the business's settings. */
  async saveAlertSettings(
    vendorId: string,
    settings: { routes: AlertRoutes; outlookChangeThreshold: OutlookChangeThreshold },
    now: Date,
  ): Promise<AlertSettingsRecord> {
    const data = {
      routes: settings.routes,
      outlookThresholdMode: settings.outlookChangeThreshold.mode,
      outlookThresholdValue: settings.outlookChangeThreshold.value,
      updatedAt: now,
    };
    await this.tx.alertSettings.upsert({
      where: { vendorId },
      create: { vendorId, ...data },
      update: data,
    });
    return this.getAlertSettings(vendorId);
  }
}

/** A stored push subscription. */
export interface PushSubscriptionRecord {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

const subscriptionSelect = {
  id: true,
  userId: true,
  endpoint: true,
  p256dh: true,
  auth: true,
} as const;

/** Browsers of the tenant's members subscribed to Web Push. Takes a tenant transaction. */
export class PushSubscriptionsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /**
   * Stores a member's subscription; the same endpoint again (a browser re-subscribing, or
   * another member signing in on the same browser) takes the new keys and owner.
   */
  async savePushSubscription(data: {
    vendorId: string;
    userId: string;
    endpoint: string;
    p256dh: string;
    auth: string;
    userAgent?: string | null;
  }): Promise<PushSubscriptionRecord> {
    const { vendorId, endpoint, ...rest } = data;
    return this.tx.pushSubscription.upsert({
      where: { vendorId_endpoint: { vendorId, endpoint } },
      create: { vendorId, endpoint, ...rest },
      update: rest,
      select: subscriptionSelect,
    });
  }

  /** Removes the member's subscription of `endpoint`; false when there was none. */
  async removePushSubscription(userId: string, endpoint: string): Promise<boolean> {
    const { count } = await this.tx.pushSubscription.deleteMany({ where: { userId, endpoint } });
    return count > 0;
  }

  /** Removes a subscription the push service called gone (404/410). */
  async removePushSubscriptionById(id: string): Promise<void> {
    await this.tx.pushSubscription.deleteMany({ where: { id } });
  }

  /** Subscriptions of one member, or of every member when `userId` is null. */
  async listPushSubscriptions(userId: string | null): Promise<PushSubscriptionRecord[]> {
    return this.tx.pushSubscription.findMany({
      where: userId ? { userId } : {},
      select: subscriptionSelect,
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Notes a successful push (shown nowhere yet; tells operators a subscription works). */
  async markPushDelivered(id: string, at: Date): Promise<void> {
    await this.tx.pushSubscription.updateMany({ where: { id }, data: { lastSuccessAt: at } });
  }
}

/** Who already received a notification by a channel. Takes a tenant transaction. */
export class NotificationDeliveriesRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Recipients (user or subscription ids) that already have `notificationId` by `channel`. */
  async listDelivered(notificationId: string, channel: AlertChannel): Promise<Set<string>> {
    const rows = await this.tx.notificationDelivery.findMany({
      where: { notificationId, channel },
      select: { recipient: true },
    });
    return new Set(rows.map((r) => r.recipient));
  }

  /** Records one delivery (a repeat changes nothing). */
  async recordDelivery(data: {
    vendorId: string;
    notificationId: string;
    channel: AlertChannel;
    recipient: string;
    at: Date;
  }): Promise<void> {
    await this.tx.notificationDelivery.createMany({
      data: [
        {
          vendorId: data.vendorId,
          notificationId: data.notificationId,
          channel: data.channel,
          recipient: data.recipient,
          deliveredAt: data.at,
        },
      ],
      skipDuplicates: true,
    });
  }
}

/** Outbox job of each channel (registered by the worker's deliver-email / deliver-push). */
export const DELIVERY_JOB_NAMES: Record<AlertChannel, string> = {
  email: 'deliver-email',
  push: 'deliver-push',
};

/**
 * Requests the email and push deliveries of a notification just stored, in the same
 * transaction: one outbox row per channel the business routes its kind to (push only when some
 * member subscribed). Returns the channels requested.
 */
export async function enqueueNotificationDeliveries(
  tx: TenantTransaction,
  notification: { id: string; vendorId: string; kind: string; userId?: string | null },
): Promise<AlertChannel[]> {
  if (!categorizeAlertKind(notification.kind)) return [];
  const settings = await new AlertSettingsRepository(tx).getAlertSettings(notification.vendorId);
  const channels = channelsForKind(notification.kind, settings.routes);
  const requested: AlertChannel[] = [];
  for (const channel of channels) {
    if (channel === 'push') {
      const any = await tx.pushSubscription.findFirst({
        where: notification.userId ? { userId: notification.userId } : {},
        select: { id: true },
      });
      if (!any) continue;
    }
    await new OutboxRepository(tx).enqueue({
      jobName: DELIVERY_JOB_NAMES[channel],
      payload: { vendorId: notification.vendorId, notificationId: notification.id },
      dedupeKey: `${DELIVERY_JOB_NAMES[channel]}:${notification.id}`,
    });
    requested.push(channel);
  }
  return requested;
}
