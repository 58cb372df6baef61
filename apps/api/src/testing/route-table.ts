import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Access } from '../plugins/auth';

/**
 * The API's route table, read from the app itself (`app.routeTable`, recorded by the
 * request-context plugin), plus request generators driven by each route's zod schemas. The
 * authorization matrix and the fuzz test both walk this table, so a route added later is covered
 * without touching either test.
 */

/** One operation of the API. */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify URL template, e.g. `/v1/markets/:marketId`. */
  url: string;
  /** Declared access; undefined only for hidden routes (`/openapi.json`). */
  access: Access | undefined;
  hidden: boolean;
  params: string[];
  schemas: {
    params?: z.ZodType;
    querystring?: z.ZodType;
    body?: z.ZodType;
    /** Declared answers by status (`200`, `'4xx'`, ...). */
    response: Record<string, z.ZodType>;
  };
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function asZod(value: unknown): z.ZodType | undefined {
  return value instanceof z.ZodType ? value : undefined;
}

/** Every operation of `app` (HEAD and the Swagger UI's static files left out). */
export function routeTableOf(app: FastifyInstance): ApiRoute[] {
  const seen = new Set<string>();
  const routes: ApiRoute[] = [];
  for (const route of app.routeTable) {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (!METHODS.has(method)) continue;
      if (route.url === '/docs' || route.url.startsWith('/docs/')) continue;
      const key = `${method} ${route.url}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const schema = (route.schema ?? {}) as Record<string, unknown>;
      const response = Object.fromEntries(
        Object.entries((schema.response ?? {}) as Record<string, unknown>).flatMap(
          ([status, value]) => {
            const zod = asZod(value);
            return zod ? [[status, zod] as const] : [];
          },
        ),
      );
      routes.push({
        method: method as ApiRoute['method'],
        url: route.url,
        access: route.config?.access,
        hidden: schema.hide === true,
        params: [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? ''),
        schemas: {
          params: asZod(schema.params),
          querystring: asZod(schema.querystring),
          body: asZod(schema.body),
          response,
        },
      });
    }
  }
  return routes.sort((a, b) => `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`));
}

/** Fills `:param`s of a template (values are URL-encoded). */
export function fillUrl(template: string, values: Record<string, string>): string {
  return template.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${template}`);
    return encodeURIComponent(value);
  });
}

/** The declared schema for a status (`404`, else `4xx`, else `default`). */
export function declaredResponse(route: ApiRoute, status: number): z.ZodType | undefined {
  const r = route.schemas.response;
  return r[String(status)] ?? r[`${Math.floor(status / 100)}xx`] ?? r.default;
}

// ---------------------------------------------------------------------------------------------
// Generators from JSON Schema (zod -> z.toJSONSchema -> fast-check)
// ---------------------------------------------------------------------------------------------

/** A JSON Schema node as z.toJSONSchema writes it (the parts the generator reads). */
interface JsonSchema {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  default?: unknown;
  example?: unknown;
  examples?: unknown[];
}

/** The input-side JSON Schema of a zod schema (transforms become "anything"). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    reused: 'inline',
    cycles: 'ref',
  }) as JsonSchema;
}

/** Values the generator uses for properties of these names (fixtures of the acting vendor). */
export type NamedValues = Record<string, unknown>;

