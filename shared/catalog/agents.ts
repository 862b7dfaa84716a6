import { AgentSpec, type AgentSpec as AgentSpecT } from '../api/contracts/agents';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import type { Platform } from '../platform/platform';
import { applyPatch, type PatchOf } from '../api/strict';
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { workflowVersions, workflows } from '../db/schema';
import { Conflict, ValidationError } from '../errors';
import { workflowToolSlug } from '../tools/agent-tools/catalog';
import { parseSpec } from './parse-spec';
import { agentStore, type Stored } from './versioned-store';

const agents = agentStore<AgentSpecT>();
export const agentStoreInstance = agents;

export type AgentView = AgentSpecT & {
  id: string;
  slug: string;
  version: number;
  publishedVersion: number;
  createdAt: string;
  updatedAt: string;
};
export const view = (a: Stored<AgentSpecT>): AgentView => ({
  ...a.spec,
  id: a.id,
  slug: a.slug,
  version: a.version,
  publishedVersion: a.publishedVersion,
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
    await assertWorkflowTools(tx, auth.tenantId, spec);
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
  patch: PatchOf<AgentSpecT>,
): Promise<AgentView> {
  return p.db.withTenant(auth, async (tx) => {
    const current = await agents.get(tx, auth.tenantId, idOrSlug);
    // Only the named fields change; the result is parsed again so cross-field rules hold.
    const spec = parseSpec(AgentSpec, applyPatch(current.spec, patch));
    await assertWorkflowTools(tx, auth.tenantId, spec);
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

/**
 * Each `workflow:<slug>` tool names a workflow of this tenant (RLS: another tenant's is not seen);
 * a 400 naming `tools[i]` otherwise (ADR 162).
 */
async function assertWorkflowTools(tx: Tx, tenantId: string, spec: AgentSpecT): Promise<void> {
  const wanted = (spec.tools ?? []).flatMap((name, i) => {
    const slug = workflowToolSlug(name);
    return slug ? [{ i, name, slug }] : [];
  });
  if (!wanted.length) return;
  const found = new Set(
    (
      await tx
        .select({ slug: workflows.slug })
        .from(workflows)
        .where(and(eq(workflows.tenantId, tenantId), isNull(workflows.deletedAt)))
    ).map((w) => w.slug),
  );
  const problems = wanted
    .filter((w) => !found.has(w.slug))
    .map((w) => ({
      path: `tools[${w.i}]`,
      message: `"${w.name}": there is no workflow "${w.slug}"`,
    }));
  if (problems.length)
    throw new ValidationError(
      `invalid agent: ${problems[0].path}: ${problems[0].message}`,
      problems,
    );
}

export async function deleteAgent(p: Platform, auth: AuthContext, idOrSlug: string): Promise<void> {
  await p.db.withTenant(auth, async (tx) => {
    const current = await agents.get(tx, auth.tenantId, idOrSlug);
    const users = await workflowsUsingAgent(tx, auth.tenantId, current.slug);
    if (users.length)
      throw new Conflict(
        `agent "${current.slug}" is used by the current or published version of workflow${users.length > 1 ? 's' : ''} ${users.map((u) => `"${u}"`).join(', ')}; change ${users.length > 1 ? 'them' : 'it'} first`,
      );
    const removed = await agents.remove(tx, auth.tenantId, current.id);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'agent.delete',
      target: `agent:${removed.id}`,
      data: { slug: removed.slug },
    });
  });
}

export async function agentVersions(
  p: Platform,
  auth: AuthContext,
  idOrSlug: string,
  page: { limit: number; cursor?: string },
) {
  return p.db.withTenant(auth, (tx) => agents.versions(tx, auth.tenantId, idOrSlug, page));
}

/** Slugs of live workflows whose current or published version has a node running this agent. */
async function workflowsUsingAgent(tx: Tx, tenantId: string, slug: string): Promise<string[]> {
  const rows = await tx
    .select({ slug: workflows.slug })
    .from(workflows)
    .innerJoin(
      workflowVersions,
      and(
        eq(workflowVersions.workflowId, workflows.id),
        // The published version runs too (ADR 120), even when a newer one is saved.
        or(
          eq(workflowVersions.version, workflows.currentVersion),
          eq(workflowVersions.version, workflows.publishedVersion),
        ),
      ),
    )
    .where(
      and(
        eq(workflows.tenantId, tenantId),
        isNull(workflows.deletedAt),
        sql`${workflowVersions.spec}->'nodes' @> ${JSON.stringify([{ agent: slug }])}::jsonb`,
      ),
    )
    .orderBy(workflows.slug);
  return [...new Set(rows.map((r) => r.slug))];
}
