'use client';

import { AuditLogPageSchema, type AuditEntry } from '@marketprep/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { Button } from '../../../../components/button';
import { EmptyState } from '../../../../components/empty-state';
import { ErrorState } from '../../../../components/error-state';
import { Field, SelectField } from '../../../../components/field';
import { LoadingSkeleton } from '../../../../components/loading-skeleton';
import { RequireRole } from '../../../../components/require-role';
import { apiFetch, formText } from '../../../../lib/session';
import '../data/data-rights.css';

/** What each recorded action means, in the owner's words. */
const ACTIONS: Record<string, string> = {
  'auth.signed_in': 'signed in',
  'vendor.created': 'created the business',
  'vendor.settings_updated': 'changed the business settings',
  'vendor.erasure_requested': 'asked to delete the business',
  'vendor.erasure_cancelled': 'restored the business',
  'vendor.erased': 'deleted the business',
  'data_export.requested': 'requested a data export',
  'data_export.downloaded': 'downloaded a data export',
  'market.created': 'added a market',
  'market.updated': 'changed a market',
  'market.archived': 'archived a market',
  'market_day.created': 'added a market day',
  'market_day.updated': 'changed a market day',
  'product.created': 'added a product',
  'product.updated': 'changed a product',
  'prep_list.override': 'changed a prep list quantity',
  'sales_import.committed': 'imported sales',
  'team.invited': 'invited someone',
  'team.joined': 'joined the team',
  'team.removed': 'removed a member',
  'api_token.created': 'created an API token',
  'api_token.revoked': 'revoked an API token',
  'account.deleted': 'deleted their account',
};

const ENTITIES = [
  { value: '', label: 'Everything' },
  { value: 'auth', label: 'Sign-ins' },
  { value: 'market', label: 'Markets' },
  { value: 'product', label: 'Products' },
  { value: 'prep_list', label: 'Prep lists' },
  { value: 'team', label: 'Team' },
  { value: 'data_export', label: 'Exports' },
  { value: 'vendor', label: 'Business and deletion' },
];

function who(e: AuditEntry): string {
  if (e.actorName) return e.actorName;
  if (e.actorType === 'api_token') return 'An API token';
  if (e.actorType === 'system') return 'MarketPrep';
  return 'A former member';
}

function what(e: AuditEntry): string {
  return ACTIONS[e.action] ?? e.action.replace(/[._]/g, ' ');
}

/** Settings › Activity: who changed what and when (owners). */
export default function ActivityPage() {
  const [filters, setFilters] = useState({ entity: '', from: '', to: '' });
  const params = new URLSearchParams({ limit: '50' });
  if (filters.entity) params.set('entity', filters.entity);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  const query = useInfiniteQuery({
    queryKey: ['audit-log', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const page = new URLSearchParams(params);
      if (pageParam) page.set('cursor', pageParam);
      return apiFetch({ path: `/v1/audit-log?${page}`, schema: AuditLogPageSchema, signal });
    },
    getNextPageParam: (last) => last.nextCursor,
  });
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilters({
      entity: formText(form, 'entity'),
      from: formText(form, 'from'),
      to: formText(form, 'to'),
    });
  };
  const entries = query.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <RequireRole role="owner">
      <title>Activity · MarketPrep</title>
      <div className="page-header">
        <h1>Activity</h1>
        <p className="page-header__lede">Who changed what, and when.</p>
      </div>
      <form className="data-filters" onSubmit={apply} aria-label="Filter activity">
        <SelectField label="Show" name="entity" defaultValue={filters.entity}>
          {ENTITIES.map((e) => (
            <option key={e.value} value={e.value}>
              {e.label}
            </option>
          ))}
        </SelectField>
        <Field label="From" name="from" type="date" defaultValue={filters.from} />
        <Field label="Through" name="to" type="date" defaultValue={filters.to} />
        <Button type="submit" variant="secondary">
          Apply
        </Button>
      </form>
      {query.isPending ? (
        <LoadingSkeleton label="Loading activity…" />
      ) : query.data === undefined ? (
        <ErrorState
          title="We could not load the activity"
          error={query.error}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : entries.length === 0 ? (
        <EmptyState title="Nothing recorded here">
          <p>Try another filter or dates.</p>
        </EmptyState>
      ) : (
        <section className="section" aria-label="Activity">
          <ol className="data-list">
            {entries.map((e) => (
              <li key={e.id} className="data-list__item">
                <span>
                  <strong>{who(e)}</strong> {what(e)}
                  <br />
                  <time className="muted small" dateTime={e.createdAt}>
                    {new Date(e.createdAt).toLocaleString('en-US', {
                      weekday: 'short',
                      month: 'short',
                      day: 'numeric',
                      year: 'numeric',
                      hour: 'numeric',
                      minute: '2-digit',
                    })}
                  </time>
                </span>
              </li>
            ))}
          </ol>
          {query.hasNextPage && (
            <Button
              variant="secondary"
              onClick={() => void query.fetchNextPage()}
              busy={query.isFetchingNextPage}
              busyLabel="Loading…"
            >
              Show older
            </Button>
          )}
        </section>
      )}
    </RequireRole>
  );
}
