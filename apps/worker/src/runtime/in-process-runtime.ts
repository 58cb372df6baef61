import type { Logger } from 'pino';
import type { RegisteredJob } from '../jobs/registry';
import type { JobRuntime } from './bullmq-runtime';

/**
 * The embedded default (no REDIS_URL): repeating jobs run on timers in this process, one at a
 * time per job, through the same handlers BullMQ would call.
 */
export function startInProcessRuntime(options: {
  jobs: RegisteredJob[];
  logger: Logger;
}): JobRuntime {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let closed = false;

  for (const { definition, handler } of options.jobs) {
    if (!definition.everyMs) continue;
    let busy = false;
    const run = () => {
      if (busy || closed) return;
      busy = true;
      const task = handler({}, { jobId: `${definition.name}-${Date.now()}` })
        .then((result) => options.logger.debug({ job: definition.name, result }, 'job done'))
        .catch((error: unknown) =>
          options.logger.warn({ job: definition.name, err: error }, 'job failed'),
        )
        .finally(() => {
          busy = false;
          running.delete(task);
        });
      running.add(task);
    };
    timers.push(setInterval(run, definition.everyMs));
    run();
  }
  options.logger.info(
    { jobs: options.jobs.map((j) => j.definition.name) },
    'in-process job runner ready (no REDIS_URL)',
  );
  return {
    async close() {
      closed = true;
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([...running]);
    },
  };
}
