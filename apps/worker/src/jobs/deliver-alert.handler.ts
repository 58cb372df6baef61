import {
  MembershipsRepository,
  NotificationDeliveriesRepository,
  NotificationsRepository,
  PushSubscriptionsRepository,
  withTenant,
  type DatabaseClient,
  type NotificationRecord,
} from '@marketprep/db';
import { isAllowedPushEndpoint } from '@marketprep/contracts';
import webPush from 'web-push';
import type { BillingMailer } from './billing-email.handler';
import { deliverEmailJob, deliverPushJob } from './deliver-alert.job';
import { parsePayload, type JobHandler } from './job';

/** VAPID identity of this deployment (public and private key, base64url; subject mailto:/https:). */
export interface VapidConfig {
  publicKey: string;
  privateKey: string;
  subject: string;
}

/** What the delivery handlers need. */
export interface DeliverAlertDeps {
  db: DatabaseClient;
  now: () => Date;
  /** SMTP (or the demo's mail catcher); without it emails are logged, not sent. */
  mailer?: BillingMailer;
  /** Without it push is off (logged). */
  vapid?: VapidConfig;
  /** Loopback push endpoints (the local fake push service): never in production. */
  allowLoopbackPush: boolean;
  /** Link in the email and the push (the web app's origin). */
  publicUrl?: string;
  /** Push request timeout (ms). */
  pushTimeoutMs?: number;
}

/** A delivery that failed in a way worth retrying (the job throws it after trying everyone). */
export class DeliveryRetryError extends Error {
  constructor(channel: string, failures: string[]) {
    super(`${channel}: ${failures.length} recipient(s) to retry: ${failures.join('; ')}`);
    this.name = 'DeliveryRetryError';
  }
}

/** Where the notification leads in the app (its market day when it names one). */
function linkOf(notification: NotificationRecord, publicUrl: string | undefined): string {
  const data = (notification.data ?? {}) as Record<string, unknown>;
  const path =
    typeof data.url === 'string' && data.url.startsWith('/')
      ? data.url
      : typeof data.marketId === 'string' && typeof data.date === 'string'
        ? `/market-days?market=${encodeURIComponent(data.marketId)}&date=${encodeURIComponent(data.date)}`
        : '/notifications';
  return publicUrl ? new URL(path, publicUrl).toString() : path;
}

/**
 * deliver-email: mails the notification to each member it is for (everyone for a team notice)
 * who has not had it yet. Each successful send is recorded at once (notification_deliveries), so
 * after a mail outage the retry sends only to those still missing; one that fails makes the job
 * throw and the outbox retry it. A crash between a send and its record may repeat that one mail
 * (mail's usual at-least-once).
 */
export function createDeliverEmailHandler(deps: DeliverAlertDeps): JobHandler {
  return async (payload, context) => {
    const job = parsePayload(deliverEmailJob, payload);
    const found = await withTenant(deps.db.prisma, job.vendorId, async (tx) => {
      const notification = await new NotificationsRepository(tx).findNotification(
        job.notificationId,
      );
      if (!notification) return null;
      const members = await new MembershipsRepository(tx).listMembers();
      const done = await new NotificationDeliveriesRepository(tx).listDelivered(
        notification.id,
        'email',
      );
      return { notification, members, done };
    });
    if (!found) return { sent: 0, reason: 'no-notification' };
    const { notification, done } = found;
    const recipients = found.members.filter(
      (m) => (!notification.userId || m.userId === notification.userId) && !done.has(m.userId),
    );
    if (!deps.mailer) {
      context.logger?.info(
        { kind: notification.kind, recipients: recipients.length },
        'alert email not sent (no SMTP_URL): logged instead',
      );
      return { sent: 0, reason: 'no-smtp' };
    }
    const link = linkOf(notification, deps.publicUrl);
    const failures: string[] = [];
    let sent = 0;
    for (const member of recipients) {
      try {
        await deps.mailer.send({
          to: member.email,
          subject: notification.title,
          text: `${notification.body}\n\nOpen MarketPrep: ${link}\n\nChoose which alerts reach you by email in Settings > Alerts.`,
        });
      } catch (error) {
        failures.push(
          `${member.userId}: ${error instanceof Error ? error.message : String(error)}`,
        );
        continue;
      }
      sent++;
      await withTenant(deps.db.prisma, job.vendorId, (tx) =>
        new NotificationDeliveriesRepository(tx).recordDelivery({
          vendorId: job.vendorId,
          notificationId: notification.id,
          channel: 'email',
          recipient: member.userId,
          at: deps.now(),
        }),
      );
    }
    if (failures.length) throw new DeliveryRetryError('email', failures);
    return { sent };
  };
}

