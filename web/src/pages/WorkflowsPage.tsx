import { EmptyState } from '../components/EmptyState';
import { ExportButton, ImportButton } from '../components/files/ImportExport';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../format';
import { useAsync } from '../hooks/useAsync';
import { Link } from '../router/Link';
import { useApi } from '../session/ApiContext';
import { useSession } from '../session/SessionContext';

export function WorkflowsPage() {
  const api = useApi();
  const { can } = useSession();
  const { data, error, loading, reload } = useAsync(() => api.workflows.list(), [api]);
  const items = data?.items ?? [];
  const create = can('dev') ? (
    <>
      <ImportButton
        what="workflow"
        send={(text, type, dryRun) => api.workflows.importFile(text, type, dryRun)}
        onImported={() => void reload()}
      />
      <Link to="/workflows/new" className="btn btn-primary" data-testid="workflow-new">
        New workflow
      </Link>
    </>
  ) : undefined;
  return (
    <>
      <PageHeader
        title="Workflows"
        subtitle="DAGs of agent, tool and approval steps. Every save is a new version."
        actions={create}
      />
      <ErrorBanner error={error} title="Could not load workflows" />
      {loading && !data && <Loading label="Loading workflows" />}
      {data && items.length === 0 && (
        <EmptyState title="No workflows yet" action={create}>
          Compose agents into a workflow, then run it.
        </EmptyState>
      )}
      {items.length > 0 && (
        <ul className="card-grid" data-testid="workflows-list">
          {items.map((w) => (
            <li
              key={w.id}
              className="card card-link"
              data-testid="workflow-card"
              data-slug={w.slug}
            >
              <h2 className="card-title">
                <Link to={`/workflows/${w.slug}`}>{w.name}</Link>
              </h2>
              <p className="mono muted">
                {w.slug} · v{w.version}
              </p>
              {w.description && <p className="clamp">{w.description}</p>}
              <p className="muted small">
                {plural(w.nodes.length, 'step')} · {plural(w.inputs?.length ?? 0, 'input')} ·
                updated {formatDateTime(w.updatedAt)}
              </p>
              <p className="small card-actions">
                <Link to={`/runs?workflow=${w.id}`}>Runs</Link>
                <ExportButton
                  label={`workflow ${w.name}`}
                  filename={`${w.slug}.workflow.yaml`}
                  load={() => api.workflows.exportFile(w.slug)}
                />
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
