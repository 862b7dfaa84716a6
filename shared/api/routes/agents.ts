import { route as r } from '../route';
import { agentFileRoutes } from './catalog-files';
import { IdOrSlugParams, PageQuery, listOf } from '../contracts/common';
import * as agents from '../contracts/agents';

export const agentsRoutes = [
  r('GET', '/v1/agents', 'viewer', 'List agents', {
    query: PageQuery,
    response: listOf(agents.Agent),
  }),
  r('POST', '/v1/agents', 'dev', 'Create an agent', {
    body: agents.AgentCreateBody,
    response: agents.Agent,
    status: 201,
  }),
  r('GET', '/v1/agents/{id}', 'viewer', 'Get an agent by id or slug', {
    params: IdOrSlugParams,
    response: agents.Agent,
  }),
  r('PATCH', '/v1/agents/{id}', 'dev', 'Change an agent (new version)', {
    params: IdOrSlugParams,
    body: agents.AgentPatchBody,
    response: agents.Agent,
  }),
  r('DELETE', '/v1/agents/{id}', 'dev', 'Delete an agent', {
    params: IdOrSlugParams,
    status: 204,
  }),
  r('GET', '/v1/agents/{id}/versions', 'viewer', 'List agent versions', {
    params: IdOrSlugParams,
    query: PageQuery,
    response: listOf(agents.AgentVersion),
  }),
  r('POST', '/v1/agents/{id}/publish', 'dev', 'Publish a saved version (rollback)', {
    params: IdOrSlugParams,
    body: agents.AgentPublishBody,
    response: agents.Agent,
  }),
  ...agentFileRoutes,
] as const;
