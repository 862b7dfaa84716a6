import { AgentSpec, type AgentSpec as AgentSpecT } from '../api/contracts/agents';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import type { Platform } from '../platform/platform';
import { agentStore, type Stored } from './versioned-store';

const agents = agentStore<AgentSpecT>();
export const agentStoreInstance = agents;

export type AgentView = AgentSpecT & {
  id: string;
  slug: string;
  version: number;
  createdAt: string;
  updatedAt: string;
};
const view = (a: Stored<AgentSpecT>): AgentView => ({
  ...a.spec,
  id: a.id,
  slug: a.slug,
  version: a.version,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
});

export async function listAgents(
  p: Platform,
  auth: AuthContext,
  page: { limit: number; cursor?: string },
) {
  return p.db.withTenant(auth, async (tx) => {
    const out = await agents.list(tx, auth.tenantId, page);
    return {
      items: out.items.map(view),
      ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}),
    };
  });
}

export async function getAgent(
  p: Platform,
  auth: AuthContext,
  idOrSlug: string,
): Promise<AgentView> {
  return p.db.withTenant(auth, async (tx) => view(await agents.get(tx, auth.tenantId, idOrSlug)));
}

export async function createAgent(
  p: Platform,
  auth: AuthContext,
  input: AgentSpecT & { slug: string },
): Promise<AgentView> {
  const { slug, ...spec } = input;
  return p.db.withTenant(auth, async (tx) => {
    const created = await agents.create(tx, auth.tenantId, slug, spec, auth.userId);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'agent.create',
      target: `agent:${created.id}`,
      data: { slug, version: 1 },
    });
    return view(created);
  });
}

export async function updateAgent(
  p: Platform,
  auth: AuthContext,
  idOrSlug: string,
  patch: Partial<AgentSpecT>,
): Promise<AgentView> {
  return p.db.withTenant(auth, async (tx) => {
    const current = await agents.get(tx, auth.tenantId, idOrSlug);
    // The merged spec is parsed again so defaults and cross-field rules hold for every version.
    const spec = AgentSpec.parse({ ...current.spec, ...patch });
    const updated = await agents.update(tx, auth.tenantId, current.id, spec, auth.userId);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'agent.update',
      target: `agent:${updated.id}`,
      data: { version: updated.version, fields: Object.keys(patch) },
    });
    return view(updated);
  });
}

export async function deleteAgent(p: Platform, auth: AuthContext, idOrSlug: string): Promise<void> {
  await p.db.withTenant(auth, async (tx) => {
    const removed = await agents.remove(tx, auth.tenantId, idOrSlug);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'agent.delete',
      target: `agent:${removed.id}`,
      data: { slug: removed.slug },
    });
  });
}

export async function agentVersions(p: Platform, auth: AuthContext, idOrSlug: string) {
  return p.db.withTenant(auth, async (tx) => ({
    items: await agents.versions(tx, auth.tenantId, idOrSlug),
  }));
}
