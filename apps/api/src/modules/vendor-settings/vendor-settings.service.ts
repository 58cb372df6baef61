import {
  AuditRepository,
  VendorSettingsRepository,
  withTenant,
  type DatabaseClient,
  type TemperatureUnitRecord,
  type VendorSettingsRecord,
} from '@marketprep/db';
import type {
  TemperatureUnitPreference,
  VendorSettings,
  VendorSettingsUpdateBody,
} from '@marketprep/contracts';
import { AppError } from '../../errors';
import type { TenantContext } from '../../plugins/auth';

const TO_RECORD: Record<TemperatureUnitPreference, TemperatureUnitRecord> = {
  auto: 'AUTO',
  fahrenheit: 'FAHRENHEIT',
  celsius: 'CELSIUS',
};
const FROM_RECORD: Record<TemperatureUnitRecord, TemperatureUnitPreference> = {
  AUTO: 'auto',
  FAHRENHEIT: 'fahrenheit',
  CELSIUS: 'celsius',
};

/** The API's view of a business's settings. */
export function toVendorSettingsDto(record: VendorSettingsRecord): VendorSettings {
  return { temperatureUnit: FROM_RECORD[record.temperatureUnit] };
}

const noBusiness = () => new AppError('NOT_FOUND', 'No such business.');

/** The active business's display settings (the temperature unit): reading and changing them. */
export class VendorSettingsService {
  constructor(private readonly deps: { db: DatabaseClient }) {}

  /** The settings of the tenant's business. */
  async getSettings(tenant: TenantContext): Promise<VendorSettings> {
    const row = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new VendorSettingsRepository(tx).findVendorSettings(tenant.vendorId),
    );
    if (!row) throw noBusiness();
    return toVendorSettingsDto(row);
  }

  /** Changes the settings sent, with an audit entry in the same transaction. */
  async updateSettings(
    tenant: TenantContext,
    body: VendorSettingsUpdateBody,
    context: { requestId: string },
  ): Promise<VendorSettings> {
    const changes: Partial<VendorSettingsRecord> = {};
    if (body.temperatureUnit !== undefined) {
      changes.temperatureUnit = TO_RECORD[body.temperatureUnit];
    }
    return withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new VendorSettingsRepository(tx);
      const before = await repo.findVendorSettings(tenant.vendorId);
      if (!before) throw noBusiness();
      const after = await repo.updateVendorSettings(tenant.vendorId, changes);
      if (!after) throw noBusiness();
      if (after.temperatureUnit !== before.temperatureUnit) {
        await new AuditRepository(tx).record({
          vendorId: tenant.vendorId,
          actorUserId: tenant.userId,
          actorType: tenant.actorType === 'api_token' ? 'api_token' : 'user',
          action: 'vendor.settings_updated',
          targetType: 'vendor',
          targetId: tenant.vendorId,
          requestId: context.requestId,
          metadata: {
            temperatureUnit: {
              from: FROM_RECORD[before.temperatureUnit],
              to: FROM_RECORD[after.temperatureUnit],
            },
          },
        });
      }
      return toVendorSettingsDto(after);
    });
  }
}
