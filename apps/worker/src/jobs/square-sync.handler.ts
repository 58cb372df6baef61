import {
  SquareSyncRepository,
  withTenant,
  type DailyKey,
  type DatabaseClient,
  type SquareReturnLine,
  type SquareSaleLine,
} from '@marketprep/db';
import {
  isProviderError,
  SQUARE_MAX_LOCATIONS_PER_SEARCH,
  TokenDecryptionError,
  type SquareApi,
  type SquareOrder,
  type TokenCipher,
} from '@marketprep/integrations';
import type { PlansConfig } from '@marketprep/planning';
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { parsePayload, type JobHandler } from './job';
import { SQUARE_SYNC_REFRESH_WITHIN_MS } from './refresh-square-tokens.job';
import { vendorHasFeature } from './plan-features';
import { squareSyncJob } from './square-sync.job';
import { refreshDue, refreshSquareConnection } from './square-token-refresh';

/** What the square-sync handler needs; the composition root (main.ts or a test) provides it. */
export interface SquareSyncDeps {
  db: DatabaseClient;
  square: SquareApi;
  cipher: TokenCipher;
  now: () => Date;
  /** Orders per SearchOrders page (Square allows up to 1,000). Default 500. */
  pageSize?: number;
  /** How far back a backfill reaches. Default 730 days. */
  backfillDays?: number;
  /** Incremental runs start this long before the last closed_at seen. Default 15 minutes. */
  overlapMs?: number;
  /** Plans configuration (billing on): a business whose plan lacks `square-sync` is not synced. */
  plans?: PlansConfig;
  /** Called after each page is committed (progress logs; tests simulate a crash here). */
  afterPage?: (progress: SquareSyncCheckpoint) => void | Promise<void>;
}

/** The checkpoint saved in ProviderConnection.syncCursor after every page. */
export const SquareSyncCheckpointSchema = z.object({
  version: z.literal(1),
  mode: z.enum(['backfill', 'incremental']),
  startedAt: z.string(),
  /** Lower bound of closed_at for this run. */
  closedAtFrom: z.string(),
  /** Location ids of the run, fixed at its start, searched 10 at a time. */
  locationIds: z.array(z.string()),
  chunk: z.number().int().min(0),
  /** Square's cursor inside the current chunk (null: start of the chunk). */
  cursor: z.string().nullable(),
  pagesDone: z.number().int().min(0),
  ordersSoFar: z.number().int().min(0),
  linesWritten: z.number().int().min(0),
  returnsApplied: z.number().int().min(0),
  /** Lines whose variation maps to no product: skipped and counted (see docs/integrations.md). */
  unmappedLines: z.number().int().min(0),
  /** Newest closed_at seen (incremental runs start from here). */
  lastClosedAt: z.string().nullable(),
  done: z.boolean(),
  completedAt: z.string().nullable(),
});

/** Progress of a sync run, as stored and shown by the API. */
export type SquareSyncCheckpoint = z.infer<typeof SquareSyncCheckpointSchema>;

const DAY_MS = 86_400_000;

/** Turns one page of orders into sale lines and return lines for mapped locations/variations. */
export function mapOrders(
  orders: SquareOrder[],
  locations: Map<string, { marketId: string }>,
  variations: Map<string, string>,
): { lines: SquareSaleLine[]; returns: SquareReturnLine[]; unmapped: number } {
  const lines: SquareSaleLine[] = [];
  const returns: SquareReturnLine[] = [];
  let unmapped = 0;
  for (const order of orders) {
    const market = locations.get(order.locationId);
    const closedAt = order.closedAt ? new Date(order.closedAt) : null;
    if (!market || !closedAt || Number.isNaN(closedAt.getTime())) continue;
    if (order.state !== 'COMPLETED' && order.state !== 'CANCELED') continue;
    for (const item of order.lineItems ?? []) {
      const productId = item.catalogObjectId ? variations.get(item.catalogObjectId) : undefined;
      if (!productId) {
        unmapped += 1;
        continue;
      }
      const unit = item.basePriceMoney?.amount ?? null;
      const gross =
        item.grossSalesMoney?.amount ??
        item.totalMoney?.amount ??
        (unit ?? 0) * Number(item.quantity);
      lines.push({
        marketId: market.marketId,
        productId,
        orderId: order.id,
        lineUid: item.uid,
        soldAt: closedAt,
        quantity: item.quantity,
        unitPriceMinor: unit,
        grossMinor: Math.round(gross),
        state: order.state,
        providerUpdatedAt: order.updatedAt ? new Date(order.updatedAt) : null,
      });
    }
    if (order.state !== 'COMPLETED') continue;
    for (const ret of order.returns ?? []) {
      for (const item of ret.returnLineItems ?? []) {
        if (!item.sourceLineItemUid) continue;
        const unit = item.basePriceMoney?.amount ?? 0;
        returns.push({
          returnOrderId: order.id,
          returnLineUid: item.uid,
          sourceLineUid: item.sourceLineItemUid,
          returnedAt: closedAt,
          quantity: item.quantity,
          grossMinor: Math.round(
            item.grossReturnMoney?.amount ??
              item.totalMoney?.amount ??
              unit * Number(item.quantity),
          ),
        });
      }
    }
  }
  return { lines, returns, unmapped };
}

