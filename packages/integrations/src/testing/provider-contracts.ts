import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

/**
 * Test helpers: paths to the vendored provider contracts and ajv validators built from the providers'
 * published specs, with the documented quirks (contracts/README.md "Known quirks") applied.
 */

/** The monorepo root (this file is packages/integrations/src/testing/...). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The providers' published contracts, vendored from the workplace's shared/contracts (third_party/README.md). */
export const contractsDir = path.resolve(repoRoot, 'third_party/provider-contracts');

/** Parses a JSON file under the contracts folder. */
export function readContractJson(relativePath: string): unknown {
  return JSON.parse(readFileSync(path.join(contractsDir, relativePath), 'utf8')) as unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * OpenAPI 3.0 `nullable: true` is not JSON Schema: turn it into a null branch ajv understands
 * (`type: [t, 'null']`, `null` in an enum, or `anyOf: [..., {type: 'null'}]` next to `$ref`/`oneOf`).
 */
export function convertNullable(node: Json): Json {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'nullable') out[key] = convertNullable(value);
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === 'string' && out.$ref === undefined && out.oneOf === undefined) {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  const { description, ...rest } = out;
  return {
    ...(description === undefined ? {} : { description }),
    anyOf: [rest, { type: 'null' }],
  };
}

function newAjv(): Ajv {
  // strict: false — the specs carry OpenAPI/Swagger keywords (example, deprecated, xml, position).
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const format of ['wkt', 'int32', 'int64', 'double', 'float']) ajv.addFormat(format, true);
  return ajv;
}

/** A validator plus a readable error string. */
export interface ContractValidator {
  (data: unknown): boolean;
  errorText(): string;
}

function wrap(ajv: Ajv, validate: ValidateFunction): ContractValidator {
  const fn = ((data: unknown) => validate(data)) as ContractValidator;
  fn.errorText = () => ajv.errorsText(validate.errors, { separator: '\n' });
  return fn;
}

/**
 * Validators for NWS responses from nws/openapi.yaml, `GridpointForecastPeriod` extended with the
 * live API's fields unless `extendPeriod` is false (to show the quirk is real).
 */
export function nwsValidators({ extendPeriod = true }: { extendPeriod?: boolean } = {}): {
  point: ContractValidator;
  forecast: ContractValidator;
  /** The `properties` object of a forecast (fixtures whose geometry the spec does not allow). */
  forecastProperties: ContractValidator;
  problem: ContractValidator;
} {
  const spec = parseYaml(readFileSync(path.join(contractsDir, 'nws/openapi.yaml'), 'utf8')) as {
    components: { schemas: Record<string, Json> };
  };
  const schemas = convertNullable(spec.components.schemas) as Record<string, Json>;
  const period = schemas.GridpointForecastPeriod as { properties: Record<string, Json> };
  // Quirk: the live API adds these (value may be null); the spec says additionalProperties false.
  const quantitative = { $ref: '#/components/schemas/QuantitativeValue' };
  if (extendPeriod) {
    period.properties.probabilityOfPrecipitation = quantitative;
    period.properties.dewpoint = quantitative;
    period.properties.relativeHumidity = quantitative;
  }
  const ajv = newAjv();
  ajv.addSchema({ $id: 'nws', components: { schemas } });
  const compile = (name: string): ContractValidator =>
    wrap(ajv, ajv.compile({ $ref: `nws#/components/schemas/${name}` }));
  return {
    point: compile('PointGeoJson'),
    forecast: compile('GridpointForecastGeoJson'),
    forecastProperties: compile('GridpointForecast'),
    problem: compile('ProblemDetail'),
  };
}

/** Validators for Open-Meteo: the published (loose) response schema and our tighter one. */
export function openMeteoValidators(): {
  forecastSpec: ContractValidator;
  archiveSpec: ContractValidator;
  tight: ContractValidator;
  error: ContractValidator;
} {
  const ajv = newAjv();
  const responseSchema = (file: string, status: string): Json => {
    const spec = parseYaml(readFileSync(path.join(contractsDir, 'open-meteo', file), 'utf8')) as {
      paths: Record<string, { get: { responses: Record<string, Json> } }>;
    };
    const operation = Object.values(spec.paths)[0];
    const response = operation?.get.responses[status] as {
      content: { 'application/json': { schema: Json } };
    };
    return convertNullable(response.content['application/json'].schema);
  };
  const series = { type: 'array', items: { type: ['number', 'null'] } };
  // Quirk: the specs type `daily` as a bare object; this is the shape the API actually returns.
  const tight = {
    type: 'object',
    required: [
      'latitude',
      'longitude',
      'generationtime_ms',
      'utc_offset_seconds',
      'timezone',
      'timezone_abbreviation',
      'elevation',
      'daily_units',
      'daily',
    ],
    properties: {
      latitude: { type: 'number', minimum: -90, maximum: 90 },
      longitude: { type: 'number', minimum: -180, maximum: 180 },
      generationtime_ms: { type: 'number', minimum: 0 },
      utc_offset_seconds: { type: 'integer' },
      timezone: { type: 'string', minLength: 1 },
      timezone_abbreviation: { type: 'string' },
      elevation: { type: 'number' },
      daily_units: {
        type: 'object',
        required: ['time'],
        properties: { time: { const: 'iso8601' } },
        additionalProperties: { type: 'string' },
      },
      daily: {
        type: 'object',
        required: ['time'],
        properties: {
          time: { type: 'array', minItems: 1, items: { type: 'string', format: 'date' } },
        },
        additionalProperties: series,
      },
    },
    additionalProperties: false,
  };
  const tightValidate = ajv.compile(tight);
  const tightWithLengths = ((data: unknown) => {
    if (!tightValidate(data)) return false;
    const body = data as { daily: Record<string, unknown[]>; daily_units: Record<string, string> };
    const dates = body.daily.time?.length ?? 0;
    const keys = Object.keys(body.daily).sort().join(',');
    return (
      Object.values(body.daily).every((values) => values.length === dates) &&
      keys === Object.keys(body.daily_units).sort().join(',')
    );
  }) as ContractValidator;
  tightWithLengths.errorText = () =>
    tightValidate.errors
      ? ajv.errorsText(tightValidate.errors)
      : 'daily arrays differ in length from `time`, or daily_units keys differ from daily keys';
  return {
    forecastSpec: wrap(ajv, ajv.compile(responseSchema('forecast.yml', '200') as object)),
    archiveSpec: wrap(ajv, ajv.compile(responseSchema('historical-weather.yml', '200') as object)),
    tight: tightWithLengths,
    error: wrap(ajv, ajv.compile(responseSchema('forecast.yml', '400') as object)),
  };
}

