'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';

import { Button } from '../../components/button';
import { ErrorState } from '../../components/error-state';
import { FormError, SelectField } from '../../components/field';
import './square.css';
import { LoadingSkeleton } from '../../components/loading-skeleton';
import { ApiError } from '../../lib/api-client';
import { formatMoney, formatQuantity, formatTimeZoneName } from '../../lib/format';
import { describeWriteError, useSession } from '../../lib/session';
import {
  buildMappingBody,
  errorsFromProblem,
  initialChoices,
  locationKey,
  variationKey,
  type MappingChoice,
  type MappingChoices,
  type SquareMapping,
} from './square-mapping';
import {
  saveSquareMapping,
  squareMappingKey,
  squareStatusKey,
  useSquareMapping,
  useSquareStatus,
} from './square.api';

type Location = SquareMapping['locations'][number];
type Variation = SquareMapping['variations'][number];

function LocationSelect({
  location,
  mapping,
  value,
  error,
  disabled,
  onChange,
}: {
  location: Location;
  mapping: SquareMapping;
  value: MappingChoice;
  error: string | undefined;
  disabled: boolean;
  onChange: (choice: MappingChoice) => void;
}) {
  const suggested = mapping.markets.find((m) => m.id === location.suggestedMarketId);
  const others = mapping.markets.filter((m) => m.id !== suggested?.id);
  return (
    <li className="card square-mapping__row">
      <SelectField
        label={location.name}
        hint={`Square location${location.timezone ? ` · ${formatTimeZoneName(location.timezone, new Date())}` : ''}`}
        error={error}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value as MappingChoice)}
      >
        {value === '' && <option value="">Choose a market…</option>}
        {suggested && <option value={`use:${suggested.id}`}>{suggested.name} (suggested)</option>}
        {others.length > 0 && (
          <optgroup label={suggested ? 'Your other markets' : 'Your markets'}>
            {others.map((market) => (
              <option key={market.id} value={`use:${market.id}`}>
                {market.name}
              </option>
            ))}
          </optgroup>
        )}
        <option value="create">Create a market named “{location.name}”</option>
        <option value="ignore">Not a market (its sales never count)</option>
      </SelectField>
      {value.startsWith('use:') && value.slice(4) === suggested?.id && (
        <span className="badge badge--ok square-mapping__badge">Suggested: same name</span>
      )}
    </li>
  );
}

function VariationSelect({
  variation,
  mapping,
  value,
  error,
  disabled,
  onChange,
}: {
  variation: Variation;
  mapping: SquareMapping;
  value: MappingChoice;
  error: string | undefined;
  disabled: boolean;
  onChange: (choice: MappingChoice) => void;
}) {
  const suggested = mapping.products.find((p) => p.id === variation.suggestedProductId);
  const others = mapping.products.filter((p) => p.id !== suggested?.id);
  const details = [
    'Square item',
    variation.variationName && variation.variationName !== 'Regular'
      ? `${variation.itemName}, ${variation.variationName}`
      : null,
    variation.priceMinor !== null ? formatMoney(variation.priceMinor) : null,
  ].filter(Boolean);
  return (
    <li className="card square-mapping__row">
      <SelectField
        label={variation.suggestedName}
        hint={details.join(' · ')}
        error={error}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value as MappingChoice)}
      >
        {suggested && <option value={`use:${suggested.id}`}>{suggested.name} (suggested)</option>}
        <option value="create">Create a product named “{variation.suggestedName}”</option>
        <option value="ignore">Don’t track (its sales never count)</option>
        {others.length > 0 && (
          <optgroup label={suggested ? 'Your other products' : 'Your products'}>
            {others.map((product) => (
              <option key={product.id} value={`use:${product.id}`}>
                {product.name}
              </option>
            ))}
          </optgroup>
        )}
      </SelectField>
      {value.startsWith('use:') && value.slice(4) === suggested?.id && (
        <span className="badge badge--ok square-mapping__badge">Suggested: same name</span>
      )}
    </li>
  );
}

/**
 * The Square mapping screen: every Square location beside a market select ("Not a market" for a
 * kitchen or warehouse) and every item variation beside a product select ("Don't track"), the
 * suggestions by name preselected. One Save for the whole screen; the API applies it all or
 * nothing and then brings the mapped sales history in. Staff see the answers, owners change them.
 * `?connected=1`: shown right after the OAuth round trip, with a word on what to do.
 */
