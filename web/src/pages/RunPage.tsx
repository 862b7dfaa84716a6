import { useMemo, useState } from 'react';
import { describeError } from '../api/errors';
import { ErrorBanner } from '../components/ErrorBanner';
import { JsonView } from '../components/JsonView';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { EventsTimeline } from '../components/run/EventsTimeline';
import { RunActions } from '../components/run/RunActions';
import { citationsOfStep } from '../components/run/citations';
import { toolCallsOfStep } from '../components/run/tool-calls';
import { mergeNodes, RunDag } from '../components/run/RunDag';
import { StepList } from '../components/run/StepList';
import { StepOutput } from '../components/run/StepOutput';
import { StepPanel } from '../components/run/StepPanel';
import { partialOutputOfStep } from '../components/run/partial-output';
import { StatusBadge } from '../components/StatusBadge';
import { durationMs, formatDateTime, formatDuration, formatUsd, shortId } from '../format';
import { useRunGraph } from '../hooks/useRunGraph';
import { useRunLive } from '../hooks/useRunLive';
import { navigate } from '../router/hash';
import { Link } from '../router/Link';
import { useLocation } from '../router/useLocation';
import { useApi } from '../session/ApiContext';
import { useSession } from '../session/SessionContext';

export function RunPage({ runId, pollMs }: { runId: string; pollMs?: number }) {
  const api = useApi();
  const { can } = useSession();
  const { query } = useLocation();
  const { run, events, error, live, refresh } = useRunLive(api, runId, pollMs);
  const graph = useRunGraph(api, run);
  const [selected, setSelected] = useState<string | null>(query.get('step'));
  const [actionError, setActionError] = useState<unknown>(null);

  const nodes = useMemo(() => mergeNodes(graph?.nodes ?? [], run?.steps ?? []), [graph, run]);
  const edges = graph?.edges ?? [];

  if (!run) {
    return error ? (
      <ErrorBanner error={error} title="Could not load the run" />
    ) : (
      <Loading label="Loading run" />
    );
  }

  // The latest iteration of a looped node: steps come in iteration order.
  const step = selected ? run.steps.findLast((s) => s.nodeId === selected) : undefined;
  const node = selected ? nodes.find((n) => n.id === selected) : undefined;
  const guard = async (fn: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await fn();
    } catch (err) {
      setActionError(err);
    }
  };

  return (
    <>
      <PageHeader
        docTitle={`Run ${shortId(run.id)}`}
        title={
          <>
            Run <span className="mono">{shortId(run.id)}</span>{' '}
            <span data-testid="run-status" data-status={run.status}>
              <StatusBadge status={run.status} />
            </span>
          </>
        }
        subtitle={
          <>
            <Link to={`/workflows/${run.workflowId}`}>
              {graph?.workflowName ?? run.workflowSlug}
            </Link>{' '}
            v{run.workflowVersion} · started {formatDateTime(run.startedAt)} ·{' '}
            {formatDuration(durationMs(run.startedAt, run.finishedAt))} ·{' '}
            <span data-testid="run-cost">{formatUsd(run.costUsd)}</span>
            {run.scheduleId && (
              <>
                {' · '}
                <Link to={`/runs?schedule=${run.scheduleId}`} data-testid="run-schedule">
                  scheduled for {formatDateTime(run.scheduledFor ?? run.startedAt)}
                </Link>
              </>
            )}
            {live && (
              <span
                className="live-dot"
                role="img"
                aria-label="updating live"
                title="Updating live"
              />
            )}
          </>
        }
        actions={
          can('dev') ? (
            <RunActions
              run={run}
              onCancel={() =>
                guard(async () => {
                  await api.runs.cancel(run.id);
                  await refresh();
                })
              }
              onRerun={(fromStep) =>
                guard(async () => {
                  const started = await api.runs.rerun(run.id, fromStep);
                  navigate(`/runs/${started.runId}`);
                })
              }
            />
          ) : undefined
        }
      />
      {error && (
        <div className="alert alert-warn" role="status">
          Live updates paused: {describeError(error)}
        </div>
      )}
      <ErrorBanner error={actionError} title="Action failed" />
      {run.error && (
        <div className="alert alert-danger" role="alert" data-testid="run-error">
          <strong>{run.error.name}</strong>: {run.error.message}
        </div>
      )}
      <div className="run-layout">
        <section className="card run-graph-card" aria-labelledby="graph-title">
          <div className="card-header">
            <h2 id="graph-title">Workflow</h2>
            <span className="muted">Select a step to see its details</span>
          </div>
          {graph ? (
            <RunDag
              nodes={nodes}
              edges={edges}
              steps={run.steps}
              selected={selected}
              onSelect={setSelected}
            />
          ) : (
            <div className="flow-canvas">
              <Loading label="Loading the workflow" />
            </div>
          )}
          <StepList nodes={nodes} steps={run.steps} selected={selected} onSelect={setSelected} />
        </section>
        <div className="run-side">
          {selected ? (
            <StepPanel
              key={selected}
              nodeId={selected}
              node={node}
              step={step}
              citations={citationsOfStep(step, events)}
              toolCalls={toolCallsOfStep(step, events)}
              partial={partialOutputOfStep(step, events)}
              onClose={() => setSelected(null)}
              onDecide={
                can('dev')
                  ? (stepId, approve, comment) =>
                      guard(async () => {
                        await (approve ? api.runs.approve : api.runs.reject)(
                          run.id,
                          stepId,
                          comment || undefined,
                        );
                        await refresh();
                      })
                  : undefined
              }
            />
          ) : (
            <section className="card" aria-labelledby="io-title">
              <div className="card-header">
                <h2 id="io-title">Input and output</h2>
              </div>
              <h3>Input</h3>
              <JsonView value={run.input} label="Run input" />
              <h3>Output</h3>
              <StepOutput output={run.output} />
            </section>
          )}
          <EventsTimeline events={events} live={live} />
        </div>
      </div>
    </>
  );
}
