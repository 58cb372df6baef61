'use client';

import type { TemperatureUnitPreference } from '@marketprep/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { Button } from '../../../components/button';
import { ErrorState } from '../../../components/error-state';
import { FormError } from '../../../components/field';
import { LoadingSkeleton } from '../../../components/loading-skeleton';
import {
  updateTemperatureUnit,
  vendorSettingsQueryKey,
  vendorSettingsQueryOptions,
} from '../../../features/vendor-settings/vendor-settings.api';
import { describeWriteError } from '../../../lib/session';
import './temperature-setting.css';

const OPTIONS: { value: TemperatureUnitPreference; label: string; hint: string }[] = [
  {
    value: 'auto',
    label: 'Automatic, by market country',
    hint: '°F for markets in the US, °C for markets in most other countries.',
  },
  { value: 'fahrenheit', label: '°F (Fahrenheit)', hint: 'At every market.' },
  { value: 'celsius', label: '°C (Celsius)', hint: 'At every market.' },
];

const SAVED: Record<TemperatureUnitPreference, string> = {
  auto: 'Saved. Each market’s weather shows in the unit of its country.',
  fahrenheit: 'Saved. Weather shows in °F at every market.',
  celsius: 'Saved. Weather shows in °C at every market.',
};

/**
 * The business's temperature unit: owners choose it (automatic by each market's country, or one
 * unit everywhere); staff see what was chosen.
 */
export function TemperatureSetting({ isOwner }: { isOwner: boolean }) {
  const queryClient = useQueryClient();
  const query = useQuery(vendorSettingsQueryOptions());
  const [choice, setChoice] = useState<TemperatureUnitPreference | null>(null);
  const [saved, setSaved] = useState<TemperatureUnitPreference | null>(null);
  const save = useMutation({
    mutationFn: updateTemperatureUnit,
    onSuccess: (settings) => {
      queryClient.setQueryData(vendorSettingsQueryKey, settings);
      setChoice(null);
      setSaved(settings.temperatureUnit);
    },
  });

  if (query.isPending) return <LoadingSkeleton label="Loading your business settings…" lines={2} />;
  if (query.data === undefined) {
    return (
      <ErrorState
        title="We could not load your business settings"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
        headingLevel={3}
      />
    );
  }
  const current = query.data.temperatureUnit;
  const selected = choice ?? current;
  const currentLabel = OPTIONS.find((option) => option.value === current)?.label ?? current;

  if (!isOwner) {
    return (
      <dl className="facts">
        <div className="facts__row">
          <dt>Temperatures</dt>
          <dd>{currentLabel}</dd>
        </div>
      </dl>
    );
  }

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(null);
    save.mutate(selected);
  };
  const error = save.isError ? describeWriteError(save.error) : null;
  return (
    <form className="form" noValidate onSubmit={submit}>
      <FormError message={error?.message ?? null} items={error?.items ?? []} />
      {saved !== null && choice === null && (
        <p className="notice notice--success" role="status">
          {SAVED[saved]}
        </p>
      )}
      <fieldset className="fieldset">
        <legend>Temperatures</legend>
        {OPTIONS.map((option) => {
          const id = `temperature-unit-${option.value}`;
          return (
            <label key={option.value} className="unit-choice" htmlFor={id}>
              <input
                id={id}
                type="radio"
                name="temperatureUnit"
                value={option.value}
                checked={selected === option.value}
                onChange={() => {
                  setSaved(null);
                  setChoice(option.value);
                }}
                aria-describedby={`${id}-hint`}
              />
              <span className="unit-choice__text">
                <span>{option.label}</span>
                <span id={`${id}-hint`} className="field__hint">
                  {option.hint}
                </span>
              </span>
            </label>
          );
        })}
      </fieldset>
      <Button
        type="submit"
        busy={save.isPending}
        busyLabel="Saving…"
        disabled={selected === current}
      >
        Save temperature unit
      </Button>
    </form>
  );
}
