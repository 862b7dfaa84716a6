import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import type { BudgetLine } from '../api/types';
import { formatUsd } from '../format';
import { useAsync } from '../hooks/useAsync';
import { useSession } from '../session/SessionContext';
import { useApi } from '../session/ApiContext';
import { ErrorBanner } from './ErrorBanner';

/** Spent (settled plus in flight) against a limit, as text and a bar. */
function Line({ line }: { line: BudgetLine }) {
  const used = line.spentUsd + line.reservedUsd;
  const share = line.monthlyLimitUsd ? Math.min(1, used / line.monthlyLimitUsd) : 0;
  return (
    <>
      <p className="big-number">
        {line.monthlyLimitUsd === null ? 'No limit' : `${formatUsd(line.monthlyLimitUsd)} / month`}
      </p>
      <p className="muted">
        Spent {formatUsd(line.spentUsd)}
        {line.reservedUsd > 0 ? ` · ${formatUsd(line.reservedUsd)} in flight` : ''}
        {line.remainingUsd !== null ? ` · ${formatUsd(line.remainingUsd)} left` : ''}
      </p>
      {line.monthlyLimitUsd !== null && (
        // biome-ignore lint/a11y/useSemanticElements: a <meter> cannot be styled alike across browsers; this bar carries the meter role and values
        <div
          className={`meter${share >= 0.9 ? ' meter-danger' : share >= 0.7 ? ' meter-warn' : ''}`}
          role="meter"
          aria-label="Budget used"
          aria-valuemin={0}
          aria-valuemax={line.monthlyLimitUsd}
          aria-valuenow={used}
        >
          <span style={{ width: `${Math.round(share * 100)}%` }} />
        </div>
      )}
    </>
  );
}

/** The tenant's monthly spending limit (`GET/PUT /v1/budgets`); calls that would exceed it are refused. */
export function BudgetCard() {
  const api = useApi();
  const { can } = useSession();
  const budgets = useAsync(() => api.usage.budgets(), [api]);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (budgets.error instanceof ApiError && budgets.error.unavailable) {
    return (
      <section className="card" aria-labelledby="budget-title">
        <h2 id="budget-title">Budget</h2>
        <p className="muted">Budgets are not available on this server yet.</p>
      </section>
    );
  }
  const b = budgets.data;
  const limit = b?.tenant.monthlyLimitUsd ?? null;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const value = draft?.trim() ? Number(draft) : null;
      budgets.setData(await api.usage.setBudgets({ monthlyLimitUsd: value }));
      setDraft(null);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card" aria-labelledby="budget-title" data-testid="budget-card">
      <div className="card-header">
        <h2 id="budget-title">Budget{b ? <span className="muted"> · {b.month}</span> : null}</h2>
      </div>
      <ErrorBanner error={budgets.error ?? error} />
      {b && <Line line={b.tenant} />}
      {b && b.workflows.length > 0 && (
        <ul className="budget-workflows">
          {b.workflows.map((w) => (
            <li key={w.workflowId}>
              <span className="mono">{w.workflowSlug ?? w.workflowId}</span>:{' '}
              {w.monthlyLimitUsd === null
                ? 'no limit'
                : `${formatUsd(w.spentUsd + w.reservedUsd)} of ${formatUsd(w.monthlyLimitUsd)}`}
            </li>
          ))}
        </ul>
      )}
      {b &&
        can('admin') &&
        (draft === null ? (
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={() => setDraft(limit?.toString() ?? '')}
            data-testid="budget-change"
          >
            Change limit
          </button>
        ) : (
          <form className="row" onSubmit={save}>
            <div className="field field-inline">
              <label htmlFor="budget-limit">Monthly limit (USD)</label>
              <input
                id="budget-limit"
                type="number"
                min={0}
                step={0.01}
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                placeholder="no limit"
                data-testid="budget-limit"
              />
            </div>
            <button type="submit" className="btn btn-primary btn-sm" data-testid="budget-save">
              Save
            </button>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </form>
        ))}
    </section>
  );
}
