import { describe, expect, it } from 'vitest';
import { ReadCoalescer } from './coalesce';

/** A load whose answer is the number of loads started so far, resolved by hand. */
function loads() {
  const pending: ((value: number) => void)[] = [];
  let started = 0;
  return {
    load: () =>
      new Promise<number>((resolve) => {
        started += 1;
        const n = started;
        pending.push(() => resolve(n));
      }),
    finishNext: () => pending.shift()?.(0),
    get started() {
      return started;
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ReadCoalescer', () => {
  it('starts one load, and callers arriving meanwhile share the next one, not the running one', async () => {
    const c = new ReadCoalescer<number>();
    const l = loads();
    const first = c.read('k', l.load);
    const second = c.read('k', l.load);
    const third = c.read('k', l.load);
    expect(l.started).toBe(1);
    l.finishNext();
    expect(await first).toBe(1);
    await tick();
    // The queued load started only after the first settled: it began after both callers arrived.
    expect(l.started).toBe(2);
    l.finishNext();
    expect(await second).toBe(2);
    expect(await third).toBe(2);
  });

  it('keeps keys apart and starts afresh once idle', async () => {
    const c = new ReadCoalescer<number>();
    const l = loads();
    const a = c.read('a', l.load);
    const b = c.read('b', l.load);
    expect(l.started).toBe(2);
    l.finishNext();
    l.finishNext();
    await Promise.all([a, b]);
    const again = c.read('a', l.load);
    expect(l.started).toBe(3);
    l.finishNext();
    expect(await again).toBe(3);
  });

  it('passes a failure to the callers of that load only; the queued load still runs', async () => {
    const c = new ReadCoalescer<number>();
    let calls = 0;
    const failing = c.read('k', () => {
      calls += 1;
      return Promise.reject(new Error('boom'));
    });
    const next = c.read('k', () => {
      calls += 1;
      return Promise.resolve(7);
    });
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe(7);
    expect(calls).toBe(2);
  });
});
