import type { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';
import { rethrowUniqueViolation, type NameCursor } from './markets.repository';

/** A product as the apps see it (plain data). */
export interface ProductRecord {
  id: string;
  name: string;
  unit: string;
  category: string | null;
  priceMinor: number;
  unitCostMinor: number;
  salvageValueMinor: number;
  shelfLifeDays: number | null;
  expectedDailyUnits: number | null;
  active: boolean;
  squareItemId: string | null;
  squareVariationId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The writable fields of a product. */
export interface ProductFields {
  name: string;
  unit: string;
  category: string | null;
  priceMinor: number;
  unitCostMinor: number;
  salvageValueMinor: number;
  shelfLifeDays: number | null;
  expectedDailyUnits: number | null;
  active: boolean;
}

const select = {
  id: true,
  name: true,
  unit: true,
  category: true,
  priceMinor: true,
  unitCostMinor: true,
  salvageValueMinor: true,
  shelfLifeDays: true,
  expectedDailyUnits: true,
  active: true,
  squareItemId: true,
  squareVariationId: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.ProductSelect;

function toRecord(row: Prisma.ProductGetPayload<{ select: typeof select }>): ProductRecord {
  return { ...row, expectedDailyUnits: row.expectedDailyUnits?.toNumber() ?? null };
}

/** Products of the current tenant. Takes a tenant-scoped transaction (see withTenant). */
export class ProductsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Products by name (then id), filtered by active flag, exact category and part of the name. */
  async listProducts(options: {
    active?: boolean;
    category?: string;
    search?: string;
    after?: NameCursor;
    take: number;
  }): Promise<ProductRecord[]> {
    const after = options.after;
    const rows = await this.tx.product.findMany({
      where: {
        ...(options.active === undefined ? {} : { active: options.active }),
        ...(options.category ? { category: options.category } : {}),
        ...(options.search ? { name: { contains: options.search, mode: 'insensitive' } } : {}),
        ...(after
          ? { OR: [{ name: { gt: after.name } }, { name: after.name, id: { gt: after.id } }] }
          : {}),
      },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: options.take,
      select,
    });
    return rows.map(toRecord);
  }

  /** One product of the vendor, or null. */
  async findProduct(id: string): Promise<ProductRecord | null> {
    const row = await this.tx.product.findFirst({ where: { id }, select });
    return row ? toRecord(row) : null;
  }

  /** Whether another product of the vendor already has this name. */
  async isNameTaken(name: string, exceptId?: string): Promise<boolean> {
    const row = await this.tx.product.findFirst({
      where: { name, ...(exceptId ? { id: { not: exceptId } } : {}) },
      select: { id: true },
    });
    return row !== null;
  }

  /** Creates a product. Throws UniqueViolationError on a taken name. */
  async createProduct(vendorId: string, fields: ProductFields): Promise<ProductRecord> {
    const row = await rethrowUniqueViolation('name', () =>
      this.tx.product.create({ data: { vendorId, ...fields }, select }),
    );
    return toRecord(row);
  }

  /** Changes the given fields (and `updatedAt`). Throws UniqueViolationError on a taken name. */
  async updateProduct(id: string, fields: Partial<ProductFields>): Promise<ProductRecord> {
    const row = await rethrowUniqueViolation('name', () =>
      this.tx.product.update({ where: { id }, data: { ...fields, updatedAt: new Date() }, select }),
    );
    return toRecord(row);
  }
}
