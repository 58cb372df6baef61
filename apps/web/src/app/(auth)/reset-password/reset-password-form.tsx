'use client';

import { PasswordResetBodySchema } from '@marketprep/contracts';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';

import { Button, ButtonLink } from '../../../components/button';
import { Field, FormError } from '../../../components/field';
import { apiFetch, describeWriteError, fieldErrors, formText } from '../../../lib/session';

/** Sets a new password from the emailed link (`?token=`). */
export function ResetPasswordForm() {
  const token = useSearchParams().get('token') ?? '';
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  if (!token) {
    return (
      <div className="auth-card">
        <h1>Set a new password</h1>
        <div className="notice notice--error" role="alert">
          <p>This page needs the link from the reset email. Ask for a new link below.</p>
        </div>
        <ButtonLink href="/forgot-password">Email me a new link</ButtonLink>
      </div>
    );
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = formText(form, 'newPassword');
    const parsed = PasswordResetBodySchema.safeParse({ token, newPassword });
    const next = parsed.success ? {} : fieldErrors(parsed.error);
    if (newPassword !== formText(form, 'confirm')) {
      next.confirm = 'The two passwords differ';
    }
    if (!parsed.success || next.confirm) {
      setErrors(next);
      if (next.token) setFormError({ message: 'This reset link is not valid.', items: [] });
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      await apiFetch({ path: '/v1/auth/password-reset', method: 'POST', json: parsed.data });
      setDone(true);
    } catch (caught) {
      setFormError(describeWriteError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="auth-card">
      <h1>Set a new password</h1>
      {done ? (
        <>
          <div className="notice notice--success" role="status">
            <p>Your password is changed and every other device is signed out.</p>
          </div>
          <ButtonLink href="/login">Sign in</ButtonLink>
        </>
      ) : (
        <>
          <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
          <form className="form" noValidate onSubmit={(event) => void submit(event)}>
            <Field
              label="New password"
              name="newPassword"
              type="password"
              autoComplete="new-password"
              hint="At least 10 characters."
              required
              error={errors.newPassword}
            />
            <Field
              label="Repeat the new password"
              name="confirm"
              type="password"
              autoComplete="new-password"
              required
              error={errors.confirm}
            />
            <Button type="submit" busy={busy} busyLabel="Saving…">
              Set password
            </Button>
          </form>
          <p className="auth-card__links">
            <Link href="/forgot-password">Link expired? Get a new one</Link>
          </p>
        </>
      )}
    </div>
  );
}
