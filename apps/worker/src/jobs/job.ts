import type { Logger } from 'pino';
import type { z } from 'zod';

/** A job's definition: its name, payload schema and retry policy (STYLE.md #11). */
export interface JobDefinition<Schema extends z.ZodType> {
  name: string;
  payload: Schema;
  attempts: number;
  /** Repeat every this many ms (a schedule), or run only when requested. */
  everyMs?: number;
  /** Cron pattern for BullMQ's job scheduler (e.g. nightly); the in-process runtime uses everyMs. */
  pattern?: string;
}

/** Runs one job: parses its payload (a bad payload is never retried) and calls a service. */
export type JobHandler = (payload: unknown, context: JobContext) => Promise<unknown>;

/** What a handler knows about its run: the job id (the outbox id for requested work) and logs. */
export interface JobContext {
  jobId: string;
  /** Id of the HTTP request that asked for the work (from the outbox row), for joined-up logs. */
  requestId?: string;
  /** Logger bound to the job (name, id, request id). */
  logger?: Logger;
}

/** A payload that does not match its schema: retrying would fail the same way. */
export class InvalidPayloadError extends Error {
  constructor(jobName: string, issues: string) {
    super(`Invalid payload for ${jobName}: ${issues}`);
    this.name = 'InvalidPayloadError';
  }
}

/** Parses a payload with the job's schema or throws InvalidPayloadError. */
export function parsePayload<Schema extends z.ZodType>(
  definition: JobDefinition<Schema>,
  payload: unknown,
): z.infer<Schema> {
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) {
    throw new InvalidPayloadError(
      definition.name,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}
