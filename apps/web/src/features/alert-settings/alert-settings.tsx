'use client';

import type { AlertCategory, AlertRoutes, OutlookChangeThreshold } from '@marketprep/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';

import { Button } from '../../components/button';
import { ErrorState } from '../../components/error-state';
import { FormError } from '../../components/field';
import { LoadingSkeleton } from '../../components/loading-skeleton';
import { describeWriteError } from '../../lib/session';
import {
  alertSettingsQueryKey,
  alertSettingsQueryOptions,
  currentPushSubscription,
  pushSupported,
  registerPushSubscription,
  saveAlertSettings,
  sendTestAlert,
  subscribeToPush,
  unsubscribeFromPush,
} from './alert-settings.api';
import './alert-settings.css';

const CATEGORIES: { key: AlertCategory; label: string; hint: string }[] = [
  {
    key: 'deadline_reminder',
    label: 'Deadline reminders',
    hint: 'Before each product’s bake or pick deadline.',
  },
  {
    key: 'outlook_change',
    label: 'Outlook changes',
    hint: 'When a planned quantity moves past your threshold.',
  },
  { key: 'all_clear', label: 'All clear', hint: 'When a feared change did not come true.' },
  { key: 'weather', label: 'Weather and events', hint: 'Heavy rain, a big event nearby.' },
  { key: 'sync', label: 'Sales sync problems', hint: 'Square stopped syncing.' },
  {
    key: 'account',
    label: 'Billing and data',
    hint: 'Always emailed to whom it concerns; push is optional.',
  },
];

type PushState =
  'checking' | 'unsupported' | 'not-configured' | 'denied' | 'subscribed' | 'not-subscribed';

/** This device's push status and the buttons to change it. */
function PushDevice({ publicKey }: { publicKey: string | null }) {
  const [state, setState] = useState<PushState>('checking');
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      if (!pushSupported()) return setState('unsupported');
      if (!publicKey) return setState('not-configured');
      if (Notification.permission === 'denied') return setState('denied');
      const subscription = await currentPushSubscription();
      if (cancelled) return;
      if (subscription && Notification.permission === 'granted') {
        // The browser may have rotated it: the API keeps one row per endpoint, so resending is safe.
        await registerPushSubscription(subscription).catch(() => undefined);
        setState('subscribed');
      } else {
        setState('not-subscribed');
      }
    })().catch(() => {
      // The service worker could not start (a private window, an old browser).
      if (!cancelled) setState('unsupported');
    });
    return () => {
      cancelled = true;
    };
  }, [publicKey]);

  const turnOn = useMutation({
    mutationFn: () => subscribeToPush(publicKey ?? ''),
    onSuccess: (result) => {
      setState(result === 'subscribed' ? 'subscribed' : 'denied');
      setMessage(result === 'subscribed' ? 'Push alerts are on for this device.' : null);
    },
  });
  const turnOff = useMutation({
    mutationFn: unsubscribeFromPush,
    onSuccess: () => {
      setState('not-subscribed');
      setMessage('Push alerts are off for this device.');
    },
  });
  const test = useMutation({
    mutationFn: sendTestAlert,
    onSuccess: () =>
      setMessage(
        'Test alert sent: it shows under Notifications now, and by email and push within a minute.',
      ),
  });
  const error = turnOn.error ?? turnOff.error ?? test.error;

  const status: Record<PushState, string> = {
    checking: 'Checking this device…',
    unsupported:
      'This browser cannot receive push alerts. On an iPhone, add MarketPrep to the home screen first.',
    'not-configured':
      'Push alerts are not set up on this server; email and in-app alerts still work.',
    denied:
      'Notifications are blocked for MarketPrep in this browser. Allow them in the site settings, then come back.',
    subscribed: 'This device gets push alerts.',
    'not-subscribed': 'This device does not get push alerts yet.',
  };

  return (
    <section className="section alert-device" aria-labelledby="alert-device-heading">
      <h2 id="alert-device-heading">This device</h2>
      <p data-testid="push-status">{status[state]}</p>
      {error && (
        <p role="alert" className="field__error">
          {describeWriteError(error).message}
        </p>
      )}
      {message && (
        <p className="notice notice--success" role="status">
          {message}
        </p>
      )}
      <div className="alert-device__actions">
        {state === 'not-subscribed' && (
          <Button onClick={() => turnOn.mutate()} busy={turnOn.isPending}>
            Turn on push alerts
          </Button>
        )}
        {state === 'subscribed' && (
          <Button variant="secondary" onClick={() => turnOff.mutate()} busy={turnOff.isPending}>
            Turn off on this device
          </Button>
        )}
        <Button variant="secondary" onClick={() => test.mutate()} busy={test.isPending}>
          Send me a test alert
        </Button>
      </div>
    </section>
  );
}

/**
 * Settings > Alerts: which alerts also go by email and push (owners choose; staff see), the
 * outlook-change threshold, and this device's push subscription (every member for themselves).
 */
