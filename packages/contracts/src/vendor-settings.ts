import { z } from 'zod';

/**
 * How the business reads temperatures: `auto` follows each market's country (°F in the US and the
 * other countries that use it, °C elsewhere); `fahrenheit` / `celsius` pin one unit everywhere.
 */
export const TemperatureUnitPreferenceSchema = z
  .enum(['auto', 'fahrenheit', 'celsius'])
  .meta({ id: 'TemperatureUnitPreference' });

/** `GET /v1/vendor/settings`: the active business's display settings. */
export const VendorSettingsSchema = z
  .object({
    temperatureUnit: TemperatureUnitPreferenceSchema,
  })
  .meta({ id: 'VendorSettings', example: { temperatureUnit: 'auto' } });

/** `PATCH /v1/vendor/settings`: only the fields sent change; unknown fields are a 400. */
export const VendorSettingsUpdateBodySchema = z
  .object({
    temperatureUnit: TemperatureUnitPreferenceSchema.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Send at least one setting.' })
  .meta({ id: 'VendorSettingsUpdateBody', example: { temperatureUnit: 'celsius' } });

/** A business's temperature choice. */
export type TemperatureUnitPreference = z.infer<typeof TemperatureUnitPreferenceSchema>;
/** The active business's display settings. */
export type VendorSettings = z.infer<typeof VendorSettingsSchema>;
/** A change to the business's display settings. */
export type VendorSettingsUpdateBody = z.infer<typeof VendorSettingsUpdateBodySchema>;
