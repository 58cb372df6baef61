'use client';

import { PasswordChangeBodySchema } from '@marketprep/contracts';
import { useState, type FormEvent } from 'react';

import { Button } from '../../../components/button';
import { Field, FormError } from '../../../components/field';
import {
  apiFetch,
  describeWriteError,
  fieldErrors,
  useSession,
  formText,
} from '../../../lib/session';
import { TemperatureSetting } from './temperature-setting';

/** Account settings: who is signed in, the business and role, and a password change. */
export default function SettingsPage() {
  const state = useSession();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const parsed = PasswordChangeBodySchema.safeParse({
      currentPassword: formText(form, 'currentPassword'),
      newPassword: formText(form, 'newPassword'),
    });
    setDone(false);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      await apiFetch({ path: '/v1/auth/password', method: 'POST', json: parsed.data });
      formElement.reset();
      setDone(true);
    } catch (caught) {
      setFormError(describeWriteError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <title>Settings · MarketPrep</title>
      <div className="page-header">
        <h1>Settings</h1>
        <p className="page-header__lede">Your account, your business and its connections.</p>
      </div>
      <section className="section" aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        <dl className="facts">
          <div className="facts__row">
            <dt>Name</dt>
            <dd>{state.session?.user.name}</dd>
          </div>
          <div className="facts__row">
            <dt>Email</dt>
            <dd>{state.session?.user.email}</dd>
          </div>
          <div className="facts__row">
            <dt>Business</dt>
            <dd>{state.vendorName ?? 'none yet'}</dd>
          </div>
          <div className="facts__row">
            <dt>Your role</dt>
            <dd>{state.role === 'OWNER' ? 'Owner' : state.role === 'STAFF' ? 'Staff' : '—'}</dd>
          </div>
        </dl>
      </section>
      {state.session?.activeVendorId != null && (
        <section className="section" aria-labelledby="business-settings-title">
          <h2 id="business-settings-title">Weather</h2>
          <p className="muted">
            How the forecast’s temperatures show for your business, on the dashboard and in
            insights.
          </p>
          <TemperatureSetting isOwner={state.isOwner} />
        </section>
      )}
      <section className="section" aria-labelledby="password-title">
        <h2 id="password-title">Change password</h2>
        <p className="muted">Changing it signs out your other devices.</p>
        <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
        {done && (
          <p className="notice notice--success" role="status">
            Password changed.
          </p>
        )}
        <form className="form" noValidate onSubmit={(event) => void submit(event)}>
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            error={errors.currentPassword}
          />
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            hint="At least 10 characters."
            error={errors.newPassword}
          />
          <Button type="submit" busy={busy} busyLabel="Saving…">
            Change password
          </Button>
        </form>
      </section>
    </>
  );
}
