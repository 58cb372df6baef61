import {
  ProblemSchema,
  ProductCreateBodySchema,
  ProductListQuerySchema,
  ProductListSchema,
  ProductParamsSchema,
  ProductSchema,
  ProductUpdateBodySchema,
  PLAN_LIMITED_PROBLEMS,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  IfMatchHeadersSchema,
  NotModifiedSchema,
  ifMatchOf,
  isNotModified,
  setEtag,
} from '../../lib/etag';
import { requireTenant } from '../../plugins/auth';
import type { ProductsService } from './products.service';

const staff = { access: { kind: 'tenant', role: 'STAFF' } } as const;
const owner = { access: { kind: 'tenant', role: 'OWNER' } } as const;
const problems = PLAN_LIMITED_PROBLEMS;
const TAGS = ['products'];

/** `/v1/products`: what the vendor sells, with the economics the prep list packs by. */
export const productsRoutes: FastifyPluginCallbackZod<{ products: ProductsService }> = (
  app,
  { products },
  done,
) => {
  app.get(
    '/v1/products',
    {
      config: staff,
      schema: {
        summary: 'List products',
        description:
          'By name; filter with `active`, `category` (exact) and `q` (part of the name, any case). Cursor-paginated; answers 304 to a matching If-None-Match.',
        tags: TAGS,
        querystring: ProductListQuerySchema,
        response: { 200: ProductListSchema, 304: NotModifiedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const body = await products.listProducts(requireTenant(request), request.query);
      if (isNotModified(request, reply, body)) return reply.code(304).send(null);
      return body;
    },
  );

  app.get(
    '/v1/products/:productId',
    {
      config: staff,
      schema: {
        summary: 'Get a product',
        tags: TAGS,
        params: ProductParamsSchema,
        response: { 200: ProductSchema, 304: NotModifiedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const body = await products.getProduct(requireTenant(request), request.params.productId);
      if (isNotModified(request, reply, body)) return reply.code(304).send(null);
      return body;
    },
  );

  app.post(
    '/v1/products',
    {
      config: owner,
      schema: {
        summary: 'Create a product',
        description:
          'Owners only. Money in minor units; the salvage value must be below the price (400), names are unique per business (409). `season` (optional, null = learned from sales) names only your own markets in `excludedMarkets` (400 otherwise).',
        tags: TAGS,
        body: ProductCreateBodySchema,
        response: { 201: ProductSchema, ...problems, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const product = await products.createProduct(requireTenant(request), request.body, {
        requestId: request.id,
      });
      setEtag(reply, product);
      return reply.status(201).send(product);
    },
  );

  app.patch(
    '/v1/products/:productId',
    {
      config: owner,
      schema: {
        summary: 'Change a product',
        description:
          'Owners only (economics and season drive the prep list). Only the fields sent change: a PATCH without `season` keeps it, `"season": null` goes back to learned. Honours If-Match (412).',
        tags: TAGS,
        params: ProductParamsSchema,
        headers: IfMatchHeadersSchema,
        body: ProductUpdateBodySchema,
        response: { 200: ProductSchema, ...problems, 409: ProblemSchema, 412: ProblemSchema },
      },
    },
    async (request, reply) => {
      const ifMatch = ifMatchOf(request);
      const product = await products.updateProduct(
        requireTenant(request),
        request.params.productId,
        request.body,
        { requestId: request.id, ...(ifMatch ? { ifMatch } : {}) },
      );
      setEtag(reply, product);
      return product;
    },
  );

  app.delete(
    '/v1/products/:productId',
    {
      config: owner,
      schema: {
        summary: 'Deactivate a product',
        description:
          'Owners only. The product stays with its sales history but leaves prep lists (`active: false`); PATCH `{"active": true}` brings it back. Honours If-Match.',
        tags: TAGS,
        params: ProductParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 200: ProductSchema, ...problems, 412: ProblemSchema },
      },
    },
    async (request, reply) => {
      const ifMatch = ifMatchOf(request);
      const product = await products.deactivateProduct(
        requireTenant(request),
        request.params.productId,
        { requestId: request.id, ...(ifMatch ? { ifMatch } : {}) },
      );
      setEtag(reply, product);
      return product;
    },
  );
  done();
};
