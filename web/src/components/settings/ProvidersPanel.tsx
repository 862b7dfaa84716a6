import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/errors';
import { PROVIDER_IDS, type ProviderStatus } from '../../api/types';
import { useAsync } from '../../hooks/useAsync';
import { useApi } from '../../session/ApiContext';
import { useSession } from '../../session/SessionContext';
import { ConfirmButton } from '../ConfirmButton';
import { Unavailable } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { Loading } from '../Loading';

const LABEL: Record<string, string> = { openai: 'OpenAI', anthropic: 'Anthropic', gemini: 'Google Gemini', compatible: 'OpenAI-compatible', simulator: 'Local simulator' };

/** Provider keys: set, replace, remove. A key is never shown back, only its last four characters. */
export function ProvidersPanel() {
  const api = useApi();
  const { can } = useSession();
  const list = useAsync(() => api.providers.list(), [api]);
  const [editing, setEditing] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);

  if (list.error instanceof ApiError && list.error.unavailable) return <Unavailable feature="Provider keys" />;
  if (!list.data) return list.error ? <ErrorBanner error={list.error} /> : <Loading label="Loading providers" />;

  const byId = new Map(list.data.map((p) => [p.provider, p]));
  const rows: ProviderStatus[] = [...PROVIDER_IDS.filter((id) => id !== 'simulator').map((id) => byId.get(id) ?? { provider: id, configured: false }), ...list.data.filter((p) => !(PROVIDER_IDS as readonly string[]).includes(p.provider) || p.provider === 'simulator')];

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing || !key.trim()) return;
    setError(null);
    try {
      await api.providers.setKey(editing, key.trim());
      setKey('');
      setEditing(null);
      await list.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="providers-title">
      <h2 id="providers-title">Provider keys</h2>
      <p className="hint">Keys are stored in the secret store and never shown again. Without a key, a provider's calls go to the offline simulator.</p>
      <ErrorBanner error={error} />
      <ul className="provider-list" data-testid="providers-list">
        {rows.map((p) => {
          const configured = p.configured ?? !!p.last4;
          return (
            <li key={p.provider} className="card provider-row" data-testid={`provider-${p.provider}`}>
              <div className="provider-main">
                <strong>{LABEL[p.provider] ?? p.provider}</strong> <span className="mono muted">{p.provider}</span>
                <div className="muted small">
                  {p.provider === 'simulator' ? 'Offline, deterministic, no key needed.' : configured ? <>Key set {p.last4 ? <span className="mono">…{p.last4}</span> : null}{p.source ? ` (from ${p.source})` : ''}</> : 'No key: calls use the simulator.'}
                  {p.baseUrl ? <> · base URL <span className="mono">{p.baseUrl}</span></> : null}
                </div>
              </div>
              {can('admin') && p.provider !== 'simulator' && (
                <div className="row">
                  {editing === p.provider ? (
                    <form className="row" onSubmit={save}>
                      <label className="sr-only" htmlFor={`key-${p.provider}`}>
                        {LABEL[p.provider] ?? p.provider} API key
                      </label>
                      <input id={`key-${p.provider}`} type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} placeholder="paste the key" autoFocus />
                      <button type="submit" className="btn btn-primary btn-sm" disabled={!key.trim()}>
                        Save key
                      </button>
                      <button type="button" className="btn btn-ghost btn-sm" onClick={() => { setEditing(null); setKey(''); }}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <button type="button" className="btn btn-secondary btn-sm" onClick={() => { setEditing(p.provider); setKey(''); }}>
                      {configured ? 'Replace key' : 'Set key'}
                    </button>
                  )}
                  {configured && editing !== p.provider && (
                    <ConfirmButton className="btn btn-danger-ghost btn-sm" confirmLabel="Remove key?" onConfirm={async () => { try { await api.providers.removeKey(p.provider); await list.reload(); } catch (err) { setError(err); } }}>
                      Remove
                    </ConfirmButton>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