export function AlertSettingsPanel({ isOwner }: { isOwner: boolean }) {
  const queryClient = useQueryClient();
  const query = useQuery(alertSettingsQueryOptions());
  const [routes, setRoutes] = useState<AlertRoutes | null>(null);
  const [threshold, setThreshold] = useState<OutlookChangeThreshold | null>(null);
  const [thresholdText, setThresholdText] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: saveAlertSettings,
    onSuccess: (settings) => {
      queryClient.setQueryData(alertSettingsQueryKey, settings);
      setRoutes(null);
      setThreshold(null);
      setThresholdText(null);
      setSaved(true);
    },
  });

  if (query.isPending) return <LoadingSkeleton label="Loading your alert settings…" lines={4} />;
  if (query.data === undefined) {
    return (
      <ErrorState
        title="We could not load your alert settings"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  const current = routes ?? query.data.routes;
  const currentThreshold = threshold ?? query.data.outlookChangeThreshold;
  const valueText = thresholdText ?? String(currentThreshold.value);
  const parsedValue = Number(valueText.replace(',', '.'));
  const valueError =
    valueText.trim() === '' || !Number.isFinite(parsedValue)
      ? 'Enter a number.'
      : currentThreshold.mode === 'percent' && (parsedValue < 1 || parsedValue > 1000)
        ? 'Between 1 and 1000 %.'
        : currentThreshold.mode === 'units' && (parsedValue < 0.5 || parsedValue > 100_000)
          ? 'At least 0.5 units.'
          : null;

  const toggle = (key: AlertCategory, channel: 'email' | 'push') => {
    setSaved(false);
    setRoutes({ ...current, [key]: { ...current[key], [channel]: !current[key][channel] } });
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    if (valueError) return;
    save.mutate({
      routes: current,
      outlookChangeThreshold: { mode: currentThreshold.mode, value: parsedValue },
    });
  };
  const error = save.isError ? describeWriteError(save.error) : null;

  return (
    <>
      <PushDevice publicKey={query.data.pushPublicKey} />
      <form className="form section" noValidate onSubmit={submit} aria-labelledby="alert-routes">
        <h2 id="alert-routes">Where alerts go</h2>
        <p className="field__hint">
          Every alert shows in the app under Notifications. Choose which also come by email (to
          everyone on the team it concerns) and as a push alert on the devices that turned it on.
          {isOwner ? '' : ' Only an owner can change this.'}
        </p>
        <FormError message={error?.message ?? null} items={error?.items ?? []} />
        {saved && (
          <p className="notice notice--success" role="status">
            Saved. New alerts follow these settings.
          </p>
        )}
        <div className="table-wrap">
          <table className="table alert-routes">
            <thead>
              <tr>
                <th scope="col">Alert</th>
                <th scope="col">In app</th>
                <th scope="col">Email</th>
                <th scope="col">Push</th>
              </tr>
            </thead>
            <tbody>
              {CATEGORIES.map(({ key, label, hint }) => (
                <tr key={key}>
                  <th scope="row">
                    <span className="alert-routes__label">{label}</span>
                    <span className="field__hint">{hint}</span>
                  </th>
                  <td>
                    <input type="checkbox" checked disabled aria-label={`${label} in the app`} />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      checked={key === 'account' ? true : current[key].email}
                      disabled={!isOwner || key === 'account'}
                      onChange={() => toggle(key, 'email')}
                      aria-label={`${label} by email`}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      checked={current[key].push}
                      disabled={!isOwner}
                      onChange={() => toggle(key, 'push')}
                      aria-label={`${label} by push`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <fieldset className="fieldset" disabled={!isOwner}>
          <legend>Outlook change threshold</legend>
          <p className="field__hint">
            Alert me when a planned quantity moves by more than this between the plan and a newer
            forecast.
          </p>
          <div className="alert-threshold">
            <label className="alert-threshold__value" htmlFor="outlook-threshold-value">
              <span className="visually-hidden">Threshold</span>
              <input
                id="outlook-threshold-value"
                className="field__input"
                inputMode="decimal"
                value={valueText}
                aria-invalid={valueError ? true : undefined}
                aria-describedby={valueError ? 'outlook-threshold-error' : undefined}
                onChange={(event) => {
                  setSaved(false);
                  setThresholdText(event.target.value);
                }}
              />
            </label>
            {(['percent', 'units'] as const).map((mode) => (
              <label
                key={mode}
                className="alert-threshold__mode"
                htmlFor={`outlook-threshold-${mode}`}
              >
                <input
                  id={`outlook-threshold-${mode}`}
                  type="radio"
                  name="outlookThresholdMode"
                  checked={currentThreshold.mode === mode}
                  onChange={() => {
                    setSaved(false);
                    setThreshold({ ...currentThreshold, mode });
                  }}
                />
                <span>{mode === 'percent' ? '% of the quantity' : 'units'}</span>
              </label>
            ))}
          </div>
          {valueError && (
            <p id="outlook-threshold-error" className="field__error">
              {valueError}
            </p>
          )}
        </fieldset>
        {isOwner && (
          <Button type="submit" busy={save.isPending}>
            Save alert settings
          </Button>
        )}
      </form>
    </>
  );
}
