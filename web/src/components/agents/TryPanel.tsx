import { useState } from 'react';
import { ApiError } from '../../api/errors';
import type { Agent, Run, RunEvent } from '../../api/types';
import { formatTokens, formatUsd } from '../../format';
import { usePolling } from '../../hooks/usePolling';
import { Link } from '../../router/Link';
import { useApi } from '../../session/ApiContext';
import { ErrorBanner } from '../ErrorBanner';
import { StatusBadge } from '../StatusBadge';
import { AttemptsTable } from '../run/AttemptsTable';
import { StepOutput } from '../run/StepOutput';
import { ToolCallsPanel } from '../run/ToolCallsPanel';
import { toolCallsOfStep } from '../run/tool-calls';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Try the agent alone (ADR 164): the prompt starts a one-step run, which this panel follows until
 * it ends, showing the answer and its trace (attempts, tool calls, tokens, cost).
 */
export function TryPanel({
  agent,
  versions,
  canTry,
}: {
  agent: Agent;
  versions: readonly number[];
  canTry: boolean;
}) {
  const api = useApi();
  const [prompt, setPrompt] = useState('');
  const [version, setVersion] = useState(agent.publishedVersion);
  const [runId, setRunId] = useState<string>();
  const [run, setRun] = useState<Run>();
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const following = !!runId && !(run && TERMINAL.has(run.status));

  usePolling(
    async (signal) => {
      if (!runId) return;
      const [r, e] = await Promise.all([
        api.runs.get(runId, signal),
        api.runs.events(runId, 0, signal),
      ]);
      setRun(r);
      setEvents(e.items);
    },
    400,
    following,
  );

  const start = async () => {
    setBusy(true);
    setError(null);
    setRun(undefined);
    setEvents([]);
    try {
      const started = await api.agents.try(agent.id, prompt, version);
      setRunId(started.runId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const step = run?.steps[0];
  const calls = toolCallsOfStep(step, events);
  const issues = error instanceof ApiError ? error.details : [];
  return (
    <section className="card try-panel" aria-labelledby="try-title" data-testid="try-panel">
      <div className="card-header">
        <h2 id="try-title">Try it</h2>
        {run && <StatusBadge status={run.status} />}
      </div>
      <p className="muted">
        Runs this agent alone on a prompt, with its model, fallbacks, knowledge and tools, as a
        workflow step would; it is metered and counts against the budget.
      </p>
      <div className="field">
        <label htmlFor="try-prompt">Prompt</label>
        <textarea
          id="try-prompt"
          rows={4}
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          disabled={!canTry}
          data-testid="try-prompt"
          aria-invalid={issues.some((i) => i.path === 'prompt') || undefined}
        />
      </div>
      <div className="row">
        <label htmlFor="try-version">Version</label>
        <select
          id="try-version"
          value={version}
          onChange={(e) => setVersion(Number(e.target.value))}
          disabled={!canTry}
        >
          {(versions.length ? versions : [agent.publishedVersion]).map((v) => (
            <option key={v} value={v}>
              v{v}
              {v === agent.publishedVersion ? ' (published)' : ''}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!canTry || busy || following || !prompt.trim()}
          onClick={() => void start()}
          data-testid="try-run"
        >
          {following ? 'Running…' : 'Try'}
        </button>
        {runId && (
          <Link to={`/runs/${runId}`} data-testid="try-run-link">
            Open the run
          </Link>
        )}
      </div>
      <ErrorBanner error={error} title="Could not start the try" />
      {step && (
        <div data-testid="try-result" data-status={run?.status}>
          {step.error && (
            <div className="alert alert-danger" role="alert" data-testid="try-error">
              <strong>{step.error.name}</strong>: {step.error.message}
            </div>
          )}
          <h3>Answer</h3>
          <div data-testid="try-answer" aria-live="polite">
            <StepOutput output={step.output} />
          </div>
          <dl className="try-totals" data-testid="try-totals">
            <div>
              <dt>Tokens in / out</dt>
              <dd>
                {formatTokens(step.inputTokens)} / {formatTokens(step.outputTokens)}
              </dd>
            </div>
            <div>
              <dt>Cost</dt>
              <dd>{formatUsd(step.costUsd)}</dd>
            </div>
            <div>
              <dt>Model calls</dt>
              <dd>{step.attempts.length}</dd>
            </div>
            <div>
              <dt>Tool calls</dt>
              <dd>{calls.length}</dd>
            </div>
          </dl>
          <ToolCallsPanel calls={calls} />
          <h3>Attempts</h3>
          <AttemptsTable attempts={step.attempts} />
        </div>
      )}
    </section>
  );
}
