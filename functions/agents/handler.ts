import { Reply, httpHandler } from '../../shared/http/api-handler';
import { agentsRoutes } from '../../shared/api/routes/agents';
import { agentFileImpls } from './import-export';
import {
  agentVersions,
  createAgent,
  deleteAgent,
  getAgent,
  listAgents,
  updateAgent,
} from '../../shared/catalog/agents';
import { publishAgent } from '../../shared/catalog/publish';

export const handler = httpHandler(agentsRoutes, {
  'GET /v1/agents': async ({ platform, auth, query }) => listAgents(platform, auth, query),
  'POST /v1/agents': async ({ platform, auth, body }) =>
    new Reply(201, await createAgent(platform, auth, body)),
  'GET /v1/agents/{id}': async ({ platform, auth, params }) => getAgent(platform, auth, params.id),
  'PATCH /v1/agents/{id}': async ({ platform, auth, params, body }) =>
    updateAgent(platform, auth, params.id, body),
  'DELETE /v1/agents/{id}': async ({ platform, auth, params }) => {
    await deleteAgent(platform, auth, params.id);
    return new Reply(204);
  },
  'GET /v1/agents/{id}/versions': async ({ platform, auth, params, query }) =>
    agentVersions(platform, auth, params.id, query),
  'POST /v1/agents/{id}/publish': async ({ platform, auth, params, body }) =>
    publishAgent(platform, auth, params.id, body.version),
  ...agentFileImpls,
});
