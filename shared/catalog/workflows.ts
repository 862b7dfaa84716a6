import { type AnyColumn, and, eq, isNull, ne, or, sql } from 'drizzle-orm';
import { WorkflowSpec, type WorkflowSpec as WorkflowSpecT } from '../api/contracts/workflows';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import type { Tx } from '../db/client';
import { Conflict } from '../errors';
import {
  agentVersions,
  agents,
  workflowVersions as workflowVersionRows,
  workflows as workflowRows,
} from '../db/schema';
import type { Platform } from '../platform/platform';
import { assertValidWorkflow } from '../workflow/validate';
import { knownTool } from '../tools/names';
import { applyPatch, type PatchOf } from '../api/strict';
import { parseSpec } from './parse-spec';
import { workflowStore, type Stored } from './versioned-store';

const workflows = workflowStore<WorkflowSpecT>();
export const workflowStoreInstance = workflows;

export type WorkflowView = WorkflowSpecT & {
  id: string;
  slug: string;
  version: number;
  publishedVersion: number;
  createdAt: string;
  updatedAt: string;
};
export const view = (w: Stored<WorkflowSpecT>): WorkflowView => ({
  ...w.spec,
  id: w.id,
  slug: w.slug,
  version: w.version,
  publishedVersion: w.publishedVersion,
  createdAt: w.createdAt,
  updatedAt: w.updatedAt,
});

/** Rejects cycles, unknown agents and tools, bad template references and unreachable nodes (400 naming the node). */
async function validate(tx: Tx, tenantId: string, spec: WorkflowSpecT): Promise<void> {
  // Versions are numbered 1..current without gaps, so the latest number tells which exist.
  const latest = new Map(
    (
      await tx
        .select({ slug: agents.slug, current: agents.currentVersion })
        .from(agents)
        .where(and(eq(agents.tenantId, tenantId), isNull(agents.deletedAt)))
    ).map((a) => [a.slug, a.current]),
  );
  const needsWorkflows = spec.nodes.some((n) => n.type === 'workflow' || n.type === 'map');
  const workflowSlugs = needsWorkflows
    ? new Set(
        (
          await tx
            .select({ slug: workflowRows.slug })
            .from(workflowRows)
            .where(and(eq(workflowRows.tenantId, tenantId), isNull(workflowRows.deletedAt)))
        ).map((w) => w.slug),
      )
    : new Set<string>();
  assertValidWorkflow(spec, {
    agentExists: (s) => latest.has(s),
    agentVersionExists: (s, v) => v <= (latest.get(s) ?? 0),
    toolExists: knownTool,
    workflowExists: (s) => workflowSlugs.has(s),
  });
}

export async function listWorkflows(
  p: Platform,
  auth: AuthContext,
  page: { limit: number; cursor?: string },
) {
  return p.db.withTenant(auth, async (tx) => {
    const out = await workflows.list(tx, auth.tenantId, page);
    return {
      items: out.items.map(view),
      ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}),
    };
  });
}

export async function getWorkflow(
  p: Platform,
  auth: AuthContext,
  idOrSlug: string,
): Promise<WorkflowView> {
  return p.db.withTenant(auth, async (tx) =>
    view(await workflows.get(tx, auth.tenantId, idOrSlug)),
  );
}

export async function createWorkflow(
  p: Platform,
  auth: AuthContext,
  input: WorkflowSpecT & { slug: string },
): Promise<WorkflowView> {
  const { slug, ...spec } = input;
  return p.db.withTenant(auth, async (tx) => {
    await validate(tx, auth.tenantId, spec);
    const created = await workflows.create(tx, auth.tenantId, slug, spec, auth.userId);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'workflow.create',
      target: `workflow:${created.id}`,
      data: { slug, version: 1 },
    });
    return view(created);
  });
}

export async function updateWorkflow(
  p: Platform,
  auth: AuthContext,
  idOrSlug: string,
  patch: PatchOf<WorkflowSpecT>,
): Promise<WorkflowView> {
  return p.db.withTenant(auth, async (tx) => {
    const current = await workflows.get(tx, auth.tenantId, idOrSlug);
    const spec = parseSpec(WorkflowSpec, applyPatch(current.spec, patch));
    await validate(tx, auth.tenantId, spec);
    const updated = await workflows.update(tx, auth.tenantId, current.id, spec, auth.userId);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'workflow.update',
      target: `workflow:${updated.id}`,
      data: { version: updated.version, fields: Object.keys(patch) },
    });
    return view(updated);
  });
}

export async function deleteWorkflow(
  p: Platform,
  auth: AuthContext,
  idOrSlug: string,
): Promise<void> {
  await p.db.withTenant(auth, async (tx) => {
    const current = await workflows.get(tx, auth.tenantId, idOrSlug);
    const users = await usersOfWorkflow(tx, auth.tenantId, current.slug);
    if (users.length)
      throw new Conflict(
        `workflow "${current.slug}" is used by ${users.join(', ')}; change ${users.length > 1 ? 'them' : 'it'} first`,
      );
    const removed = await workflows.remove(tx, auth.tenantId, current.id);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'workflow.delete',
      target: `workflow:${removed.id}`,
      data: { slug: removed.slug },
    });
  });
}

export async function workflowVersions(
  p: Platform,
  auth: AuthContext,
  idOrSlug: string,
  page: { limit: number; cursor?: string },
) {
  return p.db.withTenant(auth, (tx) => workflows.versions(tx, auth.tenantId, idOrSlug, page));
}

/**
 * What would break if the workflow went: the agents with it as a `workflow:<slug>` tool and the
 * workflows with a sub-workflow or map node running it, in their current or published version
 * (the published one runs too, ADR 120). Each named as `agent "x"` or `workflow "y"`.
 */
async function usersOfWorkflow(tx: Tx, tenantId: string, slug: string): Promise<string[]> {
  const live = <T extends { currentVersion: AnyColumn; publishedVersion: AnyColumn }>(
    head: T,
    version: AnyColumn,
  ) => or(eq(version, head.currentVersion), eq(version, head.publishedVersion));
  const byAgents = await tx
    .select({ slug: agents.slug })
    .from(agents)
    .innerJoin(
      agentVersions,
      and(eq(agentVersions.agentId, agents.id), live(agents, agentVersions.version)),
    )
    .where(
      and(
        eq(agents.tenantId, tenantId),
        isNull(agents.deletedAt),
        sql`${agentVersions.spec}->'tools' @> ${JSON.stringify([`workflow:${slug}`])}::jsonb`,
      ),
    )
    .orderBy(agents.slug);
  const byWorkflows = await tx
    .select({ slug: workflowRows.slug })
    .from(workflowRows)
    .innerJoin(
      workflowVersionRows,
      and(
        eq(workflowVersionRows.workflowId, workflowRows.id),
        live(workflowRows, workflowVersionRows.version),
      ),
    )
    .where(
      and(
        eq(workflowRows.tenantId, tenantId),
        isNull(workflowRows.deletedAt),
        ne(workflowRows.slug, slug),
        sql`${workflowVersionRows.spec}->'nodes' @> ${JSON.stringify([{ workflow: slug }])}::jsonb`,
      ),
    )
    .orderBy(workflowRows.slug);
  return [
    ...new Set([
      ...byAgents.map((a) => `agent "${a.slug}"`),
      ...byWorkflows.map((w) => `workflow "${w.slug}"`),
    ]),
  ];
}
