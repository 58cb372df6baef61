import { readFile } from 'node:fs/promises';
import path from 'node:path';
import internals from '@prisma/internals';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './paths';
import { createTestDatabase, type TestDatabase } from './testing/test-database';

// The SQL migrations are written by hand (the schema engine cannot be downloaded here), so this test
// is what keeps them and prisma/schema.prisma in agreement: every model, field, type, nullability,
// enum and unique constraint, in both directions.

type Dmmf = Awaited<ReturnType<typeof internals.getDMMF>>;
type Field = Dmmf['datamodel']['models'][number]['fields'][number];

interface Column {
  table_name: string;
  column_name: string;
  is_nullable: 'YES' | 'NO';
  data_type: string;
  udt_name: string;
  character_maximum_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
  datetime_precision: number | null;
}

let db: TestDatabase;
let dmmf: Dmmf;
let columns: Column[];
let enums: Map<string, string[]>;
let uniques: Map<string, string[]>;

beforeAll(async () => {
  db = await createTestDatabase();
  dmmf = await internals.getDMMF({
    datamodel: await readFile(path.join(REPO_ROOT, 'prisma', 'schema.prisma'), 'utf8'),
  });
  const client = new pg.Client({ connectionString: db.adminUrl });
  await client.connect();
  columns = (
    await client.query<Column>(`
      SELECT table_name, column_name, is_nullable, data_type, udt_name, character_maximum_length,
             numeric_precision, numeric_scale, datetime_precision
      FROM information_schema.columns WHERE table_schema = 'public'`)
  ).rows;
  const enumRows = (
    await client.query<{ name: string; value: string }>(`
      SELECT t.typname AS name, e.enumlabel AS value FROM pg_type t
      JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY t.typname, e.enumsortorder`)
  ).rows;
  enums = new Map();
  for (const row of enumRows) enums.set(row.name, [...(enums.get(row.name) ?? []), row.value]);
  const uniqueRows = (
    await client.query<{ table_name: string; cols: string }>(`
      SELECT c.relname AS table_name,
             string_agg(a.attname, ',' ORDER BY array_position(i.indkey, a.attnum)) AS cols
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
      -- Partial unique indexes (a WHERE clause) cannot be written in schema.prisma; the migrations
      -- own them and the model's comment names them.
      WHERE i.indisunique AND NOT i.indisprimary AND i.indpred IS NULL
      GROUP BY c.relname, i.indexrelid`)
  ).rows;
  uniques = new Map();
  for (const row of uniqueRows) {
    uniques.set(row.table_name, [...(uniques.get(row.table_name) ?? []), row.cols].sort());
  }
  await client.end();
});
afterAll(() => db.drop());

const tableOf = (model: { name: string; dbName: string | null }) => model.dbName ?? model.name;
const columnOf = (field: Field) => field.dbName ?? field.name;

/** What information_schema should say for a Prisma field. */
function expectedType(field: Field, enumDbNames: Map<string, string>) {
  const native = field.nativeType as [string, string[]] | null | undefined;
  const args = native?.[1].map(Number) ?? [];
  let udt: string;
  const extra: Partial<Column> = {};
  if (field.kind === 'enum') {
    udt = enumDbNames.get(field.type) ?? field.type;
  } else if (native) {
    const byNative: Record<string, string> = {
      Uuid: 'uuid',
      Char: 'bpchar',
      Timestamptz: 'timestamptz',
      Timestamp: 'timestamp',
      Date: 'date',
      Time: 'time',
      Decimal: 'numeric',
      SmallInt: 'int2',
      Text: 'text',
    };
    udt = byNative[native[0]] ?? native[0].toLowerCase();
    if (native[0] === 'Decimal')
      Object.assign(extra, { numeric_precision: args[0], numeric_scale: args[1] });
    if (native[0] === 'Char') extra.character_maximum_length = args[0] ?? 1;
    if (['Timestamptz', 'Timestamp', 'Time'].includes(native[0]))
      extra.datetime_precision = args[0] ?? 6;
  } else {
    const byType: Record<string, string> = {
      String: 'text',
      Int: 'int4',
      BigInt: 'int8',
      Boolean: 'bool',
      DateTime: 'timestamp',
      Decimal: 'numeric',
      Json: 'jsonb',
      Bytes: 'bytea',
      Float: 'float8',
    };
    udt = byType[field.type] ?? `unmapped:${field.type}`;
    if (field.type === 'DateTime') extra.datetime_precision = 3;
    if (field.type === 'Decimal')
      Object.assign(extra, { numeric_precision: 65, numeric_scale: 30 });
  }
  return { udt_name: field.isList ? `_${udt}` : udt, ...extra };
}

describe('prisma/schema.prisma and the migrated database', () => {
  it('have exactly the same tables', () => {
    const modelTables = dmmf.datamodel.models.map(tableOf).sort();
    const dbTables = [...new Set(columns.map((c) => c.table_name))]
      .filter((t) => t !== '_prisma_migrations')
      .sort();
    expect(dbTables).toEqual(modelTables);
  });

  it('agree on every column: name, type and nullability', () => {
    const enumDbNames = new Map(dmmf.datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
    const mismatches: string[] = [];
    for (const model of dmmf.datamodel.models) {
      const table = tableOf(model);
      const scalarFields = model.fields.filter((f) => f.kind !== 'object');
      const dbColumns = columns.filter((c) => c.table_name === table);
      for (const field of scalarFields) {
        const column = dbColumns.find((c) => c.column_name === columnOf(field));
        if (!column) {
          mismatches.push(`${model.name}.${field.name}: no column ${table}.${columnOf(field)}`);
          continue;
        }
        const expected = {
          ...expectedType(field, enumDbNames),
          is_nullable: field.isRequired ? 'NO' : 'YES',
        };
        for (const [key, value] of Object.entries(expected)) {
          const actual = column[key as keyof Column];
          if (actual !== value) {
            mismatches.push(
              `${model.name}.${field.name}: ${key} is ${String(actual)} in the database, ${String(value)} in the schema`,
            );
          }
        }
      }
      for (const column of dbColumns) {
        if (!scalarFields.some((f) => columnOf(f) === column.column_name)) {
          mismatches.push(
            `${table}.${column.column_name}: in the database but not in ${model.name}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('agree on every enum and its values, in order', () => {
    const expected = new Map(
      dmmf.datamodel.enums.map((e) => [
        e.dbName ?? e.name,
        e.values.map((v) => v.dbName ?? v.name),
      ]),
    );
    expect(Object.fromEntries(enums)).toEqual(Object.fromEntries(expected));
  });

  it('agree on every unique constraint', () => {
    const expected = new Map<string, string[]>();
    const indexes = (
      dmmf.datamodel as unknown as {
        indexes: { model: string; type: string; fields: { name: string }[] }[];
      }
    ).indexes;
    for (const index of indexes.filter((i) => i.type === 'unique')) {
      const model = dmmf.datamodel.models.find((m) => m.name === index.model)!;
      const cols = index.fields.map((f) => columnOf(model.fields.find((x) => x.name === f.name)!));
      const table = tableOf(model);
      expected.set(table, [...(expected.get(table) ?? []), cols.join(',')].sort());
    }
    expect(Object.fromEntries(uniques)).toEqual(Object.fromEntries(expected));
  });
});