/** Validators for Ticketmaster: each event against the spec's `Event`, plus the real envelope. */
export function ticketmasterValidators(): {
  event: ContractValidator;
  envelope: ContractValidator;
} {
  const spec = readContractJson('ticketmaster/discovery-v2.json') as {
    definitions: Record<string, { properties?: Record<string, Json> }>;
  };
  const definitions = structuredClone(spec.definitions);
  // Quirk: the spec models `localTime` as a Joda object; the live API sends "HH:mm:ss".
  for (const name of ['StartDates', 'EndDates']) {
    const properties = definitions[name]?.properties;
    if (properties) {
      properties.localTime = {
        anyOf: [
          { $ref: '#/definitions/LocalTime' },
          { type: 'string', pattern: '^\\d{2}:\\d{2}:\\d{2}$' },
        ],
      };
    }
  }
  const ajv = newAjv();
  ajv.addSchema({ $id: 'tm', definitions });
  // Quirk: the spec models list answers as bare arrays; the real envelope is this.
  const envelope = {
    type: 'object',
    required: ['page'],
    properties: {
      _embedded: {
        type: 'object',
        required: ['events'],
        properties: { events: { type: 'array', items: { $ref: 'tm#/definitions/Event' } } },
      },
      _links: { type: 'object' },
      page: {
        type: 'object',
        required: ['size', 'totalElements', 'totalPages', 'number'],
        properties: {
          size: { type: 'integer', minimum: 0 },
          totalElements: { type: 'integer', minimum: 0 },
          totalPages: { type: 'integer', minimum: 0 },
          number: { type: 'integer', minimum: 0 },
        },
      },
    },
  };
  return {
    event: wrap(ajv, ajv.compile({ $ref: 'tm#/definitions/Event' })),
    envelope: wrap(ajv, ajv.compile(envelope)),
  };
}

/**
 * Validators for Square answers from square/api.json (OpenAPI 3.0), with the quirks applied:
 * the missing `CatalogModifierToggleOverrideType` is stubbed, and `nullable` beside `$ref` becomes
 * `anyOf: [{$ref}, {type: 'null'}]` (convertNullable).
 */
export function squareValidators(): {
  listLocations: ContractValidator;
  listCatalog: ContractValidator;
  searchOrders: ContractValidator;
  obtainToken: ContractValidator;
  revokeToken: ContractValidator;
  order: ContractValidator;
  /** An error body (`{errors: [Error]}`), as every failed call returns. */
  errorBody: ContractValidator;
} {
  const spec = readContractJson('square/api.json') as {
    components: { schemas: Record<string, Json> };
  };
  const schemas = convertNullable(structuredClone(spec.components.schemas)) as Record<string, Json>;
  // Quirk: referenced but never defined.
  schemas.CatalogModifierToggleOverrideType ??= {
    type: 'string',
    enum: ['NO', 'YES', 'NOT_SET'],
  };
  const ajv = newAjv();
  ajv.addSchema({ $id: 'square', components: { schemas } });
  const compile = (name: string): ContractValidator =>
    wrap(ajv, ajv.compile({ $ref: `square#/components/schemas/${name}` }));
  return {
    listLocations: compile('ListLocationsResponse'),
    listCatalog: compile('ListCatalogResponse'),
    searchOrders: compile('SearchOrdersResponse'),
    obtainToken: compile('ObtainTokenResponse'),
    revokeToken: compile('RevokeTokenResponse'),
    order: compile('Order'),
    errorBody: wrap(
      ajv,
      ajv.compile({
        type: 'object',
        required: ['errors'],
        properties: {
          errors: {
            type: 'array',
            minItems: 1,
            items: { $ref: 'square#/components/schemas/Error' },
          },
        },
      }),
    ),
  };
}