export function SquareMappingForm() {
  const justConnected = useSearchParams().get('connected') === '1';
  const { isOwner } = useSession();
  const router = useRouter();
  const queryClient = useQueryClient();
  const status = useSquareStatus();
  const connected = status.data?.connected === true;
  const query = useSquareMapping(connected);
  const [edits, setEdits] = useState<MappingChoices>({ locations: {}, variations: {} });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<{ message: string; items: string[] } | null>(null);
  const [saving, setSaving] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  if (status.isPending || (connected && query.isPending)) {
    return <LoadingSkeleton label="Loading your Square locations and items…" lines={4} />;
  }
  if (status.data && !connected) {
    return (
      <div className="notice notice--warning" role="status">
        <p>Square is not connected, so there is nothing to match yet.</p>
        <p>
          <Link href="/settings/integrations">Connect Square</Link>
        </p>
      </div>
    );
  }
  const mapping = query.data;
  if (!mapping) {
    const failed = status.data === undefined ? status : query;
    return (
      <ErrorState
        title="We could not load your Square locations and items"
        error={failed.error}
        onRetry={() => void failed.refetch()}
        retrying={failed.isFetching}
        headingLevel={2}
      />
    );
  }

  const start = initialChoices(mapping);
  const choices: MappingChoices = {
    locations: { ...start.locations, ...edits.locations },
    variations: { ...start.variations, ...edits.variations },
  };
  // Locations the owner still has to answer on this screen (no saved answer, no suggestion).
  const toAnswer = mapping.locations.filter((l) => choices.locations[l.locationId] === '').length;
  const showSummary = (message: string, items: string[]) => {
    setSummary({ message, items });
    // After the paint: the summary is where a keyboard or screen-reader user lands.
    requestAnimationFrame(() => summaryRef.current?.focus());
  };
  const choose = (kind: 'locations' | 'variations', id: string, choice: MappingChoice) => {
    setEdits((current) => ({ ...current, [kind]: { ...current[kind], [id]: choice } }));
    const key = kind === 'locations' ? locationKey(id) : variationKey(id);
    if (errors[key]) {
      setErrors((current) =>
        Object.fromEntries(Object.entries(current).filter(([k]) => k !== key)),
      );
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const built = buildMappingBody(mapping, choices);
    setErrors(built.errors);
    const problems = Object.keys(built.errors).length;
    if (problems > 0) {
      showSummary(
        problems === 1
          ? 'One answer needs fixing before saving.'
          : `${problems} answers need fixing before saving.`,
        [],
      );
      return;
    }
    setSaving(true);
    setSummary(null);
    try {
      const saved = await saveSquareMapping(built.body);
      queryClient.setQueryData(squareMappingKey, saved);
      await queryClient.invalidateQueries({ queryKey: squareStatusKey, exact: true });
      router.push('/settings/integrations?square=mapped');
    } catch (caught) {
      const described = describeWriteError(caught);
      const placed =
        caught instanceof ApiError
          ? errorsFromProblem(built.body, caught.problem?.errors ?? [])
          : { fields: {}, other: described.items };
      setErrors(placed.fields);
      showSummary(
        `${described.message} Nothing was saved.`,
        Object.keys(placed.fields).length > 0 ? [...placed.other] : described.items,
      );
      setSaving(false);
    }
  };

  return (
    <form className="form square-mapping" onSubmit={(event) => void submit(event)} noValidate>
      {justConnected && (
        <div className="notice notice--success" role="status">
          <p>
            Square is connected. Before your sales come in, tell MarketPrep which market each Square
            location is and which product each item is.
          </p>
        </div>
      )}
      <p className="muted">
        Suggestions are markets and products with the same name.{' '}
        {isOwner
          ? 'Check them, answer the rest, and save once: your sales history then comes in.'
          : 'Only an owner can change these answers.'}{' '}
        <Link href="/settings/integrations">Back to Square</Link>
      </p>
      <div ref={summaryRef} tabIndex={-1} className="square-mapping__summary">
        <FormError message={summary?.message ?? null} items={summary?.items ?? []} />
      </div>
      <section className="section" aria-labelledby="square-locations-title">
        <div className="section__header">
          <h2 id="square-locations-title">Locations</h2>
          <span className="muted small">
            {toAnswer > 0
              ? `${toAnswer === 1 ? '1 location needs' : `${toAnswer} locations need`} an answer`
              : `${formatQuantity(mapping.locations.length, 'location')}, all answered`}
          </span>
        </div>
        <ul className="card-grid square-mapping__list">
          {mapping.locations.map((location) => (
            <LocationSelect
              key={location.locationId}
              location={location}
              mapping={mapping}
              value={choices.locations[location.locationId] ?? ''}
              error={errors[locationKey(location.locationId)]}
              disabled={!isOwner || saving}
              onChange={(choice) => choose('locations', location.locationId, choice)}
            />
          ))}
        </ul>
      </section>
      <section className="section" aria-labelledby="square-items-title">
        <div className="section__header">
          <h2 id="square-items-title">Items</h2>
          <span className="muted small">{formatQuantity(mapping.variations.length, 'item')}</span>
        </div>
        <ul className="card-grid square-mapping__list">
          {mapping.variations.map((variation) => (
            <VariationSelect
              key={variation.variationId}
              variation={variation}
              mapping={mapping}
              value={choices.variations[variation.variationId] ?? 'create'}
              error={errors[variationKey(variation.variationId)]}
              disabled={!isOwner || saving}
              onChange={(choice) => choose('variations', variation.variationId, choice)}
            />
          ))}
        </ul>
      </section>
      {isOwner && (
        <div className="square-mapping__save">
          <Button type="submit" busy={saving} busyLabel="Saving…">
            Save and bring in sales
          </Button>
        </div>
      )}
    </form>
  );
}
