import { useCallback, useEffect, useState } from 'react';
import { RUN_STATUSES, type RunStatus, type RunSummary, type Workflow } from '../api/types';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { RunsTabs } from '../components/RunsTabs';
import { StatusBadge } from '../components/StatusBadge';
import { durationMs, formatDateTime, formatDuration, formatUsd, shortId } from '../format';
import { usePolling } from '../hooks/usePolling';
import { navigate, withQuery } from '../router/hash';
import { Link } from '../router/Link';
import { useLocation } from '../router/useLocation';
import { useApi } from '../session/ApiContext';
import { LoadMore } from '../components/LoadMore';

const REFRESH_MS = 5000;

export function RunsPage() {
  const api = useApi();
  const { query } = useLocation();
  // A status the contract does not know (a hand-edited link) filters nothing rather than failing.
  const status = runStatusOf(query.get('status'));
  const workflowId = query.get('workflow') ?? '';
  const scheduleId = query.get('schedule') ?? '';
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [workflows, setWorkflows] = useState<Workflow[]>([]);
  const [auto, setAuto] = useState(true);
  const [now, setNow] = useState(Date.now());

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const page = await api.runs.list(
          {
            status,
            workflowId: workflowId || undefined,
            scheduleId: scheduleId || undefined,
          },
          signal,
        );
        setRuns(page.items);
        setNextCursor(page.nextCursor);
        setError(null);
        setNow(Date.now());
      } catch (err) {
        if (!signal?.aborted) setError(err);
      }
    },
    [api, status, workflowId, scheduleId],
  );

  useEffect(() => {
    setRuns(null);
    void load();
  }, [load]);

  useEffect(() => {
    api.workflows.list().then(
      (p) => setWorkflows(p.items),
      () => setWorkflows([]),
    );
  }, [api]);

  usePolling(load, REFRESH_MS, auto);

  const more = async () => {
    if (!nextCursor) return;
    try {
      const page = await api.runs.list({
        status,
        workflowId: workflowId || undefined,
        scheduleId: scheduleId || undefined,
        cursor: nextCursor,
      });
      setRuns((prev) => [...(prev ?? []), ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    }
  };

  const setFilter = (key: 'status' | 'workflow', value: string) => {
    navigate(withQuery('/runs', { status: status ?? '', workflow: workflowId, [key]: value }), {
      replace: true,
    });
  };

  const workflowName = (id: string, slug?: string) =>
    workflows.find((w) => w.id === id)?.name ?? slug ?? shortId(id);

  return (
    <>
      <PageHeader title="Runs" subtitle="Every workflow run in this tenant, newest first." />
      <RunsTabs current="/runs" />
      {/* biome-ignore lint/a11y/useSemanticElements: React's DOM types have no <search> element yet; role="search" is its equivalent */}
      <div className="toolbar" role="search" aria-label="Filter runs">
        <div className="field field-inline">
          <label htmlFor="runs-status">Status</label>
          <select
            id="runs-status"
            value={status ?? ''}
            onChange={(e) => setFilter('status', e.target.value)}
            data-testid="runs-filter-status"
          >
            <option value="">All</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor="runs-workflow">Workflow</label>
          <select
            id="runs-workflow"
            value={workflowId}
            onChange={(e) => setFilter('workflow', e.target.value)}
            data-testid="runs-filter-workflow"
          >
            <option value="">All</option>
            {workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <label className="check">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> Auto
          refresh
        </label>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <ErrorBanner error={error} title="Could not load runs" />
      {runs === null && !error && <Loading label="Loading runs" />}
      {runs && runs.length === 0 && (
        <EmptyState
          title="No runs yet"
          action={
            <Link to="/workflows" className="btn btn-primary">
              Start one from a workflow
            </Link>
          }
        >
          {status || workflowId
            ? 'No run matches these filters.'
            : 'Runs appear here when a workflow starts, from the console, the API or a webhook.'}
        </EmptyState>
      )}
      {runs && runs.length > 0 && (
        <div className="table-wrap">
          <table className="table table-stack" data-testid="runs-table">
            <caption className="sr-only">Runs</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Workflow</th>
                <th scope="col">Run</th>
                <th scope="col">Started</th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} data-testid="run-row" data-run-id={run.id}>
                  <td data-label="Status">
                    <StatusBadge status={run.status} />
                  </td>
                  <td data-label="Workflow">
                    <span>
                      {workflowName(run.workflowId, run.workflowSlug)}{' '}
                      <span className="muted">v{run.workflowVersion}</span>
                    </span>
                  </td>
                  <td data-label="Run">
                    <Link
                      to={`/runs/${run.id}`}
                      className="mono"
                      aria-label={`Open run ${shortId(run.id)}`}
                    >
                      {shortId(run.id)}
                    </Link>
                  </td>
                  <td data-label="Started">{formatDateTime(run.startedAt)}</td>
                  <td className="num" data-label="Duration">
                    {formatDuration(durationMs(run.startedAt, run.finishedAt, now))}
                  </td>
                  <td className="num" data-label="Cost">
                    {formatUsd(run.costUsd)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore nextCursor={nextCursor} onMore={more} />
    </>
  );
}

function runStatusOf(value: string | null): RunStatus | undefined {
  return RUN_STATUSES.find((s) => s === value);
}
