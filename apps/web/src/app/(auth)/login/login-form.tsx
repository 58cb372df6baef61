'use client';

import { LoginBodySchema, SessionSchema } from '@marketprep/contracts';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';

import { Button } from '../../../components/button';
import { Field, FormError } from '../../../components/field';
import {
  apiFetch,
  describeWriteError,
  fieldErrors,
  rememberSession,
  sessionQueryKey,
  formText,
} from '../../../lib/session';
import { pathAfterSignIn } from '../auth-helpers';

/** Email and password; on success the session goes into the cache and the app opens. */
export function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = LoginBodySchema.safeParse({
      email: formText(form, 'email'),
      password: formText(form, 'password'),
    });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      setFormError({ message: 'Check the highlighted fields.', items: [] });
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      const session = await apiFetch({
        path: '/v1/auth/login',
        method: 'POST',
        json: parsed.data,
        schema: SessionSchema,
      });
      rememberSession(session);
      queryClient.clear();
      queryClient.setQueryData(sessionQueryKey, session);
      router.replace(pathAfterSignIn(params.get('next'), session, window.location.origin));
    } catch (caught) {
      setFormError(describeWriteError(caught));
      setBusy(false);
    }
  };

  return (
    <div className="auth-card">
      <h1>Sign in</h1>
      <p className="muted">Your prep lists, markets and sales, on any device.</p>
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
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={errors.password}
        />
        <Button type="submit" busy={busy} busyLabel="Signing in…">
          Sign in
        </Button>
      </form>
      <div className="auth-card__links">
        <Link href="/forgot-password">Forgot your password?</Link>
        <p>
          New to MarketPrep? <Link href="/signup">Create an account</Link>
        </p>
      </div>
    </div>
  );
}
