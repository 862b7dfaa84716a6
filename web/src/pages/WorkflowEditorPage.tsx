import { useMemo, useState } from 'react';
import type { Workflow, WorkflowCreate } from '../api/types';
import { DeleteForGoodButton, ReadOnlyNote } from '../components/DeleteForGoodButton';
import { WorkflowEditor } from '../components/editor/WorkflowEditor';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StartBatchDialog } from '../components/StartBatchDialog';
import { StartRunDialog } from '../components/StartRunDialog';
import { WorkflowVersions } from '../components/workflow/WorkflowVersions';
import { useAsync } from '../hooks/useAsync';
import { navigate } from '../router/hash';
import { Link } from '../router/Link';
import { useApi } from '../session/ApiContext';
import { useSession } from '../session/SessionContext';

/** `/workflows/new` and `/workflows/:id`: the visual editor, save (new version) and start a run. */
export function WorkflowEditorPage({ workflowId }: { workflowId?: string }) {
  const api = useApi();
  const { can } = useSession();
  const readOnly = !can('dev');
  const workflow = useAsync<Workflow | undefined>(
    () => (workflowId ? api.workflows.get(workflowId) : Promise.resolve(undefined)),
    [api, workflowId],
  );
  const agents = useAsync(() => api.agents.list(), [api]);
  const workflows = useAsync(() => api.workflows.list(), [api]);
  const choices = useMemo(
    () => workflows.data?.items.map((x) => ({ slug: x.slug, name: x.name })),
    [workflows.data],
  );
  const versions = useAsync(
    () => (workflowId ? api.workflows.versions(workflowId) : Promise.resolve({ items: [] })),
    [api, workflowId],
  );
  const [running, setRunning] = useState(false);
  const [batching, setBatching] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if ((workflowId && !workflow.data) || (!agents.data && !agents.error)) {
    const err = workflow.error ?? agents.error;
    return err ? (
      <ErrorBanner error={err} title="Could not load the workflow" />
    ) : (
      <Loading label="Loading editor" />
    );
  }
  const w = workflow.data;

  const save = async (body: WorkflowCreate): Promise<Workflow> => {
    if (!w) {
      const created = await api.workflows.create(body);
      navigate(`/workflows/${created.slug}`, { replace: true });
      return created;
    }
    const { slug: _slug, ...patch } = body;
    const updated = await api.workflows.update(w.id, patch);
    workflow.setData(updated);
    void versions.reload();
    return updated;
  };

  return (
    <>
      <PageHeader
        docTitle={w ? w.name : 'New workflow'}
        title={w ? w.name : 'New workflow'}
        subtitle={
          <>
            {w && (
              <>
                <span className="mono">{w.slug}</span> · v{w.version}
                {w.publishedVersion !== w.version && ` (v${w.publishedVersion} published)`} ·{' '}
                <Link to={`/runs?workflow=${w.id}`}>runs</Link> ·{' '}
              </>
            )}
            <Link to="/workflows">all workflows</Link>
          </>
        }
        actions={
          w && !readOnly ? (
            <DeleteForGoodButton
              data-testid="workflow-delete"
              remove={() => api.workflows.remove(w.id)}
              onDeleted={() => navigate('/workflows', { replace: true })}
              onError={setError}
            />
          ) : undefined
        }
      />
      <ReadOnlyNote readOnly={readOnly} />
      <ErrorBanner error={error} />
      {/* Keyed by id only: saving a new version keeps the canvas (positions, selection) as it is. */}
      <WorkflowEditor
        key={w?.id ?? 'new'}
        workflow={w}
        agents={agents.data?.items ?? []}
        workflows={choices}
        readOnly={readOnly}
        onSave={save}
        onRun={w ? () => setRunning(true) : undefined}
        onBatch={w ? () => setBatching(true) : undefined}
      />
      {w && (
        <WorkflowVersions
          workflow={w}
          versions={versions.data?.items ?? []}
          readOnly={readOnly}
          onPublish={async (version) =>
            workflow.setData(await api.workflows.publish(w.id, version))
          }
        />
      )}
      {running && w && (
        <StartRunDialog
          workflowName={w.name}
          inputs={w.inputs ?? []}
          onClose={() => setRunning(false)}
          onStart={async (input) => {
            const started = await api.workflows.start(w.id, input);
            navigate(`/runs/${started.runId}`);
          }}
        />
      )}
      {batching && w && (
        <StartBatchDialog
          workflowName={w.name}
          onClose={() => setBatching(false)}
          onStart={async (inputs, maxConcurrency) => {
            const started = await api.batches.start(w.id, inputs, maxConcurrency);
            navigate(`/batches/${started.batchId}`);
          }}
        />
      )}
    </>
  );
}
