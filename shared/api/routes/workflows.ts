import { route as r } from '../route';
import { workflowFileRoutes } from './catalog-files';
import { IdOrSlugParams, PageQuery, listOf } from '../contracts/common';
import * as workflows from '../contracts/workflows';

export const workflowsRoutes = [
  r('GET', '/v1/workflows', 'viewer', 'List workflows', {
    query: PageQuery,
    response: listOf(workflows.Workflow),
  }),
  r('POST', '/v1/workflows', 'dev', 'Create a workflow', {
    body: workflows.WorkflowCreateBody,
    response: workflows.Workflow,
    status: 201,
  }),
  r('GET', '/v1/workflows/{id}', 'viewer', 'Get a workflow by id or slug', {
    params: IdOrSlugParams,
    response: workflows.Workflow,
  }),
  r('PATCH', '/v1/workflows/{id}', 'dev', 'Change a workflow (new version)', {
    params: IdOrSlugParams,
    body: workflows.WorkflowPatchBody,
    response: workflows.Workflow,
  }),
  r('DELETE', '/v1/workflows/{id}', 'dev', 'Delete a workflow', {
    params: IdOrSlugParams,
    status: 204,
  }),
  r('GET', '/v1/workflows/{id}/versions', 'viewer', 'List workflow versions', {
    params: IdOrSlugParams,
    query: PageQuery,
    response: listOf(workflows.WorkflowVersion),
  }),
  r('POST', '/v1/workflows/{id}/publish', 'dev', 'Publish a saved version (rollback)', {
    params: IdOrSlugParams,
    body: workflows.WorkflowPublishBody,
    response: workflows.Workflow,
  }),
  r('POST', '/v1/workflows/{id}/runs', 'dev', 'Start a run', {
    params: IdOrSlugParams,
    body: workflows.RunStartBody,
    response: workflows.RunStarted,
    status: 202,
  }),
  ...workflowFileRoutes,
] as const;
