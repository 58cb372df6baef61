'use client';

import { SessionSchema } from '@marketprep/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';

import { Button, ButtonLink } from '../../../components/button';
import { ErrorState } from '../../../components/error-state';
import { FormError } from '../../../components/field';
import { LoadingSkeleton } from '../../../components/loading-skeleton';
import {
  apiFetch,
  describeWriteError,
  rememberSession,
  sessionQueryKey,
  useSession,
} from '../../../lib/session';

/**
 * The invitation link: signed in, accept it in one click; signed out, create an account with the
 * invited email (or sign in and come back here).
 */
export function AcceptInvite() {
  const token = useSearchParams().get('token') ?? '';
  const state = useSession();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  if (token.length < 20) {
    return (
      <div className="auth-card">
        <h1>Accept invitation</h1>
        <div className="notice notice--error" role="alert">
          <p>
            This page needs the link from your invitation email. Ask the business owner to send a
            new invitation.
          </p>
        </div>
      </div>
    );
  }
  if (state.status === 'loading') return <LoadingSkeleton />;
  if (state.status === 'error') {
    return (
      <ErrorState
        title="We could not check your sign-in"
        error={state.error}
        onRetry={state.refetch}
        headingLevel={1}
      />
    );
  }

  const back = encodeURIComponent(`/accept-invite?token=${token}`);
  if (state.status === 'signed-out') {
    return (
      <div className="auth-card">
        <h1>You are invited to MarketPrep</h1>
        <p>
          Create an account with the email address the invitation was sent to, or sign in if you
          already have one.
        </p>
        <div className="button-row">
          <ButtonLink href={`/signup?invite=${encodeURIComponent(token)}`}>
            Create an account
          </ButtonLink>
          <ButtonLink href={`/login?next=${back}`} variant="secondary">
            Sign in
          </ButtonLink>
        </div>
      </div>
    );
  }

  const accept = async () => {
    setBusy(true);
    setFormError(null);
    try {
      const session = await apiFetch({
        path: '/v1/team/invitations/accept',
        method: 'POST',
        json: { token },
        schema: SessionSchema,
      });
      rememberSession(session);
      queryClient.clear();
      queryClient.setQueryData(sessionQueryKey, session);
      router.replace('/dashboard');
    } catch (caught) {
      setFormError(describeWriteError(caught));
      setBusy(false);
    }
  };

  return (
    <div className="auth-card">
      <h1>Join the team</h1>
      <p>
        You are signed in as <strong>{state.session?.user.email}</strong>. Accepting adds the
        inviting business to your account.
      </p>
      <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
      <Button onClick={() => void accept()} busy={busy} busyLabel="Joining…">
        Accept invitation
      </Button>
    </div>
  );
}
