'use client';

import { SignupAcceptedSchema, SignupBodySchema } from '@marketprep/contracts';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';

import { Button } from '../../../components/button';
import { Field, FormError } from '../../../components/field';
import { apiFetch, describeWriteError, fieldErrors, formText } from '../../../lib/session';
import { PENDING_INVITE_KEY } from './pending-invite';

/**
 * A new account, finished through the emailed link (/signup/confirm). Without an invitation it
 * creates the business too and continues to onboarding; with `?invite=<token>` the invitation is
 * kept in this tab and offered again once the link is confirmed. The answer is the same for an
 * address that already has an account (that address gets a "sign in instead" email), so the page
 * never tells who is registered.
 */
export function SignupForm() {
  const params = useSearchParams();
  const invite = params.get('invite');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<{ email: string; devOutbox?: string } | null>(null);

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
      const accepted = await apiFetch({
        path: '/v1/auth/signup',
        method: 'POST',
        json: parsed.data,
        schema: SignupAcceptedSchema,
      });
      if (invite) window.sessionStorage.setItem(PENDING_INVITE_KEY, invite);
      setSent({ email: parsed.data.email, devOutbox: accepted.devOutbox });
    } catch (caught) {
      setFormError(describeWriteError(caught));
    } finally {
      setBusy(false);
    }
  };

  if (sent) {
    return (
      <div className="auth-card">
        <h1>Check your email</h1>
        <div className="notice notice--success" role="status">
          <p>
            We have emailed <strong>{sent.email}</strong> a link to finish creating your account. It
            works once, for 24 hours, and signs you in.
          </p>
        </div>
        {sent.devOutbox && (
          <p className="muted">
            Demo: this copy of MarketPrep sends no email. The link is in the{' '}
            <a href={`${sent.devOutbox}?to=${encodeURIComponent(sent.email)}`}>
              development outbox
            </a>{' '}
            (readable on this computer only).
          </p>
        )}
        <p className="muted">
          No email after a few minutes? Look in your spam folder, or sign up again for a new link.
          If you already have an account, the email tells you how to sign in instead.
        </p>
        <p className="auth-card__links">
          <Link href="/login">Back to sign in</Link>
        </p>
      </div>
    );
  }

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
        <Button type="submit" busy={busy} busyLabel="Sending your link…">
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
