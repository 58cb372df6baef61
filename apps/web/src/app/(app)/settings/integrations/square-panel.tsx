'use client';

import { SquareConnectSchema, type SquareStatusSchema } from '@marketprep/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';

import { Button, ButtonLink } from '../../../../components/button';
import { Dialog } from '../../../../components/dialog';
import { ErrorState } from '../../../../components/error-state';
import { FormError } from '../../../../components/field';
import { LoadingSkeleton } from '../../../../components/loading-skeleton';
import { PlanLocked, usePlanFeature } from '../../../../features/billing/plan-lock';
import { countUnanswered } from '../../../../features/square/square-mapping';
import {
  squareStatusKey,
  useSquareMapping,
  useSquareStatus,
} from '../../../../features/square/square.api';
import { formatDateInTimeZone, formatQuantity } from '../../../../lib/format';
import { apiFetch, describeWriteError, useSession } from '../../../../lib/session';
import { formatAge } from '../../dashboard/freshness';

type SquareStatus = z.infer<typeof SquareStatusSchema>;

const STATUS_TEXT: Record<SquareStatus['status'], string> = {
  NOT_CONNECTED: 'Not connected',
  ACTIVE: 'Connected',
  REFRESH_FAILED: 'Needs reconnecting',
  ERROR: 'Sync problem',
  REVOKED: 'Disconnected',
};

/** Starts the OAuth flow: asks the API for Square's consent URL and sends the browser there. */
export function useSquareConnect() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; items: string[] } | null>(null);
  const connect = async () => {
    setBusy(true);
    setError(null);
    try {
      const { authorizeUrl } = await apiFetch({
        path: '/v1/integrations/square/connect',
        schema: SquareConnectSchema,
      });
      window.location.assign(authorizeUrl);
    } catch (caught) {
      setError(describeWriteError(caught));
      setBusy(false);
    }
  };
  return { connect, busy, error };
}

/** `1,234 orders`: a count with its noun, pluralized. */
const count = (quantity: number, noun: string) =>
  formatQuantity(quantity, noun, quantity.toLocaleString('en-US'));

function SyncProgress({ sync }: { sync: NonNullable<SquareStatus['sync']> }) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <div className="card" aria-live="polite">
      <h3 className="card__title">
        {sync.mode === 'backfill' ? 'Bringing in your sales history' : 'Latest sync'}
        {sync.running ? ' (running)' : ' (done)'}
      </h3>
      {sync.running && <progress className="progress" aria-label="Sync in progress" />}
      <p>
        {sync.running && sync.pagesDone === 0
          ? 'Starting: asking Square for your orders…'
          : `${count(sync.pagesDone, 'page')} done: ${count(sync.ordersSoFar, 'order')} read, ${count(sync.linesWritten, 'sale line')} stored, ${count(sync.returnsApplied, 'return')} applied.`}
      </p>
      {sync.unmappedLines > 0 && (
        <p className="muted">
          {count(sync.unmappedLines, 'sold line')} skipped: their Square items are not tracked or
          not matched to a product.
        </p>
      )}
      {sync.lastClosedAt && (
        <p className="card__meta">
          {sync.running ? 'Newest order so far' : 'Newest order'}:{' '}
          {formatDateInTimeZone(new Date(sync.lastClosedAt), zone)}
        </p>
      )}
    </div>
  );
}

/** Connected: how many locations and items still need an answer, and the way to the screen. */
function MappingLink({ canEdit }: { canEdit: boolean }) {
  const mapping = useSquareMapping(true);
  const open = mapping.data ? countUnanswered(mapping.data) : null;
  const waiting = open ? open.locations + open.variations : 0;
  return (
    <div className="card">
      <h3 className="card__title">Locations and items</h3>
      <p>
        {mapping.isPending
          ? 'Checking your Square locations and items…'
          : open === null
            ? 'Match Square locations to markets and items to products.'
            : waiting === 0
              ? 'Every Square location and item has an answer.'
              : `${[
                  open.locations > 0 ? count(open.locations, 'location') : null,
                  open.variations > 0 ? count(open.variations, 'item') : null,
                ]
                  .filter(Boolean)
                  .join(' and ')} not matched yet: their sales do not count until they are.`}
      </p>
      <div className="button-row">
        <ButtonLink
          href="/settings/integrations/mapping"
          variant={waiting > 0 && canEdit ? 'primary' : 'secondary'}
        >
          {canEdit ? 'Match locations and items' : 'See locations and items'}
        </ButtonLink>
      </div>
    </div>
  );
}

