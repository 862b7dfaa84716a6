/**
 * Sub-workflow and map steps (ADR 091). Each invocation advances the step and reports whether it
 * has settled; the state machine waits and invokes it again until it has. The first invocation
 * creates the child runs (one per item, keyed by parent step and item index, so a repeated
 * invocation creates none twice); every invocation starts children while fewer than
 * `maxConcurrency` are in flight, and the one that finds them all finished records the step: the
 * outputs in item order, the children's cost rolled up, FAILED when any child did not succeed.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { workflowStoreInstance } from '../../catalog/workflows';
import type { Tx } from '../../db/client';
import { runSteps, runs } from '../../db/schema';
import { NotFound, ValidationError } from '../../errors';
import type { Platform } from '../../platform/platform';
import type { WorkflowNode } from '../../workflow/model';
import { renderTemplate, resolveReference, type TemplateContext } from '../../workflow/template';
import { appendEvent } from '../events';
import { launch } from '../launch';
import { pinAgents } from '../start-run';
import type { StepTaskInput } from './agent-step';
import { loadRunContext, loadRunData, referencedSteps, type RunRow } from './context';
import { isTerminalRun } from '../run-status';

/** A child run with its output (the engine's own run rows leave outputs out). */
type ChildRow = typeof runs.$inferSelect;

/** Items a map fans out over, at most. */
export const MAX_MAP_ITEMS = 1000;
/** Children in flight at once when a map names no maxConcurrency. */
export const DEFAULT_MAP_CONCURRENCY = 5;
/** A child may itself start children, this deep at most (a workflow that calls itself stops here). */
export const MAX_CHILD_DEPTH = 5;

export async function runChildStep(
  p: Platform,
  input: StepTaskInput,
): Promise<{ done: boolean; status: string }> {
  const advanced = await p.db.withTenant({ tenantId: input.tenantId }, async (tx) => {
    const { run, spec, steps } = await loadRunContext(tx, input.runId);
    const step = steps.find((s) => s.id === input.stepId);
    if (!step) throw new ValidationError(`step ${input.stepId} is not part of run ${input.runId}`);
    if (run.status === 'CANCELLED' || ['SUCCEEDED', 'FAILED', 'SKIPPED'].includes(step.status))
      return { settled: step.status, launchable: [] as string[] };
    const node = spec.nodes.find((n) => n.id === step.nodeId);
    if (!node) throw new NotFound(`node ${step.nodeId} is not in the workflow of run ${run.id}`);
    if (step.status === 'PENDING') {
      // Only the outputs the child inputs and the items path read are loaded (Data API limits).
      const reads = referencedSteps(`${JSON.stringify(node.input ?? {})} {{${node.items ?? ''}}}`);
      await createChildren(tx, run, step.id, node, await loadRunData(p, tx, run, steps, reads));
      await tx
        .update(runSteps)
        .set({ status: 'RUNNING', startedAt: new Date(p.now()) })
        .where(eq(runSteps.id, step.id));
    }
    const children = await tx
      .select()
      .from(runs)
      .where(eq(runs.parentStepId, step.id))
      .orderBy(asc(runs.itemIndex));
    if (children.every((c) => isTerminalRun(c.status))) {
      return { settled: await settle(p, tx, run, step, node, children), launchable: [] };
    }
    const started = (c: ChildRow) => (c.executionIds as string[]).length > 0;
    const inFlight = children.filter((c) => started(c) && !isTerminalRun(c.status)).length;
    const room = Math.max(0, (node.maxConcurrency ?? DEFAULT_MAP_CONCURRENCY) - inFlight);
    const launchable = children.filter((c) => !started(c) && c.status === 'QUEUED');
    return { settled: undefined, launchable: launchable.slice(0, room).map((c) => c.id) };
  });
  // Executions start outside the transaction; a child's execution name is its run id, so a
  // repeated start of the same child is the same execution.
  for (const childId of advanced.launchable) await launch(p, input.tenantId, childId, childId);
  return advanced.settled
    ? { done: true, status: advanced.settled }
    : { done: false, status: 'RUNNING' };
}

async function createChildren(
  tx: Tx,
  run: RunRow,
  stepId: string,
  node: WorkflowNode,
  data: TemplateContext,
): Promise<void> {
  const existing = await tx.select({ id: runs.id }).from(runs).where(eq(runs.parentStepId, stepId));
  if (existing.length) return;
  if ((await depthOf(tx, run)) >= MAX_CHILD_DEPTH)
    throw new ValidationError(
      `node "${node.id}" would nest child runs deeper than ${MAX_CHILD_DEPTH} levels`,
    );
  const slug = node.workflow;
  if (!slug) throw new ValidationError(`node "${node.id}" names no workflow`);
  const wf = await workflowStoreInstance.getPublished(tx, run.tenantId, slug, node.version);
  const base = renderInput(node.input ?? {}, data);
  let inputs: Record<string, unknown>[];
  if (node.type === 'map') {
    const [root, ...path] = (node.items ?? '').split('.');
    const items = resolveReference({ root, path }, data);
    if (!Array.isArray(items))
      throw new ValidationError(`map node "${node.id}": ${node.items} is not a list`);
    if (items.length > MAX_MAP_ITEMS)
      throw new ValidationError(
        `map node "${node.id}": ${items.length} items, more than ${MAX_MAP_ITEMS}`,
      );
    inputs = items.map((item) => ({ ...base, [node.as ?? 'item']: item }));
  } else {
    inputs = [base];
  }
  const pinned = await pinAgents(tx, run.tenantId, wf.spec);
  for (const [index, childInput] of inputs.entries())
    await insertChildRun(tx, run, stepId, wf, pinned, index, childInput, {
      nodeId: node.id,
      label: node.type === 'map' ? ` item ${index}` : '',
    });
  await appendEvent(tx, {
    tenantId: run.tenantId,
    runId: run.id,
    stepId,
    nodeId: node.id,
    type: 'step.started',
    message: `${node.id} started ${inputs.length} child run${inputs.length === 1 ? '' : 's'} of ${wf.slug} v${wf.version}`,
    data: { children: inputs.length, workflow: wf.slug, version: wf.version },
  });
}

