'use strict';
// Preloaded (`node --expose-gc --require bench/gc-probe.cjs`) into the API and worker processes
// that bench/lib/stack.ts starts with `gcProbe`: on SIGUSR2 it runs a full collection and writes
// the heap then in use as one line on stderr, so a soak measures the heap after GC, not whatever
// garbage happens to be waiting. Never loaded outside benches.
process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') global.gc();
  const { heapUsed, rss } = process.memoryUsage();
  process.stderr.write(`gc-probe heapUsed=${heapUsed} rss=${rss}\n`);
});
