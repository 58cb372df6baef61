import type { ImportReport } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';
import { describeImportResult, importButtonLabel } from './import-wording';

const report = (patch: Partial<ImportReport> = {}): ImportReport => ({
  importId: null,
  fileName: 'items.csv',
  fileSha256: 'abc',
  status: 'COMMITTED',
  alreadyImported: false,
  format: 'square-item-sales',
  encoding: 'utf-8',
  delimiter: ',',
  ignoredColumns: [],
  rowsRead: 8357,
  rowsValid: 8345,
  rowsSkipped: 12,
  errorCount: 0,
  errors: [],
  dateRange: { from: '2025-05-03', to: '2026-10-31' },
  markets: { existing: [], new: ['Maple Street Market', 'Birch Park'] },
  products: {
    existing: [],
    new: ['Bread', 'Jam', 'Scone', 'Pie', 'Cake', 'Roll', 'Bun', 'Tart', 'Pretzel'],
  },
  totals: { salesLines: 470, quantity: 12000, refundedQuantity: 3, revenueMinor: 5_000_000 },
  committedAt: null,
  createdAt: null,
  ...patch,
});

describe('importButtonLabel', () => {
  it('shows the row count (with separators) only when the import can run', () => {
    expect(importButtonLabel(report())).toBe('Import 8,345 rows');
    expect(importButtonLabel(report({ rowsValid: 1 }))).toBe('Import 1 row');
  });

  it('says what to fix instead of a count when it cannot', () => {
    expect(importButtonLabel(report({ errorCount: 2 }))).toBe('Fix the 2 rows above to import');
    expect(importButtonLabel(report({ errorCount: 1 }))).toBe('Fix the row above to import');
    expect(importButtonLabel(report({ rowsValid: 0 }))).toBe('No sales rows to import');
  });
});

describe('describeImportResult', () => {
  it('says what was read and what was stored, and why the numbers differ', () => {
    expect(describeImportResult(report())).toBe(
      'Read 8,357 rows; stored 470 daily sales totals, one per product, market and day (rows for the same product, market and day are added up); skipped 12 rows that are no product sale. Added 2 new markets and 9 new products.',
    );
  });

  it('leaves out what did not happen and says one in the singular', () => {
    expect(
      describeImportResult(
        report({
          rowsRead: 6,
          rowsValid: 6,
          rowsSkipped: 0,
          totals: { salesLines: 6, quantity: 1, refundedQuantity: 0, revenueMinor: 1 },
          markets: { existing: [], new: ['Maple Street Market'] },
          products: { existing: ['Bread'], new: [] },
        }),
      ),
    ).toBe(
      'Read 6 rows; stored 6 daily sales totals, one per product, market and day. Added 1 new market.',
    );
  });

  it('says a file imported before changed nothing', () => {
    expect(describeImportResult(report({ alreadyImported: true }))).toBe(
      'This file was imported before, so nothing changed: its 8,357 rows are stored as 470 daily sales totals, one per product, market and day.',
    );
  });
});
