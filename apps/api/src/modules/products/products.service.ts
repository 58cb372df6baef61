import {
  AuditRepository,
  ProductsRepository,
  UniqueViolationError,
  withTenant,
  type DatabaseClient,
  type ProductFields,
  type ProductRecord,
  type TenantTransaction,
} from '@marketprep/db';
import type {
  Product,
  ProductCreateBody,
  ProductListQuery,
  ProductPlanning,
  ProductSeason,
  ProductUpdateBody,
} from '@marketprep/contracts';
import { AppError } from '../../errors';
import { assertIfMatch } from '../../lib/etag';
import { StringKeyCursorSchema, decodeCursor, toPage } from '../../lib/pagination';
import type { TenantContext } from '../../plugins/auth';
import type { PlanLimitCheck } from '../billing/plan-limits';

/** The API's view of a product. */
export function toProductDto(product: ProductRecord): Product {
  return {
    id: product.id,
    name: product.name,
    unit: product.unit,
    category: product.category,
    priceMinor: product.priceMinor,
    unitCostMinor: product.unitCostMinor,
    salvageValueMinor: product.salvageValueMinor,
    shelfLifeDays: product.shelfLifeDays,
    expectedDailyUnits: product.expectedDailyUnits,
    active: product.active,
    season: product.season,
    planning: product.planning,
    squareItemId: product.squareItemId,
    squareVariationId: product.squareVariationId,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}

/**
 * The prep list packs at the critical ratio (price - cost) / (price - salvage): it is defined only
 * while a leftover is worth less than a sale. Salvage above cost is allowed (day-old bread sold at
 * a discount can beat its cost).
 */
function assertEconomics(fields: { priceMinor: number; salvageValueMinor: number }): void {
  if (fields.salvageValueMinor >= fields.priceMinor) {
    throw new AppError(
      'BAD_REQUEST',
      'The salvage value must be below the price: a leftover cannot be worth as much as a sale.',
      [
        {
          path: 'salvageValueMinor',
          message: `Must be less than priceMinor (${fields.priceMinor})`,
        },
      ],
    );
  }
}

/**
 * A season as stored: months in calendar order, market ids in PostgreSQL's lower-case spelling
 * (the forecast matches them to the sales' market ids as text), empty lists left out, and
 * "learned at every market" (the default) as null, so one setting has one spelling.
 */
function normalizeSeason(season: ProductSeason | null): ProductFields['season'] {
  if (season === null) return null;
  const excludedMarkets = [
    ...new Set((season.excludedMarkets ?? []).map((id) => id.toLowerCase())),
  ];
  if (season.mode === 'learned' && excludedMarkets.length === 0) return null;
  const months = [...(season.months ?? [])].sort((a, b) => a - b);
  const ranges = season.ranges ?? [];
  return {
    mode: season.mode,
    ...(months.length > 0 ? { months } : {}),
    ...(ranges.length > 0 ? { ranges: ranges.map(({ from, to }) => ({ from, to })) } : {}),
    ...(excludedMarkets.length > 0 ? { excludedMarkets } : {}),
  };
}

/**
 * Planning facts as stored: market ids in lower case, the defaults (batches of 1, no minimum, the
 * default deadline, no capacity) as null, so one setting has one spelling.
 */
function normalizePlanning(planning: ProductPlanning | null): ProductFields['planning'] {
  if (planning === null) return null;
  const marketMinimums = planning.marketMinimums.map((m) => ({
    marketId: m.marketId.toLowerCase(),
    units: m.units,
  }));
  const isDefault =
    planning.batchSize === 1 &&
    planning.standingMinimum === 0 &&
    marketMinimums.length === 0 &&
    planning.decisionDeadline === null &&
    planning.capacity === null;
  if (isDefault) return null;
  return {
    batchSize: planning.batchSize,
    standingMinimum: planning.standingMinimum,
    marketMinimums,
    decisionDeadline: planning.decisionDeadline,
    capacity: planning.capacity,
  };
}

/**
 * "Not at this market" names the vendor's own markets only: an id that is unknown or another
 * business's is a 400 naming it (the same answer for both, so it tells nothing about others).
 */
async function assertOwnMarkets(
  repo: ProductsRepository,
  season: ProductFields['season'] | undefined,
  planning?: ProductFields['planning'],
): Promise<void> {
  const minimums = planning?.marketMinimums.map((m) => m.marketId) ?? [];
  const unknownMinimums = await repo.findUnknownMarketIds(minimums);
  if (unknownMinimums.length > 0) {
    throw new AppError(
      'BAD_REQUEST',
      `A standing minimum can only name your own markets: no market ${unknownMinimums.join(', ')} in this business.`,
      unknownMinimums.map((id) => ({
        path: `planning.marketMinimums.${minimums.indexOf(id)}.marketId`,
        message: `No market ${id} in this business`,
      })),
    );
  }
  const ids = season?.excludedMarkets ?? [];
  const unknown = await repo.findUnknownMarketIds(ids);
  if (unknown.length === 0) return;
  throw new AppError(
    'BAD_REQUEST',
    `"Not at this market" can only name your own markets: no market ${unknown.join(', ')} in this business.`,
    unknown.map((id) => ({
      path: `season.excludedMarkets.${ids.indexOf(id)}`,
      message: `No market ${id} in this business`,
    })),
  );
}

function auditActor(tenant: TenantContext) {
  return {
    vendorId: tenant.vendorId,
    actorUserId: tenant.userId,
    actorType: tenant.actorType === 'api_token' ? ('api_token' as const) : ('user' as const),
  };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const nameTaken = () =>
  new AppError(
    'CONFLICT',
    'You already have a product with this name.',
    [{ path: 'name', message: 'Already used by another of your products' }],
    { code: 'name-taken' },
  );

const ECONOMICS = ['priceMinor', 'unitCostMinor', 'salvageValueMinor'] as const;

/** A vendor's products and their economics (price, unit cost, salvage value). */
export class ProductsService {
  constructor(
    private readonly db: DatabaseClient,
    /** Billing's plan limits (none: unlimited). */
    private readonly limits?: PlanLimitCheck,
  ) {}

  /** A page of products by name, filtered by active flag, category and part of the name. */
  async listProducts(
    tenant: TenantContext,
    query: ProductListQuery,
  ): Promise<{ data: Product[]; nextCursor: string | null }> {
    const after = decodeCursor(query.cursor, StringKeyCursorSchema);
    const rows = await withTenant(this.db.prisma, tenant.vendorId, (tx) =>
      new ProductsRepository(tx).listProducts({
        ...(query.active === undefined ? {} : { active: query.active }),
        ...(query.category ? { category: query.category } : {}),
        ...(query.q ? { search: query.q } : {}),
        ...(after ? { after: { name: after[0], id: after[1] } } : {}),
        take: query.limit + 1,
      }),
    );
    const page = toPage(rows, query.limit, (p) => [p.name, p.id]);
    return { data: page.data.map(toProductDto), nextCursor: page.nextCursor };
  }

  /** One product, or 404. */
  async getProduct(tenant: TenantContext, productId: string): Promise<Product> {
    return withTenant(this.db.prisma, tenant.vendorId, async (tx) =>
      toProductDto(await this.loadProduct(tx, productId)),
    );
  }

  /** Creates a product; 409 when the name is taken. */
  async createProduct(
    tenant: TenantContext,
    body: ProductCreateBody,
    context: { requestId: string },
  ): Promise<Product> {
    await this.limits?.assertCanAdd(tenant.vendorId, 'products');
    const fields: ProductFields = {
      name: body.name,
      unit: body.unit ?? 'each',
      category: body.category ?? null,
      priceMinor: body.priceMinor,
      unitCostMinor: body.unitCostMinor ?? 0,
      salvageValueMinor: body.salvageValueMinor ?? 0,
      shelfLifeDays: body.shelfLifeDays ?? null,
      expectedDailyUnits: body.expectedDailyUnits ?? null,
      active: body.active ?? true,
      season: normalizeSeason(body.season ?? null),
      planning: normalizePlanning(body.planning ?? null),
    };
    assertEconomics(fields);
    return withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new ProductsRepository(tx);
      await assertOwnMarkets(repo, fields.season, fields.planning);
      if (await repo.isNameTaken(fields.name)) throw nameTaken();
      const created = await this.mapConflict(() => repo.createProduct(tenant.vendorId, fields));
      await new AuditRepository(tx).record({
        ...auditActor(tenant),
        action: 'product.created',
        targetType: 'product',
        targetId: created.id,
        requestId: context.requestId,
        metadata: {
          name: created.name,
          priceMinor: created.priceMinor,
          unitCostMinor: created.unitCostMinor,
          salvageValueMinor: created.salvageValueMinor,
          ...(created.season ? { season: created.season } : {}),
        },
      });
      return toProductDto(created);
    });
  }

  /** Changes the given fields; economics are checked on the result. */
  async updateProduct(
    tenant: TenantContext,
    productId: string,
    body: ProductUpdateBody,
    context: { requestId: string; ifMatch?: string; action?: string },
  ): Promise<Product> {
    return withTenant(this.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new ProductsRepository(tx);
      const current = await this.loadProduct(tx, productId);
      assertIfMatch(context.ifMatch, toProductDto(current));
      assertEconomics({
        priceMinor: body.priceMinor ?? current.priceMinor,
        salvageValueMinor: body.salvageValueMinor ?? current.salvageValueMinor,
      });
      if (body.name !== undefined && (await repo.isNameTaken(body.name, productId))) {
        throw nameTaken();
      }
      const { season, planning, ...rest } = body;
      const fields: Partial<ProductFields> = {
        ...rest,
        // Absent from the body: the stored season and planning facts stay as they are.
        ...(season === undefined ? {} : { season: normalizeSeason(season) }),
        ...(planning === undefined ? {} : { planning: normalizePlanning(planning) }),
      };
      await assertOwnMarkets(repo, fields.season, fields.planning);
      const updated = await this.mapConflict(() => repo.updateProduct(productId, fields));
      // The old economics are kept in the trail: they explain past prep lists.
      const economics = Object.fromEntries(
        ECONOMICS.filter((key) => body[key] !== undefined && body[key] !== current[key]).map(
          (key) => [key, { from: current[key], to: updated[key] }],
        ),
      );
      await new AuditRepository(tx).record({
        ...auditActor(tenant),
        action: context.action ?? 'product.updated',
        targetType: 'product',
        targetId: productId,
        requestId: context.requestId,
        metadata: {
          fields: Object.keys(body).sort(),
          economics,
          // The season a past prep list was packed by, and the one from now on.
          ...(season !== undefined && !sameJson(current.season, updated.season)
            ? { season: { from: current.season, to: updated.season } }
            : {}),
          ...(planning !== undefined && !sameJson(current.planning, updated.planning)
            ? { planning: { from: current.planning, to: updated.planning } }
            : {}),
        },
      });
      return toProductDto(updated);
    });
  }

  /** Deactivates a product (kept with its history; no longer on prep lists). */
  async deactivateProduct(
    tenant: TenantContext,
    productId: string,
    context: { requestId: string; ifMatch?: string },
  ): Promise<Product> {
    return this.updateProduct(
      tenant,
      productId,
      { active: false },
      {
        ...context,
        action: 'product.deactivated',
      },
    );
  }

  private async loadProduct(tx: TenantTransaction, productId: string): Promise<ProductRecord> {
    const product = await new ProductsRepository(tx).findProduct(productId);
    if (!product) throw new AppError('NOT_FOUND', 'No such product.');
    return product;
  }

  private async mapConflict<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof UniqueViolationError) throw nameTaken();
      throw error;
    }
  }
}
