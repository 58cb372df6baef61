import type { FastifySchema, RouteOptions } from 'fastify';
import type { Access } from './auth';

/** An OpenAPI security requirement list (names of `components.securitySchemes`). */
export type SecurityRequirements = Record<string, string[]>[];

/**
 * What an operation accepts, from the route's declared access: public routes need nothing;
 * `user` and `admin` routes, and tenant routes closed to API tokens (`sessionOnly`), need the
 * session cookie; other tenant routes take the session cookie or a bearer API token (its scopes
 * are not OpenAPI scopes: `read` for GET, `write` for the rest, see docs/api.md).
 */
export function securityOf(access: Access | undefined): SecurityRequirements {
  switch (access?.kind) {
    case undefined:
    case 'public':
      return [];
    case 'user':
    case 'admin':
      return [{ session: [] }];
    case 'tenant':
      return access.sessionOnly ? [{ session: [] }] : [{ session: [] }, { bearer: [] }];
  }
}

/**
 * Wraps the OpenAPI transform so each operation declares its `security` (the transform's answer
 * is a fresh object per route, so it is extended in place).
 */
export function withOperationSecurity<
  I extends { route: RouteOptions },
  O extends { schema: FastifySchema; url: string },
>(transform: (input: I) => O): (input: I) => O {
  return (input) => {
    const out = transform(input);
    return Object.assign(out, {
      schema: Object.assign({}, out.schema, { security: securityOf(input.route.config?.access) }),
    });
  };
}
