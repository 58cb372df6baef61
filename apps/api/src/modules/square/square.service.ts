import {
  AuditRepository,
  MembershipsRepository,
  SquareSyncRepository,
  UniqueViolationError,
  WebhookEventsRepository,
  withScope,
  withTenant,
  type DatabaseClient,
  type SquareConnectionRecord,
} from '@marketprep/db';
import {
  isProviderError,
  isProviderHttpError,
  isSquareSalesEvent,
  SQUARE_SCOPES,
  SquareWebhookEventSchema,
  verifySquareWebhookSignature,
  type SquareApi,
  type SquareLocation,
  type SquareVariation,
  type TokenCipher,
} from '@marketprep/integrations';
import type { z } from 'zod';
import type {
  SquareMappingBodySchema,
  SquareMappingSchema,
  SquareStatusSchema,
} from '@marketprep/contracts';
import { AppError } from '../../errors';
import { enqueueWork } from '../../lib/outbox';
import type { TenantContext } from '../../plugins/auth';
import type { PlanLimitCheck } from '../billing/plan-limits';
import { createOAuthState, verifyOAuthState } from './square-state';

/** What the Square module needs when Square is configured. */
export interface SquareModuleConfig {
  client: SquareApi;
  cipher: TokenCipher;
  webhookSignatureKey: string;
  /** The notification URL registered with Square (part of the signature). */
  webhookUrl: string;
  /** Sent as `redirect_uri` when set (must equal the one registered with Square). */
  redirectUri?: string;
}

type SquareStatus = z.infer<typeof SquareStatusSchema>;
type SquareMapping = z.infer<typeof SquareMappingSchema>;
type SquareMappingBody = z.infer<typeof SquareMappingBodySchema>;

/** The job the worker runs for a connection. */
export const SQUARE_SYNC_JOB = 'square-sync';

const dedupeKeyFor = (connectionId: string) => `square-sync:${connectionId}`;
const normalize = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
const MERCHANT_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** The product name a variation suggests: "Sourdough (Loaf)", or just the item for "Regular". */
export function productNameFor(variation: SquareVariation): string {
  const plain = ['', 'regular', 'default'].includes(variation.variationName.trim().toLowerCase());
  return plain ? variation.itemName : `${variation.itemName} (${variation.variationName})`;
}

/**
 * Square connect (OAuth with a signed state), status with sync progress, disconnect, the
 * location/variation mapping, and webhook intake. Tokens are sealed with the token cipher before
 * they reach the database and never leave this service.
 */
export class SquareService {
  constructor(
    private readonly deps: {
      db: DatabaseClient;
      config: SquareModuleConfig | undefined;
      /** Key of the OAuth state HMAC (the session secret). */
      stateKey: string;
      publicUrl: string;
      now: () => Date;
      /** The plan's market and product limits (billing); without it nothing is limited. */
      limits?: PlanLimitCheck;
    },
  ) {}

  private get config(): SquareModuleConfig {
    if (!this.deps.config) throw new AppError('UNAVAILABLE', 'Square is not configured.');
    return this.deps.config;
  }

  /** The Square consent URL, with a state bound to this vendor, user and session. */
  connectUrl(tenant: TenantContext, sessionSecret: string): { authorizeUrl: string } {
    const config = this.config;
    if (!tenant.userId) throw new AppError('FORBIDDEN', 'Sign in as an owner to connect Square.');
    const state = createOAuthState({
      key: this.deps.stateKey,
      vendorId: tenant.vendorId,
      userId: tenant.userId,
      sessionSecret,
      now: this.deps.now(),
    });
    return { authorizeUrl: config.client.authorizeUrl({ state, redirectUri: config.redirectUri }) };
  }