function resolve(node: JsonSchema, root: JsonSchema): JsonSchema {
  if (node.$ref) {
    if (node.$ref === '#') return root;
    const target = root.$defs?.[node.$ref.replace(/^#\/\$defs\//, '')];
    if (target) return resolve(target, root);
  }
  return node;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function stringArbitrary(node: JsonSchema): fc.Arbitrary<string> {
  const min = node.minLength ?? 0;
  const max = Math.min(node.maxLength ?? min + 24, min + 40);
  switch (node.format) {
    case 'uuid':
      return fc.constant(null).map(() => randomUUID());
    case 'email':
      return fc.stringMatching(/^[a-z]{3,12}@example\.com$/);
    case 'date':
      return fc
        .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z') })
        .map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc
        .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z') })
        .map((d) => d.toISOString());
    case 'uri':
    case 'url':
      return fc.constant('https://example.com/page');
    default:
      break;
  }
  // One character class repeated (`^[A-Za-z0-9_-]+$`) with a minimum length: build the string
  // from the class at that length; filtering stringMatching's short strings never ends.
  const repeated = node.pattern && /^\^(\[[^\]]+\])[+*]\$$/.exec(node.pattern);
  if (repeated?.[1]) {
    const unit = fc.stringMatching(new RegExp(`^${repeated[1]}$`));
    const upper = Math.min(node.maxLength ?? min + 24, min + 40);
    return fc.string({ unit, minLength: Math.max(min, 1), maxLength: Math.max(min, 1, upper) });
  }
  if (node.pattern) {
    return fc
      .stringMatching(new RegExp(node.pattern))
      .filter((s) => s.length >= min && s.length <= (node.maxLength ?? Infinity));
  }
  return fc.string({ minLength: min, maxLength: Math.max(min, max), unit: 'grapheme-ascii' });
}

function numberArbitrary(node: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lower =
    node.exclusiveMinimum !== undefined
      ? node.exclusiveMinimum + (integer ? 1 : 1e-6)
      : (node.minimum ?? -1_000);
  const upper =
    node.exclusiveMaximum !== undefined
      ? node.exclusiveMaximum - (integer ? 1 : 1e-6)
      : (node.maximum ?? Math.max(lower + 1_000, 1_000));
  const lo = Math.max(lower, -1e9);
  const hi = Math.min(upper, 1e9);
  if (node.multipleOf) {
    const step = node.multipleOf;
    return fc
      .integer({ min: Math.ceil(lo / step), max: Math.floor(hi / step) })
      .map((k) => Number((k * step).toFixed(6)));
  }
  return integer
    ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
    : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
}

/**
 * A fast-check arbitrary of values valid for `node` (as far as JSON Schema says; callers check
 * with the zod schema for refinements). Properties named in `named` take those values.
 */
export function validArbitrary(
  node: JsonSchema,
  root: JsonSchema = node,
  named: NamedValues = {},
  depth = 0,
): fc.Arbitrary<unknown> {
  node = resolve(node, root);
  if (depth > 6) return fc.constant(null);
  if (node.const !== undefined) return fc.constant(node.const);
  if (node.enum) return fc.constantFrom(...node.enum);
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives?.length) {
    return fc.oneof(...alternatives.map((a) => validArbitrary(a, root, named, depth + 1)));
  }
  if (node.allOf?.length) {
    return validArbitrary(Object.assign({}, ...node.allOf) as JsonSchema, root, named, depth + 1);
  }
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  if (types.length > 1) {
    return fc.oneof(
      ...types.map((t) => validArbitrary({ ...node, type: t }, root, named, depth + 1)),
    );
  }
  switch (types[0]) {
    case 'object': {
      const properties = node.properties ?? {};
      const required = new Set(node.required ?? []);
      const entries = Object.entries(properties).map(([key, child]) => {
        // A piped email (`z.string().trim().pipe(z.email())`) loses its format in JSON Schema.
        const hinted =
          /email$/i.test(key) && !resolve(child, root).format
            ? { ...resolve(child, root), format: 'email' }
            : child;
        const arbitrary =
          key in named ? fc.constant(named[key]) : validArbitrary(hinted, root, named, depth + 1);
        return [key, arbitrary] as const;
      });
      return fc.record(Object.fromEntries(entries), {
        requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k) || k in named),
      });
    }
    case 'array': {
      if (node.prefixItems) {
        return fc.tuple(...node.prefixItems.map((i) => validArbitrary(i, root, named, depth + 1)));
      }
      const min = node.minItems ?? 0;
      return fc.array(
        node.items ? validArbitrary(node.items, root, named, depth + 1) : fc.string(),
        {
          minLength: min,
          maxLength: Math.min(node.maxItems ?? min + 3, min + 3),
        },
      );
    }
    case 'string':
      return stringArbitrary(node);
    case 'integer':
      return numberArbitrary(node, true);
    case 'number':
      return numberArbitrary(node, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean());
  }
}

function examplesOf(node: JsonSchema): unknown[] {
  return [...(node.example === undefined ? [] : [node.example]), ...(node.examples ?? [])];
}

/** Generates up to `count` values that pass `schema` (zod), with named fields overridden. */
export function sampleValid(
  schema: z.ZodType,
  options: { named?: NamedValues; count?: number; seed?: number } = {},
): unknown[] {
  const root = jsonSchemaOf(schema);
  const json = resolve(root, root);
  const named = options.named ?? {};
  const overlay = (value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? {
          ...value,
          ...Object.fromEntries(
            Object.keys(json.properties ?? {})
              .filter((k) => k in named)
              .map((k) => [k, named[k]]),
          ),
        }
      : value;
  const candidates = [
    ...examplesOf(json).map(overlay),
    ...fc.sample(validArbitrary(json, root, named), {
      numRuns: Math.max(60, (options.count ?? 1) * 3),
      seed: options.seed ?? 42,
    }),
  ];
  const valid = candidates.filter((c) => schema.safeParse(c).success);
  return valid.slice(0, options.count ?? 1);
}

/** One valid value of `schema`, or an error naming what to add (an example on the schema). */
export function oneValid(schema: z.ZodType, named: NamedValues, where: string): unknown {
  const [value] = sampleValid(schema, { named, count: 1 });
  if (value === undefined) {
    throw new Error(
      `Cannot generate a valid value for ${where}: add \`.meta({ example })\` to its zod schema ` +
        '(the generator checks candidates against the schema and found none).',
    );
  }
  return value;
}

/** The top-level property names of an object schema (query strings, bodies). */
export function propertyNamesOf(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const root = jsonSchemaOf(schema);
  return Object.keys(resolve(root, root).properties ?? {});
}

/** Date format the fixtures use for `:date` and date fields. */
export const isDate = (value: string) => DATE.test(value);
