'use client';

import {
  ApiTokenCreateBodySchema,
  ApiTokenCreatedSchema,
  ApiTokenListSchema,
} from '@marketprep/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';

import { Button } from '../../../../components/button';
import { EmptyState } from '../../../../components/empty-state';
import { ErrorState } from '../../../../components/error-state';
import { Field, FormError } from '../../../../components/field';
import { LoadingSkeleton } from '../../../../components/loading-skeleton';
import { RequireRole } from '../../../../components/require-role';
import { formatDateInTimeZone } from '../../../../lib/format';
import { apiFetch, describeWriteError, fieldErrors, formText } from '../../../../lib/session';

const tokensKey = ['api-tokens'] as const;
const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const day = (iso: string | null) => (iso ? formatDateInTimeZone(new Date(iso), zone()) : 'never');

function CreateToken({
  onCreated,
}: {
  onCreated: (token: z.infer<typeof ApiTokenCreatedSchema>) => void;
}) {
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const days = formText(form, 'expiresInDays').trim();
    const parsed = ApiTokenCreateBodySchema.safeParse({
      name: formText(form, 'name'),
      scopes: form.getAll('scopes').filter((v): v is string => typeof v === 'string'),
      ...(days ? { expiresInDays: Number(days) } : {}),
    });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      const created = await apiFetch({
        path: '/v1/api-tokens',
        method: 'POST',
        json: parsed.data,
        schema: ApiTokenCreatedSchema,
      });
      formElement.reset();
      onCreated(created);
      await queryClient.invalidateQueries({ queryKey: tokensKey });
    } catch (caught) {
      setFormError(describeWriteError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="section" aria-labelledby="create-token-title">
      <h2 id="create-token-title">Create a token</h2>
      <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <Field
          label="Name"
          name="name"
          hint="What uses it, e.g. “Spreadsheet sync”."
          error={errors.name}
        />
        <fieldset
          className="fieldset"
          aria-describedby={errors.scopes ? 'scopes-error' : undefined}
        >
          <legend>Access</legend>
          <label className="checkbox">
            <input type="checkbox" name="scopes" value="read" defaultChecked /> Read (prep lists,
            sales, markets)
          </label>
          <label className="checkbox">
            <input type="checkbox" name="scopes" value="write" /> Write (import sales, change
            products and markets)
          </label>
          {errors.scopes && (
            <span id="scopes-error" className="field__error">
              {errors.scopes}
            </span>
          )}
        </fieldset>
        <Field
          label="Expires after (days)"
          name="expiresInDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={730}
          hint="1 to 730. Leave empty for a token that does not expire."
          error={errors.expiresInDays}
        />
        <Button type="submit" busy={busy} busyLabel="Creating…">
          Create token
        </Button>
      </form>
    </section>
  );
}

function Tokens() {
  const queryClient = useQueryClient();
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const query = useQuery({
    queryKey: tokensKey,
    queryFn: ({ signal }) =>
      apiFetch({ path: '/v1/api-tokens', schema: ApiTokenListSchema, signal }),
  });
  const revoke = async (id: string) => {
    setRevokeError(null);
    try {
      await apiFetch({ path: `/v1/api-tokens/${id}`, method: 'DELETE' });
      await queryClient.invalidateQueries({ queryKey: tokensKey });
    } catch (caught) {
      setRevokeError(describeWriteError(caught).message);
    }
  };
  if (query.isPending) return <LoadingSkeleton label="Loading your API tokens…" />;
  if (query.data === undefined) {
    return (
      <ErrorState
        title="We could not load your API tokens"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  const tokens = query.data.data;
  if (tokens.length === 0) {
    return (
      <EmptyState title="No API tokens yet">
        <p>A token lets your own tools read or write this business’s data through the REST API.</p>
      </EmptyState>
    );
  }
  return (
    <section className="section" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Your tokens</h2>
      {revokeError && (
        <p role="alert" className="field__error">
          {revokeError}
        </p>
      )}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Access</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td>
                  {token.name}
                  <br />
                  <code className="small">{token.prefix}…</code>
                </td>
                <td>{token.scopes.join(', ')}</td>
                <td>
                  {day(token.lastUsedAt)}
                  {token.expiresAt && (
                    <span className="muted small">
                      <br />
                      expires {day(token.expiresAt)}
                    </span>
                  )}
                </td>
                <td>
                  {token.revokedAt ? (
                    <span className="badge badge--muted">Revoked</span>
                  ) : (
                    <Button variant="link" onClick={() => void revoke(token.id)}>
                      Revoke<span className="visually-hidden"> {token.name}</span>
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** API tokens: owners only; a new token's secret is shown once. */
export default function ApiTokensPage() {
  const [created, setCreated] = useState<z.infer<typeof ApiTokenCreatedSchema> | null>(null);
  return (
    <RequireRole role="owner">
      <title>API tokens · MarketPrep</title>
      <div className="page-header">
        <h1>API tokens</h1>
        <p className="page-header__lede">
          For your own tools and spreadsheets. Send as <code>Authorization: Bearer …</code>.
        </p>
      </div>
      {created && (
        <div className="notice notice--success" role="status">
          <h2 className="notice__title">Copy your new token now</h2>
          <p>This is the only time it is shown. Store it somewhere safe.</p>
          <code className="secret" aria-label={`API token ${created.name}`}>
            {created.token}
          </code>
          <div className="button-row">
            <Button
              variant="secondary"
              onClick={() => void navigator.clipboard?.writeText(created.token)}
            >
              Copy
            </Button>
            <Button variant="link" onClick={() => setCreated(null)}>
              I have saved it
            </Button>
          </div>
        </div>
      )}
      <Tokens />
      <CreateToken onCreated={setCreated} />
    </RequireRole>
  );
}
