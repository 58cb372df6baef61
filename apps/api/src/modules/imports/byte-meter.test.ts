import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, ByteMeter } from './byte-meter';

const parts = (...values: (Buffer | string)[]) => Readable.from(values, { objectMode: true });

describe('ByteMeter', () => {
  it('hashes the whole body even when the reader stops early', async () => {
    const meter = new ByteMeter(parts('abc', Buffer.from('def'), 'ghi'), 100);
    const first = await meter[Symbol.asyncIterator]().next();
    expect(String(first.value as Buffer)).toBe('abc');
    await meter.drain();
    expect(meter.bytes).toBe(9);
    expect(meter.digest()).toBe(createHash('sha256').update('abcdefghi').digest('hex'));
  });

  it('fails as soon as the body passes the limit (no Content-Length needed)', async () => {
    const meter = new ByteMeter(parts('12345', '67890', 'x'), 8);
    await expect(meter.drain()).rejects.toBeInstanceOf(BodyTooLargeError);
  });
});
