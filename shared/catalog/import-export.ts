/**
 * Workflows and agents as files (ADR 140). Export writes exactly what the create route accepts;
 * import applies a file declaratively: a new slug is created, a file that differs from the current
 * version becomes the next version (fields the file leaves out are cleared), and an identical file
 * changes nothing, so export → import creates no version and CI can apply files on every push.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { AgentSpec } from '../api/contracts/agents';
import type * as z from 'zod';
import type { ImportOutcome, WorkflowFile } from '../api/contracts/catalog-files';
import { WorkflowSpec } from '../api/contracts/workflows';
import type { AuthContext } from '../auth/context';
import { agents as agentRows, workflows as workflowRows } from '../db/schema';
import { NotFound, ValidationError } from '../errors';
import type { Platform } from '../platform/platform';
import { knownTool } from '../tools/names';
import { assertValidWorkflow } from '../workflow/validate';
import { createAgent, getAgent, updateAgent, type AgentView } from './agents';
import { parseSpec } from './parse-spec';
import { createWorkflow, getWorkflow, updateWorkflow, type WorkflowView } from './workflows';

type Outcome = z.infer<typeof ImportOutcome>;
export type AgentFile = AgentSpec & { slug: string };

/** File field order: who it is first, then the spec as its contract declares it. */
const LEADING = ['slug', 'name', 'description', 'role'];
const fieldsOf = (spec: z.ZodObject) => [
  ...LEADING.filter((k) => k === 'slug' || k in spec.shape),
  ...Object.keys(spec.shape).filter((k) => !LEADING.includes(k)),
];
export const WORKFLOW_FILE_FIELDS = fieldsOf(WorkflowSpec);
export const AGENT_FILE_FIELDS = fieldsOf(AgentSpec);

function pick<T>(item: object, fields: readonly string[]): T {
  const source = item as Record<string, unknown>;
  return Object.fromEntries(
    fields.filter((f) => source[f] !== undefined).map((f) => [f, source[f]]),
  ) as T;
}

export const workflowFileOf = (w: WorkflowView): WorkflowFile => pick(w, WORKFLOW_FILE_FIELDS);
export const agentFileOf = (a: AgentView): AgentFile => pick(a, AGENT_FILE_FIELDS);

/** The agent slugs a workflow's nodes name, in first-use order. */
export function agentsUsedBy(file: Pick<WorkflowFile, 'nodes'>): string[] {
  return [...new Set(file.nodes.flatMap((n) => (n.agent ? [n.agent] : [])))];
}

export async function exportWorkflow(
  p: Platform,
  auth: AuthContext,
  idOrSlug: string,
  options: { includeAgents?: boolean } = {},
): Promise<WorkflowFile> {
  const file = workflowFileOf(await getWorkflow(p, auth, idOrSlug));
  if (!options.includeAgents) return file;
  const used = await Promise.all(agentsUsedBy(file).map((slug) => getAgent(p, auth, slug)));
  return { ...file, agents: used.map(agentFileOf) };
}

export async function exportAgent(
  p: Platform,
  auth: AuthContext,
  idOrSlug: string,
): Promise<AgentFile> {
  return agentFileOf(await getAgent(p, auth, idOrSlug));
}

/** `dryRun`: the same outcomes and changed fields, nothing written. */
export interface ImportOptions {
  dryRun?: boolean;
}

export async function importAgent(
  p: Platform,
  auth: AuthContext,
  file: AgentFile,
  options: ImportOptions = {},
): Promise<Outcome> {
  const { slug, ...spec } = file;
  const current = await orMissing(getAgent(p, auth, slug));
  if (!current)
    return options.dryRun
      ? { kind: 'agent', slug, outcome: 'created', version: 1, changed: [] }
      : outcome('agent', await createAgent(p, auth, file), 'created', []);
  const changed = differences(spec, parseSpec(AgentSpec, current));
  if (!changed.length) return outcome('agent', current, 'unchanged', []);
  if (options.dryRun)
    return outcome('agent', { ...current, version: current.version + 1 }, 'updated', changed);
  const updated = await updateAgent(p, auth, current.id, patchFor(spec, changed));
  return outcome('agent', updated, 'updated', changed);
}

