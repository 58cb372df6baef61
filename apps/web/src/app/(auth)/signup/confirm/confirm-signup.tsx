'use client';

import { SessionSchema, SignupConfirmBodySchema } from '@marketprep/contracts';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';

import { Button, ButtonLink } from '../../../../components/button';
import { FormError } from '../../../../components/field';
import {
  apiFetch,
  describeWriteError,
  rememberSession,
  sessionQueryKey,
} from '../../../../lib/session';
import { PENDING_INVITE_KEY } from '../pending-invite';

/**
 * The emailed sign-up link (`?token=`): one button creates the account and signs in. A button, not
 * on page load, so a mail scanner that opens links creates nothing. Then onboarding, or the
 * invitation the sign-up started from (kept in this tab by the sign-up form).
 */
export function ConfirmSignup() {
  const token = useSearchParams().get('token') ?? '';
  const router = useRouter();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const parsed = SignupConfirmBodySchema.safeParse({ token });
  if (!parsed.success) {
    return (
      <div className="auth-card">
        <h1>Confirm your account</h1>
        <div className="notice notice--error" role="alert">
          <p>This page needs the link from your sign-up email. Sign up again for a new link.</p>
        </div>
        <ButtonLink href="/signup">Sign up</ButtonLink>
      </div>
    );
  }

  const confirm = async () => {
    setFormError(null);
    setBusy(true);
    try {
      const session = await apiFetch({
        path: '/v1/auth/signup/confirm',
        method: 'POST',
        json: parsed.data,
        schema: SessionSchema,
      });
      rememberSession(session);
      const invite = window.sessionStorage.getItem(PENDING_INVITE_KEY);
      window.sessionStorage.removeItem(PENDING_INVITE_KEY);
      if (invite) {
        // Joining the inviting business is what this sign-up was for: done in the same click,
        // and if the invitation cannot be accepted its own page says why.
        const joined = await apiFetch({
          path: '/v1/team/invitations/accept',
          method: 'POST',
          json: { token: invite },
          schema: SessionSchema,
        }).catch(() => null);
        if (joined) rememberSession(joined);
        queryClient.clear();
        queryClient.setQueryData(sessionQueryKey, joined ?? session);
        router.replace(
          joined ? '/dashboard' : `/accept-invite?token=${encodeURIComponent(invite)}`,
        );
        return;
      }
      queryClient.clear();
      queryClient.setQueryData(sessionQueryKey, session);
      router.replace(session.activeVendorId ? '/onboarding' : '/dashboard');
    } catch (caught) {
      setFormError(describeWriteError(caught));
      setBusy(false);
    }
  };

  return (
    <div className="auth-card">
      <h1>Confirm your account</h1>
      <p className="muted">This link confirms your email address. One step left.</p>
      <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
      <Button
        type="button"
        busy={busy}
        busyLabel="Creating your account…"
        onClick={() => void confirm()}
      >
        Create my account
      </Button>
      <p className="auth-card__links">
        <Link href="/login">Already confirmed? Sign in</Link>
      </p>
    </div>
  );
}
