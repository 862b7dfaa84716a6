import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/errors';
import { PROVIDER_IDS, type ProviderId, type ProviderStatus } from '../../api/types';
import { formatDateTime } from '../../format';
import { useAsync } from '../../hooks/useAsync';
import { useApi } from '../../session/ApiContext';
import { useSession } from '../../session/SessionContext';
import { ConfirmButton } from '../ConfirmButton';
import { Unavailable } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { Field } from '../Field';
import { Loading } from '../Loading';

const LABEL: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  gemini: 'Google Gemini',
  compatible: 'OpenAI-compatible',
  cohere: 'Cohere (rerank)',
  voyage: 'Voyage AI (rerank)',
  jina: 'Jina AI (rerank)',
};
/** Keys for rerank APIs only: no simulator stands in for them. */
const RERANK_ONLY: readonly string[] = ['cohere', 'voyage', 'jina'];
const CIRCUIT: Record<ProviderStatus['circuit'], string> = {
  closed: 'healthy',
  open: 'circuit open: calls skip it',
  half_open: 'recovering',
};

function describe(p: ProviderStatus) {
  const last4 = p.last4?.replace(/^…/, '');
  if (p.configured === 'tenant') {
    return (
      <>
        Your key {last4 && <span className="mono">…{last4}</span>}
        {p.setAt ? ` · set ${formatDateTime(p.setAt)}` : ''}
      </>
    );
  }
  if (p.configured === 'env') return <>The platform's key (from the environment)</>;
  return <>{p.note ?? 'No key: the offline simulator answers its calls'}</>;
}

/** Provider keys (`PUT/DELETE /v1/providers/{provider}/key`): set, replace, remove; a key is never shown back. */
export function ProvidersPanel() {
  const api = useApi();
  const { can } = useSession();
  const list = useAsync(() => api.providers.list(), [api]);
  const [editing, setEditing] = useState<ProviderId | null>(null);
  const [key, setKey] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [issues, setIssues] = useState<Record<string, string[]>>({});

  if (list.error instanceof ApiError && list.error.unavailable)
    return <Unavailable feature="Provider keys" />;
  if (!list.data)
    return list.error ? <ErrorBanner error={list.error} /> : <Loading label="Loading providers" />;

  const byId = new Map(list.data.map((p) => [p.provider, p]));
  const rows: ProviderStatus[] = PROVIDER_IDS.map(
    (id) =>
      byId.get(id) ?? {
        provider: id,
        kind: RERANK_ONLY.includes(id) ? 'rerank' : 'models',
        configured: 'none',
        simulated: !RERANK_ONLY.includes(id),
        circuit: 'closed',
      },
  );

  const close = () => {
    setEditing(null);
    setKey('');
    setBaseUrl('');
    setIssues({});
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing || !key.trim()) return;
    setError(null);
    setIssues({});
    try {
      await api.providers.setKey(editing, {
        apiKey: key.trim(),
        ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
      });
      close();
      await list.reload();
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0) {
        const byField: Record<string, string[]> = {};
        for (const d of err.details) (byField[d.path] ??= []).push(d.message);
        setIssues(byField);
      } else setError(err);
    }
  };

  return (
    <section aria-labelledby="providers-title">
      <h2 id="providers-title">Provider keys</h2>
      <p className="hint">
        Keys go to the secret store and are never shown again, only their last four characters.
        Without a key, a provider's calls go to the offline simulator.
      </p>
      <ErrorBanner error={error} />
      <ul className="provider-list" data-testid="providers-list">
        {rows.map((p) => {
          const label = LABEL[p.provider] ?? p.provider;
          return (
            <li
              key={p.provider}
              className="card provider-row"
              data-testid={`provider-${p.provider}`}
              data-configured={p.configured}
            >
              <div className="provider-main">
                <strong>{label}</strong> <span className="mono muted">{p.provider}</span>
                {p.circuit !== 'closed' && (
                  <span className="badge tone-warn provider-status">{CIRCUIT[p.circuit]}</span>
                )}
                <div className="muted small">
                  {describe(p)}
                  {p.baseUrl ? (
                    <>
                      {' '}
                      · base URL <span className="mono">{p.baseUrl}</span>
                    </>
                  ) : null}
                  {p.note && p.configured !== 'none' ? <> · {p.note}</> : null}
                </div>
              </div>
              {can('admin') && (
                <div className="row">
                  {editing === p.provider ? (
                    <form className="row provider-form" onSubmit={save}>
                      <Field label={`${label} API key`} errors={issues.apiKey}>
                        <input
                          type="password"
                          autoComplete="off"
                          value={key}
                          onChange={(e) => setKey(e.target.value)}
                          placeholder="paste the key"
                          // biome-ignore lint/a11y/noAutofocus: the field the user's "Set key" click just revealed
                          autoFocus
                          data-testid="provider-key"
                        />
                      </Field>
                      {p.provider === 'compatible' && (
                        <Field
                          label="Base URL"
                          hint="https, or http to localhost"
                          errors={issues.baseUrl}
                        >
                          <input
                            type="url"
                            value={baseUrl}
                            onChange={(e) => setBaseUrl(e.target.value)}
                            placeholder="https://llm.example.com/v1"
                            data-testid="provider-base-url"
                          />
                        </Field>
                      )}
                      <button
                        type="submit"
                        className="btn btn-primary btn-sm"
                        disabled={!key.trim()}
                        data-testid="provider-key-save"
                      >
                        Save key
                      </button>
                      <button type="button" className="btn btn-ghost btn-sm" onClick={close}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-secondary btn-sm"
                      onClick={() => {
                        close();
                        setEditing(p.provider);
                      }}
                      data-testid={`provider-set-${p.provider}`}
                    >
                      {p.configured === 'tenant' ? 'Replace key' : 'Set key'}
                    </button>
                  )}
                  {p.configured === 'tenant' && editing !== p.provider && (
                    <ConfirmButton
                      className="btn btn-danger-ghost btn-sm"
                      confirmLabel="Remove key?"
                      data-testid={`provider-remove-${p.provider}`}
                      onConfirm={async () => {
                        try {
                          await api.providers.removeKey(p.provider);
                          await list.reload();
                        } catch (err) {
                          setError(err);
                        }
                      }}
                    >
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
