import { isCalendarDate } from '../calendar-dates';
import type { MarketDayCovariates, SalesObservation } from '../types';

/** A malformed dataset file, with the file, 1-based line and column where it went wrong. */
export class DatasetError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}: line ${line}, column ${column}: ${reason}`);
    this.name = 'DatasetError';
  }
}

/** A parsed CSV file: its header and its records with their line numbers. */
export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly records: readonly { readonly line: number; readonly fields: readonly string[] }[];
}

/**
 * Parses CSV text (RFC 4180: commas, double-quoted fields with "" escapes, LF or CRLF). Blank
 * lines are skipped. Every record must have as many fields as the header.
 */
export function parseCsv(text: string, file: string): CsvTable {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  const endRecord = (): void => {
    if (fields.length > 0 || fieldStarted || field !== '') {
      fields.push(field);
      records.push({ line: recordLine, fields });
    }
    fields = [];
    field = '';
    fieldStarted = false;
  };
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (quoted) {
      if (char === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += char;
    }
  }
  if (quoted)
    throw new DatasetError(file, recordLine, fields.length + 1, 'unterminated quoted field');
  endRecord();
  const [headerRecord, ...rest] = records;
  if (!headerRecord)
    throw new DatasetError(file, 1, 1, 'the file is empty (a header row is required)');
  const header = headerRecord.fields.map((name) => name.trim());
  for (const record of rest) {
    if (record.fields.length !== header.length) {
      const column = Math.min(record.fields.length, header.length) + 1;
      throw new DatasetError(
        file,
        record.line,
        column,
        `expected ${header.length} fields (${header.join(',')}), found ${record.fields.length}`,
      );
    }
  }
  return { file, header, records: rest };
}

function requireColumns(table: CsvTable, names: readonly string[]): Map<string, number> {
  const positions = new Map(table.header.map((name, i) => [name, i]));
  for (const name of names) {
    if (!positions.has(name)) {
      throw new DatasetError(
        table.file,
        1,
        table.header.length + 1,
        `missing column "${name}" (header is ${table.header.join(',')})`,
      );
    }
  }
  return positions;
}

interface Cell {
  readonly value: string;
  readonly line: number;
  readonly column: number;
  readonly name: string;
}

function cell(
  table: CsvTable,
  record: CsvTable['records'][number],
  positions: Map<string, number>,
  name: string,
): Cell {
  const index = positions.get(name) ?? 0;
  return { value: (record.fields[index] ?? '').trim(), line: record.line, column: index + 1, name };
}

function fail(table: CsvTable, c: Cell, reason: string): never {
  throw new DatasetError(table.file, c.line, c.column, `${c.name} ${reason}`);
}

function readDate(table: CsvTable, c: Cell): string {
  if (!isCalendarDate(c.value)) fail(table, c, `"${c.value}" is not a YYYY-MM-DD date`);
  return c.value;
}

function readText(table: CsvTable, c: Cell): string {
  if (c.value === '') fail(table, c, 'is empty');
  return c.value;
}

const NUMBER_PATTERN = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A finite number, or undefined for an empty cell when `optional`. */
function readNumber(table: CsvTable, c: Cell, optional: boolean): number | undefined {
  if (c.value === '' || (optional && /^(na|nan|null)$/i.test(c.value))) {
    if (optional) return undefined;
    fail(table, c, 'is empty (a number is required)');
  }
  if (!NUMBER_PATTERN.test(c.value)) fail(table, c, `"${c.value}" is not a number`);
  return Number(c.value);
}

/**
 * Parses `sales.csv`: `date,market,product,quantity[,brought][,sold_out_at,opens_at,closes_at]`.
 * A row with an empty quantity is a gap (nothing known that day), like a missing row. Optional
 * `sold_out_at`, `opens_at`, `closes_at` are local `HH:MM` times of a sell-out and the opening hours.
 */
export function parseSalesCsv(text: string, file = 'sales.csv'): SalesObservation[] {
  const table = parseCsv(text, file);
  const positions = requireColumns(table, ['date', 'market', 'product', 'quantity']);
  const hasBrought = positions.has('brought');
  const timeColumns = (['sold_out_at', 'opens_at', 'closes_at'] as const).filter((name) =>
    positions.has(name),
  );
  const result: SalesObservation[] = [];
  for (const record of table.records) {
    const date = readDate(table, cell(table, record, positions, 'date'));
    const market = readText(table, cell(table, record, positions, 'market'));
    const product = readText(table, cell(table, record, positions, 'product'));
    const quantityCell = cell(table, record, positions, 'quantity');
    const quantity = readNumber(table, quantityCell, true);
    if (quantity === undefined) continue;
    if (quantity < 0) fail(table, quantityCell, `${quantity} is negative`);
    const observation: {
      -readonly [K in keyof SalesObservation]: SalesObservation[K];
    } = { date, market, product, quantity };
    if (hasBrought) {
      const broughtCell = cell(table, record, positions, 'brought');
      const brought = readNumber(table, broughtCell, true);
      if (brought !== undefined && brought < 0) fail(table, broughtCell, `${brought} is negative`);
      if (brought !== undefined) observation.brought = brought;
    }
    for (const name of timeColumns) {
      const c = cell(table, record, positions, name);
      if (c.value === '') continue;
      if (!/^([01]?\d|2[0-3]):[0-5]\d$/.test(c.value))
        fail(table, c, `"${c.value}" is not a HH:MM time`);
      const key =
        name === 'sold_out_at' ? 'soldOutAt' : name === 'opens_at' ? 'opensAt' : 'closesAt';
      observation[key] = c.value;
    }
    result.push(observation);
  }
  return result;
}

/** Parses `weather.csv`: `date,market,<numeric columns>`; empty cells are missing values. */
export function parseWeatherCsv(text: string, file = 'weather.csv'): MarketDayCovariates[] {
  const table = parseCsv(text, file);
  const positions = requireColumns(table, ['date', 'market']);
  const columns = table.header.filter((name) => name !== 'date' && name !== 'market');
  return table.records.map((record) => {
    const weather: Record<string, number> = {};
    for (const name of columns) {
      const value = readNumber(table, cell(table, record, positions, name), true);
      if (value !== undefined) weather[name] = value;
    }
    return {
      date: readDate(table, cell(table, record, positions, 'date')),
      market: readText(table, cell(table, record, positions, 'market')),
      weather,
    };
  });
}

/** Parses `calendar.csv`: `date,market,<0/1 flags>`; empty cells are unknown. */
export function parseCalendarCsv(text: string, file = 'calendar.csv'): MarketDayCovariates[] {
  const table = parseCsv(text, file);
  const positions = requireColumns(table, ['date', 'market']);
  const columns = table.header.filter((name) => name !== 'date' && name !== 'market');
  return table.records.map((record) => {
    const flags: Record<string, boolean> = {};
    for (const name of columns) {
      const c = cell(table, record, positions, name);
      const value = c.value.toLowerCase();
      if (value === '') continue;
      if (value === '1' || value === 'true') flags[name] = true;
      else if (value === '0' || value === 'false') flags[name] = false;
      else fail(table, c, `"${c.value}" is not a 0/1 flag`);
    }
    return {
      date: readDate(table, cell(table, record, positions, 'date')),
      market: readText(table, cell(table, record, positions, 'market')),
      flags,
    };
  });
}

/** Parses `events.csv`: `date,market,name,attendance` (attendance may be empty). */
export function parseEventsCsv(text: string, file = 'events.csv'): MarketDayCovariates[] {
  const table = parseCsv(text, file);
  const positions = requireColumns(table, ['date', 'market', 'name']);
  const hasAttendance = positions.has('attendance');
  return table.records.map((record) => {
    const name = cell(table, record, positions, 'name').value;
    const attendance = hasAttendance
      ? readNumber(table, cell(table, record, positions, 'attendance'), true)
      : undefined;
    return {
      date: readDate(table, cell(table, record, positions, 'date')),
      market: readText(table, cell(table, record, positions, 'market')),
      events: [attendance === undefined ? { name } : { name, attendance }],
    };
  });
}
