// Entry of a worker thread started by off-thread.ts: loads the task module (TypeScript through
// tsx when the API itself runs from sources), runs its `run(input)` and posts the answer back.
import { parentPort, workerData } from 'node:worker_threads';

const { entry, input } = workerData;
if (entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
const task = await import(entry);
try {
  parentPort.postMessage({ ok: true, value: await task.run(input) });
} catch (error) {
  parentPort.postMessage({
    ok: false,
    message: error instanceof Error ? error.message : String(error),
  });
}
