'use client';

import { GeoLookupQuerySchema, GeoLookupResultSchema, type GeoPlace } from '@marketprep/contracts';
import { useState, type KeyboardEvent } from 'react';

import { Button } from '../../../components/button';
import { Field } from '../../../components/field';
import { formatTimeZoneName } from '../../../lib/format';
import { apiFetch, describeWriteError } from '../../../lib/session';
import './location-lookup.css';

/**
 * "Find by ZIP code or town": asks `GET /v1/geo/lookup` (answered from a dataset bundled with the
 * API, no outside service) and hands the chosen place to `onPick`, which fills in latitude,
 * longitude, time zone and state. One match is used at once; several are offered as buttons.
 * Typing the coordinates by hand stays possible.
 */
export function LocationLookup({
  idPrefix,
  onPick,
}: {
  idPrefix: string;
  onPick: (place: GeoPlace) => void;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [choices, setChoices] = useState<GeoPlace[]>([]);
  const [picked, setPicked] = useState<GeoPlace | null>(null);
  const [busy, setBusy] = useState(false);

  const pick = (place: GeoPlace) => {
    setChoices([]);
    setPicked(place);
    onPick(place);
  };

  const search = async () => {
    setPicked(null);
    setChoices([]);
    const parsed = GeoLookupQuerySchema.safeParse({ q: text });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Type a ZIP code or a town, e.g. 60614');
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      const result = await apiFetch({
        path: `/v1/geo/lookup?q=${encodeURIComponent(parsed.data.q)}`,
        schema: GeoLookupResultSchema,
      });
      const [first, ...rest] = result.data;
      if (first === undefined) {
        setError(
          `No US ZIP code or town found for “${parsed.data.q}”. Check the spelling, or type the latitude and longitude below.`,
        );
      } else if (rest.length === 0) {
        pick(first);
      } else {
        setChoices(result.data);
      }
    } catch (caught) {
      setError(describeWriteError(caught).message);
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // Enter looks the place up instead of saving the whole market form.
    if (event.key === 'Enter') {
      event.preventDefault();
      void search();
    }
  };

  return (
    <div className="location-lookup">
      <div className="location-lookup__row">
        <Field
          id={`${idPrefix}-lookup`}
          label="Find by ZIP code or town"
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          onKeyDown={onKeyDown}
          autoComplete="postal-code"
          hint="e.g. 60614 or Evanston, IL (US). Fills in latitude, longitude, time zone and state."
          error={error}
        />
        <Button
          variant="secondary"
          onClick={() => void search()}
          busy={busy}
          busyLabel="Looking up…"
        >
          Look up
        </Button>
      </div>
      {choices.length > 0 && (
        <div role="group" aria-label="Places found">
          <p className="muted small">{choices.length} places have that name. Pick yours:</p>
          <ul className="button-row location-lookup__choices">
            {choices.map((place) => (
              <li key={place.label}>
                <Button variant="secondary" onClick={() => pick(place)}>
                  {place.label}
                </Button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {/* A live region, not a second role=status in the market form (its own says "saved"). */}
      <p className="muted small" aria-live="polite">
        {picked
          ? `Filled in ${picked.label}: ${picked.latitude}, ${picked.longitude}, ${formatTimeZoneName(picked.timezone, new Date())}.`
          : ''}
      </p>
    </div>
  );
}
