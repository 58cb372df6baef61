import { describe, expect, it } from 'vitest';

import { runOffThread } from './off-thread';

const TASK = new URL('./off-thread.fixture.ts', import.meta.url);

describe('runOffThread', () => {
  it('runs a TypeScript task on another thread and answers its result', async () => {
    const answer = await runOffThread<{ sum: number; threadId: number }>(TASK, {
      numbers: [1, 2, 3],
    });
    expect(answer.sum).toBe(6);
    // Not the main thread (0).
    expect(answer.threadId).toBeGreaterThan(0);
  });

  it('rejects with the task error, and the next task still runs', async () => {
    await expect(runOffThread(TASK, { fail: 'bad input' })).rejects.toThrow('bad input');
    await expect(runOffThread<{ sum: number }>(TASK, { numbers: [4] })).resolves.toMatchObject({
      sum: 4,
    });
  });

  it('keeps the event loop free while the task computes', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await runOffThread(TASK, { numbers: [1], busyMs: 300 });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(10);
  });
});
