import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { ImportFormat, ImportRowError } from '@marketprep/contracts';
import { CsvError, parse } from 'csv-parse';
import type { DecodedCsv } from './csv-sniff';
import { MAX_ROW_QUANTITY, type BoundLayout, type SalesRow } from './csv-fields';
import {
  bindPlainLayout,
  looksLikePlainLayout,
  PLAIN_OPTIONAL_COLUMNS,
  PLAIN_REQUIRED_COLUMNS,
} from './plain-layout';
import {
  bindSquareItemSales,
  looksLikeSquareItemSales,
  SQUARE_REQUIRED_COLUMNS,
} from './square-item-sales';

/** Row problems kept in a report; the rest are only counted. */
export const MAX_REPORTED_ERRORS = 200;
/** Distinct markets one file may name (more means a wrong column). */
export const MAX_MARKETS_PER_FILE = 100;
/** Distinct products one file may name. */
export const MAX_PRODUCTS_PER_FILE = 5_000;
/** Largest aggregated quantity per (market, product, date): fits DECIMAL(12,3) with room. */
const MAX_AGGREGATE_MILLI = 100_000_000 * 1000;

/** Sales of one product at one market on one date, summed over the file's rows. */
export interface SalesAggregate {
  market: string;
  product: string;
  date: string;
  quantityMilli: number;
  refundMilli: number;
  revenueMinor: number;
  /** The last unit price seen for this key, if any. */
  unitPriceMinor: number | null;
  broughtMilli: number | null;
  rows: number;
}

/** A file read to the end: what it holds and what is wrong with it. */
export interface ParsedSalesFile {
  format: ImportFormat;
  ignoredColumns: string[];
  rowsRead: number;
  rowsValid: number;
  rowsSkipped: number;
  errorCount: number;
  errors: ImportRowError[];
  /** Keyed by market, product and date (canonical names). */
  aggregates: Map<string, SalesAggregate>;
  /** Canonical name (lower case) to the spelling first seen. */
  markets: Map<string, string>;
  products: Map<string, { name: string; category: string | null; unitPriceMinor: number | null }>;
  dateRange: { from: string; to: string } | null;
}

/** The file cannot be read as sales at all (empty, unknown columns): no per-row report. */
export class SalesFileError extends Error {
  constructor(
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'SalesFileError';
  }
}

/** Canonical form of a market or product name: names differing only in case or spacing match. */
export function canonicalName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

function bindLayout(
  header: string[],
  latestDate: string,
): { format: ImportFormat; layout: BoundLayout } {
  if (looksLikeSquareItemSales(header)) {
    const bound = bindSquareItemSales(header, { latestDate });
    if ('missing' in bound) {
      throw new SalesFileError(
        `This looks like a Square Item Sales export but lacks the column(s) ${bound.missing.join(', ')}. Export "Item Sales" details from the Square Dashboard again, or use the plain layout.`,
        bound.missing.map((c) => ({ path: c, message: 'missing column' })),
      );
    }
    return { format: 'square-item-sales', layout: bound };
  }
  const bound = bindPlainLayout(header, { latestDate });
  if (!('missing' in bound)) return { format: 'plain', layout: bound };
  const expected = `${PLAIN_REQUIRED_COLUMNS.join(',')}[,${PLAIN_OPTIONAL_COLUMNS.join('][,')}]`;
  const found = header.map((h) => JSON.stringify(h)).join(', ');
  if (looksLikePlainLayout(header)) {
    throw new SalesFileError(
      `The file lacks the column(s) ${bound.missing.join(', ')}. Expected the columns ${expected}; found ${found}.`,
      bound.missing.map((c) => ({ path: c, message: 'missing column' })),
    );
  }
  throw new SalesFileError(
    `Unrecognised columns ${found}. Expected the plain layout ${expected}, or Square's Item Sales export (with at least ${SQUARE_REQUIRED_COLUMNS.join(', ')}).`,
    [...PLAIN_REQUIRED_COLUMNS].map((c) => ({ path: c, message: 'expected column' })),
  );
}

function countNewlines(fields: string[]): number {
  let count = 0;
  for (const field of fields) {
    for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) count += 1;
  }
  return count;
}

/**
 * Reads decoded CSV text record by record (csv-parse's streaming parser), validates each row with
 * its layout and sums rows into per (market, product, date) aggregates. Memory is bounded by the
 * number of distinct keys, not by rows. Row problems are collected with their line numbers (line 1
 * is the header); structural CSV errors (an unclosed quote) end the reading as one more problem.
 */
