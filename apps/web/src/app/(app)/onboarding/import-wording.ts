/** What the CSV import says about a file: its button and its result, in plain words. Pure. */
import type { ImportReport } from '@marketprep/contracts';

/** `count(2, 'row', 'rows')` → `"2 rows"`, with thousands separators. */
export const count = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * The import button's words: the row count only when it can run, otherwise what is needed first.
 */
export function importButtonLabel(report: ImportReport): string {
  if (report.errorCount > 0) {
    return report.errorCount === 1
      ? 'Fix the row above to import'
      : `Fix the ${report.errorCount.toLocaleString('en-US')} rows above to import`;
  }
  if (report.rowsValid === 0) return 'No sales rows to import';
  return `Import ${count(report.rowsValid, 'row', 'rows')}`;
}

/**
 * What an import read and what it stored, in the API's own terms: rows read, the daily sales
 * totals stored (one per product, market and day: rows for the same one are added up), rows
 * skipped as no product sale, and the markets and products it added.
 */
export function describeImportResult(report: ImportReport): string {
  const totals = report.totals.salesLines;
  const stored = `${count(totals, 'daily sales total', 'daily sales totals')}, one per product, market and day`;
  const summed =
    totals < report.rowsValid ? ' (rows for the same product, market and day are added up)' : '';
  const skipped =
    report.rowsSkipped > 0
      ? `; skipped ${count(report.rowsSkipped, 'row that is', 'rows that are')} no product sale`
      : '';
  const added = [
    report.markets.new.length > 0
      ? count(report.markets.new.length, 'new market', 'new markets')
      : null,
    report.products.new.length > 0
      ? count(report.products.new.length, 'new product', 'new products')
      : null,
  ].filter((part): part is string => part !== null);
  const read = `${count(report.rowsRead, 'row', 'rows')}`;
  if (report.alreadyImported) {
    return `This file was imported before, so nothing changed: its ${read} are stored as ${stored}.`;
  }
  return `Read ${read}; stored ${stored}${summed}${skipped}.${added.length > 0 ? ` Added ${added.join(' and ')}.` : ''}`;
}
