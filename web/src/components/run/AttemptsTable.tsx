import type { Attempt } from '../../api/types';
import { formatDuration, formatTokens, formatUsd } from '../../format';

export function AttemptsTable({ attempts }: { attempts: readonly Attempt[] }) {
  if (attempts.length === 0) return <p className="muted">No provider calls yet.</p>;
  const anyError = attempts.some((a) => a.errorName || a.errorMessage);
  return (
    <div className="table-wrap">
      <table className="table table-compact" data-testid="attempts-table">
        <caption className="sr-only">Attempts</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Provider / model</th>
            <th scope="col">Outcome</th>
            {anyError && <th scope="col">Error</th>}
            <th scope="col" className="num">
              Latency
            </th>
            <th scope="col" className="num">
              Tokens
            </th>
            <th scope="col" className="num">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.n} data-testid="attempt-row">
              <td>{a.n}</td>
              <td className="attempt-model">
                {a.provider} <span className="mono muted">{a.model}</span>
              </td>
              <td>
                <span
                  className={`outcome outcome-${a.outcome === 'success' || a.outcome === 'ok' || a.outcome === 'SUCCEEDED' ? 'ok' : 'bad'}`}
                >
                  {a.outcome}
                </span>
              </td>
              {anyError && <td title={a.errorMessage}>{a.errorName ?? '—'}</td>}
              <td className="num">{formatDuration(a.latencyMs)}</td>
              <td className="num">
                {formatTokens(a.inputTokens)} / {formatTokens(a.outputTokens)}
              </td>
              <td className="num">{formatUsd(a.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