export async function readSalesCsv(
  decoded: DecodedCsv,
  options: { latestDate: string; checkReplacementChars: boolean },
): Promise<ParsedSalesFile> {
  const parser = parse({
    delimiter: decoded.delimiter,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: 100_000,
  });
  let bound: { format: ImportFormat; layout: BoundLayout } | undefined;
  let columnCount = 0;
  const result: Omit<ParsedSalesFile, 'format' | 'ignoredColumns'> = {
    rowsRead: 0,
    rowsValid: 0,
    rowsSkipped: 0,
    errorCount: 0,
    errors: [],
    aggregates: new Map(),
    markets: new Map(),
    products: new Map(),
    dateRange: null,
  };
  const addError = (line: number, column: string | null, message: string) => {
    result.errorCount += 1;
    if (result.errors.length < MAX_REPORTED_ERRORS) result.errors.push({ line, column, message });
  };
  let lastLine = 1;

  const handleRecord = (entry: { record: string[]; info: { lines: number } }) => {
    const fields = entry.record;
    const line = entry.info.lines - countNewlines(fields);
    lastLine = entry.info.lines;
    if (!bound) {
      const header = fields.map((h) => h.trim());
      bound = bindLayout(header, options.latestDate);
      columnCount = header.length;
      return;
    }
    if (fields.every((f) => f.trim() === '')) return;
    result.rowsRead += 1;
    if (fields.length !== columnCount) {
      addError(
        line,
        null,
        `Expected ${columnCount} fields like the header, found ${fields.length} (a missing quote or a "${decoded.delimiter === '\t' ? '\\t' : decoded.delimiter}" inside an unquoted value?)`,
      );
      return;
    }
    if (options.checkReplacementChars && fields.some((f) => f.includes('\uFFFD'))) {
      addError(
        line,
        null,
        'This row has bytes that are not valid UTF-8 while the start of the file is: save the whole file in one encoding (UTF-8 is best)',
      );
      return;
    }
    const outcome = bound.layout.readRow(fields);
    if (outcome.kind === 'skip') {
      result.rowsSkipped += 1;
      return;
    }
    if (outcome.kind === 'errors') {
      for (const error of outcome.errors) addError(line, error.column, error.message);
      return;
    }
    const problem = addRow(result, outcome.row);
    if (problem) {
      addError(line, problem.column, problem.message);
      return;
    }
    result.rowsValid += 1;
  };

  // Records are handled synchronously as the parser emits them, so none is lost when a later part
  // of the file is malformed; writes wait for 'drain' (backpressure), so memory stays flat.
  let fatal: Error | undefined;
  let streamError: unknown;
  parser.on('error', (error) => {
    streamError ??= error;
  });
  parser.on('data', (entry: { record: string[]; info: { lines: number } }) => {
    if (fatal) return;
    try {
      handleRecord(entry);
    } catch (error) {
      fatal = error instanceof Error ? error : new Error(String(error));
      parser.destroy(fatal);
    }
  });
  try {
    for await (const chunk of decoded.text) {
      if (fatal || streamError !== undefined || parser.destroyed) break;
      if (!parser.write(chunk)) await once(parser, 'drain');
    }
    if (!fatal && streamError === undefined && !parser.destroyed) {
      parser.end();
      await finished(parser);
    }
  } catch (error) {
    streamError ??= error;
  }
  if (fatal) throw fatal;
  if (streamError !== undefined) {
    if (streamError instanceof CsvError) {
      const line = typeof streamError.lines === 'number' ? streamError.lines : lastLine + 1;
      addError(line, null, `The CSV cannot be read from here on: ${streamError.message}`);
    } else {
      throw streamError instanceof Error
        ? streamError
        : new Error('CSV stream failed', { cause: streamError });
    }
  }
  if (!bound) throw new SalesFileError('The file is empty: no header line was found.');
  return { ...result, format: bound.format, ignoredColumns: bound.layout.ignoredColumns };
}

function addRow(
  file: Omit<ParsedSalesFile, 'format' | 'ignoredColumns'>,
  row: SalesRow,
): { column: string | null; message: string } | null {
  const marketKey = canonicalName(row.market);
  const productKey = canonicalName(row.product);
  if (!file.markets.has(marketKey) && file.markets.size >= MAX_MARKETS_PER_FILE) {
    return {
      column: null,
      message: `More than ${MAX_MARKETS_PER_FILE} different markets in one file: is the market column the right one?`,
    };
  }
  if (!file.products.has(productKey) && file.products.size >= MAX_PRODUCTS_PER_FILE) {
    return {
      column: null,
      message: `More than ${MAX_PRODUCTS_PER_FILE} different products in one file: is the product column the right one?`,
    };
  }
  const key = `${marketKey}\u0000${productKey}\u0000${row.date}`;
  let aggregate = file.aggregates.get(key);
  if (!aggregate) {
    aggregate = {
      market: marketKey,
      product: productKey,
      date: row.date,
      quantityMilli: 0,
      refundMilli: 0,
      revenueMinor: 0,
      unitPriceMinor: null,
      broughtMilli: null,
      rows: 0,
    };
  }
  if (
    aggregate.quantityMilli + row.quantityMilli > MAX_AGGREGATE_MILLI ||
    aggregate.refundMilli + row.refundMilli > MAX_AGGREGATE_MILLI ||
    (aggregate.broughtMilli ?? 0) + (row.broughtMilli ?? 0) > MAX_AGGREGATE_MILLI
  ) {
    return {
      column: null,
      message: `The quantities of ${row.product} at ${row.market} on ${row.date} add up to an implausible total (rows are limited to ${MAX_ROW_QUANTITY} each)`,
    };
  }
  if (!file.markets.has(marketKey)) file.markets.set(marketKey, row.market);
  const product = file.products.get(productKey);
  if (!product) {
    file.products.set(productKey, {
      name: row.product,
      category: row.category,
      unitPriceMinor: row.unitPriceMinor,
    });
  } else if (row.unitPriceMinor !== null && row.quantityMilli > 0) {
    product.unitPriceMinor = row.unitPriceMinor;
  }
  aggregate.quantityMilli += row.quantityMilli;
  aggregate.refundMilli += row.refundMilli;
  aggregate.revenueMinor += row.revenueMinor ?? 0;
  if (row.unitPriceMinor !== null && row.quantityMilli > 0)
    aggregate.unitPriceMinor = row.unitPriceMinor;
  if (row.broughtMilli !== null)
    aggregate.broughtMilli = (aggregate.broughtMilli ?? 0) + row.broughtMilli;
  aggregate.rows += 1;
  file.aggregates.set(key, aggregate);
  if (!file.dateRange) file.dateRange = { from: row.date, to: row.date };
  else {
    if (row.date < file.dateRange.from) file.dateRange.from = row.date;
    if (row.date > file.dateRange.to) file.dateRange.to = row.date;
  }
  return null;
}
