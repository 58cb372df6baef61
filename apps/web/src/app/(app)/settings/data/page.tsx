'use client';

import {
  BusinessErasureSchema,
  BusinessErasureStateSchema,
  DataExportListSchema,
  DataExportSchema,
  type DataExport,
} from '@marketprep/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { Button } from '../../../../components/button';
import { ErrorState } from '../../../../components/error-state';
import { Field, FormError } from '../../../../components/field';
import { LoadingSkeleton } from '../../../../components/loading-skeleton';
import { apiFetch, describeWriteError, formText, useSession } from '../../../../lib/session';
import './data-rights.css';

const exportsKey = ['data-exports'] as const;
const erasureKey = ['vendor-erasure'] as const;

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });

const size = (bytes: number | null) =>
  bytes === null
    ? ''
    : bytes < 1_000_000
      ? `${Math.max(1, Math.round(bytes / 1_000))} KB`
      : `${(bytes / 1_000_000).toFixed(1)} MB`;

function describeExport(e: DataExport): string {
  switch (e.status) {
    case 'PENDING':
      return 'Waiting to start…';
    case 'RUNNING':
      return `Building the archive: ${e.progress}%`;
    case 'COMPLETED':
      if (e.downloadable && e.expiresAt)
        return `Ready (${size(e.sizeBytes)}). The link works once, until ${when(e.expiresAt)}.`;
      return e.downloadedAt ? `Downloaded ${when(e.downloadedAt)}.` : 'The link has expired.';
    case 'EXPIRED':
      return e.downloadedAt ? `Downloaded ${when(e.downloadedAt)}.` : 'The link has expired.';
    case 'FAILED':
      return e.error ?? 'The export failed. Request a new one.';
    case 'CANCELLED':
      return 'Cancelled.';
  }
}

