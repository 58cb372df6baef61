import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors';

/** Who a request acts for. */
export interface TenantContext {
  vendorId: string;
  /** True for the anonymous demo visitor: may read, never write. */
  readOnly: boolean;
  demo: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    tenant: TenantContext | null;
  }
}

/** Options for the tenant-context plugin. */
export interface TenantContextOptions {
  /** Vendor anonymous requests act as (the seeded demo vendor in `npm start`), or none. */
  demoVendorId?: string;
}

/**
 * Resolves which vendor a request acts for. Until accounts and sessions exist (issue 4), the only
 * source is the configured demo vendor; without one every tenant route answers 401.
 */
export const tenantContextPlugin = fp<TenantContextOptions>(
  (app: FastifyInstance, options: TenantContextOptions, done: (err?: Error) => void) => {
    app.decorateRequest('tenant', null);
    app.addHook('onRequest', (request, reply, next) => {
      if (options.demoVendorId) {
        request.tenant = { vendorId: options.demoVendorId, readOnly: true, demo: true };
        void reply.header('x-marketprep-demo', '1');
      }
      next();
    });
    done();
  },
  { name: 'tenant-context' },
);

/** The request's tenant, or a 401 problem when nobody is signed in. */
export function requireTenant(request: FastifyRequest): TenantContext {
  if (!request.tenant) {
    throw new AppError('UNAUTHENTICATED', 'Sign in to see your markets.');
  }
  return request.tenant;
}
