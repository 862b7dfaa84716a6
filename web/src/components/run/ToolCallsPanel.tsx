import { formatDuration } from '../../format';
import type { ToolCallView } from './tool-calls';

/** What an agent step asked its tools, and what came back: one disclosure per call. */
export function ToolCallsPanel({ calls }: { calls: readonly ToolCallView[] }) {
  if (calls.length === 0) return null;
  return (
    <div data-testid="step-tool-calls">
      <h3>Tool calls</h3>
      <ol className="tool-calls">
        {calls.map((c) => (
          <li key={`${c.turn}:${c.callId}`} data-testid="tool-call">
            <details className="disclosure">
              <summary>
                <span className="mono" data-testid="tool-call-name">
                  {c.tool}
                </span>{' '}
                <span className="muted">
                  turn {c.turn} · {formatDuration(c.durationMs)}
                </span>{' '}
                {c.error ? (
                  <span className="badge tone-danger" data-testid="tool-call-failed">
                    failed
                  </span>
                ) : null}
              </summary>
              <h4>Arguments</h4>
              {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable block must be reachable by keyboard to scroll it (WCAG 2.1.1) */}
              <pre className="code-block" data-testid="tool-call-arguments" tabIndex={0}>
                {JSON.stringify(c.arguments, null, 2)}
              </pre>
              <h4>{c.error ? 'Error' : 'Result'}</h4>
              {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable block must be reachable by keyboard to scroll it (WCAG 2.1.1) */}
              <pre className="code-block" data-testid="tool-call-result" tabIndex={0}>
                {c.error ?? c.result}
              </pre>
              {c.truncated && (
                <p className="muted" data-testid="tool-call-truncated">
                  Shown in part: the result had {c.resultChars.toLocaleString('en-US')} characters.
                </p>
              )}
            </details>
          </li>
        ))}
      </ol>
    </div>
  );
}
