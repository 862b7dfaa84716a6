import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunSummary } from '../api/types';
import { type Batch, finishedCount } from '../batches/progress';
import { BatchProgress } from '../components/BatchProgress';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';
import { formatDateTime, shortId } from '../format';
import { usePolling } from '../hooks/usePolling';
import { Link } from '../router/Link';
import { useApi } from '../session/ApiContext';
import { useSession } from '../session/SessionContext';
import { LoadMore } from '../components/LoadMore';

/** How often a running batch's counts and first page of runs are read again. */
export const BATCH_REFRESH_MS = 2000;

/** `/batches/:id`: progress by status (live while running), its runs (paged) and Cancel. */
export function BatchPage({ batchId }: { batchId: string }) {
  const api = useApi();
  const { can } = useSession();
  const [batch, setBatch] = useState<Batch | null>(null);
  // Pages after the first, loaded with "Load more"; a refresh replaces only the first page.
  const [more, setMore] = useState<RunSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const pagedOn = useRef(false);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const b = await api.batches.get(batchId, undefined, signal);
        setBatch(b);
        if (!pagedOn.current) setNextCursor(b.runs.nextCursor);
        setError(null);
      } catch (err) {
        if (!signal?.aborted) setError(err);
      }
    },
    [api, batchId],
  );
  useEffect(() => {
    void load();
  }, [load]);
  usePolling(load, BATCH_REFRESH_MS, batch?.status === 'RUNNING');

  const loadMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await api.batches.get(batchId, nextCursor);
      pagedOn.current = true;
      setMore((prev) => [...prev, ...page.runs.items]);
      setNextCursor(page.runs.nextCursor);
    } catch (err) {
      setError(err);
    }
  };

  const cancel = async () => {
    try {
      await api.batches.cancel(batchId);
      await load();
    } catch (err) {
      setError(err);
    }
  };

  if (!batch)
    return error ? (
      <ErrorBanner error={error} title="Could not load the batch" />
    ) : (
      <Loading label="Loading batch" />
    );

  const first = new Set(batch.runs.items.map((r) => r.id));
  const runs = [...batch.runs.items, ...more.filter((r) => !first.has(r.id))];
  const c = batch.counts;
  return (
    <>
      <PageHeader
        docTitle={`Batch ${shortId(batch.id)}`}
        title={
          <>
            Batch <span className="mono">{shortId(batch.id)}</span>{' '}
            <span data-testid="batch-status" data-status={batch.status}>
              <StatusBadge status={batch.status} />
            </span>
          </>
        }
        subtitle={
          <>
            <Link to={`/workflows/${batch.workflowSlug}`}>{batch.workflowSlug}</Link> v
            {batch.workflowVersion} · up to {batch.maxConcurrency} at once · started{' '}
            {formatDateTime(batch.createdAt)}
            {batch.finishedAt && <> · finished {formatDateTime(batch.finishedAt)}</>} ·{' '}
            <Link to="/batches">all batches</Link>
          </>
        }
        actions={
          batch.status === 'RUNNING' && can('dev') ? (
            <ConfirmButton
              onConfirm={cancel}
              confirmLabel="Cancel the batch and its unfinished runs?"
              data-testid="batch-cancel"
            >
              Cancel batch
            </ConfirmButton>
          ) : undefined
        }
      />
      <ErrorBanner error={error} />
      {batch.error && (
        <div className="alert alert-danger" role="alert">
          <strong>{batch.error.name}: </strong>
          {batch.error.message}
        </div>
      )}
      <section className="card" aria-labelledby="batch-progress-title">
        <h2 id="batch-progress-title" className="card-title">
          {finishedCount(c)} of {c.total} runs finished
        </h2>
        <BatchProgress counts={c} />
      </section>
      <h2 className="section-gap">Runs</h2>
      {runs.length === 0 ? (
        <p className="muted">No run has started yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-stack" data-testid="batch-runs">
            <caption className="sr-only">Runs of this batch</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Input
                </th>
                <th scope="col">Status</th>
                <th scope="col">Run</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} data-testid="batch-run-row" data-run-id={run.id}>
                  <td className="num" data-label="Input">
                    {run.batchIndex === undefined ? '' : run.batchIndex + 1}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={run.status} />
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
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore nextCursor={nextCursor} onMore={() => void loadMore()} label="Load more runs" />
    </>
  );
}
