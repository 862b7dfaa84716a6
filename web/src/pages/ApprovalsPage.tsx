import { useState } from 'react';
import type { WaitingApproval } from '../api/types';
import { ApprovalCard, type Decision } from '../components/approvals/ApprovalCard';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { useAsync } from '../hooks/useAsync';
import { announceApprovalsChanged } from '../hooks/useWaitingApprovals';
import { Link } from '../router/Link';
import { useApi } from '../session/ApiContext';
import { useSession } from '../session/SessionContext';

/** `/approvals`: every approval step waiting in the tenant, decided in place. */
export function ApprovalsPage() {
  const api = useApi();
  const { can } = useSession();
  const inbox = useAsync(() => api.approvals.waiting(), [api]);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const decide = async (item: WaitingApproval, d: Decision) => {
    setError(null);
    setDone(null);
    try {
      if (d.approve) await api.runs.approve(item.runId, item.stepId, d.comment || undefined);
      else await api.runs.reject(item.runId, item.stepId, d.comment);
      inbox.setData((prev) => ({
        ...prev,
        items: (prev?.items ?? []).filter((i) => i.stepId !== item.stepId),
      }));
      setDone(`${item.nodeId} in ${item.workflowSlug} ${d.approve ? 'approved' : 'rejected'}.`);
      announceApprovalsChanged();
    } catch (err) {
      setError(err);
      // Decided elsewhere meanwhile (409): show the inbox as it is now.
      void inbox.reload();
    }
  };

  const items = inbox.data?.items;
  return (
    <>
      <PageHeader
        title="Approvals"
        subtitle="Runs waiting for a person to approve or reject a step, oldest first"
      />
      <ErrorBanner error={error} title="Could not record the decision" />
      <ErrorBanner error={inbox.error} title="Could not load the approvals" />
      {done && (
        <div className="alert alert-success" role="status" data-testid="approval-done">
          {done}
        </div>
      )}
      {!items && !inbox.error && <Loading label="Loading approvals" />}
      {items && items.length === 0 && (
        <EmptyState title="Nothing waits for approval">
          A workflow with an <span className="mono">approval</span> step waits here until someone
          decides. <Link to="/runs">See all runs</Link>.
        </EmptyState>
      )}
      {items && items.length > 0 && (
        <div className="approval-list" data-testid="approvals-list">
          {items.map((item) => (
            <ApprovalCard key={item.stepId} item={item} canDecide={can('dev')} onDecide={decide} />
          ))}
          {inbox.data?.nextCursor && (
            <p className="muted">More are waiting: decide these to see the next ones.</p>
          )}
        </div>
      )}
    </>
  );
}
