import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors';

/** Thresholds past which the API sheds load (each optional; see {@link overloadPlugin}). */
export interface OverloadSettings {
  /** Mean event-loop delay (ms) over a sample; default 200. */
  maxEventLoopDelayMs?: number;
  /** Event-loop utilization 0..1 over a sample; default 0.98. */
  maxEventLoopUtilization?: number;
  /** V8 heap in use (bytes); no bound by default. */
  maxHeapUsedBytes?: number;
  /** Resident set size (bytes); no bound by default. */
  maxRssBytes?: number;
  /** How often the process is measured (ms); default 1,000. */
  sampleIntervalMs?: number;
  /** Retry-After of a shed request (s); default 5. */
  retryAfterS?: number;
}

/** Probes and scrapes answer under load too: an orchestrator must not kill a busy process. */
const NEVER_SHED = ['/health/live', '/metrics'];

/**
 * Load shedding with `@fastify/under-pressure`: once the event loop lags, is saturated, or memory
 * passes its bound, new requests are answered at once with 503 problem+json and Retry-After
 * (the work already admitted finishes) instead of every request becoming slow. The answer goes
 * through the one error handler like every other problem.
 */
export const overloadPlugin = fp<OverloadSettings>(
  async (app: FastifyInstance, settings: OverloadSettings) => {
    const retryAfterS = settings.retryAfterS ?? 5;
    await app.register(underPressure, {
      maxEventLoopDelay: settings.maxEventLoopDelayMs ?? 200,
      maxEventLoopUtilization: settings.maxEventLoopUtilization ?? 0.98,
      maxHeapUsedBytes: settings.maxHeapUsedBytes,
      maxRssBytes: settings.maxRssBytes,
      sampleInterval: settings.sampleIntervalMs ?? 1_000,
      retryAfter: retryAfterS,
      pressureHandler: (request: FastifyRequest, reply: FastifyReply, type: string) => {
        if (NEVER_SHED.includes(request.url.split('?')[0] ?? '')) return undefined;
        void reply.header('retry-after', String(retryAfterS));
        request.log.warn({ type }, 'overloaded: request shed with 503');
        return Promise.reject(
          new AppError('UNAVAILABLE', 'The server is busy right now. Try again in a few seconds.'),
        );
      },
    });
  },
  { name: 'overload' },
);
