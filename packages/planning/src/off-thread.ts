import { Worker } from 'node:worker_threads';

/**
 * Runs CPU-heavy work (training the demand model: seconds of CPU) on a worker thread, so the
 * process's event loop keeps answering meanwhile (the API's requests, the worker's other jobs and
 * health probes). One task at a time per process: the machine's other core stays with the
 * requests. `entry` is a module that
 * exports `run(input)`; input and answer cross the thread by structured clone.
 */
export function runOffThread<T>(entry: URL, input: unknown): Promise<T> {
  const task = queue.then(() => runWorker<T>(entry, input));
  queue = task.then(
    () => undefined,
    () => undefined,
  );
  return task;
}

let queue: Promise<void> = Promise.resolve();

const BOOT = new URL('./off-thread-boot.mjs', import.meta.url);

function runWorker<T>(entry: URL, input: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(BOOT, { workerData: { entry: entry.href, input } });
    let settled = false;
    worker.once('message', (message: { ok: true; value: T } | { ok: false; message: string }) => {
      settled = true;
      if (message.ok) resolve(message.value);
      else reject(new Error(message.message));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`worker thread exited with code ${code} before answering`));
    });
  });
}