/** Square connection, sync status and live backfill progress; owners connect and disconnect. */
export function SquarePanel({ headingLevel = 2 }: { headingLevel?: 2 | 3 }) {
  const { isOwner } = useSession();
  const queryClient = useQueryClient();
  const { connect, busy, error } = useSquareConnect();
  const squareLock = usePlanFeature('square-sync');
  const [confirming, setConfirming] = useState(false);
  const [disconnectError, setDisconnectError] = useState<string | null>(null);
  const [disconnecting, setDisconnecting] = useState(false);
  // Live progress while a sync runs.
  const query = useSquareStatus();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  const disconnect = async () => {
    setDisconnecting(true);
    setDisconnectError(null);
    try {
      await apiFetch({ path: '/v1/integrations/square', method: 'DELETE' });
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: squareStatusKey });
    } catch (caught) {
      setDisconnectError(describeWriteError(caught).message);
    } finally {
      setDisconnecting(false);
    }
  };

  return (
    <section className="section" aria-labelledby="square-title">
      <Heading id="square-title">Square</Heading>
      <p className="muted">
        Connect your Square account and your past sales come in automatically (a backfill), then new
        sales every few minutes. MarketPrep only reads: it never changes anything in Square.
      </p>
      {query.isPending ? (
        <LoadingSkeleton label="Loading the Square connection…" lines={2} />
      ) : query.data === undefined ? (
        <ErrorState
          title="We could not load the Square connection"
          error={query.error}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
          headingLevel={3}
        />
      ) : (
        <>
          <dl className="facts">
            <div className="facts__row">
              <dt>Status</dt>
              <dd>
                <span
                  className={`badge ${query.data.status === 'ACTIVE' ? 'badge--ok' : query.data.status === 'NOT_CONNECTED' ? 'badge--muted' : 'badge--bad'}`}
                >
                  {STATUS_TEXT[query.data.status]}
                </span>
              </dd>
            </div>
            {query.data.merchantId && (
              <div className="facts__row">
                <dt>Merchant</dt>
                <dd>{query.data.merchantId}</dd>
              </div>
            )}
            <div className="facts__row">
              <dt>Last sync</dt>
              <dd>{formatAge(query.data.lastSyncedAt, new Date(query.dataUpdatedAt))}</dd>
            </div>
            {(query.data.backfillCompletedAt || query.data.sync?.mode === 'backfill') && (
              <div className="facts__row">
                <dt>History</dt>
                <dd>
                  {query.data.sync?.mode === 'backfill' && query.data.sync.running
                    ? 'coming in'
                    : 'complete'}
                </dd>
              </div>
            )}
          </dl>
          {query.data.lastError && (
            <p className="notice notice--warning" role="status">
              Last problem: {query.data.lastError}
            </p>
          )}
          {query.data.sync && <SyncProgress sync={query.data.sync} />}
          {query.data.connected && query.data.status !== 'REVOKED' && (
            <MappingLink canEdit={isOwner} />
          )}
          {!query.data.configured && (
            <p className="notice notice--warning" role="status">
              Square is not set up on this MarketPrep server yet, so connecting will fail. Import a
              CSV export from Square instead.
            </p>
          )}
          <FormError message={error?.message ?? null} items={error?.items ?? []} />
          {isOwner ? (
            <div className="button-row">
              {query.data.connected ? (
                <Button variant="secondary" onClick={() => setConfirming(true)}>
                  Disconnect Square
                </Button>
              ) : squareLock.locked ? (
                <PlanLocked feature="square-sync" what="Square sync" compact />
              ) : (
                <Button onClick={() => void connect()} busy={busy} busyLabel="Opening Square…">
                  {query.data.status === 'NOT_CONNECTED' ? 'Connect Square' : 'Reconnect Square'}
                </Button>
              )}
            </div>
          ) : (
            <p className="muted">Only an owner can connect or disconnect Square.</p>
          )}
        </>
      )}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Disconnect Square?"
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Keep connected
            </Button>
            <Button
              variant="danger"
              onClick={() => void disconnect()}
              busy={disconnecting}
              busyLabel="Disconnecting…"
            >
              Disconnect
            </Button>
          </>
        }
      >
        <p>
          New sales stop coming in. The sales already synced stay, and you can reconnect at any
          time.
        </p>
        {disconnectError && (
          <p role="alert" className="field__error">
            {disconnectError}
          </p>
        )}
      </Dialog>
    </section>
  );
}