  /**
   * The OAuth callback: checks the state (same session, not expired, still an owner), exchanges
   * the code, seals and stores the tokens, and asks the worker for a backfill, all before the
   * browser is sent back to the settings page. Returns the URL to redirect to.
   */
  async completeConnect(options: {
    userId: string;
    sessionSecret: string;
    query: { code?: string; state: string; error?: string };
    requestId: string;
  }): Promise<string> {
    const config = this.config;
    const state = verifyOAuthState({
      key: this.deps.stateKey,
      state: options.query.state,
      sessionSecret: options.sessionSecret,
      now: this.deps.now(),
    });
    if (!state || state.userId !== options.userId) {
      throw new AppError(
        'BAD_REQUEST',
        'This Square authorization is invalid or expired; start again.',
      );
    }
    const back = (result: string) =>
      `${this.deps.publicUrl}/settings/integrations?square=${result}`;
    if (options.query.error || !options.query.code) return back('denied');
    const role = await withScope(
      this.deps.db.prisma,
      { vendorId: state.vendorId, userId: options.userId },
      (tx) => new MembershipsRepository(tx).findRole(options.userId),
    );
    if (role !== 'OWNER') throw new AppError('FORBIDDEN', 'Only an owner can connect Square.');

    let tokens;
    try {
      tokens = await config.client.exchangeCode({
        code: options.query.code,
        redirectUri: config.redirectUri,
      });
    } catch (error) {
      if (isProviderError(error)) return back('error');
      throw error;
    }
    const { cipher } = config;
    const now = this.deps.now();
    try {
      await withTenant(this.deps.db.prisma, state.vendorId, async (tx) => {
        const repo = new SquareSyncRepository(tx);
        const { id } = await repo.saveAuthorizedConnection({
          vendorId: state.vendorId,
          externalAccountId: tokens.merchantId,
          scopes: [...SQUARE_SCOPES],
          accessTokenEncrypted: cipher.encrypt(tokens.accessToken),
          refreshTokenEncrypted: tokens.refreshToken ? cipher.encrypt(tokens.refreshToken) : null,
          encryptionKeyId: cipher.currentKeyId,
          tokenExpiresAt: tokens.expiresAt,
          now,
        });
        await enqueueWork(tx, {
          jobName: SQUARE_SYNC_JOB,
          payload: { vendorId: state.vendorId, connectionId: id, mode: 'backfill' },
          dedupeKey: dedupeKeyFor(id),
          requestId: options.requestId,
        });
        await new AuditRepository(tx).record({
          vendorId: state.vendorId,
          actorUserId: options.userId,
          actorType: 'user',
          action: 'square.connected',
          targetType: 'provider_connection',
          targetId: id,
          requestId: options.requestId,
          metadata: { merchantId: tokens.merchantId },
        });
      });
    } catch (error) {
      if (error instanceof UniqueViolationError) {
        // The merchant is connected to another business, which keeps it. The new token is dropped
        // unstored and NOT revoked: Square's revoke ends every token of the merchant for this
        // application, the other business's included (its sync would fail from then on).
        return back('in-use');
      }
      throw error;
    }
    return back('connected');
  }

