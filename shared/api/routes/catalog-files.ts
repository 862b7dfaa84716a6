/** Export and import of workflows and agents as files (ADR 140); bound with their domain's routes. */
import { route as r } from '../route';
import { IdOrSlugParams } from '../contracts/common';
import { AgentCreateBody } from '../contracts/agents';
import * as files from '../contracts/catalog-files';

export const workflowFileRoutes = [
  r('GET', '/v1/workflows/{id}/export', 'viewer', 'Export a workflow as a file (JSON or YAML)', {
    params: IdOrSlugParams,
    query: files.WorkflowExportQuery,
    response: files.WorkflowFile,
    yaml: true,
  }),
  r(
    'POST',
    '/v1/workflows/import',
    'dev',
    'Import a workflow file (JSON or YAML): created, updated as a new version, or unchanged',
    {
      query: files.ImportQuery,
      body: files.WorkflowFile,
      response: files.ImportReport,
      yaml: true,
    },
  ),
] as const;

export const agentFileRoutes = [
  r('GET', '/v1/agents/{id}/export', 'viewer', 'Export an agent as a file (JSON or YAML)', {
    params: IdOrSlugParams,
    query: files.ExportQuery,
    response: AgentCreateBody,
    yaml: true,
  }),
  r(
    'POST',
    '/v1/agents/import',
    'dev',
    'Import an agent file (JSON or YAML): created, updated as a new version, or unchanged',
    { query: files.ImportQuery, body: AgentCreateBody, response: files.ImportReport, yaml: true },
  ),
] as const;
