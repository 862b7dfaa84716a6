import { useCallback, useEffect, useState } from 'react';
import { BatchProgress } from '../components/BatchProgress';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { RunsTabs } from '../components/RunsTabs';
import { StatusBadge } from '../components/StatusBadge';
import type { BatchSummary } from '../batches/progress';
import { finishedCount } from '../batches/progress';
import { formatDateTime, shortId } from '../format';
import { usePolling } from '../hooks/usePolling';
import { Link } from '../router/Link';
import { useApi } from '../session/ApiContext';
import { LoadMore } from '../components/LoadMore';

const REFRESH_MS = 5000;

/** `/batches`: every batch of the tenant, newest first, refreshed while one is running. */
export function BatchesPage() {
  const api = useApi();
  const [items, setItems] = useState<BatchSummary[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const page = await api.batches.list(undefined, signal);
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setError(null);
      } catch (err) {
        if (!signal?.aborted) setError(err);
      }
    },
    [api],
  );
  useEffect(() => {
    void load();
  }, [load]);
  usePolling(load, REFRESH_MS, items?.some((b) => b.status === 'RUNNING') ?? false);

  const more = async () => {
    if (!nextCursor) return;
    try {
      const page = await api.batches.list(nextCursor);
      setItems((prev) => [...(prev ?? []), ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <PageHeader
        title="Batches"
        subtitle="One run per input, started together from a workflow; newest first."
      />
      <RunsTabs current="/batches" />
      <ErrorBanner error={error} title="Could not load batches" />
      {items === null && !error && <Loading label="Loading batches" />}
      {items && items.length === 0 && (
        <EmptyState
          title="No batches yet"
          action={
            <Link to="/workflows" className="btn btn-primary">
              Start one from a workflow
            </Link>
          }
        >
          A batch runs a workflow once per input of a JSON or JSON Lines file.
        </EmptyState>
      )}
      {items && items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-stack" data-testid="batches-table">
            <caption className="sr-only">Batches</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Batch</th>
                <th scope="col">Workflow</th>
                <th scope="col">Progress</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {items.map((b) => (
                <tr key={b.id} data-testid="batch-row" data-batch-id={b.id}>
                  <td data-label="Status">
                    <StatusBadge status={b.status} />
                  </td>
                  <td data-label="Batch">
                    <Link
                      to={`/batches/${b.id}`}
                      className="mono"
                      aria-label={`Open batch ${shortId(b.id)}`}
                    >
                      {shortId(b.id)}
                    </Link>
                  </td>
                  <td data-label="Workflow">
                    {b.workflowSlug} <span className="muted">v{b.workflowVersion}</span>
                  </td>
                  <td data-label="Progress">
                    <BatchProgress counts={b.counts} compact />
                    <span className="muted small">
                      {finishedCount(b.counts)} of {b.counts.total} done
                    </span>
                  </td>
                  <td data-label="Started">{formatDateTime(b.createdAt)}</td>
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
