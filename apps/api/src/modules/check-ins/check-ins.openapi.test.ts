import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { insightsRoutes } from '../insights/insights.routes';
import type { InsightsService } from '../insights/insights.service';
import { checkInsRoutes } from './check-ins.routes';
import type { CheckInsService } from './check-ins.service';

type Doc = {
  paths: Record<
    string,
    Record<string, { summary?: string; tags?: string[]; responses: Record<string, unknown> }>
  >;
};

describe('OpenAPI of check-ins and insights', () => {
  it('documents every operation with a summary, a tag and its error responses', async () => {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(swagger, {
      openapi: { openapi: '3.1.0', info: { title: 'MarketPrep API', version: '1.0.0' } },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    // Only route registration runs here; the services are never called.
    await app.register(checkInsRoutes, { checkIns: {} as CheckInsService });
    await app.register(insightsRoutes, { insights: {} as InsightsService });
    await app.ready();
    const doc = app.swagger() as unknown as Doc;

    const put = doc.paths['/v1/markets/{marketId}/check-ins/{date}']?.put;
    expect(Object.keys(put?.responses ?? {}).sort()).toEqual(
      ['200', '400', '401', '403', '404', '409'].sort(),
    );
    const gets = [
      '/v1/markets/{marketId}/check-ins/{date}',
      '/v1/check-ins',
      '/v1/check-ins/stats',
      '/v1/insights/sales',
      '/v1/insights/forecast-vs-actual',
      '/v1/insights/waste',
      '/v1/insights/weather-effects',
      '/v1/insights/go-no-go',
    ];
    for (const path of gets) {
      const get = doc.paths[path]?.get;
      expect(get?.summary, path).toBeTruthy();
      expect(get?.tags?.length, path).toBe(1);
      // The check-in form of a cancelled market day is a 409 (only market days are offered); it
      // carries an ETag, so a poll with If-None-Match gets a 304.
      const form = path === '/v1/markets/{marketId}/check-ins/{date}' ? ['304', '409'] : [];
      expect(Object.keys(get?.responses ?? {}).sort(), path).toEqual(
        ['200', '400', '401', '403', '404', ...form].sort(),
      );
    }
    await app.close();
  });
});
