'use client';

import {
  PasswordResetRequestBodySchema,
  PasswordResetRequestedSchema,
} from '@marketprep/contracts';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';

import { Button } from '../../../components/button';
import { Field, FormError } from '../../../components/field';
import { apiFetch, describeWriteError, fieldErrors, formText } from '../../../lib/session';

/** Asks for a reset link; answers the same whether or not the email has an account. */
export default function ForgotPasswordPage() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [devOutbox, setDevOutbox] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = PasswordResetRequestBodySchema.safeParse({
      email: formText(form, 'email'),
    });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      const answer = await apiFetch({
        path: '/v1/auth/password-reset/request',
        method: 'POST',
        json: parsed.data,
        schema: PasswordResetRequestedSchema,
      });
      setDevOutbox(answer.devOutbox);
      setSentTo(parsed.data.email);
    } catch (caught) {
      setFormError(describeWriteError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="auth-card">
      <title>Reset your password · MarketPrep</title>
      <h1>Reset your password</h1>
      {sentTo ? (
        <div className="notice notice--success" role="status">
          <p>
            If <strong>{sentTo}</strong> has an account, we have emailed it a link to set a new
            password. The link works once, for one hour.
          </p>
          {devOutbox && (
            <p>
              Demo: this copy of MarketPrep sends no email. The link is in the{' '}
              <a href={`${devOutbox}?to=${encodeURIComponent(sentTo)}`}>development outbox</a>{' '}
              (readable on this computer only).
            </p>
          )}
        </div>
      ) : (
        <>
          <p className="muted">We will email you a link to set a new password.</p>
          <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
          <form className="form" noValidate onSubmit={(event) => void submit(event)}>
            <Field
              label="Email"
              name="email"
              type="email"
              autoComplete="email"
              required
              error={errors.email}
            />
            <Button type="submit" busy={busy} busyLabel="Sending…">
              Email me a link
            </Button>
          </form>
        </>
      )}
      <p className="auth-card__links">
        <Link href="/login">Back to sign in</Link>
      </p>
    </div>
  );
}