  /** Connection status and the progress of the running (or last) sync. */
  async status(tenant: TenantContext): Promise<SquareStatus> {
    const connection = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new SquareSyncRepository(tx).findConnection(),
    );
    return toStatus(connection, this.deps.config !== undefined);
  }

  /** Disconnect: revoke at Square, then delete the tokens (status REVOKED). Sales stay. */
  async disconnect(tenant: TenantContext, requestId: string): Promise<void> {
    const config = this.config;
    const connection = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new SquareSyncRepository(tx).findConnection(),
    );
    if (!connection || connection.status === 'REVOKED') {
      throw new AppError('NOT_FOUND', 'Square is not connected.');
    }
    if (connection.accessTokenEncrypted) {
      try {
        await config.client.revokeToken(config.cipher.decrypt(connection.accessTokenEncrypted));
      } catch (error) {
        // A token Square no longer knows is as good as revoked; anything else: try again later,
        // so no live token is left behind that we could no longer revoke.
        if (!(isProviderHttpError(error) && error.status < 500 && error.status !== 429)) {
          if (isProviderError(error)) {
            throw new AppError('UNAVAILABLE', 'Square did not answer; try disconnecting again.');
          }
          if (!(error instanceof Error && error.name === 'TokenDecryptionError')) throw error;
        }
      }
    }
    await withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      await new SquareSyncRepository(tx).revokeConnection(connection.id);
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: 'user',
        action: 'square.disconnected',
        targetType: 'provider_connection',
        targetId: connection.id,
        requestId,
      });
    });
  }

  private async activeToken(tenant: TenantContext): Promise<{
    connection: SquareConnectionRecord;
    accessToken: string;
  }> {
    const config = this.config;
    const connection = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new SquareSyncRepository(tx).findConnection(),
    );
    if (!connection || connection.status === 'REVOKED' || !connection.accessTokenEncrypted) {
      throw new AppError('NOT_FOUND', 'Square is not connected.');
    }
    return { connection, accessToken: config.cipher.decrypt(connection.accessTokenEncrypted) };
  }

  private async squareCatalog(
    accessToken: string,
  ): Promise<{ locations: SquareLocation[]; variations: SquareVariation[] }> {
    const client = this.config.client;
    try {
      const [locations, variations] = await Promise.all([
        client.listLocations(accessToken),
        client.listVariations(accessToken),
      ]);
      return { locations, variations };
    } catch (error) {
      if (isProviderError(error)) {
        throw new AppError('UNAVAILABLE', 'Square did not answer; try again in a moment.');
      }
      throw error;
    }
  }

  /** Square's locations and variations beside the markets and products, with name suggestions. */
  async mapping(tenant: TenantContext): Promise<SquareMapping> {
    const { connection, accessToken } = await this.activeToken(tenant);
    const square = await this.squareCatalog(accessToken);
    return this.buildMapping(tenant.vendorId, connection.id, square);
  }

  private async buildMapping(
    vendorId: string,
    connectionId: string,
    square: { locations: SquareLocation[]; variations: SquareVariation[] },
  ): Promise<SquareMapping> {
    const { markets, products, ignored } = await withTenant(
      this.deps.db.prisma,
      vendorId,
      async (tx) => {
        const repo = new SquareSyncRepository(tx);
        return {
          markets: await repo.listMarkets(),
          products: await repo.listProducts(),
          ignored: await repo.ignoredSquareIds(connectionId),
        };
      },
    );
    const ignoredLocations = new Set(ignored.locationIds);
    const ignoredVariations = new Set(ignored.variationIds);
    const marketByLocation = new Map(markets.map((m) => [m.squareLocationId, m.id]));
    const marketByName = new Map(markets.map((m) => [normalize(m.name), m]));
    const productByVariation = new Map(products.map((p) => [p.squareVariationId, p.id]));
    const productByName = new Map(products.map((p) => [normalize(p.name), p]));
    return {
      locations: square.locations.map((l) => {
        const marketId = marketByLocation.get(l.id) ?? null;
        const byName = marketByName.get(normalize(l.name ?? ''));
        return {
          locationId: l.id,
          name: l.name ?? l.id,
          timezone: l.timezone ?? null,
          marketId,
          suggestedMarketId:
            marketId === null && byName && !byName.squareLocationId ? byName.id : null,
          ignored: marketId === null && ignoredLocations.has(l.id),
        };
      }),
      variations: square.variations.map((v) => {
        const productId = productByVariation.get(v.variationId) ?? null;
        const suggestedName = productNameFor(v);
        const byName =
          productByName.get(normalize(suggestedName)) ??
          productByName.get(normalize(`${v.itemName} ${v.variationName}`)) ??
          productByName.get(normalize(v.itemName));
        return {
          variationId: v.variationId,
          itemName: v.itemName,
          variationName: v.variationName,
          suggestedName,
          priceMinor: v.priceMinor,
          productId,
          suggestedProductId:
            productId === null && byName && !byName.squareVariationId ? byName.id : null,
          ignored: productId === null && ignoredVariations.has(v.variationId),
        };
      }),
      markets: markets.map((m) => ({ id: m.id, name: m.name })),
      products: products.map((p) => ({ id: p.id, name: p.name })),
    };
  }

  /**
   * Applies the owner's mapping in one transaction (every id checked first: unknown Square ids
   * 400, foreign or unknown markets/products 404), then asks for a fresh backfill so the newly
   * mapped history comes in (lines are upserted, so nothing is counted twice).
   */
  async saveMapping(
    tenant: TenantContext,
    body: SquareMappingBody,
    requestId: string,
  ): Promise<SquareMapping> {
    const { connection, accessToken } = await this.activeToken(tenant);
    const square = await this.squareCatalog(accessToken);
    const locations = new Map(square.locations.map((l) => [l.id, l]));
    const variations = new Map(square.variations.map((v) => [v.variationId, v]));
    const errors: { path: string; message: string }[] = [];
    const seen = new Set<string>();
    body.locations.forEach((entry, index) => {
      if (!locations.has(entry.locationId)) {
        errors.push({
          path: `locations.${index}.locationId`,
          message: 'Not a location of this Square account',
        });
      }
      if ([entry.marketId, entry.createMarket, entry.ignore].filter(Boolean).length > 1) {
        errors.push({
          path: `locations.${index}`,
          message: 'Choose one: a market, a new market, or not a market',
        });
      }
      if (seen.has(`l:${entry.locationId}`)) {
        errors.push({ path: `locations.${index}.locationId`, message: 'Listed twice' });
      }
      seen.add(`l:${entry.locationId}`);
    });
    body.variations.forEach((entry, index) => {
      if (!variations.has(entry.variationId)) {
        errors.push({
          path: `variations.${index}.variationId`,
          message: 'Not a variation of this Square catalog',
        });
      }
      if ([entry.productId, entry.createProduct, entry.ignore].filter(Boolean).length > 1) {
        errors.push({
          path: `variations.${index}`,
          message: "Choose one: a product, a new product, or don't track",
        });
      }
      if (seen.has(`v:${entry.variationId}`)) {
        errors.push({ path: `variations.${index}.variationId`, message: 'Listed twice' });
      }
      seen.add(`v:${entry.variationId}`);
    });
    const targetMarkets = body.locations.flatMap((e) => (e.marketId ? [e.marketId] : []));
    const targetProducts = body.variations.flatMap((e) => (e.productId ? [e.productId] : []));
    if (new Set(targetMarkets).size !== targetMarkets.length) {
      errors.push({ path: 'locations', message: 'Two locations cannot map to the same market' });
    }
    if (new Set(targetProducts).size !== targetProducts.length) {
      errors.push({ path: 'variations', message: 'Two variations cannot map to the same product' });
    }
    if (errors.length > 0) throw new AppError('BAD_REQUEST', 'The mapping is not valid.', errors);

    const vendorId = tenant.vendorId;
    // New markets and products count against the plan, as one added by hand does (403 naming
    // the plan that unlocks them; nothing written).
    const newMarkets = body.locations.filter((e) => e.createMarket).length;
    const newProducts = body.variations.filter((e) => e.createProduct).length;
    await this.deps.limits?.assertCanAdd(vendorId, 'markets', newMarkets);
    await this.deps.limits?.assertCanAdd(vendorId, 'products', newProducts);
    try {
      await withTenant(this.deps.db.prisma, vendorId, async (tx) => {
        const repo = new SquareSyncRepository(tx);
        const markets = new Set((await repo.listMarkets()).map((m) => m.id));
        const products = new Set((await repo.listProducts()).map((p) => p.id));
        if (targetMarkets.some((id) => !markets.has(id))) {
          throw new AppError('NOT_FOUND', 'No such market.');
        }
        if (targetProducts.some((id) => !products.has(id))) {
          throw new AppError('NOT_FOUND', 'No such product.');
        }
        await repo.releaseSquareIds({
          locationIds: body.locations.map((e) => e.locationId),
          variationIds: body.variations.map((e) => e.variationId),
        });
        // "Not a market" / "don't track" are remembered; any other answer for an id forgets it.
        const ignored = await repo.ignoredSquareIds(connection.id);
        const listedLocations = new Set(body.locations.map((e) => e.locationId));
        const listedVariations = new Set(body.variations.map((e) => e.variationId));
        await repo.setIgnoredSquareIds(connection.id, {
          locationIds: [
            ...ignored.locationIds.filter((id) => !listedLocations.has(id)),
            ...body.locations.filter((e) => e.ignore).map((e) => e.locationId),
          ],
          variationIds: [
            ...ignored.variationIds.filter((id) => !listedVariations.has(id)),
            ...body.variations.filter((e) => e.ignore).map((e) => e.variationId),
          ],
        });
        for (const entry of body.locations) {
          const location = locations.get(entry.locationId)!;
          if (entry.marketId) await repo.setMarketLocation(entry.marketId, entry.locationId);
          else if (entry.createMarket) {
            await repo.createMarket({
              vendorId,
              name: location.name ?? entry.locationId,
              timezone: location.timezone ?? 'UTC',
              countryCode: (location.country ?? 'US').slice(0, 2).toUpperCase(),
              latitude: location.coordinates?.latitude ?? 0,
              longitude: location.coordinates?.longitude ?? 0,
              squareLocationId: entry.locationId,
            });
          }
        }
        for (const entry of body.variations) {
          const variation = variations.get(entry.variationId)!;
          if (entry.productId) await repo.setProductVariation(entry.productId, entry.variationId);
          else if (entry.createProduct) {
            await repo.createProduct({
              vendorId,
              name: productNameFor(variation),
              priceMinor: variation.priceMinor ?? 0,
              squareItemId: variation.itemId,
              squareVariationId: entry.variationId,
            });
          }
        }
        // A fresh backfill picks up the newly mapped history. The checkpoint says one is on its
        // way (the status shows it running from now); the worker starts a new run from it, as
        // it is not a checkpoint it can resume.
        await repo.saveCheckpoint(connection.id, {
          mode: 'backfill',
          startedAt: this.deps.now().toISOString(),
          done: false,
        });
        await enqueueWork(tx, {
          jobName: SQUARE_SYNC_JOB,
          payload: { vendorId, connectionId: connection.id, mode: 'backfill' },
          dedupeKey: dedupeKeyFor(connection.id),
          requestId,
        });
        await new AuditRepository(tx).record({
          vendorId,
          actorUserId: tenant.userId,
          actorType: tenant.actorType === 'api_token' ? 'api_token' : 'user',
          action: 'square.mapping_saved',
          targetType: 'provider_connection',
          targetId: connection.id,
          requestId,
          metadata: {
            locations: body.locations.length,
            variations: body.variations.length,
            ignoredLocations: body.locations.filter((e) => e.ignore).length,
            ignoredVariations: body.variations.filter((e) => e.ignore).length,
          },
        });
      });
    } catch (error) {
      if (error instanceof UniqueViolationError) {
        throw new AppError(
          'CONFLICT',
          'A market or product with that name already exists; map to it instead.',
        );
      }
      throw error;
    }
    return {
      ...(await this.buildMapping(vendorId, connection.id, square)),
      backfillRequested: true,
    };
  }

  /**
   * Webhook intake: signature over the raw body and the registered URL (401 otherwise, nothing
   * written); then, in one transaction, the event is recorded (a replay stops here) and an
   * incremental sync is requested for the merchant's connection (collapsed while one is pending).
   */
  async receiveWebhook(input: {
    rawBody: Buffer;
    signature: string | string[] | undefined;
    requestId: string;
  }): Promise<{ received: true; duplicate: boolean }> {
    const config = this.config;
    const valid = verifySquareWebhookSignature({
      signatureKey: config.webhookSignatureKey,
      notificationUrl: config.webhookUrl,
      rawBody: input.rawBody,
      signature: input.signature,
    });
    if (!valid)
      throw new AppError('UNAUTHENTICATED', 'Invalid or missing Square webhook signature.');
    let json: unknown;
    try {
      json = JSON.parse(input.rawBody.toString('utf8'));
    } catch {
      throw new AppError('BAD_REQUEST', 'The notification body is not JSON.');
    }
    const parsed = SquareWebhookEventSchema.safeParse(json);
    if (!parsed.success) throw new AppError('BAD_REQUEST', 'Not a Square notification.');
    const event = parsed.data;
    const merchantId = MERCHANT_ID.test(event.merchant_id) ? event.merchant_id : undefined;
    const inserted = await withScope(
      this.deps.db.prisma,
      merchantId ? { externalAccountId: merchantId } : {},
      async (tx) => {
        const connection = merchantId
          ? await new SquareSyncRepository(tx).findConnectionByMerchant(merchantId)
          : null;
        const wanted = connection?.status === 'ACTIVE' && isSquareSalesEvent(event.type);
        const recorded = await new WebhookEventsRepository(tx).record({
          provider: 'SQUARE',
          eventId: event.event_id,
          eventType: event.type,
          externalAccountId: event.merchant_id,
          payload: json as Record<string, unknown>,
          processedAt: this.deps.now(),
        });
        if (recorded && wanted && connection) {
          await enqueueWork(tx, {
            jobName: SQUARE_SYNC_JOB,
            payload: {
              vendorId: connection.vendorId,
              connectionId: connection.id,
              mode: 'incremental',
            },
            dedupeKey: dedupeKeyFor(connection.id),
            requestId: input.requestId,
          });
        }
        return recorded;
      },
    );
    return { received: true, duplicate: !inserted };
  }
}

