/**
 * Publishing (ADR 120): which saved version of an agent or workflow runs when a caller names none.
 * Publishing an older version is the rollback; saving a new version publishes it.
 */
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import type { Platform } from '../platform/platform';
import { agentStoreInstance, view as agentView, type AgentView } from './agents';
import { workflowStoreInstance, view as workflowView, type WorkflowView } from './workflows';

export async function publishWorkflow(
  p: Platform,
  auth: AuthContext,
  idOrSlug: string,
  version: number,
): Promise<WorkflowView> {
  return p.db.withTenant(auth, async (tx) => {
    const before = await workflowStoreInstance.get(tx, auth.tenantId, idOrSlug);
    await workflowStoreInstance.publish(tx, auth.tenantId, before.id, version);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'workflow.publish',
      target: `workflow:${before.id}`,
      data: { version, previous: before.publishedVersion },
    });
    // The response is the workflow as the editor sees it: the latest saved, now with its new pointer.
    return workflowView(await workflowStoreInstance.get(tx, auth.tenantId, before.id));
  });
}

export async function publishAgent(
  p: Platform,
  auth: AuthContext,
  idOrSlug: string,
  version: number,
): Promise<AgentView> {
  return p.db.withTenant(auth, async (tx) => {
    const before = await agentStoreInstance.get(tx, auth.tenantId, idOrSlug);
    await agentStoreInstance.publish(tx, auth.tenantId, before.id, version);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'agent.publish',
      target: `agent:${before.id}`,
      data: { version, previous: before.publishedVersion },
    });
    return agentView(await agentStoreInstance.get(tx, auth.tenantId, before.id));
  });
}

/** Workflows as their published versions run them (what MCP clients see as tools). */
export async function listPublishedWorkflows(
  p: Platform,
  auth: AuthContext,
  page: { limit: number; cursor?: string },
) {
  return p.db.withTenant(auth, async (tx) => {
    const out = await workflowStoreInstance.list(tx, auth.tenantId, { ...page, published: true });
    return {
      items: out.items.map(workflowView),
      ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}),
    };
  });
}
