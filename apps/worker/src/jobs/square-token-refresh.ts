import {
  NotificationsRepository,
  SquareSyncRepository,
  withTenant,
  type DatabaseClient,
  type SquareConnectionRecord,
} from '@marketprep/db';
import { isProviderError, type SquareApi, type TokenCipher } from '@marketprep/integrations';
import { syncFailingNotification } from './send-alerts.handler';

/** What a token refresh needs. */
export interface SquareTokenRefreshDeps {
  db: DatabaseClient;
  square: SquareApi;
  cipher: TokenCipher;
  now: () => Date;
}

/** The outcome of {@link refreshSquareConnection}. */
export type SquareRefreshOutcome =
  | { outcome: 'refreshed'; accessToken: string; expiresAt: Date | null }
  | { outcome: 'resealed' }
  | { outcome: 'not-due' }
  | { outcome: 'skipped'; reason: 'not-connected' | 'no-refresh-token' }
  | { outcome: 'failed'; error: unknown; retryable: boolean };

/** True when the token expires within `withinMs` of `now` (unknown expiry: not due). */
export function refreshDue(
  connection: Pick<SquareConnectionRecord, 'tokenExpiresAt'>,
  now: Date,
  withinMs: number,
): boolean {
  return (
    connection.tokenExpiresAt !== null &&
    connection.tokenExpiresAt.getTime() - now.getTime() <= withinMs
  );
}

/**
 * Refreshes a Square connection's token when it expires within `withinMs`: the refresh token is
 * opened, Square's `/oauth2/token` called, and both new tokens sealed with the CURRENT key (which
 * also rotates keys). A token not due but sealed with an old key is re-sealed (`reseal`). On
 * failure the connection becomes REFRESH_FAILED with the reason, and the vendor gets the
 * "sync is failing" notification (the same dedupe key send-alerts uses: once a day).
 */
export async function refreshSquareConnection(
  deps: SquareTokenRefreshDeps,
  input: { vendorId: string; connectionId: string; withinMs: number; reseal?: boolean },
): Promise<SquareRefreshOutcome> {
  const { vendorId, connectionId } = input;
  const connection = await withTenant(deps.db.prisma, vendorId, (tx) =>
    new SquareSyncRepository(tx).findConnection(),
  );
  if (
    !connection ||
    connection.id !== connectionId ||
    connection.status === 'REVOKED' ||
    !connection.accessTokenEncrypted
  ) {
    return { outcome: 'skipped', reason: 'not-connected' };
  }
  const now = deps.now();
  if (!refreshDue(connection, now, input.withinMs)) {
    const stale = connection.encryptionKeyId !== deps.cipher.currentKeyId;
    if (!input.reseal || !stale) return { outcome: 'not-due' };
    const access = connection.accessTokenEncrypted;
    const refresh = connection.refreshTokenEncrypted;
    await withTenant(deps.db.prisma, vendorId, (tx) =>
      new SquareSyncRepository(tx).updateTokens(connectionId, {
        accessTokenEncrypted: deps.cipher.reencrypt(access),
        refreshTokenEncrypted: refresh ? deps.cipher.reencrypt(refresh) : null,
        encryptionKeyId: deps.cipher.currentKeyId,
      }),
    );
    return { outcome: 'resealed' };
  }
  if (!connection.refreshTokenEncrypted) return { outcome: 'skipped', reason: 'no-refresh-token' };

  try {
    const tokens = await deps.square.refreshToken(
      deps.cipher.decrypt(connection.refreshTokenEncrypted),
    );
    // Square keeps the refresh token unless it sends a new one.
    const refreshToken =
      tokens.refreshToken ?? deps.cipher.decrypt(connection.refreshTokenEncrypted);
    await withTenant(deps.db.prisma, vendorId, async (tx) => {
      const repo = new SquareSyncRepository(tx);
      await repo.updateTokens(connectionId, {
        accessTokenEncrypted: deps.cipher.encrypt(tokens.accessToken),
        refreshTokenEncrypted: deps.cipher.encrypt(refreshToken),
        encryptionKeyId: deps.cipher.currentKeyId,
        tokenExpiresAt: tokens.expiresAt,
        refreshedAt: deps.now(),
      });
      if (connection.status === 'REFRESH_FAILED') await repo.clearRefreshError(connectionId);
    });
    return { outcome: 'refreshed', accessToken: tokens.accessToken, expiresAt: tokens.expiresAt };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = deps.now();
    await withTenant(deps.db.prisma, vendorId, async (tx) => {
      await new SquareSyncRepository(tx).markRefreshFailed(
        connectionId,
        `Token refresh failed: ${message}`,
      );
      await new NotificationsRepository(tx).createNotification(
        syncFailingNotification(
          vendorId,
          { id: connectionId, provider: 'SQUARE', status: 'REFRESH_FAILED' },
          at,
        ),
      );
    });
    return { outcome: 'failed', error, retryable: isProviderError(error) && error.retryable };
  }
}
