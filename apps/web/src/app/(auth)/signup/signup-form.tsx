'use client';

import { SessionSchema, SignupBodySchema } from '@marketprep/contracts';
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

/**
 * A new account. Without an invitation it creates the business too and continues to onboarding;
 * with `?invite=<token>` it joins the inviting business instead.
 */
export function SignupForm() {
  const router = useRouter();
  const params = useSearchParams();
  const invite = params.get('invite');
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = SignupBodySchema.safeParse({
      name: formText(form, 'name'),
      email: formText(form, 'email'),
      password: formText(form, 'password'),
      ...(invite ? {} : { vendorName: formText(form, 'vendorName') }),
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
      let session = await apiFetch({
        path: '/v1/auth/signup',
        method: 'POST',
        json: parsed.data,
        schema: SessionSchema,
      });
      rememberSession(session);
      if (invite) {
        session = await apiFetch({
          path: '/v1/team/invitations/accept',
          method: 'POST',
          json: { token: invite },
          schema: SessionSchema,
        });
        rememberSession(session);
      }
      queryClient.clear();
      queryClient.setQueryData(sessionQueryKey, session);
      router.replace(invite ? '/dashboard' : '/onboarding');
    } catch (caught) {
      setFormError(describeWriteError(caught));
      setBusy(false);
    }
  };

  return (
    <div className="auth-card">
      <h1>{invite ? 'Join your team' : 'Create your account'}</h1>
      <p className="muted">
        {invite
          ? 'Create an account with the email address the invitation was sent to.'
          : 'Free to start. In a few minutes you will have a prep list for your next market.'}
      </p>
      <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <Field label="Your name" name="name" autoComplete="name" required error={errors.name} />
        {!invite && (
          <Field
            label="Business name"
            name="vendorName"
            autoComplete="organization"
            hint="As your customers know it, e.g. “Hillside Bakery”."
            required
            error={errors.vendorName}
          />
        )}
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
          autoComplete="new-password"
          hint="At least 10 characters."
          required
          error={errors.password}
        />
        <Button type="submit" busy={busy} busyLabel="Creating your account…">
          {invite ? 'Create account and join' : 'Create account'}
        </Button>
      </form>
      <p className="auth-card__links">
        <span>
          Already have an account?{' '}
          <Link
            href={
              invite
                ? `/login?next=${encodeURIComponent(`/accept-invite?token=${invite}`)}`
                : '/login'
            }
          >
            Sign in
          </Link>
        </span>
      </p>
    </div>
  );
}
