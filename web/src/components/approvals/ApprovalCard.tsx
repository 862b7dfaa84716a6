import { useState } from 'react';
import type { WaitingApproval } from '../../api/types';
import { formatDateTime, shortId } from '../../format';
import { Link } from '../../router/Link';

export type Decision = { approve: boolean; comment: string };

/** One waiting approval: what it asks, the output it gates, and approve / reject with a reason. */
export function ApprovalCard({
  item,
  canDecide,
  onDecide,
}: {
  item: WaitingApproval;
  canDecide: boolean;
  onDecide: (item: WaitingApproval, decision: Decision) => Promise<void>;
}) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [missingReason, setMissingReason] = useState(false);
  const field = `approval-reason-${item.stepId}`;
  const decide = async (approve: boolean) => {
    // A rejection says why: the run fails with this reason.
    if (!approve && !comment.trim()) {
      setMissingReason(true);
      return;
    }
    setMissingReason(false);
    setBusy(true);
    try {
      await onDecide(item, { approve, comment: comment.trim() });
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="card approval-card" data-testid="approval-item" data-run={item.runId}>
      <header className="card-header">
        <h2 className="card-title">
          <span className="mono">{item.nodeId}</span> in{' '}
          <Link to={`/workflows/${item.workflowSlug}`}>{item.workflowSlug}</Link>
        </h2>
        <span className="muted">
          Run <Link to={`/runs/${item.runId}`}>{shortId(item.runId)}</Link>
          {item.iteration > 1 ? ` · iteration ${item.iteration}` : ''} · waiting since{' '}
          <time dateTime={item.waitingSince}>{formatDateTime(item.waitingSince)}</time>
        </span>
      </header>
      {item.message && (
        <p className="approval-message" data-testid="approval-message">
          {item.message}
        </p>
      )}
      {item.gates.map((g) => (
        <section key={g.nodeId} data-testid="approval-gate">
          <h3>
            Output of <span className="mono">{g.nodeId}</span>
          </h3>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable block must be reachable by keyboard to scroll it (WCAG 2.1.1) */}
          <pre className="code-block approval-output" tabIndex={0}>
            {g.output}
          </pre>
          {g.truncated && (
            <p className="muted">
              Shown in part ({g.chars.toLocaleString('en-US')} characters):{' '}
              <Link to={`/runs/${item.runId}`}>the run</Link> has it whole.
            </p>
          )}
        </section>
      ))}
      {canDecide && (
        <div className="approval">
          <div className="field">
            <label htmlFor={field}>Comment (a reason is required to reject)</label>
            <textarea
              id={field}
              rows={2}
              value={comment}
              aria-invalid={missingReason || undefined}
              aria-describedby={missingReason ? `${field}-error` : undefined}
              onChange={(e) => setComment(e.target.value)}
              data-testid="approval-reason"
            />
            {missingReason && (
              <p className="field-error" id={`${field}-error`} role="alert">
                Say why you reject it.
              </p>
            )}
          </div>
          <div className="row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={() => void decide(true)}
              data-testid="approval-approve"
            >
              Approve
            </button>
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              onClick={() => void decide(false)}
              data-testid="approval-reject"
            >
              Reject
            </button>
          </div>
        </div>
      )}
    </article>
  );
}
