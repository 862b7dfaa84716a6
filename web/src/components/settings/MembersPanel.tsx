import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/errors';
import { ROLES, type Role } from '../../api/types';
import { useAsync } from '../../hooks/useAsync';
import { useGuard } from '../../hooks/useGuard';
import { useApi } from '../../session/ApiContext';
import { useSession } from '../../session/SessionContext';
import { ActionsHeader } from '../ActionsHeader';
import { ConfirmButton } from '../ConfirmButton';
import { Unavailable } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { Loading } from '../Loading';

/** Members and roles: everyone sees the list; admins invite, change roles and remove. */
export function MembersPanel() {
  const api = useApi();
  const { can, me } = useSession();
  const admin = can('admin');
  const list = useAsync(() => api.members.list(), [api]);
  const pending = useAsync(
    () => (admin ? api.members.invitations() : Promise.resolve({ items: [] })),
    [api, admin],
  );
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('dev');
  const [invited, setInvited] = useState<{ email: string; link: string } | null>(null);
  const { error, guard } = useGuard(() => Promise.all([list.reload(), pending.reload()]));

  if (list.error instanceof ApiError && list.error.unavailable)
    return <Unavailable feature="Members" />;

  // Only an owner may grant owner.
  const grantable = ROLES.filter((r) => r !== 'owner' || can('owner'));

  const add = (e: FormEvent) => {
    e.preventDefault();
    void guard(async () => {
      const inv = await api.members.invite({ email: email.trim(), role });
      // The token is shown once: the admin passes the link on to the invitee.
      const link =
        inv.acceptUrl ??
        `${window.location.origin}${window.location.pathname}#/invitations/accept?token=${inv.token}`;
      setInvited({ email: inv.email, link });
      setEmail('');
    });
  };

  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      {admin && (
        <form className="toolbar" onSubmit={add} aria-label="Add a member">
          <div className="field field-inline">
            <label htmlFor="member-email">Email</label>
            <input
              id="member-email"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
              data-testid="member-email"
            />
          </div>
          <div className="field field-inline">
            <label htmlFor="member-role">Role</label>
            <select
              id="member-role"
              value={role}
              onChange={(e) => setRole(e.target.value as Role)}
              data-testid="member-role"
            >
              {grantable.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <button
            type="submit"
            className="btn btn-primary btn-sm"
            disabled={!email.trim()}
            data-testid="member-add"
          >
            Invite
          </button>
        </form>
      )}
      {invited && (
        <p className="notice" data-testid="invitation-link">
          Invitation for {invited.email} (shown once, valid 7 days): <code>{invited.link}</code>
        </p>
      )}
      {admin && pending.data && pending.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="invitations-table">
            <caption>Pending invitations</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Expires</th>
                <ActionsHeader />
              </tr>
            </thead>
            <tbody>
              {pending.data.items.map((i) => (
                <tr key={i.id}>
                  <td>{i.email}</td>
                  <td>{i.role}</td>
                  <td>{new Date(i.expiresAt).toLocaleString()}</td>
                  <td>
                    <ConfirmButton
                      className="btn btn-danger-ghost btn-sm"
                      confirmLabel="Revoke?"
                      aria-label={`Revoke the invitation of ${i.email}`}
                      onConfirm={() => guard(() => api.members.revokeInvitation(i.id))}
                    >
                      Revoke
                    </ConfirmButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorBanner error={error ?? list.error} />
      {!list.data && !list.error && <Loading label="Loading members" />}
      {list.data && (
        <div className="table-wrap">
          <table className="table" data-testid="members-table">
            <caption className="sr-only">Members</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                {admin && <ActionsHeader />}
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((m) => {
                const self = m.email === me?.user?.email;
                return (
                  <tr key={m.id}>
                    <td>
                      {m.email} {self && <span className="role-pill">you</span>}
                    </td>
                    <td>{m.name ?? <span className="muted">—</span>}</td>
                    <td>
                      {admin && !self && (m.role !== 'owner' || can('owner')) ? (
                        <>
                          <label className="sr-only" htmlFor={`role-${m.id}`}>
                            Role of {m.email}
                          </label>
                          <select
                            id={`role-${m.id}`}
                            value={m.role}
                            onChange={(e) =>
                              void guard(() => api.members.setRole(m.id, e.target.value as Role))
                            }
                          >
                            {grantable.map((r) => (
                              <option key={r} value={r}>
                                {r}
                              </option>
                            ))}
                          </select>
                        </>
                      ) : (
                        m.role
                      )}
                    </td>
                    {admin && (
                      <td>
                        {!self && (m.role !== 'owner' || can('owner')) && (
                          <ConfirmButton
                            className="btn btn-danger-ghost btn-sm"
                            confirmLabel="Remove?"
                            aria-label={`Remove ${m.email}`}
                            onConfirm={() => guard(() => api.members.remove(m.id))}
                          >
                            Remove
                          </ConfirmButton>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
