/**
 * One month of the replay-vendor job, run on a worker thread (runOffThread of
 * @marketprep/planning): a month trains the demand model once, seconds of CPU (minutes on a busy
 * machine) the worker's event loop must not wait on, or its other jobs, lock renewals and health
 * probes stall behind it.
 */
import { replaySeason, type ReplayDay, type ReplaySeasonOptions } from '@marketprep/forecast';

/** What the thread sends back. */
export interface ReplayMonthAnswer {
  days: ReplayDay[];
  trainings: number;
}

export function run(options: Omit<ReplaySeasonOptions, 'onProgress'>): ReplayMonthAnswer {
  const result = replaySeason(options);
  return { days: [...result.days], trainings: result.trainings };
}