/** The JSON the service worker shows (apps/web/public/sw.js). */
export interface PushMessage {
  title: string;
  body: string;
  url: string;
  tag: string;
  kind: string;
}

/**
 * deliver-push: sends the notification to every subscribed browser of the members it is for,
 * encrypted for each (aes128gcm, RFC 8291) and signed with the VAPID key (RFC 8292) by
 * `web-push`, posted by fetch with a timeout. 404/410 (the browser unsubscribed or the
 * subscription expired) removes the subscription; 429/5xx/network errors retry the job for the
 * browsers still missing; another 4xx is the request's fault and is not retried.
 */
export function createDeliverPushHandler(deps: DeliverAlertDeps): JobHandler {
  return async (payload, context) => {
    const job = parsePayload(deliverPushJob, payload);
    const found = await withTenant(deps.db.prisma, job.vendorId, async (tx) => {
      const notification = await new NotificationsRepository(tx).findNotification(
        job.notificationId,
      );
      if (!notification) return null;
      const subscriptions = await new PushSubscriptionsRepository(tx).listPushSubscriptions(
        notification.userId,
      );
      const done = await new NotificationDeliveriesRepository(tx).listDelivered(
        notification.id,
        'push',
      );
      return { notification, subscriptions: subscriptions.filter((s) => !done.has(s.id)) };
    });
    if (!found) return { sent: 0, reason: 'no-notification' };
    if (!deps.vapid) {
      context.logger?.info(
        { kind: found.notification.kind },
        'alert push not sent (no VAPID keys): logged instead',
      );
      return { sent: 0, reason: 'no-vapid' };
    }
    const { notification } = found;
    const message: PushMessage = {
      title: notification.title,
      body: notification.body,
      url: linkOf(notification, undefined),
      tag: notification.id,
      kind: notification.kind,
    };
    const failures: string[] = [];
    let sent = 0;
    let removed = 0;
    for (const subscription of found.subscriptions) {
      if (
        !isAllowedPushEndpoint(subscription.endpoint, { allowLoopback: deps.allowLoopbackPush })
      ) {
        await withTenant(deps.db.prisma, job.vendorId, (tx) =>
          new PushSubscriptionsRepository(tx).removePushSubscriptionById(subscription.id),
        );
        removed++;
        continue;
      }
      const request = webPush.generateRequestDetails(
        {
          endpoint: subscription.endpoint,
          keys: { p256dh: subscription.p256dh, auth: subscription.auth },
        },
        JSON.stringify(message),
        {
          vapidDetails: deps.vapid,
          // Kept by the push service for a day while the phone is offline; a reminder older
          // than that is stale.
          TTL: 24 * 3600,
          contentEncoding: 'aes128gcm',
          urgency: 'high',
        },
      );
      let status: number;
      try {
        const response = await fetch(request.endpoint, {
          method: request.method,
          headers: request.headers as Record<string, string>,
          body: request.body ? new Uint8Array(request.body) : undefined,
          signal: AbortSignal.timeout(deps.pushTimeoutMs ?? 10_000),
          redirect: 'error',
        });
        status = response.status;
        await response.body?.cancel();
      } catch (error) {
        failures.push(`${subscription.id}: ${error instanceof Error ? error.message : 'failed'}`);
        continue;
      }
      if (status === 404 || status === 410) {
        await withTenant(deps.db.prisma, job.vendorId, (tx) =>
          new PushSubscriptionsRepository(tx).removePushSubscriptionById(subscription.id),
        );
        removed++;
      } else if (status === 429 || status >= 500) {
        failures.push(`${subscription.id}: HTTP ${status}`);
      } else if (status >= 200 && status < 300) {
        sent++;
        await withTenant(deps.db.prisma, job.vendorId, async (tx) => {
          await new NotificationDeliveriesRepository(tx).recordDelivery({
            vendorId: job.vendorId,
            notificationId: notification.id,
            channel: 'push',
            recipient: subscription.id,
            at: deps.now(),
          });
          await new PushSubscriptionsRepository(tx).markPushDelivered(subscription.id, deps.now());
        });
      } else {
        context.logger?.warn(
          { subscriptionId: subscription.id, status },
          'push service refused the message; not retried',
        );
      }
    }
    if (failures.length) throw new DeliveryRetryError('push', failures);
    return { sent, removed };
  };
}