function toStatus(connection: SquareConnectionRecord | null, configured: boolean): SquareStatus {
  if (!connection) {
    return {
      configured,
      connected: false,
      status: 'NOT_CONNECTED',
      merchantId: null,
      scopes: [],
      connectedAt: null,
      lastSyncedAt: null,
      backfillCompletedAt: null,
      lastError: null,
      sync: null,
    };
  }
  const cursor = connection.syncCursor as Record<string, unknown> | null;
  const number = (key: string) => (typeof cursor?.[key] === 'number' ? cursor[key] : 0);
  const text = (key: string) => (typeof cursor?.[key] === 'string' ? cursor[key] : null);
  const mode = cursor?.mode;
  return {
    configured,
    connected: connection.status !== 'REVOKED',
    status: connection.status,
    merchantId: connection.externalAccountId,
    scopes: connection.scopes,
    connectedAt: connection.lastRefreshedAt?.toISOString() ?? connection.createdAt.toISOString(),
    lastSyncedAt: connection.lastSyncedAt?.toISOString() ?? null,
    backfillCompletedAt: connection.backfillCompletedAt?.toISOString() ?? null,
    lastError: connection.lastError,
    sync:
      mode === 'backfill' || mode === 'incremental'
        ? {
            mode,
            running: cursor?.done !== true,
            startedAt: text('startedAt') ?? '',
            completedAt: text('completedAt'),
            pagesDone: number('pagesDone'),
            ordersSoFar: number('ordersSoFar'),
            linesWritten: number('linesWritten'),
            returnsApplied: number('returnsApplied'),
            unmappedLines: number('unmappedLines'),
            lastClosedAt: text('lastClosedAt'),
          }
        : null,
  };
}
