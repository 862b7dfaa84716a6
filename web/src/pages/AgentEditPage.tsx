import { useState } from 'react';
import { ApiError } from '../api/errors';
import type { Agent, FieldIssue } from '../api/types';
import { AgentForm, bodyOf, type AgentDraft } from '../components/agents/AgentForm';
import { TryPanel } from '../components/agents/TryPanel';
import { VersionsList } from '../components/agents/VersionsList';
import { DeleteForGoodButton, ReadOnlyNote } from '../components/DeleteForGoodButton';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { useAsync } from '../hooks/useAsync';
import { navigate } from '../router/hash';
import { Link } from '../router/Link';
import { useApi } from '../session/ApiContext';
import { useSession } from '../session/SessionContext';

/** `/agents/new` creates; `/agents/:id` edits (each save is a new immutable version). */
export function AgentEditPage({ agentId }: { agentId?: string }) {
  const api = useApi();
  const { can } = useSession();
  const readOnly = !can('dev');
  const agent = useAsync<Agent | undefined>(
    () => (agentId ? api.agents.get(agentId) : Promise.resolve(undefined)),
    [api, agentId],
  );
  const versions = useAsync(
    () => (agentId ? api.agents.versions(agentId) : Promise.resolve({ items: [] })),
    [api, agentId, agent.data?.version],
  );
  // Optional: a server without knowledge bases (404) just offers none to attach.
  const bases = useAsync(
    () =>
      api.knowledge
        .list()
        .catch((err) =>
          err instanceof ApiError && err.unavailable ? { items: [] } : Promise.reject(err),
        ),
    [api],
  );
  // The tenant's workflows, offered as workflow:<slug> tools (ADR 162).
  const workflows = useAsync(() => api.workflows.list(), [api]);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const save = async (draft: AgentDraft) => {
    setBusy(true);
    setError(null);
    setIssues([]);
    setSaved(false);
    try {
      const body = bodyOf(draft);
      if (agent.data) {
        const { slug: _slug, ...patch } = body;
        const updated = await api.agents.update(agent.data.id, patch);
        agent.setData(updated);
        setSaved(true);
      } else {
        const created = await api.agents.create(body);
        navigate(`/agents/${created.slug}`, { replace: true });
      }
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setIssues(err.details);
    } finally {
      setBusy(false);
    }
  };

  if (agentId && !agent.data) {
    return agent.error ? (
      <ErrorBanner error={agent.error} title="Could not load the agent" />
    ) : (
      <Loading label="Loading agent" />
    );
  }
  const a = agent.data;

  return (
    <>
      <PageHeader
        title={a ? a.name : 'New agent'}
        subtitle={
          a ? (
            <>
              <span className="mono">{a.slug}</span> · v{a.version} ·{' '}
              <Link to="/agents">all agents</Link>
            </>
          ) : (
            <Link to="/agents">all agents</Link>
          )
        }
        actions={
          a && !readOnly ? (
            <DeleteForGoodButton
              data-testid="agent-delete"
              remove={() => api.agents.remove(a.id)}
              onDeleted={() => navigate('/agents', { replace: true })}
              onError={setError}
            />
          ) : undefined
        }
      />
      <ReadOnlyNote readOnly={readOnly} />
      <ErrorBanner error={error} title="Could not save" />
      {saved && (
        <div className="alert alert-success" role="status">
          Saved as version {a?.version}.
        </div>
      )}
      <div className="split">
        <AgentForm
          key={a ? `${a.id}:${a.version}` : 'new'}
          initial={a}
          knowledgeBases={bases.data?.items}
          workflows={workflows.data?.items}
          readOnly={readOnly}
          issues={issues}
          busy={busy}
          onSubmit={save}
        />
        {a && (
          <VersionsList
            versions={versions.data?.items ?? []}
            current={a.version}
            published={a.publishedVersion}
            onPublish={
              readOnly
                ? undefined
                : (version) => void api.agents.publish(a.id, version).then(agent.setData, setError)
            }
          />
        )}
      </div>
      {a && (
        <TryPanel
          key={`${a.id}:${a.publishedVersion}`}
          agent={a}
          versions={(versions.data?.items ?? []).map((v) => v.version)}
          canTry={!readOnly}
        />
      )}
    </>
  );
}
