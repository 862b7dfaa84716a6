import { useMemo, useState } from 'react';
import { ApiError } from '../api/errors';
import { BucketTable } from '../components/BucketTable';
import { BudgetCard } from '../components/BudgetCard';
import { EmptyState, Unavailable } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import {
  CostByKeyChart,
  CostPerDayChart,
  CostShareChart,
  TokensPerDayChart,
} from '../components/UsageCharts';
import { formatTokens, formatUsd } from '../format';
import { useAsync } from '../hooks/useAsync';
import { useApi } from '../session/ApiContext';
import { fillDays, isoDay, rollUp, totals } from '../usage/aggregate';

const DAY = 86_400_000;

export function UsagePage() {
  const api = useApi();
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 29 * DAY)));
  const [to, setTo] = useState(() => isoDay(new Date()));
  const report = useAsync(
    () => api.usage.report({ from, to, groupBy: ['day', 'workflow', 'provider'] }),
    [api, from, to],
  );

  const rows = report.data?.items ?? [];
  const byDay = useMemo(() => fillDays(rollUp(rows, 'day'), from, to), [rows, from, to]);
  const byWorkflow = useMemo(() => rollUp(rows, 'workflow'), [rows]);
  const byProvider = useMemo(() => rollUp(rows, 'provider'), [rows]);
  const sum = report.data?.total ?? totals(rows);

  const unavailable = report.error instanceof ApiError && report.error.unavailable;

  return (
    <>
      <PageHeader title="Usage" subtitle="What the models cost, per day, workflow and provider." />
      <fieldset className="toolbar" aria-label="Period">
        <div className="field field-inline">
          <label htmlFor="usage-from">From</label>
          <input
            id="usage-from"
            type="date"
            value={from}
            max={to}
            onChange={(e) => e.target.value && setFrom(e.target.value)}
          />
        </div>
        <div className="field field-inline">
          <label htmlFor="usage-to">To</label>
          <input
            id="usage-to"
            type="date"
            value={to}
            min={from}
            onChange={(e) => e.target.value && setTo(e.target.value)}
          />
        </div>
      </fieldset>
      {unavailable ? (
        <Unavailable feature="Usage" />
      ) : (
        <>
          <ErrorBanner error={report.error} title="Could not load usage" />
          {report.loading && !report.data && <Loading label="Loading usage" />}
          {report.data && (
            <>
              <div className="stats" data-testid="usage-totals">
                <div className="stat">
                  <span className="stat-label">Cost</span>
                  <span className="stat-value">{formatUsd(sum.costUsd)}</span>
                </div>
                <div className="stat">
                  <span className="stat-label">Input tokens</span>
                  <span className="stat-value">{formatTokens(sum.inputTokens)}</span>
                </div>
                <div className="stat">
                  <span className="stat-label">Output tokens</span>
                  <span className="stat-value">{formatTokens(sum.outputTokens)}</span>
                </div>
              </div>
              {rows.length === 0 ? (
                <EmptyState title="Nothing spent in this period">
                  Usage appears here once runs call a model.
                </EmptyState>
              ) : (
                <div className="dashboard">
                  <section className="card span-2" aria-labelledby="chart-day">
                    <h2 id="chart-day">Cost per day</h2>
                    <CostPerDayChart data={byDay} />
                    <BucketTable data={byDay} label="Cost per day" keyLabel="Day" />
                  </section>
                  <section className="card span-2" aria-labelledby="chart-tokens">
                    <h2 id="chart-tokens">Tokens per day</h2>
                    <TokensPerDayChart data={byDay} />
                  </section>
                  <section className="card" aria-labelledby="chart-workflow">
                    <h2 id="chart-workflow">Cost per workflow</h2>
                    <CostByKeyChart data={byWorkflow} />
                    <BucketTable data={byWorkflow} label="Cost per workflow" keyLabel="Workflow" />
                  </section>
                  <section className="card" aria-labelledby="chart-provider">
                    <h2 id="chart-provider">Cost per provider</h2>
                    <CostShareChart data={byProvider} />
                    <BucketTable data={byProvider} label="Cost per provider" keyLabel="Provider" />
                  </section>
                </div>
              )}
            </>
          )}
        </>
      )}
      <BudgetCard />
    </>
  );
}
