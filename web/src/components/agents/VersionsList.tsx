import type { AgentVersion } from '../../api/types';
import { formatDateTime } from '../../format';

export function VersionsList({
  versions,
  current,
  published,
  onPublish,
}: {
  versions: readonly AgentVersion[];
  current: number;
  /** The version runs use (ADR 120); older ones can be restored, newer ones published. */
  published?: number;
  onPublish?: (version: number) => void;
}) {
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  return (
    <section className="card" aria-labelledby="versions-title">
      <div className="card-header">
        <h2 id="versions-title">Versions</h2>
      </div>
      {sorted.length === 0 ? (
        <p className="muted">No versions.</p>
      ) : (
        <ol className="versions" data-testid="agent-versions">
          {sorted.map((v) => (
            <li key={v.version}>
              <details>
                <summary>
                  <strong>v{v.version}</strong>
                  {v.version === current && <span className="role-pill">current</span>}{' '}
                  {v.version === published && <span className="role-pill">published</span>}{' '}
                  <span className="muted">{formatDateTime(v.createdAt)}</span>{' '}
                  <span className="mono muted">{v.spec.model}</span>
                </summary>
                <dl className="facts facts-compact">
                  <div>
                    <dt>Name</dt>
                    <dd>{v.spec.name}</dd>
                  </div>
                  <div>
                    <dt>Fallbacks</dt>
                    <dd>{v.spec.fallbacks?.join(', ') || '—'}</dd>
                  </div>
                  <div>
                    <dt>Temperature</dt>
                    <dd>{v.spec.parameters?.temperature ?? '—'}</dd>
                  </div>
                  <div>
                    <dt>Max tokens</dt>
                    <dd>{v.spec.parameters?.maxTokens ?? '—'}</dd>
                  </div>
                </dl>
                <pre className="code-block">{v.spec.systemPrompt || '(no system prompt)'}</pre>
                {onPublish && published !== undefined && v.version !== published && (
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm"
                    onClick={() => onPublish(v.version)}
                  >
                    {v.version < published ? 'Restore' : 'Publish'} v{v.version}
                  </button>
                )}
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