type PublishedWorkflow = Awaited<ReturnType<typeof workflowStoreInstance.getPublished>>;

/** One QUEUED child run with its PENDING steps, linked to its parent step (also ADR 162's tool calls). */
export async function insertChildRun(
  tx: Tx,
  run: Pick<RunRow, 'id' | 'tenantId'>,
  stepId: string,
  wf: PublishedWorkflow,
  pinned: Awaited<ReturnType<typeof pinAgents>>,
  index: number,
  input: Record<string, unknown>,
  why: { nodeId: string; label: string },
): Promise<string> {
  const [child] = await tx
    .insert(runs)
    .values({
      tenantId: run.tenantId,
      workflowId: wf.id,
      workflowVersion: wf.version,
      agentVersions: pinned,
      status: 'QUEUED',
      input,
      parentRunId: run.id,
      parentStepId: stepId,
      itemIndex: index,
      createdBy: `run:${run.id}`,
    })
    .returning({ id: runs.id });
  await tx.insert(runSteps).values(
    wf.spec.nodes.map((n) => ({
      tenantId: run.tenantId,
      runId: child.id,
      nodeId: n.id,
      type: n.type,
      status: 'PENDING',
    })),
  );
  await appendEvent(tx, {
    tenantId: run.tenantId,
    runId: child.id,
    type: 'run.queued',
    message: `child run of ${wf.slug} v${wf.version} for ${run.id} step ${why.nodeId}${why.label}`,
    data: { parentRunId: run.id, parentStepId: stepId, itemIndex: index },
  });
  return child.id;
}

/** Ancestors of a run (0 for a top-level run), counted up to MAX_CHILD_DEPTH. */
export async function depthOf(tx: Tx, run: Pick<RunRow, 'parentRunId'>): Promise<number> {
  let depth = 0;
  let parent = run.parentRunId;
  while (parent && depth < MAX_CHILD_DEPTH) {
    const [row] = await tx
      .select({ parentRunId: runs.parentRunId })
      .from(runs)
      .where(eq(runs.id, parent));
    parent = row?.parentRunId ?? null;
    depth++;
  }
  return depth;
}

async function settle(
  p: Platform,
  tx: Tx,
  run: RunRow,
  step: { id: string; nodeId: string },
  node: WorkflowNode,
  children: ChildRow[],
): Promise<string> {
  const cost = children.reduce((sum, c) => sum + Number(c.costUsd), 0);
  const failed = children.filter((c) => c.status !== 'SUCCEEDED');
  const output =
    node.type === 'map' ? children.map((c) => c.output ?? null) : (children[0]?.output ?? null);
  const status = failed.length ? 'FAILED' : 'SUCCEEDED';
  const error = failed.length
    ? {
        name: 'ChildRunFailed',
        message:
          node.type === 'map'
            ? `${failed.length} of ${children.length} items failed: ${failed
                .slice(0, 20)
                .map((c) => `item ${c.itemIndex} (run ${c.id}: ${describe(c)})`)
                .join('; ')}`
            : `child run ${failed[0].id} ${describe(failed[0])}`,
      }
    : null;
  await tx
    .update(runSteps)
    .set({
      status,
      output,
      error,
      costUsd: sql`${runSteps.costUsd} + ${cost}`,
      finishedAt: new Date(p.now()),
    })
    .where(eq(runSteps.id, step.id));
  if (cost)
    await tx
      .update(runs)
      .set({ costUsd: sql`${runs.costUsd} + ${cost}` })
      .where(eq(runs.id, run.id));
  await appendEvent(tx, {
    tenantId: run.tenantId,
    runId: run.id,
    stepId: step.id,
    nodeId: step.nodeId,
    type: failed.length ? 'step.failed' : 'step.succeeded',
    message: error
      ? `${step.nodeId} failed: ${error.name}: ${error.message}`
      : `${step.nodeId} succeeded: ${children.length} child run${children.length === 1 ? '' : 's'} finished`,
    data: {
      costUsd: cost,
      children: children.map((c) => ({ runId: c.id, index: c.itemIndex, status: c.status })),
    },
  });
  return status;
}

function describe(child: ChildRow): string {
  const why = child.error as { name?: string; message?: string } | null;
  return `${child.status}${why?.message ? `: ${why.message.slice(0, 200)}` : ''}`;
}

/** Renders every string of a child's input; a string that is one placeholder passes its value as is. */
function renderInput(
  value: Record<string, unknown>,
  data: TemplateContext,
): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const whole = /^\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}$/.exec(v);
      if (whole) {
        const [root, ...path] = whole[1].split('.');
        return resolveReference({ root, path }, data) ?? null;
      }
      return renderTemplate(v, data);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as Record<string, unknown>;
}
