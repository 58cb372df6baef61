import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit';

/** A batch runner whose batches the test settles by hand. */
function manualRunner() {
  const batches: { items: number[]; settle: (results?: (number | Error)[]) => void }[] = [];
  const run = (items: readonly number[]) =>
    new Promise<(number | Error)[]>((resolve) => {
      batches.push({
        items: [...items],
        settle: (results) => resolve(results ?? items.map((i) => i * 10)),
      });
    });
  return { batches, run };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('sends a lone item at once, and gathers the items that arrive meanwhile into the next batch', async () => {
    const { batches, run } = manualRunner();
    const group = new GroupCommit(run, { maxBatchSize: 100, maxInFlight: 1 });
    const first = group.submit(1);
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1]]);

    const later = [2, 3, 4].map((i) => group.submit(i));
    await turn();
    await turn();
    // Nothing else starts while the first batch runs.
    expect(batches).toHaveLength(1);
    batches[0]!.settle();
    expect(await first).toBe(10);
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1]!.settle();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('splits a backlog at maxBatchSize and runs the parts one after another', async () => {
    const { batches, run } = manualRunner();
    const group = new GroupCommit(run, { maxBatchSize: 2, maxInFlight: 1 });
    const all = [1, 2, 3, 4, 5].map((i) => group.submit(i));
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1, 2]]);
    for (let i = 0; i < 3; i += 1) {
      batches[i]!.settle();
      await turn();
      await turn();
    }
    expect(batches.map((b) => b.items)).toEqual([[1, 2], [3, 4], [5]]);
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
  });

  it('runs up to maxInFlight batches at once', async () => {
    const { batches, run } = manualRunner();
    const group = new GroupCommit(run, { maxBatchSize: 100, maxInFlight: 2 });
    const a = group.submit(1);
    await turn();
    const b = group.submit(2);
    await turn();
    const c = group.submit(3);
    await turn();
    expect(batches.map((x) => x.items)).toEqual([[1], [2]]);
    batches[1]!.settle();
    expect(await b).toBe(20);
    await turn();
    expect(batches.map((x) => x.items)).toEqual([[1], [2], [3]]);
    batches[0]!.settle();
    batches[2]!.settle();
    expect(await Promise.all([a, c])).toEqual([10, 30]);
  });

  it('rejects only the caller whose item failed; a failed batch rejects its own callers and the next runs', async () => {
    let calls = 0;
    const group = new GroupCommit(
      (items: readonly number[]) => {
        calls += 1;
        if (items.includes(99)) return Promise.reject(new Error('batch lost'));
        return Promise.resolve(items.map((i) => (i < 0 ? new Error(`bad ${i}`) : i)));
      },
      { maxBatchSize: 100, maxInFlight: 1 },
    );
    const results = await Promise.allSettled([group.submit(1), group.submit(-2), group.submit(3)]);
    expect(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
    ).toEqual([1, 'bad -2', 3]);
    await expect(group.submit(99)).rejects.toThrow('batch lost');
    expect(await group.submit(4)).toBe(4);
    expect(calls).toBe(3);
  });

  it('frees the turn of a batch that failed as a whole, then runs each of its items alone', async () => {
    const { batches, run } = manualRunner();
    const alone: { item: number; settle: () => void }[] = [];
    const group = new GroupCommit(
      (items: readonly number[]) =>
        items.includes(7) ? Promise.reject(new Error('lock timeout')) : run(items),
      {
        maxBatchSize: 100,
        maxInFlight: 1,
        runAlone: (item: number) =>
          item === 8
            ? Promise.reject(new Error('eight fails alone too'))
            : new Promise<number>((resolve) => {
                alone.push({ item, settle: () => resolve(item * 100) });
              }),
      },
    );
    const failed = [7, 8, 9].map((i) => group.submit(i));
    await turn();
    // The failed batch's items are on their own now; the next batch does not wait for them.
    expect(alone.map((a) => a.item)).toEqual([7, 9]);
    const next = group.submit(1);
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    batches[0]!.settle();
    expect(await next).toBe(10);
    for (const a of alone) a.settle();
    const settled = await Promise.allSettled(failed);
    expect(
      settled.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
    ).toEqual([700, 'eight fails alone too', 900]);
  });
});
