import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import type { Budget } from '../api/types';
import { formatUsd } from '../format';
import { useAsync } from '../hooks/useAsync';
import { useApi } from '../session/ApiContext';
import { useSession } from '../session/SessionContext';
import { ErrorBanner } from './ErrorBanner';

function limitOf(b: Budget | undefined): number | null {
  const v = b?.monthlyLimitUsd ?? b?.limitUsd;
  return typeof v === 'number' ? v : null;
}

/** The tenant's spending limit (`GET/PUT /v1/budgets`); calls that would exceed it are refused. */
export function BudgetCard() {
  const api = useApi();
  const { can } = useSession();
  const budget = useAsync(() => api.usage.budget(), [api]);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (budget.error instanceof ApiError && budget.error.unavailable) {
    return (
      <section className="card" aria-labelledby="budget-title">
        <h2 id="budget-title">Budget</h2>
        <p className="muted">Budgets are not available on this server yet.</p>
      </section>
    );
  }
  const limit = limitOf(budget.data);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const value = draft?.trim() ? Number(draft) : null;
      const next = await api.usage.setBudget({ ...budget.data, monthlyLimitUsd: value });
      budget.setData(next ?? { monthlyLimitUsd: value });
      setDraft(null);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card" aria-labelledby="budget-title" data-testid="budget-card">
      <div className="card-header">
        <h2 id="budget-title">Budget</h2>
      </div>
      <ErrorBanner error={budget.error ?? error} />
      <p className="big-number">{limit === null ? 'No limit' : `${formatUsd(limit)} / month`}</p>
      {typeof budget.data?.spentUsd === 'number' && <p className="muted">Spent this period: {formatUsd(budget.data.spentUsd)}</p>}
      {can('admin') &&
        (draft === null ? (
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => setDraft(limit?.toString() ?? '')}>
            Change limit
          </button>
        ) : (
          <form className="row" onSubmit={save}>
            <div className="field field-inline">
              <label htmlFor="budget-limit">Monthly limit (USD)</label>
              <input id="budget-limit" type="number" min={0} step={0.01} value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="no limit" />
            </div>
            <button type="submit" className="btn btn-primary btn-sm">
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