/** Export of the whole business: request, progress, the one download. */
function ExportSection() {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const query = useQuery({
    queryKey: exportsKey,
    queryFn: ({ signal }) =>
      apiFetch({ path: '/v1/data-exports', schema: DataExportListSchema, signal }),
    // While an archive is being built, its progress is polled.
    refetchInterval: (q) =>
      q.state.data?.data.some((e) => e.status === 'PENDING' || e.status === 'RUNNING')
        ? 1_500
        : false,
  });
  const request = async () => {
    setBusy(true);
    setError(null);
    try {
      await apiFetch({ path: '/v1/data-exports', method: 'POST', schema: DataExportSchema });
      await queryClient.invalidateQueries({ queryKey: exportsKey });
    } catch (caught) {
      setError(describeWriteError(caught).message);
    } finally {
      setBusy(false);
    }
  };
  const exports = query.data?.data ?? [];
  const active = exports.some((e) => e.status === 'PENDING' || e.status === 'RUNNING');
  return (
    <section className="section" aria-labelledby="export-title">
      <h2 id="export-title">Export all data</h2>
      <p>
        One zip file with a spreadsheet (CSV) for each kind of record: markets, products with prices
        and costs, every sale, daily totals, check-ins, prep lists, events, notifications and the
        activity log, plus a README and a manifest with checksums. The sales file imports into
        another MarketPrep business as it is.
      </p>
      {error && (
        <p role="alert" className="field__error">
          {error}
        </p>
      )}
      <Button onClick={() => void request()} busy={busy || active} busyLabel="Export requested">
        Export all data
      </Button>
      {query.isPending ? (
        <LoadingSkeleton label="Loading your exports…" />
      ) : query.data === undefined ? (
        <ErrorState
          title="We could not load your exports"
          error={query.error}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : exports.length > 0 ? (
        <ul className="data-list" aria-label="Exports">
          {exports.slice(0, 5).map((e) => (
            <li key={e.id} className="data-list__item">
              <span>
                Requested {when(e.requestedAt)}
                <br />
                <span className="muted small" role={active ? 'status' : undefined}>
                  {describeExport(e)}
                </span>
              </span>
              {e.downloadable && (
                <a
                  className="button button--secondary"
                  href={`/v1/data-exports/${e.id}/download`}
                  download
                  onClick={() => {
                    // The link works once: show it used as soon as the download starts.
                    window.setTimeout(
                      () => void queryClient.invalidateQueries({ queryKey: exportsKey }),
                      1_500,
                    );
                  }}
                >
                  Download
                </a>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** Deleting the business: typed name, 7 days to restore. */
function DeleteBusinessSection({ vendorName }: { vendorName: string }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const query = useQuery({
    queryKey: erasureKey,
    queryFn: ({ signal }) =>
      apiFetch({ path: '/v1/vendor/erasure', schema: BusinessErasureStateSchema, signal }),
  });
  /** Schedules (POST, with the typed name) or cancels (DELETE) the deletion. */
  const change = async (method: 'POST' | 'DELETE', confirm?: string) => {
    setBusy(true);
    setFormError(null);
    try {
      await apiFetch({
        path: '/v1/vendor/erasure',
        method,
        ...(confirm === undefined ? {} : { json: { confirm } }),
        schema: BusinessErasureSchema,
      });
      await queryClient.invalidateQueries({ queryKey: erasureKey });
    } catch (caught) {
      setFormError(describeWriteError(caught));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void change('POST', formText(new FormData(event.currentTarget), 'confirm'));
  };
  const restore = () => void change('DELETE');
  const pending = query.data?.erasure ?? null;
  return (
    <section className="section" aria-labelledby="delete-business-title">
      <h2 id="delete-business-title">Delete this business</h2>
      <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
      {query.isPending ? (
        <LoadingSkeleton label="Loading…" />
      ) : pending ? (
        <div className="notice notice--warning" role="status">
          <p className="notice__title">
            {vendorName} will be deleted on {when(pending.scheduledFor)}.
          </p>
          <p>
            Until then everything works as before and you can restore it. After that every market,
            product, sale, check-in and prep list is deleted for good; Square is disconnected and
            the subscription cancelled.
          </p>
          <Button variant="secondary" onClick={restore} busy={busy}>
            Restore {vendorName}
          </Button>
        </div>
      ) : (
        <form className="form data-danger" noValidate onSubmit={submit}>
          <p>
            Deletes every record of {vendorName} after 7 days (you can restore it until then).
            Export your data first if you want to keep it. The activity log is kept without names.
          </p>
          <Field
            label={`Type “${vendorName}” to confirm`}
            name="confirm"
            autoComplete="off"
            spellCheck={false}
          />
          <Button type="submit" variant="danger" busy={busy} busyLabel="Scheduling…">
            Delete business
          </Button>
        </form>
      )}
    </section>
  );
}

/** The signed-in person's own account: their data, and deleting the account. */
function AccountSection({ email }: { email: string }) {
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const confirm = formText(new FormData(event.currentTarget), 'confirm');
    setBusy(true);
    setFormError(null);
    try {
      await apiFetch({ path: '/v1/account/delete', method: 'POST', json: { confirm } });
      window.location.assign('/login');
    } catch (caught) {
      setFormError(describeWriteError(caught));
      setBusy(false);
    }
  };
  return (
    <section className="section" aria-labelledby="account-data-title">
      <h2 id="account-data-title">Your account</h2>
      <p>
        <a href="/v1/account/export" download="marketprep-account.json">
          Download my account data
        </a>{' '}
        (your profile, the businesses you belong to and your sign-ins, as JSON).
      </p>
      <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
      <form className="form data-danger" noValidate onSubmit={(event) => void submit(event)}>
        <p>
          Deleting your account signs you out everywhere and removes you from every business. The
          last owner of a business has to delete the business (or make someone else an owner) first.
        </p>
        <Field
          label={`Type your email (${email}) to confirm`}
          name="confirm"
          type="email"
          autoComplete="off"
        />
        <Button type="submit" variant="danger" busy={busy} busyLabel="Deleting…">
          Delete my account
        </Button>
      </form>
    </section>
  );
}

/** Settings › Your data: export, delete the business (owners), and the person's own account. */
export default function DataPage() {
  const { isOwner, vendorName, session } = useSession();
  return (
    <>
      <title>Your data · MarketPrep</title>
      <div className="page-header">
        <h1>Your data</h1>
        <p className="page-header__lede">Take all of it with you, or leave cleanly.</p>
      </div>
      {isOwner && <ExportSection />}
      {isOwner && vendorName && <DeleteBusinessSection vendorName={vendorName} />}
      {session && <AccountSection email={session.user.email} />}
    </>
  );
}
