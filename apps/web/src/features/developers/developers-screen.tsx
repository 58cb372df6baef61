'use client';

import { WebhookEndpointCreateBodySchema } from '@marketprep/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { Field, FormError } from '../../components/field';
import { LoadingSkeleton } from '../../components/loading-skeleton';
import { formatDateInTimeZone } from '../../lib/format';
import { describeWriteError, fieldErrors, formText } from '../../lib/session';
import { PlanLocked, usePlanFeature } from '../billing/plan-lock';
import {
  EVENT_LABELS,
  WEBHOOK_EVENT_TYPES,
  createEndpoint,
  deleteEndpoint,
  deliveriesKey,
  endpointsKey,
  listDeliveries,
  listEndpoints,
  resendDelivery,
  setEndpointEnabled,
  type WebhookEndpoint,
  type WebhookEndpointCreated,
} from './developers.api';
import './developers.css';

const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const when = (iso: string | null) => {
  if (!iso) return '—';
  const date = new Date(iso);
  const time = date.toLocaleTimeString('en-US', {
    hour: 'numeric',
    minute: '2-digit',
    timeZone: zone(),
  });
  return `${formatDateInTimeZone(date, zone())}, ${time}`;
};

function AddEndpoint({ onCreated }: { onCreated: (endpoint: WebhookEndpointCreated) => void }) {
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const description = formText(form, 'description').trim();
    const parsed = WebhookEndpointCreateBodySchema.safeParse({
      url: formText(form, 'url').trim(),
      events: form.getAll('events').filter((v): v is string => typeof v === 'string'),
      ...(description ? { description } : {}),
    });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      const created = await createEndpoint(parsed.data);
      formElement.reset();
      onCreated(created);
      await queryClient.invalidateQueries({ queryKey: endpointsKey });
    } catch (caught) {
      setFormError(describeWriteError(caught));
    } finally {
      setBusy(false);
    }
  };
  // A plan without webhooks out: say so before the vendor fills the form, not after a 403.
  const { locked } = usePlanFeature('webhooks-out');
  if (locked) {
    return (
      <section className="section" aria-labelledby="add-endpoint-title">
        <h2 id="add-endpoint-title">Add an endpoint</h2>
        <PlanLocked feature="webhooks-out" what="Sending events to your own tools" />
      </section>
    );
  }
  return (
    <section className="section" aria-labelledby="add-endpoint-title">
      <h2 id="add-endpoint-title">Add an endpoint</h2>
      <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <Field
          label="URL"
          name="url"
          type="url"
          inputMode="url"
          placeholder="https://example.com/marketprep"
          hint="MarketPrep POSTs signed JSON here. It must answer 2xx within 10 seconds."
          error={errors.url}
        />
        <Field
          label="Description (optional)"
          name="description"
          hint="What listens, e.g. “Bakery spreadsheet”."
          error={errors.description}
        />
        <fieldset
          className="fieldset"
          aria-describedby={errors.events ? 'events-error' : undefined}
        >
          <legend>Events</legend>
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label className="checkbox" key={type}>
              <input
                type="checkbox"
                name="events"
                value={type}
                defaultChecked={type === 'check_in.submitted'}
              />{' '}
              {EVENT_LABELS[type]} <code className="small">{type}</code>
            </label>
          ))}
          {errors.events && (
            <span id="events-error" className="field__error">
              {errors.events}
            </span>
          )}
        </fieldset>
        <Button type="submit" busy={busy} busyLabel="Adding…">
          Add endpoint
        </Button>
      </form>
    </section>
  );
}

