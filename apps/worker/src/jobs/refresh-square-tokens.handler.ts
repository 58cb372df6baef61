import { listActiveVendorIds, SquareSyncRepository, withTenant } from '@marketprep/db';
import { UnrecoverableError } from 'bullmq';
import { requestWork } from './background-deps';
import { parsePayload, type JobHandler } from './job';
import {
  refreshSquareTokenJob,
  refreshSquareTokensJob,
  SQUARE_REFRESH_WITHIN_MS,
} from './refresh-square-tokens.job';
import {
  refreshDue,
  refreshSquareConnection,
  type SquareTokenRefreshDeps,
} from './square-token-refresh';

/**
 * The daily schedule: a `refresh-square-token` request per connection that is due (expires within
 * 7 days, or is sealed with an old key), one pending per connection (dedupe key).
 */
export function createRefreshSquareTokensHandler(deps: SquareTokenRefreshDeps): JobHandler {
  return async (payload) => {
    parsePayload(refreshSquareTokensJob, payload);
    const now = deps.now();
    let requested = 0;
    let connections = 0;
    for (const vendorId of await listActiveVendorIds(deps.db.prisma)) {
      const connection = await withTenant(deps.db.prisma, vendorId, (tx) =>
        new SquareSyncRepository(tx).findConnection(),
      );
      if (!connection || connection.status === 'REVOKED' || !connection.accessTokenEncrypted) {
        continue;
      }
      connections++;
      const due =
        refreshDue(connection, now, SQUARE_REFRESH_WITHIN_MS) ||
        connection.encryptionKeyId !== deps.cipher.currentKeyId;
      if (!due) continue;
      const result = await requestWork(deps.db, vendorId, {
        jobName: refreshSquareTokenJob.name,
        payload: { vendorId, connectionId: connection.id },
        dedupeKey: `square-token-refresh:${connection.id}`,
      });
      if (!result.deduplicated) requested++;
    }
    return { connections, requested };
  };
}

/**
 * One connection's refresh. A retryable failure (429, 5xx, timeout) is thrown for the runtime to
 * retry; anything else is final (UnrecoverableError). Either way the connection is REFRESH_FAILED
 * and the vendor notified (once a day) until a refresh succeeds.
 */
export function createRefreshSquareTokenHandler(deps: SquareTokenRefreshDeps): JobHandler {
  return async (payload) => {
    const { vendorId, connectionId } = parsePayload(refreshSquareTokenJob, payload);
    const result = await refreshSquareConnection(deps, {
      vendorId,
      connectionId,
      withinMs: SQUARE_REFRESH_WITHIN_MS,
      reseal: true,
    });
    if (result.outcome === 'failed') {
      const message = result.error instanceof Error ? result.error.message : String(result.error);
      if (result.retryable) throw result.error instanceof Error ? result.error : new Error(message);
      throw new UnrecoverableError(`refresh-square-token: ${message}`);
    }
    return result.outcome === 'refreshed'
      ? { outcome: result.outcome, expiresAt: result.expiresAt?.toISOString() ?? null }
      : result;
  };
}
