import { useState } from 'react';
import type { Workflow, WorkflowVersion } from '../../api/types';
import { diffSpecs } from '../../dag/specDiff';
import { formatDateTime } from '../../format';
import { ErrorBanner } from '../ErrorBanner';

/**
 * A workflow's saved versions, newest first, marking the published one (what runs use when they
 * name no version, ADR 120). Publishing an older version is the rollback ("Restore").
 */
export function WorkflowVersions({
  workflow,
  versions,
  readOnly,
  onPublish,
}: {
  workflow: Workflow;
  versions: readonly WorkflowVersion[];
  readOnly: boolean;
  onPublish: (version: number) => Promise<void>;
}) {
  const [busy, setBusy] = useState<number | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  const publish = async (version: number) => {
    setBusy(version);
    setError(null);
    try {
      await onPublish(version);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="card" aria-labelledby="workflow-versions-title">
      <div className="card-header">
        <h2 id="workflow-versions-title">Versions</h2>
      </div>
      <ErrorBanner error={error} />
      <ol className="versions" data-testid="workflow-versions">
        {sorted.map((v, i) => {
          const published = v.version === workflow.publishedVersion;
          const previous = sorted[i + 1];
          return (
            <li key={v.version} data-testid={`workflow-version-${v.version}`}>
              <strong>v{v.version}</strong>{' '}
              {published && <span className="role-pill">published</span>}{' '}
              {v.version === workflow.version && !published && (
                <span className="role-pill">latest</span>
              )}{' '}
              <span className="muted">{formatDateTime(v.createdAt)}</span>{' '}
              <span className="muted">
                {v.spec.nodes.length} node{v.spec.nodes.length === 1 ? '' : 's'}
              </span>{' '}
              {!readOnly && !published && (
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  disabled={busy !== null}
                  onClick={() => void publish(v.version)}
                >
                  {v.version < workflow.publishedVersion ? 'Restore' : 'Publish'} v{v.version}
                </button>
              )}{' '}
              {previous && (
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  aria-expanded={open === v.version}
                  onClick={() => setOpen(open === v.version ? null : v.version)}
                  data-testid={`workflow-version-diff-${v.version}`}
                >
                  {open === v.version ? 'Hide changes' : `Changes from v${previous.version}`}
                </button>
              )}
              {previous && open === v.version && <VersionDiff before={previous} after={v} />}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function VersionDiff({ before, after }: { before: WorkflowVersion; after: WorkflowVersion }) {
  const lines = diffSpecs(before.spec, after.spec);
  return (
    <ul className="version-diff" data-testid={`workflow-diff-${after.version}`}>
      {lines.length === 0 && <li className="muted">No changes to the graph.</li>}
      {lines.map((l) => (
        <li key={`${l.kind} ${l.what}`} className={`diff-${l.kind}`}>
          <span className="diff-mark" aria-hidden="true">
            {l.kind === 'added' ? '+' : l.kind === 'removed' ? '−' : '~'}
          </span>{' '}
          {l.what} {l.kind}
          {l.detail && <span className="muted"> ({l.detail})</span>}
        </li>
      ))}
    </ul>
  );
}
