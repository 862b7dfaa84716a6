import { Reply, httpHandler } from '../../shared/http/api-handler';
import { runsRoutes } from '../../shared/api/routes/runs';
import { cancelRun } from '../../shared/runs/cancel-run';
import { decideApproval } from '../../shared/runs/decide-approval';
import { rerun } from '../../shared/runs/rerun';
import { listWaitingApprovals } from '../../shared/runs/approvals';
import { listEvents } from '../../shared/runs/events';
import { tryAgent } from '../../shared/runs/try-agent';
import { listRuns, loadRunRow, readRun, readStep } from '../../shared/runs/run-store';

export const handler = httpHandler(runsRoutes, {
  'GET /v1/runs': async ({ platform, auth, query }) =>
    platform.db.withTenant(auth, (tx) => listRuns(tx, auth.tenantId, query)),
  'GET /v1/runs/{id}': async ({ platform, auth, params }) =>
    platform.db.withTenant(auth, (tx) => readRun(tx, auth.tenantId, params.id)),
  'GET /v1/runs/{id}/steps/{stepId}': async ({ platform, auth, params }) =>
    platform.db.withTenant(auth, (tx) =>
      readStep(platform, tx, auth.tenantId, params.id, params.stepId),
    ),
  'GET /v1/runs/{id}/events': async ({ platform, auth, params, query }) =>
    platform.db.withTenant(auth, async (tx) => {
      await loadRunRow(tx, auth.tenantId, params.id);
      return listEvents(tx, params.id, query.after, query.limit);
    }),
  'POST /v1/runs/{id}/cancel': async ({ platform, auth, params }) =>
    cancelRun(platform, auth, params.id),
  'POST /v1/runs/{id}/rerun': async ({ platform, auth, params, body }) =>
    new Reply(202, await rerun(platform, auth, params.id, body)),
  'POST /v1/runs/{id}/steps/{stepId}/approve': async ({ platform, auth, params, body }) =>
    new Reply(
      202,
      await decideApproval(platform, auth, params.id, params.stepId, true, body.comment),
    ),
  'POST /v1/runs/{id}/steps/{stepId}/reject': async ({ platform, auth, params, body }) =>
    new Reply(
      202,
      await decideApproval(platform, auth, params.id, params.stepId, false, body.comment),
    ),
  'GET /v1/approvals': async ({ platform, auth, query }) =>
    platform.db.withTenant(auth, (tx) => listWaitingApprovals(platform, tx, auth.tenantId, query)),
  'POST /v1/agents/{id}/try': async ({ platform, auth, params, body }) =>
    new Reply(202, await tryAgent(platform, auth, params.id, body)),
});
