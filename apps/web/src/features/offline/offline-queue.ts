/**
 * The outbox of check-ins made at the stall: each submission is stored (localStorage) under its
 * `clientSubmissionId`, made once when the vendor taps "Save", and sent with that same id until the
 * API has it. The API is idempotent by that id, so a delivery whose answer was lost and is sent again
 * is stored once. Pure logic over a small storage interface, so it is tested without a browser.
 */
import type { CheckInSubmitBody } from '@marketprep/contracts';

/** Where the queue lives: `localStorage` in the browser, a Map in tests. */
export interface QueueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The storage key (versioned: a new shape gets a new key rather than misreading old data). */
export const QUEUE_KEY = 'marketprep.check-in-queue.v1';

/** One check-in waiting to be sent, or refused by the API. */
export interface QueuedCheckIn {
  clientSubmissionId: string;
  marketId: string;
  date: string;
  /** For the pending notice ("Riverside Saturday Market, Sat, Nov 21"). */
  marketName: string;
  body: CheckInSubmitBody;
  /** ISO instant it was saved. */
  queuedAt: string;
  attempts: number;
  /** `pending` is retried; `rejected` was refused by the API and waits for the vendor. */
  state: 'pending' | 'rejected';
  /** Why it was refused, in words for the vendor. */
  error?: string;
}

/** The queue's whole state. */
export interface QueueState {
  items: QueuedCheckIn[];
  /** The last check-in the API confirmed (for the success notice). */
  lastSent?: { clientSubmissionId: string; marketId: string; date: string; sentAt: string };
}

const EMPTY: QueueState = { items: [] };

function isQueueState(value: unknown): value is QueueState {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { items?: unknown }).items)
  );
}

/** Reads the queue; anything unreadable counts as empty (never throws at the stall). */
export function readQueue(storage: QueueStorage): QueueState {
  try {
    const raw = storage.getItem(QUEUE_KEY);
    if (raw === null) return EMPTY;
    const parsed: unknown = JSON.parse(raw);
    return isQueueState(parsed) ? parsed : EMPTY;
  } catch {
    return EMPTY;
  }
}

/** Writes the queue. */
export function writeQueue(storage: QueueStorage, state: QueueState): void {
  storage.setItem(QUEUE_KEY, JSON.stringify(state));
}

/**
 * Adds a submission. A newer one for the same market day replaces a queued one (the form always
 * sends every product, so the newer holds everything); another id is never reused.
 */
export function enqueueCheckIn(
  storage: QueueStorage,
  item: Omit<QueuedCheckIn, 'attempts' | 'state' | 'error'>,
): QueueState {
  const state = readQueue(storage);
  const items = state.items.filter(
    (queued) =>
      queued.clientSubmissionId !== item.clientSubmissionId &&
      !(queued.marketId === item.marketId && queued.date === item.date),
  );
  const next: QueueState = {
    ...state,
    items: [...items, { ...item, attempts: 0, state: 'pending' }],
  };
  writeQueue(storage, next);
  return next;
}

/** Drops one submission (the vendor discarded a refused one). */
export function discardCheckIn(storage: QueueStorage, clientSubmissionId: string): QueueState {
  const state = readQueue(storage);
  const next = {
    ...state,
    items: state.items.filter((item) => item.clientSubmissionId !== clientSubmissionId),
  };
  writeQueue(storage, next);
  return next;
}

/** What happened to one delivery. */
export type DeliveryOutcome =
  /** The API stored it (or already had it: a replay). */
  | { kind: 'sent' }
  /** No answer, a 5xx, 408/429 or signed out: try again later with the same id. */
  | { kind: 'retry'; error: string }
  /** The API refused it for good (validation, a cancelled day): the vendor must look at it. */
  | { kind: 'rejected'; error: string };

/** Sends one queued submission; never throws. */
export type DeliverCheckIn = (item: QueuedCheckIn) => Promise<DeliveryOutcome>;

/** What one pass over the queue did. */
export interface FlushResult {
  sent: QueuedCheckIn[];
  rejected: QueuedCheckIn[];
  remaining: number;
}

/**
 * Sends every pending submission once, oldest first, each with its own `clientSubmissionId`, and
 * records the outcome right after each answer (so a tab closed mid-way does not resend what was
 * confirmed). Stops at the first `retry`: when one cannot get through, the rest will not either.
 */
export async function flushQueue(
  storage: QueueStorage,
  deliver: DeliverCheckIn,
  now: () => Date = () => new Date(),
): Promise<FlushResult> {
  const result: FlushResult = { sent: [], rejected: [], remaining: 0 };
  const pending = readQueue(storage).items.filter((item) => item.state === 'pending');
  for (const item of pending) {
    const outcome = await deliver(item);
    const state = readQueue(storage);
    if (outcome.kind === 'sent') {
      result.sent.push(item);
      writeQueue(storage, {
        items: state.items.filter(
          (queued) => queued.clientSubmissionId !== item.clientSubmissionId,
        ),
        lastSent: {
          clientSubmissionId: item.clientSubmissionId,
          marketId: item.marketId,
          date: item.date,
          sentAt: now().toISOString(),
        },
      });
      continue;
    }
    const updated: QueuedCheckIn = {
      ...item,
      attempts: item.attempts + 1,
      error: outcome.error,
      state: outcome.kind === 'rejected' ? 'rejected' : 'pending',
    };
    writeQueue(storage, {
      ...state,
      items: state.items.map((queued) =>
        queued.clientSubmissionId === item.clientSubmissionId ? updated : queued,
      ),
    });
    if (outcome.kind === 'rejected') {
      result.rejected.push(updated);
      continue;
    }
    break;
  }
  result.remaining = readQueue(storage).items.filter((item) => item.state === 'pending').length;
  return result;
}

/** `"1 check-in waiting to send"`, `"2 check-ins waiting to send"`. */
export function describePending(count: number): string {
  return count === 1 ? '1 check-in waiting to send' : `${count} check-ins waiting to send`;
}

/** A random UUID v4, also where `crypto.randomUUID` is missing (plain-http LAN addresses). */
export function newSubmissionId(cryptoImpl: Crypto = globalThis.crypto): string {
  if (typeof cryptoImpl.randomUUID === 'function') return cryptoImpl.randomUUID();
  const bytes = cryptoImpl.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
