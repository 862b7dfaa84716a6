/** Every route of the HTTP API, by domain. infra/manifest.ts binds each list to its function. */
import { metaRoutes } from './meta';
import { authRoutes } from './auth';
import { membersRoutes } from './members';
import { apiKeysRoutes } from './api-keys';
import { agentsRoutes } from './agents';
import { workflowsRoutes } from './workflows';
import { runsRoutes } from './runs';
import { streamsRoutes } from './streams';
import { mcpRoutes } from './mcp';
import { auditRoutes } from './audit';
import { triggersRoutes } from './triggers';
import { webhooksRoutes } from './webhooks';
import { providersRoutes } from './providers';
import { usageRoutes } from './usage';
import { knowledgeRoutes } from './knowledge';
import { schedulesRoutes } from './schedules';
import { batchesRoutes } from './batches';

export const routes = {
  meta: metaRoutes,
  auth: authRoutes,
  members: membersRoutes,
  apiKeys: apiKeysRoutes,
  agents: agentsRoutes,
  workflows: workflowsRoutes,
  runs: runsRoutes,
  streams: streamsRoutes,
  mcp: mcpRoutes,
  audit: auditRoutes,
  triggers: triggersRoutes,
  webhooks: webhooksRoutes,
  providers: providersRoutes,
  usage: usageRoutes,
  knowledge: knowledgeRoutes,
  schedules: schedulesRoutes,
  batches: batchesRoutes,
} as const;

export type RouteDomain = keyof typeof routes;
