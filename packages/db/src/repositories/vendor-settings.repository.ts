import type { TenantTransaction } from '../tenant';

/** A business's temperature choice as stored (`vendors.temperature_unit`). */
export type TemperatureUnitRecord = 'AUTO' | 'FAHRENHEIT' | 'CELSIUS';

/** The display settings of a business. */
export interface VendorSettingsRecord {
  temperatureUnit: TemperatureUnitRecord;
}

/**
 * The current tenant's own row of `vendors` (its settings). Takes a tenant-scoped transaction (see
 * withTenant): row-level security shows it only its own business.
 */
export class VendorSettingsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** The settings of `vendorId`, or null when it is not the tenant's (or is deleted). */
  async findVendorSettings(vendorId: string): Promise<VendorSettingsRecord | null> {
    return this.tx.vendor.findFirst({
      where: { id: vendorId, deletedAt: null },
      select: { temperatureUnit: true },
    });
  }

  /** Changes the given settings; null when the business is not the tenant's (nothing written). */
  async updateVendorSettings(
    vendorId: string,
    changes: Partial<VendorSettingsRecord>,
  ): Promise<VendorSettingsRecord | null> {
    const { count } = await this.tx.vendor.updateMany({
      where: { id: vendorId, deletedAt: null },
      data: changes,
    });
    return count === 0 ? null : this.findVendorSettings(vendorId);
  }
}
