import type { DatabaseClient } from '@marketprep/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors';

/** Options of {@link databaseWatchPlugin}. */
export interface DatabaseWatchOptions {
  db: Pick<DatabaseClient, 'probe' | 'dropConnections'>;
  /** Probe period (ms); default 250. */
  intervalMs?: number;
  /** A probe without an answer after this long counts as "away" (ms); default 750. */
  timeoutMs?: number;
  /** Told when PostgreSQL goes away or comes back (logs, metrics). */
  onChange?: (available: boolean, error?: string) => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** False while the database watch finds PostgreSQL away or frozen. */
    databaseAvailable(): boolean;
  }
}

/** Routes that answer without the database (probes, metrics, documentation). */
function needsDatabase(request: FastifyRequest): boolean {
  const url = request.url;
  return !(
    url.startsWith('/health/') ||
    url === '/metrics' ||
    url.startsWith('/docs') ||
    url === '/openapi.json'
  );
}

/**
 * Watches PostgreSQL with a probe on its own connection (every 250 ms, 750 ms to answer, away
 * after two misses in a row). While the database is away or frozen, every route that needs it
 * answers 503 with Retry-After at once instead of waiting on a pool that cannot connect, and at
 * the moment it goes away the pool's sockets are dropped, so requests already waiting on a frozen
 * server fail now (503) rather than after the statement timeout. The first probe that answers
 * again lets requests through: no restart needed.
 */
export const databaseWatchPlugin = fp<DatabaseWatchOptions>(
  (app: FastifyInstance, options: DatabaseWatchOptions, done: (err?: Error) => void) => {
    const intervalMs = options.intervalMs ?? 250;
    const timeoutMs = options.timeoutMs ?? 750;
    let available = true;
    let failures = 0;
    let probing = false;
    let closed = false;

    const tick = async () => {
      if (probing || closed) return;
      probing = true;
      try {
        const result = await options.db.probe(timeoutMs);
        if (closed) return;
        failures = result.ok ? 0 : failures + 1;
        // Two misses in a row (one more period) before calling it away: one late answer on a
        // busy machine must not drop every connection.
        const nowAvailable = result.ok || (available && failures < 2);
        if (nowAvailable !== available) {
          available = nowAvailable;
          if (!available) options.db.dropConnections();
          options.onChange?.(available, result.error);
        }
      } finally {
        probing = false;
      }
    };
    const timer = setInterval(() => void tick(), intervalMs);
    timer.unref();
    app.addHook('onClose', (_instance, next) => {
      closed = true;
      clearInterval(timer);
      next();
    });

    app.decorate('databaseAvailable', () => available);
    app.addHook('onRequest', (request, _reply, next) => {
      if (!available && needsDatabase(request)) {
        next(
          new AppError(
            'UNAVAILABLE',
            'The database is not answering right now. Try again in a few seconds.',
            undefined,
            { code: 'database-unavailable' },
          ),
        );
        return;
      }
      next();
    });
    done();
  },
  { name: 'database-watch' },
);
