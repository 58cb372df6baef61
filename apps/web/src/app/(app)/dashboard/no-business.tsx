'use client';

import { VendorCreateBodySchema } from '@marketprep/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { AppLink } from '../../../components/app-link';
import { Button } from '../../../components/button';
import { Field, FormError } from '../../../components/field';
import { sessionShape } from '../../../lib/api-shapes';
import {
  apiFetch,
  describeWriteError,
  fieldErrors,
  formText,
  rememberSession,
  sessionQueryKey,
} from '../../../lib/session';

/** A signed-in person without a business: create one (or, for operators, go to admin). */
export function NoBusiness({ isPlatformAdmin }: { isPlatformAdmin: boolean }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = VendorCreateBodySchema.safeParse({
      name: formText(new FormData(event.currentTarget), 'name'),
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
    if (!parsed.success) {
      setError(fieldErrors(parsed.error).name ?? 'Check the name');
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      const session = await apiFetch({
        path: '/v1/vendors',
        method: 'POST',
        json: parsed.data,
        schema: sessionShape,
      });
      rememberSession(session);
      queryClient.setQueryData(sessionQueryKey, session);
    } catch (caught) {
      setFormError(describeWriteError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="section" aria-labelledby="no-business-title">
      <h2 id="no-business-title">You are not part of a business yet</h2>
      {isPlatformAdmin && (
        <p>
          As an operator you can open the <AppLink href="/admin">admin health dashboard</AppLink>.
        </p>
      )}
      <p>Accept an invitation from the email you received, or create your own business.</p>
      <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <Field label="Business name" name="name" error={error} required />
        <Button type="submit" busy={busy} busyLabel="Creating…">
          Create business
        </Button>
      </form>
    </section>
  );
}
