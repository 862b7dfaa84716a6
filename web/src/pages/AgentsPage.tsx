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

export function AgentsPage() {
  const api = useApi();
  const { can } = useSession();
  const { data, error, loading, reload } = useAsync(() => api.agents.list(), [api]);
  const agents = data?.items ?? [];
  const create = can('dev') ? (
    <>
      <ImportButton
        what="agent"
        send={(text, type, dryRun) => api.agents.importFile(text, type, dryRun)}
        onImported={() => void reload()}
      />
      <Link to="/agents/new" className="btn btn-primary" data-testid="agent-new">
        New agent
      </Link>
    </>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Agents"
        subtitle="Personas with a system prompt, a model and a fallback chain."
        actions={create}
      />
      <ErrorBanner error={error} title="Could not load agents" />
      {loading && !data && <Loading label="Loading agents" />}
      {data && agents.length === 0 && (
        <EmptyState title="No agents yet" action={create}>
          Create an agent, then use it in a workflow.
        </EmptyState>
      )}
      {agents.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="agents-table">
            <caption className="sr-only">Agents</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Slug</th>
                <th scope="col">Role</th>
                <th scope="col">Model</th>
                <th scope="col" className="num">
                  Version
                </th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.id} data-testid="agent-row" data-slug={a.slug}>
                  <td>
                    <Link to={`/agents/${a.slug}`}>{a.name}</Link>
                  </td>
                  <td className="mono">{a.slug}</td>
                  <td>{a.role || <span className="muted">—</span>}</td>
                  <td className="mono">
                    {a.model}
                    {a.fallbacks.length > 0 && (
                      <span className="muted"> +{a.fallbacks.length}</span>
                    )}
                  </td>
                  <td className="num">v{a.version}</td>
                  <td>{formatDateTime(a.updatedAt)}</td>
                  <td>
                    <ExportButton
                      label={`agent ${a.name}`}
                      filename={`${a.slug}.agent.yaml`}
                      load={() => api.agents.exportFile(a.slug)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
