import { describe, expect, it } from 'vitest';

import {
  QUEUE_KEY,
  describePending,
  discardCheckIn,
  enqueueCheckIn,
  flushQueue,
  newSubmissionId,
  readQueue,
  type DeliveryOutcome,
  type QueueStorage,
  type QueuedCheckIn,
} from './offline-queue';

function memoryStorage(): QueueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
  };
}

const MARKET = '6f1c1f9e-2b7a-4d8e-9a53-0c1d2e3f4a5b';

function submission(id: string, date = '2026-11-21') {
  return {
    clientSubmissionId: id,
    marketId: MARKET,
    date,
    marketName: 'Riverside',
    body: {
      clientSubmissionId: id,
      lines: [
        {
          productId: '7d0c1c1e-2b9a-4a59-8d0e-2f1b3c4d5e6f',
          brought: 40,
          leftOver: 6,
          wasted: 2,
          donated: 4,
        },
      ],
    },
    queuedAt: '2026-11-21T18:00:00.000Z',
  };
}

describe('offline check-in queue', () => {
  it('stores a submission under its id, replacing an older one of the same market day', () => {
    const storage = memoryStorage();
    enqueueCheckIn(storage, submission('one'));
    enqueueCheckIn(storage, submission('two', '2026-11-14'));
    enqueueCheckIn(storage, submission('three'));
    const ids = readQueue(storage).items.map((item) => item.clientSubmissionId);
    expect(ids).toEqual(['two', 'three']);
    expect(readQueue(storage).items[0]).toMatchObject({ attempts: 0, state: 'pending' });
  });

  it('sends each pending submission once with its own id and forgets it when confirmed', async () => {
    const storage = memoryStorage();
    enqueueCheckIn(storage, submission('one', '2026-11-14'));
    enqueueCheckIn(storage, submission('two'));
    const seen: string[] = [];
    const result = await flushQueue(
      storage,
      (item: QueuedCheckIn) => {
        seen.push(`${item.clientSubmissionId}=${item.body.clientSubmissionId}`);
        return Promise.resolve({ kind: 'sent' });
      },
      () => new Date('2026-11-21T19:00:00.000Z'),
    );
    expect(seen).toEqual(['one=one', 'two=two']);
    expect(result).toMatchObject({ remaining: 0 });
    expect(result.sent).toHaveLength(2);
    expect(readQueue(storage)).toEqual({
      items: [],
      lastSent: {
        clientSubmissionId: 'two',
        marketId: MARKET,
        date: '2026-11-21',
        sentAt: '2026-11-21T19:00:00.000Z',
      },
    });
    // A second flush has nothing to send: nothing is delivered twice.
    const again = await flushQueue(storage, () => Promise.reject(new Error('must not be called')));
    expect(again).toEqual({ sent: [], rejected: [], remaining: 0 });
  });

  it('keeps a submission with the same id when there is no answer, and stops there', async () => {
    const storage = memoryStorage();
    enqueueCheckIn(storage, submission('one', '2026-11-14'));
    enqueueCheckIn(storage, submission('two'));
    let calls = 0;
    const result = await flushQueue(storage, () => {
      calls++;
      return Promise.resolve<DeliveryOutcome>({ kind: 'retry', error: 'offline' });
    });
    expect(calls).toBe(1);
    expect(result.remaining).toBe(2);
    const [first] = readQueue(storage).items;
    expect(first).toMatchObject({ clientSubmissionId: 'one', attempts: 1, state: 'pending' });
    expect(first?.body.clientSubmissionId).toBe('one');
  });

  it('sets a refused submission aside for the vendor and goes on with the rest', async () => {
    const storage = memoryStorage();
    enqueueCheckIn(storage, submission('bad', '2026-11-14'));
    enqueueCheckIn(storage, submission('good'));
    const result = await flushQueue(storage, (item) =>
      Promise.resolve<DeliveryOutcome>(
        item.clientSubmissionId === 'bad'
          ? { kind: 'rejected', error: 'The market day was cancelled' }
          : { kind: 'sent' },
      ),
    );
    expect(result.rejected.map((item) => item.clientSubmissionId)).toEqual(['bad']);
    expect(result.sent.map((item) => item.clientSubmissionId)).toEqual(['good']);
    expect(readQueue(storage).items).toEqual([
      expect.objectContaining({
        clientSubmissionId: 'bad',
        state: 'rejected',
        error: 'The market day was cancelled',
      }),
    ]);
    // A refused one is not retried on its own.
    const again = await flushQueue(storage, () => Promise.reject(new Error('must not be called')));
    expect(again.remaining).toBe(0);
    discardCheckIn(storage, 'bad');
    expect(readQueue(storage).items).toEqual([]);
  });

  it('survives unreadable storage', () => {
    const storage = memoryStorage();
    storage.setItem(QUEUE_KEY, '{not json');
    expect(readQueue(storage)).toEqual({ items: [] });
    storage.setItem(QUEUE_KEY, '{"items": 3}');
    expect(readQueue(storage)).toEqual({ items: [] });
  });

  it('words the pending state and makes v4 UUIDs without randomUUID', () => {
    expect(describePending(1)).toBe('1 check-in waiting to send');
    expect(describePending(3)).toBe('3 check-ins waiting to send');
    const fake = {
      getRandomValues: <T extends ArrayBufferView | null>(array: T) => {
        if (array instanceof Uint8Array) array.fill(0xab);
        return array;
      },
    } as unknown as Crypto;
    expect(newSubmissionId(fake)).toBe('abababab-abab-4bab-abab-abababababab');
    expect(newSubmissionId()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
