import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { marketDaysRoutes } from '../market-days/market-days.routes';
import type { MarketDaysService } from '../market-days/market-days.service';
import { notificationsRoutes } from '../notifications/notifications.routes';
import type { NotificationsService } from '../notifications/notifications.service';
import { productsRoutes } from '../products/products.routes';
import type { ProductsService } from '../products/products.service';
import { marketsRoutes } from './markets.routes';
import type { MarketsService } from './markets.service';

interface Operation {
  responses: Record<string, unknown>;
  parameters?: { name: string; in: string; required?: boolean }[];
}

// The catalog routes alone (services are never called): their schemas must make a valid document.
async function catalogDocument() {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: { openapi: '3.1.0', info: { title: 'catalog', version: '1' } },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(marketsRoutes, { markets: {} as MarketsService, now: () => new Date() });
  await app.register(marketDaysRoutes, { marketDays: {} as MarketDaysService });
  await app.register(productsRoutes, { products: {} as ProductsService });
  await app.register(notificationsRoutes, { notifications: {} as NotificationsService });
  await app.ready();
  const doc = app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> };
  await app.close();
  return doc;
}

describe('catalog OpenAPI', () => {
  it('documents every catalog route with parameters and error answers', async () => {
    const doc = await catalogDocument();
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/market-days/{marketDayId}',
      '/v1/markets',
      '/v1/markets/{marketId}',
      '/v1/markets/{marketId}/market-days',
      '/v1/notifications',
      '/v1/notifications/read-all',
      '/v1/notifications/{notificationId}/read',
      '/v1/products',
      '/v1/products/{productId}',
    ]);
    const patchMarket = doc.paths['/v1/markets/{marketId}']?.patch;
    expect(Object.keys(patchMarket?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409', '412']),
    );
    expect(patchMarket?.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['path:marketId', 'header:if-match']),
    );
    expect(doc.paths['/v1/products']?.get?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'cursor', 'active', 'category', 'q']),
    );
    expect(Object.keys(doc.paths['/v1/products/{productId}']?.get?.responses ?? {})).toContain(
      '304',
    );
  });
});
