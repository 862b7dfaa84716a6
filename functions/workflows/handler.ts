import { Reply, httpHandler } from '../../shared/http/api-handler';
import { workflowsRoutes } from '../../shared/api/routes/workflows';
import { workflowFileImpls } from './import-export';
import {
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  listWorkflows,
  updateWorkflow,
  workflowVersions,
} from '../../shared/catalog/workflows';
import { startRun } from '../../shared/runs/start-run';
import { idempotencyKeyOf } from '../../shared/idempotency/header';
import { publishImpls } from './publish';

export const handler = httpHandler(workflowsRoutes, {
  ...publishImpls,
  'GET /v1/workflows': async ({ platform, auth, query }) => listWorkflows(platform, auth, query),
  'POST /v1/workflows': async ({ platform, auth, body }) =>
    new Reply(201, await createWorkflow(platform, auth, body)),
  'GET /v1/workflows/{id}': async ({ platform, auth, params }) =>
    getWorkflow(platform, auth, params.id),
  'PATCH /v1/workflows/{id}': async ({ platform, auth, params, body }) =>
    updateWorkflow(platform, auth, params.id, body),
  'DELETE /v1/workflows/{id}': async ({ platform, auth, params }) => {
    await deleteWorkflow(platform, auth, params.id);
    return new Reply(204);
  },
  'GET /v1/workflows/{id}/versions': async ({ platform, auth, params, query }) =>
    workflowVersions(platform, auth, params.id, query),
  'POST /v1/workflows/{id}/runs': async ({ platform, auth, params, body, headers }) => {
    const started = await startRun(platform, auth, params.id, body.input, {
      idempotencyKey: idempotencyKeyOf(headers),
      version: body.version,
    });
    return new Reply(202, { runId: started.runId, status: started.status });
  },
  ...workflowFileImpls,
});
