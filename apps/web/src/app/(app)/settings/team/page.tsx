'use client';

import {
  InvitationCreateBodySchema,
  InvitationListSchema,
  InvitationSchema,
  MemberListSchema,
  type MemberRole,
} from '@marketprep/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { Button } from '../../../../components/button';
import { Dialog } from '../../../../components/dialog';
import { EmptyState } from '../../../../components/empty-state';
import { ErrorState } from '../../../../components/error-state';
import { Field, FormError, SelectField } from '../../../../components/field';
import { LoadingSkeleton } from '../../../../components/loading-skeleton';
import { RequireRole } from '../../../../components/require-role';
import { formatDateInTimeZone } from '../../../../lib/format';
import { fetchAllPages } from '../../../../lib/pages';
import {
  apiFetch,
  describeWriteError,
  fieldErrors,
  useSession,
  formText,
} from '../../../../lib/session';

const teamKey = ['team'] as const;
const ROLE_TEXT: Record<MemberRole, string> = { OWNER: 'Owner', STAFF: 'Staff' };
const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

function InviteForm() {
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const parsed = InvitationCreateBodySchema.safeParse({
      email: formText(form, 'email'),
      role: formText(form, 'role'),
    });
    setSent(null);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      const invitation = await apiFetch({
        path: '/v1/team/invitations',
        method: 'POST',
        json: parsed.data,
        schema: InvitationSchema,
      });
      formElement.reset();
      setSent(invitation.email);
      await queryClient.invalidateQueries({ queryKey: teamKey });
    } catch (caught) {
      setFormError(describeWriteError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="section" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <p className="muted">
        Staff see prep lists and do check-ins; owners also manage products, markets, the team, API
        tokens and Square.
      </p>
      <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
      {sent && (
        <p className="notice notice--success" role="status">
          Invitation sent to {sent}. The link works for 7 days.
        </p>
      )}
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <Field label="Email" name="email" type="email" autoComplete="off" error={errors.email} />
        <SelectField label="Role" name="role" defaultValue="STAFF" error={errors.role}>
          <option value="STAFF">Staff</option>
          <option value="OWNER">Owner</option>
        </SelectField>
        <Button type="submit" busy={busy} busyLabel="Sending…">
          Send invitation
        </Button>
      </form>
    </section>
  );
}

function Team() {
  const queryClient = useQueryClient();
  const { session } = useSession();
  const [removing, setRemoving] = useState<{ userId: string; name: string } | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const query = useQuery({
    queryKey: teamKey,
    queryFn: async ({ signal }) => {
      const [members, invitations] = await Promise.all([
        fetchAllPages({ path: '/v1/team/members', schema: MemberListSchema, signal }),
        fetchAllPages({ path: '/v1/team/invitations', schema: InvitationListSchema, signal }),
      ]);
      return { members, invitations };
    },
  });
  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    setRemoveError(null);
    try {
      await apiFetch({ path: `/v1/team/members/${removing.userId}`, method: 'DELETE' });
      setRemoving(null);
      await queryClient.invalidateQueries({ queryKey: teamKey });
    } catch (caught) {
      setRemoveError(describeWriteError(caught).message);
    } finally {
      setBusy(false);
    }
  };
  if (query.isPending) return <LoadingSkeleton label="Loading your team…" />;
  if (query.data === undefined) {
    return (
      <ErrorState
        title="We could not load your team"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  const open = query.data.invitations.filter((i) => i.acceptedAt === null);
  return (
    <>
      <section className="section" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {query.data.members.map((member) => (
                <tr key={member.userId}>
                  <td>
                    {member.name}
                    <br />
                    <span className="muted small">{member.email}</span>
                  </td>
                  <td>{ROLE_TEXT[member.role]}</td>
                  <td>
                    {member.userId !== session?.user.id && (
                      <Button
                        variant="link"
                        onClick={() => setRemoving({ userId: member.userId, name: member.name })}
                      >
                        Remove<span className="visually-hidden"> {member.name}</span>
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="section" aria-labelledby="invitations-title">
        <h2 id="invitations-title">Open invitations</h2>
        {open.length === 0 ? (
          <p className="muted">No open invitations.</p>
        ) : (
          <ul className="card-grid">
            {open.map((invitation) => (
              <li key={invitation.id} className="card">
                <p>
                  <strong>{invitation.email}</strong> as {ROLE_TEXT[invitation.role]}
                </p>
                <p className="card__meta">
                  Expires {formatDateInTimeZone(new Date(invitation.expiresAt), zone())}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      {query.data.members.length === 1 && open.length === 0 && (
        <EmptyState title="Just you so far">
          <p>Invite the people who pack and run your stall, so they can see the prep list.</p>
        </EmptyState>
      )}
      <Dialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={`Remove ${removing?.name ?? ''}?`}
        footer={
          <>
            <Button variant="secondary" onClick={() => setRemoving(null)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              onClick={() => void remove()}
              busy={busy}
              busyLabel="Removing…"
            >
              Remove
            </Button>
          </>
        }
      >
        <p>They lose access to this business at once. Their past check-ins stay.</p>
        {removeError && (
          <p role="alert" className="field__error">
            {removeError}
          </p>
        )}
      </Dialog>
    </>
  );
}

/** Team and roles: owners only (staff get the 403 screen). */
export default function TeamPage() {
  return (
    <RequireRole role="owner">
      <title>Team · MarketPrep</title>
      <div className="page-header">
        <h1>Team</h1>
        <p className="page-header__lede">Who can see and change this business.</p>
      </div>
      <Team />
      <InviteForm />
    </RequireRole>
  );
}
