import { threadId } from 'node:worker_threads';

/** A task for off-thread.test.ts: sums numbers, fails on request, or keeps the CPU busy. */
export function run(input: { numbers?: number[]; fail?: string; busyMs?: number }): {
  sum: number;
  threadId: number;
} {
  if (input.fail) throw new Error(input.fail);
  const until = Date.now() + (input.busyMs ?? 0);
  while (Date.now() < until) {
    // busy: the main thread's timers must still fire
  }
  return { sum: (input.numbers ?? []).reduce((a, b) => a + b, 0), threadId };
}