function readCheckpoint(value: unknown): SquareSyncCheckpoint | null {
  const parsed = SquareSyncCheckpointSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Builds the square-sync handler. Each page of orders is written with its checkpoint in one
 * transaction, so a crash resumes at the next page; lines are upserted by their Square uid, so a
 * page written twice counts once. 429/5xx are retried by the client, then by the job runtime
 * (the next attempt resumes from the checkpoint); 4xx and bad payloads are not retried.
 */
export function createSquareSyncHandler(deps: SquareSyncDeps): JobHandler {
  const pageSize = deps.pageSize ?? 500;
  const backfillDays = deps.backfillDays ?? 730;
  const overlapMs = deps.overlapMs ?? 15 * 60_000;

  return async (payload) => {
    const { vendorId, connectionId, mode } = parsePayload(squareSyncJob, payload);
    const db = deps.db.prisma;
    // Square sync is a plan feature (Market and up): a job queued before a downgrade, or by the
    // nightly schedule, reads nothing from Square for a business whose plan lacks it.
    if (!(await vendorHasFeature({ ...deps, plans: deps.plans }, vendorId, 'square-sync'))) {
      return { skipped: 'plan' };
    }

    const start = await withTenant(db, vendorId, async (tx) => {
      const repo = new SquareSyncRepository(tx);
      const connection = await repo.findConnection();
      if (!connection || connection.id !== connectionId) return null;
      return {
        connection,
        locations: await repo.mappedLocations(),
        variations: await repo.mappedVariations(),
      };
    });
    // Disconnected (or reconnected under a new id) since the request: nothing to do.
    if (!start || start.connection.status === 'REVOKED' || !start.connection.accessTokenEncrypted) {
      return { skipped: 'not-connected' };
    }
    const { connection, locations, variations } = start;
    const sealedToken = connection.accessTokenEncrypted;
    if (!sealedToken) return { skipped: 'not-connected' };

    let accessToken: string;
    try {
      accessToken = deps.cipher.decrypt(sealedToken);
      // A token about to expire is refreshed first; if that fails (REFRESH_FAILED, notified) the
      // old one is used while it is still valid.
      if (refreshDue(connection, deps.now(), SQUARE_SYNC_REFRESH_WITHIN_MS)) {
        const refreshed = await refreshSquareConnection(deps, {
          vendorId,
          connectionId,
          withinMs: SQUARE_SYNC_REFRESH_WITHIN_MS,
        });
        if (refreshed.outcome === 'refreshed') accessToken = refreshed.accessToken;
        else if (
          refreshed.outcome === 'failed' &&
          connection.tokenExpiresAt !== null &&
          connection.tokenExpiresAt.getTime() <= deps.now().getTime()
        ) {
          const message =
            refreshed.error instanceof Error ? refreshed.error.message : String(refreshed.error);
          if (refreshed.retryable) throw new Error(`square-sync: token refresh failed: ${message}`);
          throw new UnrecoverableError(`square-sync: token expired, refresh failed: ${message}`);
        }
      }
    } catch (error) {
      if (!(error instanceof TokenDecryptionError)) throw error;
      await withTenant(db, vendorId, (tx) =>
        new SquareSyncRepository(tx).recordSyncOutcome(connectionId, {
          at: deps.now(),
          error: 'The stored Square token cannot be decrypted (encryption key missing?).',
          status: 'ERROR',
        }),
      );
      throw new UnrecoverableError(`square-sync: ${error.message}`);
    }

    const now = deps.now();
    const previous = readCheckpoint(connection.syncCursor);
    let checkpoint: SquareSyncCheckpoint;
    if (previous && !previous.done) {
      checkpoint = previous; // a run in progress: resume it, whatever was asked
    } else {
      const runMode =
        mode === 'incremental' && connection.backfillCompletedAt && previous?.lastClosedAt
          ? 'incremental'
          : 'backfill';
      const closedAtFrom =
        runMode === 'incremental'
          ? new Date(Date.parse(previous!.lastClosedAt!) - overlapMs)
          : new Date(now.getTime() - backfillDays * DAY_MS);
      checkpoint = {
        version: 1,
        mode: runMode,
        startedAt: now.toISOString(),
        closedAtFrom: closedAtFrom.toISOString(),
        locationIds: [...locations.keys()].sort(),
        chunk: 0,
        cursor: null,
        pagesDone: 0,
        ordersSoFar: 0,
        linesWritten: 0,
        returnsApplied: 0,
        unmappedLines: 0,
        lastClosedAt: previous?.lastClosedAt ?? null,
        done: false,
        completedAt: null,
      };
      await withTenant(db, vendorId, (tx) =>
        new SquareSyncRepository(tx).saveCheckpoint(connectionId, checkpoint),
      );
    }

    const chunks: string[][] = [];
    for (let i = 0; i < checkpoint.locationIds.length; i += SQUARE_MAX_LOCATIONS_PER_SEARCH) {
      chunks.push(checkpoint.locationIds.slice(i, i + SQUARE_MAX_LOCATIONS_PER_SEARCH));
    }

    try {
      while (checkpoint.chunk < chunks.length) {
        const page = await deps.square.searchOrders(accessToken, {
          locationIds: chunks[checkpoint.chunk]!,
          closedAtFrom: checkpoint.closedAtFrom,
          cursor: checkpoint.cursor,
          limit: pageSize,
        });
        const mapped = mapOrders(page.orders, locations, variations);
        const lastClosedAt = page.orders.reduce<string | null>(
          (latest, o) => (o.closedAt && (!latest || o.closedAt > latest) ? o.closedAt : latest),
          checkpoint.lastClosedAt,
        );
        const current = checkpoint;
        checkpoint = await withTenant(
          db,
          vendorId,
          async (tx) => {
            const repo = new SquareSyncRepository(tx);
            const keys: DailyKey[] = await repo.upsertSaleLines(vendorId, mapped.lines);
            const returned = await repo.applyReturns(vendorId, mapped.returns);
            await repo.recomputeDailySales(vendorId, [...keys, ...returned.keys]);
            const next: SquareSyncCheckpoint = {
              ...current,
              chunk: page.cursor ? current.chunk : current.chunk + 1,
              cursor: page.cursor,
              pagesDone: current.pagesDone + 1,
              ordersSoFar: current.ordersSoFar + page.orders.length,
              linesWritten: current.linesWritten + mapped.lines.length,
              returnsApplied: current.returnsApplied + returned.applied,
              unmappedLines: current.unmappedLines + mapped.unmapped,
              lastClosedAt,
            };
            await repo.saveCheckpoint(connectionId, next);
            return next;
          },
          { timeoutMs: 60_000 },
        );
        await deps.afterPage?.(checkpoint);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const fatal = isProviderError(error) && !error.retryable;
      await withTenant(db, vendorId, (tx) =>
        new SquareSyncRepository(tx).recordSyncOutcome(connectionId, {
          at: deps.now(),
          error: message.slice(0, 500),
          ...(fatal && isProviderError(error) && 'status' in error && error.status === 401
            ? { status: 'ERROR' as const }
            : {}),
        }),
      ).catch(() => undefined);
      if (fatal) throw new UnrecoverableError(`square-sync: ${message}`);
      throw error;
    }

    const finished: SquareSyncCheckpoint = {
      ...checkpoint,
      done: true,
      completedAt: deps.now().toISOString(),
    };
    await withTenant(db, vendorId, async (tx) => {
      const repo = new SquareSyncRepository(tx);
      await repo.saveCheckpoint(connectionId, finished);
      await repo.recordSyncOutcome(connectionId, {
        at: deps.now(),
        error: null,
        backfillCompleted: finished.mode === 'backfill',
      });
    });
    return {
      mode: finished.mode,
      pages: finished.pagesDone,
      orders: finished.ordersSoFar,
      lines: finished.linesWritten,
      returns: finished.returnsApplied,
      unmappedLines: finished.unmappedLines,
    };
  };
}