function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const query = useQuery({
    queryKey: deliveriesKey(endpoint.id),
    queryFn: ({ signal }) => listDeliveries(endpoint.id, signal),
    // The log is read to see what just happened: fresh on each opening, and followed while a
    // delivery is still being tried.
    staleTime: 0,
    refetchInterval: (current) =>
      current.state.data?.data.some((d) => d.status === 'pending') ? 3_000 : false,
  });
  const resend = async (deliveryId: string) => {
    setMessage(null);
    try {
      await resendDelivery(deliveryId);
      setMessage('Sent again. Its new attempt shows here in a moment.');
      await queryClient.invalidateQueries({ queryKey: deliveriesKey(endpoint.id) });
    } catch (caught) {
      setMessage(describeWriteError(caught).message);
    }
  };
  if (query.isPending) return <LoadingSkeleton label="Loading deliveries…" />;
  if (query.data === undefined) {
    return (
      <ErrorState
        title="We could not load the delivery log"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  const deliveries = query.data.data;
  if (deliveries.length === 0) return <p className="muted">Nothing sent yet.</p>;
  return (
    <>
      {message && (
        <p role="status" className="muted">
          {message}
        </p>
      )}
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Deliveries to {endpoint.url}</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Last answer</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td>
                  <code className="small">{d.eventType}</code>
                  <br />
                  <span className="muted small">{when(d.createdAt)}</span>
                </td>
                <td>
                  <span
                    className={
                      d.status === 'succeeded'
                        ? 'badge badge--ok'
                        : d.status === 'failed'
                          ? 'badge badge--bad'
                          : 'badge badge--muted'
                    }
                  >
                    {d.status === 'succeeded'
                      ? 'Delivered'
                      : d.status === 'failed'
                        ? 'Failed'
                        : 'Retrying'}
                  </span>
                  <br />
                  <span className="muted small">
                    {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
                    {d.status === 'pending' && d.nextAttemptAt
                      ? ` · next ${when(d.nextAttemptAt)}`
                      : ''}
                  </span>
                </td>
                <td className="small">
                  {d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : d.lastError ? '' : '—'}
                  {d.lastError && <span className="muted"> {d.lastError}</span>}
                </td>
                <td>
                  <Button variant="link" onClick={() => void resend(d.id)}>
                    Resend<span className="visually-hidden"> {d.eventType}</span>
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function EndpointCard({ endpoint }: { endpoint: WebhookEndpoint }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      await queryClient.invalidateQueries({ queryKey: endpointsKey });
    } catch (caught) {
      setError(describeWriteError(caught).message);
    }
  };
  return (
    <li className="card" aria-label={`Webhook endpoint ${endpoint.url}`}>
      <p>
        <code className="developers__url">{endpoint.url}</code>{' '}
        {endpoint.enabled ? (
          <span className="badge badge--ok">On</span>
        ) : (
          <span className="badge badge--bad">Off</span>
        )}
      </p>
      {endpoint.description && <p className="muted">{endpoint.description}</p>}
      {!endpoint.enabled && endpoint.disabledReason && (
        <p className="notice notice--warning" role="note">
          Turned off {when(endpoint.disabledAt)}: {endpoint.disabledReason} Fix the receiver, then
          turn it back on.
        </p>
      )}
      <p className="small">
        {endpoint.events.map((e) => (
          <code key={e} className="small">
            {e}{' '}
          </code>
        ))}
      </p>
      {error && (
        <p role="alert" className="field__error">
          {error}
        </p>
      )}
      <div className="button-row">
        <Button variant="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide delivery log' : 'Delivery log'}
        </Button>
        <Button
          variant="secondary"
          onClick={() => void act(() => setEndpointEnabled(endpoint.id, !endpoint.enabled))}
        >
          {endpoint.enabled ? 'Turn off' : 'Turn on'}
        </Button>
        <Button
          variant="link"
          onClick={() => {
            if (window.confirm(`Delete ${endpoint.url} and its delivery log?`)) {
              void act(() => deleteEndpoint(endpoint.id));
            }
          }}
        >
          Delete
        </Button>
      </div>
      {open && <DeliveryLog endpoint={endpoint} />}
    </li>
  );
}

function Endpoints() {
  const query = useQuery({
    queryKey: endpointsKey,
    queryFn: ({ signal }) => listEndpoints(signal),
  });
  if (query.isPending) return <LoadingSkeleton label="Loading your webhook endpoints…" />;
  if (query.data === undefined) {
    return (
      <ErrorState
        title="We could not load your webhook endpoints"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  const endpoints = query.data.data;
  if (endpoints.length === 0) {
    return (
      <EmptyState title="No webhook endpoints yet">
        <p>
          Add one to have MarketPrep tell your own tools when a check-in is saved, a prep list
          changes or an alert is raised.
        </p>
      </EmptyState>
    );
  }
  return (
    <section className="section" aria-labelledby="endpoints-title">
      <h2 id="endpoints-title">Webhook endpoints</h2>
      <ul className="developers__list">
        {endpoints.map((endpoint) => (
          <EndpointCard key={endpoint.id} endpoint={endpoint} />
        ))}
      </ul>
    </section>
  );
}

/** Settings › Developers: webhook endpoints (secret shown once), their delivery log and resend. */
export function DevelopersScreen() {
  const [created, setCreated] = useState<WebhookEndpointCreated | null>(null);
  return (
    <>
      <div className="page-header">
        <h1>Developers</h1>
        <p className="page-header__lede">
          Webhooks send signed events to your own tools. Each request carries a{' '}
          <code>MarketPrep-Signature</code> header; see the API guide for how to check it.
        </p>
      </div>
      {created && (
        <div className="notice notice--success" role="status">
          <h2 className="notice__title">Copy the signing secret now</h2>
          <p>This is the only time it is shown. Your receiver needs it to check each request.</p>
          <code className="secret" aria-label={`Signing secret for ${created.url}`}>
            {created.secret}
          </code>
          <div className="button-row">
            <Button
              variant="secondary"
              onClick={() => void navigator.clipboard?.writeText(created.secret)}
            >
              Copy
            </Button>
            <Button variant="link" onClick={() => setCreated(null)}>
              I have saved it
            </Button>
          </div>
        </div>
      )}
      <Endpoints />
      <AddEndpoint onCreated={setCreated} />
    </>
  );
}
