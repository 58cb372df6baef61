import {
  ProblemSchema,
  VendorSettingsSchema,
  VendorSettingsUpdateBodySchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { requireTenant } from '../../plugins/auth';
import type { VendorSettingsService } from './vendor-settings.service';

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const TAGS = ['vendor'];

/** `/v1/vendor/settings`: how the active business wants things shown (temperature unit). */
export const vendorSettingsRoutes: FastifyPluginCallbackZod<{
  settings: VendorSettingsService;
}> = (app, { settings }, done) => {
  app.get(
    '/v1/vendor/settings',
    {
      config: { access: { kind: 'tenant', role: 'STAFF' } },
      schema: {
        summary: "The business's display settings",
        description:
          "Staff and owners. `temperatureUnit`: `auto` shows each market's weather in °F when the market is in the US (or another °F country) and in °C elsewhere; `fahrenheit` / `celsius` use one unit everywhere. Temperatures in other responses stay in °C.",
        tags: TAGS,
        response: { 200: VendorSettingsSchema, ...problems },
      },
    },
    async (request) => settings.getSettings(requireTenant(request)),
  );

  app.patch(
    '/v1/vendor/settings',
    {
      config: { access: { kind: 'tenant', role: 'OWNER' } },
      schema: {
        summary: "Change the business's display settings",
        description:
          'Owners only. Only the fields sent change; an empty body, an unknown field or an unknown value is a 400 that changes nothing.',
        tags: TAGS,
        body: VendorSettingsUpdateBodySchema,
        response: { 200: VendorSettingsSchema, ...problems },
      },
    },
    async (request) =>
      settings.updateSettings(requireTenant(request), request.body, { requestId: request.id }),
  );
  done();
};
