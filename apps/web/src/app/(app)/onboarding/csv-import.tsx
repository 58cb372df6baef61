'use client';

import { ImportProblemSchema, ImportReportSchema, type ImportReport } from '@marketprep/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';

import { AppLink } from '../../../components/app-link';
import { Button } from '../../../components/button';
import { FormError } from '../../../components/field';
import { Money } from '../../../components/money';
import { formatLocalDate } from '../../../lib/format';
import { apiFetch, ApiWriteError, describeWriteError } from '../../../lib/session';
import { count, describeImportResult, importButtonLabel } from './import-wording';

const MAX_BYTES = 50 * 1024 * 1024;

function ReportView({ report }: { report: ImportReport }) {
  return (
    <div className="card" aria-labelledby="import-report-title">
      <h3 id="import-report-title" className="card__title">
        {report.fileName}: {report.rowsValid.toLocaleString('en-US')} of{' '}
        {count(report.rowsRead, 'row', 'rows')} ready
      </h3>
      <dl className="facts">
        <div className="facts__row">
          <dt>Dates</dt>
          <dd>
            {report.dateRange
              ? `${formatLocalDate(report.dateRange.from)} to ${formatLocalDate(report.dateRange.to)}`
              : '—'}
          </dd>
        </div>
        <div className="facts__row">
          <dt>Markets</dt>
          <dd>
            {report.markets.existing.length + report.markets.new.length}
            {report.markets.new.length > 0 && ` (new: ${report.markets.new.join(', ')})`}
          </dd>
        </div>
        <div className="facts__row">
          <dt>Products</dt>
          <dd>
            {report.products.existing.length + report.products.new.length}
            {report.products.new.length > 0 && ` (${report.products.new.length} new)`}
          </dd>
        </div>
        <div className="facts__row">
          <dt>Sales</dt>
          <dd>
            {report.totals.quantity.toLocaleString('en-US')} units,{' '}
            {report.totals.revenueMinor > 0 || report.totals.quantity === 0 ? (
              <Money minor={report.totals.revenueMinor} />
            ) : (
              'no prices in the file'
            )}
          </dd>
        </div>
      </dl>
      {report.errorCount > 0 && (
        <div className="section">
          <h4>
            {report.errorCount} {report.errorCount === 1 ? 'row needs' : 'rows need'} fixing
          </h4>
          <div className="table-wrap">
            <table className="table" aria-label="Rows with problems">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Line
                  </th>
                  <th scope="col">Column</th>
                  <th scope="col">What to fix</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((error) => (
                  <tr key={`${error.line}-${error.column ?? ''}-${error.message}`}>
                    <td className="num">{error.line}</td>
                    <td>{error.column ?? '—'}</td>
                    <td>{error.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small">
            Line 1 is the header. Fix these rows in your spreadsheet, save as CSV and upload again:
            nothing is imported until every row reads.
          </p>
        </div>
      )}
    </div>
  );
}

/** Upload → preview with per-row errors → confirm, against `/v1/imports/preview` and `/v1/imports`. */
export function CsvImport({ onImported }: { onImported: () => void }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState<'preview' | 'commit' | null>(null);
  const [done, setDone] = useState<ImportReport | null>(null);

  const upload = async (path: string, chosen: File) =>
    apiFetch({
      path,
      method: 'POST',
      body: chosen,
      contentType: 'text/csv',
      schema: ImportReportSchema,
    });

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.currentTarget.files?.[0] ?? null;
    setReport(null);
    setDone(null);
    setError(null);
    setFile(chosen);
    if (!chosen) return;
    if (chosen.size > MAX_BYTES) {
      setError({
        message: 'That file is larger than 50 MB. Split it by year and retry.',
        items: [],
      });
      return;
    }
    setBusy('preview');
    try {
      setReport(
        await upload(`/v1/imports/preview?fileName=${encodeURIComponent(chosen.name)}`, chosen),
      );
    } catch (caught) {
      setError(describeWriteError(caught));
    } finally {
      setBusy(null);
    }
  };

  const commit = async () => {
    if (!file) return;
    setBusy('commit');
    setError(null);
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    try {
      const result = await upload(
        `/v1/imports?fileName=${encodeURIComponent(file.name)}&marketTimezone=${encodeURIComponent(zone)}`,
        file,
      );
      setDone(result);
      await queryClient.invalidateQueries();
    } catch (caught) {
      if (caught instanceof ApiWriteError) {
        const problem = ImportProblemSchema.safeParse(caught.body);
        if (problem.success && problem.data.report) setReport(problem.data.report);
      }
      setError(describeWriteError(caught));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="form">
      <p>
        One row per product, market and day: <code>date,market,product,quantity</code> (optional{' '}
        <code>brought</code> and <code>unit_price</code>), or Square’s “Item Sales” export as is.
      </p>
      <div className="field">
        <label htmlFor="csv-file" className="field__label">
          Sales file (CSV)
        </label>
        <input
          id="csv-file"
          className="field__input"
          type="file"
          accept=".csv,text/csv"
          onChange={(event) => void choose(event)}
          aria-describedby="csv-file-hint"
        />
        <span id="csv-file-hint" className="field__hint">
          Up to 50 MB. We show what we read before anything is saved.
        </span>
      </div>
      {busy === 'preview' && (
        <p role="status" className="muted">
          Reading {file?.name}…
        </p>
      )}
      <FormError message={error?.message ?? null} items={error?.items ?? []} />
      {report && !done && <ReportView report={report} />}
      {report && !done && (report.planLimits?.length ?? 0) > 0 && (
        <div className="notice notice--warning" role="status" data-testid="import-plan-limits">
          <p>
            <strong>Your plan does not allow this file yet.</strong> Importing it would be refused:
          </p>
          <ul>
            {report.planLimits?.map((limit) => (
              <li key={limit.limit}>{limit.message}</li>
            ))}
          </ul>
          <p>
            <AppLink href="/settings/billing">Choose a plan</AppLink>, or remove the extra markets
            or products from the file and upload it again.
          </p>
        </div>
      )}
      {report && !done && report.alreadyImported && (
        <p className="notice notice--info" role="status">
          This exact file was imported before; importing it again changes nothing.
        </p>
      )}
      {report && !done && (
        <Button
          onClick={() => void commit()}
          busy={busy === 'commit'}
          busyLabel="Importing…"
          disabled={
            report.errorCount > 0 || report.rowsValid === 0 || (report.planLimits?.length ?? 0) > 0
          }
        >
          {importButtonLabel(report)}
        </Button>
      )}
      {done && (
        <div className="notice notice--success" role="status">
          <p>{describeImportResult(done)}</p>
          {!done.alreadyImported && <p>Your forecasts are being trained now.</p>}
          <Button onClick={onImported}>Next: confirm your markets</Button>
        </div>
      )}
    </div>
  );
}
