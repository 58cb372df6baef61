/**
 * Alert channels (issue 19): the business's routing of alerts to email and Web Push, and this
 * browser's push subscription.
 */
import {
  AlertSettingsSchema,
  PushSubscriptionSchema,
  type AlertSettings,
  type AlertSettingsUpdateBody,
} from '@marketprep/contracts';
import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';

import { ApiError } from '../../lib/api-client';
import { apiFetch } from '../../lib/session';

/** Query key of the settings. */
export const alertSettingsQueryKey = ['alert-settings'] as const;

/** `GET /v1/alerts/settings`. */
export function alertSettingsQueryOptions() {
  return queryOptions({
    queryKey: alertSettingsQueryKey,
    queryFn: ({ signal }) =>
      apiFetch({ path: '/v1/alerts/settings', schema: AlertSettingsSchema, signal }),
  });
}

/** `PUT /v1/alerts/settings` (owners). */
export function saveAlertSettings(body: AlertSettingsUpdateBody): Promise<AlertSettings> {
  return apiFetch({
    path: '/v1/alerts/settings',
    method: 'PUT',
    json: body,
    schema: AlertSettingsSchema,
  });
}

/** `POST /v1/alerts/test`: a test alert to me by every channel. */
export function sendTestAlert(): Promise<{ id: string }> {
  return apiFetch({
    path: '/v1/alerts/test',
    method: 'POST',
    schema: z.object({ id: z.string() }),
  });
}

/** The VAPID key as the bytes `pushManager.subscribe` wants. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** Whether this browser can receive push at all (a service worker and the Push API). */
export function pushSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window
  );
}

/**
 * The app's service worker (`/sw.js`, which shows the pushes), registered here too: only the
 * offline screens register it on their own, and a vendor may open Settings first.
 */
async function appServiceWorker(): Promise<ServiceWorkerRegistration> {
  await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  return navigator.serviceWorker.ready;
}

/** This browser's current subscription, if any. */
export async function currentPushSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const registration = await appServiceWorker();
  return registration.pushManager.getSubscription();
}

/** Sends a subscription to the API (again after the browser rotated it: the same row). */
export async function registerPushSubscription(subscription: PushSubscription): Promise<void> {
  await apiFetch({
    path: '/v1/push/subscriptions',
    method: 'POST',
    json: subscription.toJSON(),
    schema: PushSubscriptionSchema,
  });
}

/** Asks for permission, subscribes with the VAPID key and stores it for the signed-in member. */
export async function subscribeToPush(publicKey: string): Promise<'subscribed' | 'denied'> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  const registration = await appServiceWorker();
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(publicKey),
    }));
  await registerPushSubscription(subscription);
  return 'subscribed';
}

/** Forgets this browser's subscription here and at the API. */
export async function unsubscribeFromPush(): Promise<void> {
  const subscription = await currentPushSubscription();
  if (!subscription) return;
  const { endpoint } = subscription;
  await subscription.unsubscribe();
  try {
    await apiFetch({ path: '/v1/push/subscriptions/remove', method: 'POST', json: { endpoint } });
  } catch (error) {
    // Already gone at the API (404): nothing left to forget.
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
}