/**
 * Applies a workflow file, and first the agents of a bundle. Everything is checked before the
 * first write (the bundle's agents count as existing), so a rejected file writes nothing.
 */
export async function importWorkflow(
  p: Platform,
  auth: AuthContext,
  file: WorkflowFile,
  options: ImportOptions = {},
): Promise<Outcome[]> {
  const { agents = [], slug, ...spec } = file;
  const seen = new Set<string>();
  agents.forEach((a, i) => {
    if (seen.has(a.slug))
      throw new ValidationError(`agent "${a.slug}" appears twice in the file`, [
        { path: `agents[${i}].slug`, message: `"${a.slug}" appears twice` },
      ]);
    seen.add(a.slug);
  });
  // A dry run writes nothing, so the checks create and update would make run here.
  if (agents.length || options.dryRun) await precheck(p, auth, spec, seen);
  const items: Outcome[] = [];
  for (const agent of agents) items.push(await importAgent(p, auth, agent, options));
  const current = await orMissing(getWorkflow(p, auth, slug));
  if (!current) {
    items.push(
      options.dryRun
        ? { kind: 'workflow', slug, outcome: 'created', version: 1, changed: [] }
        : outcome('workflow', await createWorkflow(p, auth, { slug, ...spec }), 'created', []),
    );
    return items;
  }
  const changed = differences(spec, parseSpec(WorkflowSpec, current));
  if (!changed.length) items.push(outcome('workflow', current, 'unchanged', []));
  else if (options.dryRun)
    items.push(
      outcome('workflow', { ...current, version: current.version + 1 }, 'updated', changed),
    );
  else {
    const updated = await updateWorkflow(p, auth, current.id, patchFor(spec, changed));
    items.push(outcome('workflow', updated, 'updated', changed));
  }
  return items;
}

/** The workflow checks of create/update, with the bundle's agents taken as existing. */
async function precheck(
  p: Platform,
  auth: AuthContext,
  spec: WorkflowSpec,
  bundled: ReadonlySet<string>,
): Promise<void> {
  const { agentSlugs, workflowSlugs } = await p.db.withTenant(auth, async (tx) => {
    const liveAgents = await tx
      .select({ slug: agentRows.slug })
      .from(agentRows)
      .where(and(eq(agentRows.tenantId, auth.tenantId), isNull(agentRows.deletedAt)));
    const liveWorkflows = await tx
      .select({ slug: workflowRows.slug })
      .from(workflowRows)
      .where(and(eq(workflowRows.tenantId, auth.tenantId), isNull(workflowRows.deletedAt)));
    return {
      agentSlugs: new Set(liveAgents.map((r) => r.slug)),
      workflowSlugs: new Set(liveWorkflows.map((r) => r.slug)),
    };
  });
  assertValidWorkflow(spec, {
    agentExists: (s) => bundled.has(s) || agentSlugs.has(s),
    toolExists: knownTool,
    workflowExists: (s) => workflowSlugs.has(s),
  });
}

async function orMissing<T>(lookup: Promise<T>): Promise<T | undefined> {
  try {
    return await lookup;
  } catch (e) {
    if (e instanceof NotFound) return undefined;
    throw e;
  }
}

/** Spec fields whose values differ, compared as key-order-independent JSON. */
function differences(wanted: object, current: object): string[] {
  const a = wanted as Record<string, unknown>;
  const b = current as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((k) => stable(a[k]) !== stable(b[k]));
}

/** The file is the whole truth: a changed field the file leaves out is cleared (`null`). */
function patchFor<T>(spec: object, changed: string[]): T {
  const s = spec as Record<string, unknown>;
  return Object.fromEntries(changed.map((k) => [k, s[k] ?? null])) as T;
}

function outcome(
  kind: Outcome['kind'],
  item: { id: string; slug: string; version: number },
  result: Outcome['outcome'],
  changed: string[],
): Outcome {
  return { kind, id: item.id, slug: item.slug, outcome: result, version: item.version, changed };
}

export function stable(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, (v as Record<string, unknown>)[k]]),
          )
        : v,
    ) ?? 'undefined'
  );
}
