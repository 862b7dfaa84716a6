import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/errors';
import type { ApiKeyCreated, Role } from '../../api/types';
import { formatDateTime } from '../../format';
import { useAsync } from '../../hooks/useAsync';
import { useGuard } from '../../hooks/useGuard';
import { useApi } from '../../session/ApiContext';
import { useSession } from '../../session/SessionContext';
import { ActionsHeader } from '../ActionsHeader';
import { ConfirmButton } from '../ConfirmButton';
import { CopyButton } from '../CopyButton';
import { Dialog } from '../Dialog';
import { EmptyState, Unavailable } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { Loading } from '../Loading';

/** Machine credentials: create (the secret is shown once, in a dialog), list, revoke. Admins only. */
export function ApiKeysPanel() {
  const { can } = useSession();
  if (!can('admin')) {
    return (
      <section aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        <EmptyState title="Only admins manage API keys" />
      </section>
    );
  }
  return <ApiKeysAdmin />;
}

function ApiKeysAdmin() {
  const api = useApi();
  const list = useAsync(() => api.apiKeys.list(), [api]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Exclude<Role, 'owner'>>('dev');
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const { error, guard } = useGuard(list.reload);

  if (list.error instanceof ApiError && list.error.unavailable)
    return <Unavailable feature="API keys" />;

  const create = (e: FormEvent) => {
    e.preventDefault();
    void guard(async () => {
      setCreated(await api.apiKeys.create({ name: name.trim(), role }));
      setName('');
    });
  };

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <form className="toolbar" onSubmit={create} aria-label="Create an API key">
        <div className="field field-inline">
          <label htmlFor="key-name">Name</label>
          <input
            id="key-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
            placeholder="ci-pipeline"
            data-testid="api-key-name"
          />
        </div>
        <div className="field field-inline">
          <label htmlFor="key-role">Role</label>
          <select
            id="key-role"
            value={role}
            onChange={(e) => setRole(e.target.value as Exclude<Role, 'owner'>)}
          >
            <option value="admin">admin</option>
            <option value="dev">dev</option>
            <option value="viewer">viewer</option>
          </select>
        </div>
        <button
          type="submit"
          className="btn btn-primary btn-sm"
          disabled={!name.trim()}
          data-testid="api-key-create"
        >
          Create key
        </button>
      </form>
      <ErrorBanner error={error ?? list.error} />
      {!list.data && !list.error && <Loading label="Loading API keys" />}
      {list.data && list.data.items.length === 0 && <EmptyState title="No API keys" />}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="api-keys-table">
            <caption className="sr-only">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Role</th>
                <th scope="col">Belongs to</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <ActionsHeader />
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td className="mono">{k.prefix}…</td>
                  <td>{k.role}</td>
                  <td>{k.createdBy ? (k.createdBy.email ?? 'a former member') : '—'}</td>
                  <td>{formatDateTime(k.createdAt)}</td>
                  <td>{formatDateTime(k.lastUsedAt)}</td>
                  <td>
                    {k.revokedAt ? (
                      <span className="badge tone-muted">revoked</span>
                    ) : k.expiresAt && Date.parse(k.expiresAt) < Date.now() ? (
                      <span className="badge tone-warn">expired</span>
                    ) : (
                      <span className="badge tone-success">active</span>
                    )}
                  </td>
                  <td>
                    {!k.revokedAt && (
                      <ConfirmButton
                        className="btn btn-danger-ghost btn-sm"
                        confirmLabel="Revoke?"
                        aria-label={`Revoke ${k.name}`}
                        onConfirm={() => guard(() => api.apiKeys.revoke(k.id))}
                      >
                        Revoke
                      </ConfirmButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {created && (
        <Dialog
          title="Copy your new API key"
          onClose={() => setCreated(null)}
          footer={
            <button type="button" className="btn btn-primary" onClick={() => setCreated(null)}>
              I have copied it
            </button>
          }
        >
          <p>
            This is the only time the secret of <strong>{created.name}</strong> is shown. Store it
            somewhere safe.
          </p>
          <div className="secret-box">
            <code data-testid="api-key-secret">{created.secret}</code>
            <CopyButton text={created.secret} />
          </div>
          <p className="hint">
            Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
          </p>
        </Dialog>
      )}
    </section>
  );
}
