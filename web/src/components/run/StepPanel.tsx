import { useState } from 'react';
import type { RunStep, WorkflowNode } from '../../api/types';
import { durationMs, formatDateTime, formatDuration, formatTokens, formatUsd } from '../../format';
import { Link } from '../../router/Link';
import { StatusBadge } from '../StatusBadge';
import { AttemptsTable } from './AttemptsTable';
import type { Citation } from './citations';
import { CitationsPanel } from './CitationsPanel';
import { errorHelp } from './error-help';
import { StepOutput } from './StepOutput';
import type { PartialOutputView } from './partial-output';
import type { ToolCallView } from './tool-calls';
import { ToolCallsPanel } from './ToolCallsPanel';

interface StepPanelProps {
  nodeId: string;
  node?: WorkflowNode;
  step?: RunStep;
  /** What the step retrieved from knowledge bases (undefined: none attached). */
  citations?: readonly Citation[];
  /** The agent's tool calls, in the order they finished (ADR 130). */
  toolCalls?: readonly ToolCallView[];
  /** What the model has written so far, while the step runs (ADR 142). */
  partial?: PartialOutputView;
  onClose: () => void;
  /** Approval steps that wait for a decision (dev and above). */
  onDecide?: (stepId: string, approve: boolean, comment: string) => Promise<void>;
}

/** Everything about one step: prompt, output, attempts, provider, tokens, cost, error. */
export function StepPanel({
  nodeId,
  node,
  step,
  citations,
  toolCalls,
  partial,
  onClose,
  onDecide,
}: StepPanelProps) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const waitingApproval =
    step?.status === 'WAITING' && (step.type === 'approval' || node?.type === 'approval');

  return (
    <section
      className="card step-panel"
      aria-labelledby="step-panel-title"
      data-testid="step-panel"
    >
      <div className="card-header">
        <h2 id="step-panel-title">
          Step <span className="mono">{nodeId}</span>
        </h2>
        <StatusBadge status={step?.status ?? 'PENDING'} />
        <button
          type="button"
          className="btn btn-ghost btn-icon"
          onClick={onClose}
          aria-label="Close step panel"
        >
          ×
        </button>
      </div>
      {!step && <p className="muted">This step has not started.</p>}
      {step && (
        <>
          <dl className="facts">
            <div className="fact-wide">
              <dt>Provider / model</dt>
              <dd data-testid="step-model">
                {step.provider ? `${step.provider}:${step.model ?? ''}` : '—'}
              </dd>
            </div>
            <div>
              <dt>Tokens in / out</dt>
              <dd data-testid="step-tokens">
                {formatTokens(step.inputTokens)} / {formatTokens(step.outputTokens)}
              </dd>
            </div>
            <div>
              <dt>Cost</dt>
              <dd data-testid="step-cost">{formatUsd(step.costUsd)}</dd>
            </div>
            <div>
              <dt>Duration</dt>
              <dd>{formatDuration(durationMs(step.startedAt, step.finishedAt))}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{formatDateTime(step.startedAt)}</dd>
            </div>
            {step.iteration !== undefined && step.iteration > 1 && (
              <div>
                <dt>Loop iteration</dt>
                <dd data-testid="step-iteration">{step.iteration}</dd>
              </div>
            )}
          </dl>
          {step.skipReason && (
            <p className="note" data-testid="step-skip-reason">
              Skipped: {step.skipReason}
            </p>
          )}
          {step.children && step.children.length > 0 && (
            <div data-testid="step-children">
              <h3>Child runs</h3>
              <ol>
                {step.children.map((child) => (
                  <li key={child.runId}>
                    <Link to={`/runs/${child.runId}`}>
                      {child.index !== undefined ? `item ${child.index}` : 'child run'}
                    </Link>{' '}
                    <StatusBadge status={child.status} />
                  </li>
                ))}
              </ol>
            </div>
          )}
          {step.provider === 'simulator' && (
            <p className="note">Answered by the offline local simulator, not a real model.</p>
          )}
          {step.error && (
            <div className="alert alert-danger" role="alert" data-testid="step-error">
              <strong>{step.error.name}</strong>: {step.error.message}
              {errorHelp(step.error.name) && (
                <p className="error-help" data-testid="step-error-help">
                  {errorHelp(step.error.name)}
                </p>
              )}
            </div>
          )}
          {waitingApproval && onDecide && (
            <div className="approval">
              <div className="field">
                <label htmlFor="approval-comment">Comment (optional)</label>
                <textarea
                  id="approval-comment"
                  rows={2}
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                />
              </div>
              <div className="row">
                {(
                  [
                    [true, 'Approve', 'btn btn-primary'],
                    [false, 'Reject', 'btn btn-danger'],
                  ] as const
                ).map(([approve, label, cls]) => (
                  <button
                    key={label}
                    type="button"
                    className={cls}
                    disabled={busy}
                    onClick={async () => {
                      setBusy(true);
                      try {
                        await onDecide(step.id, approve, comment);
                      } finally {
                        setBusy(false);
                      }
                    }}
                  >
                    {label}
                  </button>
                ))}
              </div>
            </div>
          )}
          <h3>Output</h3>
          {partial?.discarded.map((d) => (
            <p className="note" key={d.attempt} data-testid="step-partial-discarded">
              Attempt {d.attempt} failed{d.reason ? ` (${d.reason})` : ''}: what it had written so
              far was discarded.
            </p>
          ))}
          {step.output === undefined && step.status === 'RUNNING' && partial?.text ? (
            // Plain text as it arrives; the final output replaces it, rendered as usual.
            <pre className="code-block" data-testid="step-partial-output" aria-live="polite">
              {partial.text}
              {partial.truncated ? '\n…' : ''}
            </pre>
          ) : (
            <div data-testid="step-output">
              <StepOutput output={step.output} />
            </div>
          )}
          {toolCalls && <ToolCallsPanel calls={toolCalls} />}
          {citations && <CitationsPanel citations={citations} query={step.prompt} />}
          <h3>Attempts</h3>
          <AttemptsTable attempts={step.attempts} />
          <details className="disclosure" open={!step.output}>
            <summary>Prompt</summary>
            {step.prompt ? (
              <pre className="code-block" data-testid="step-prompt">
                {step.prompt}
              </pre>
            ) : (
              <p className="muted">
                {node?.prompt ? 'Rendered when the step starts.' : 'No prompt.'}
              </p>
            )}
          </details>
        </>
      )}
      {!step && node?.prompt && (
        <details className="disclosure">
          <summary>Prompt template</summary>
          <pre className="code-block">{node.prompt}</pre>
        </details>
      )}
    </section>
  );
}
