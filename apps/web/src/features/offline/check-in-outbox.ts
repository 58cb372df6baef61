'use client';

/**
 * The browser side of the check-in queue: localStorage, delivery with `PUT
 * /v1/markets/:marketId/check-ins/:date`, one flush at a time (per tab, and across tabs where the
 * Web Locks API exists), and a subscription for React (`useCheckInOutbox`).
 */
import { useSyncExternalStore } from 'react';

import { ApiError, NetworkError } from '../../lib/api-client';
import { apiFetch } from '../../lib/session';
import {
  QUEUE_KEY,
  discardCheckIn,
  enqueueCheckIn,
  flushQueue,
  readQueue,
  type DeliveryOutcome,
  type FlushResult,
  type QueueState,
  type QueueStorage,
  type QueuedCheckIn,
} from './offline-queue';

const memory = new Map<string, string>();
const memoryStorage: QueueStorage = {
  getItem: (key) => memory.get(key) ?? null,
  setItem: (key, value) => void memory.set(key, value),
};

function storage(): QueueStorage {
  try {
    return typeof window === 'undefined' ? memoryStorage : window.localStorage;
  } catch {
    return memoryStorage; // storage disabled (private mode): keep the queue for this page's life
  }
}

const listeners = new Set<() => void>();
let snapshotRaw: string | null | undefined;
let snapshot: QueueState = { items: [] };

function notify(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === QUEUE_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

function getSnapshot(): QueueState {
  const raw = storage().getItem(QUEUE_KEY);
  if (raw !== snapshotRaw) {
    snapshotRaw = raw;
    snapshot = readQueue(storage());
  }
  return snapshot;
}

const serverSnapshot: QueueState = { items: [] };

/** The queue, re-rendering on every change (this tab or another). */
export function useCheckInOutbox(): QueueState {
  return useSyncExternalStore(subscribe, getSnapshot, () => serverSnapshot);
}

/** Sends one queued check-in and says what happened (never throws). */
async function deliver(item: QueuedCheckIn): Promise<DeliveryOutcome> {
  try {
    await apiFetch({
      method: 'PUT',
      path: `/v1/markets/${encodeURIComponent(item.marketId)}/check-ins/${encodeURIComponent(item.date)}`,
      json: item.body,
      // No schema: a 2xx means stored, and nothing here reads the answer (the check-in screen
      // refetches it), so this module, loaded on every signed-in page, does not pull in zod. For
      // the same reason it asks for the short receipt instead of the whole form.
      prefer: 'return=minimal',
    });
    return { kind: 'sent' };
  } catch (error) {
    if (error instanceof NetworkError) {
      return { kind: 'retry', error: 'No connection. It will be sent when you are back online.' };
    }
    if (error instanceof ApiError) {
      const retryable =
        error.status >= 500 || error.status === 408 || error.status === 429 || error.status === 401;
      if (retryable) {
        return {
          kind: 'retry',
          error:
            error.status === 401
              ? 'You are signed out. Sign in and it will be sent.'
              : 'MarketPrep is busy. It will be sent again shortly.',
        };
      }
      return {
        kind: 'rejected',
        error: error.problem?.detail ?? error.problem?.title ?? 'MarketPrep could not accept it.',
      };
    }
    return { kind: 'retry', error: 'Something went wrong. It will be sent again.' };
  }
}

let running: Promise<FlushResult> | undefined;

/** Sends what is waiting, once; a call while a flush runs joins it. Skipped while offline. */
export function flushOutbox(): Promise<FlushResult> {
  const pending = readQueue(storage()).items.filter((item) => item.state === 'pending').length;
  if (typeof navigator !== 'undefined' && !navigator.onLine) {
    return Promise.resolve({ sent: [], rejected: [], remaining: pending });
  }
  if (pending === 0) return Promise.resolve({ sent: [], rejected: [], remaining: 0 });
  running ??= (async () => {
    try {
      const run = () => flushQueue(storage(), deliver);
      const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
      const result =
        locks === undefined ? await run() : await locks.request('marketprep-check-in-outbox', run);
      return result;
    } finally {
      running = undefined;
      notify();
    }
  })();
  return running;
}

/** Queues a check-in (stored before anything is sent) and tries to send it right away. */
export function queueCheckIn(item: Omit<QueuedCheckIn, 'attempts' | 'state' | 'error'>): void {
  enqueueCheckIn(storage(), item);
  notify();
  void flushOutbox();
}

/** Drops a refused check-in. */
export function discardQueuedCheckIn(clientSubmissionId: string): void {
  discardCheckIn(storage(), clientSubmissionId);
  notify();
}
