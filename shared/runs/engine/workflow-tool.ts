/**
 * `workflow:<slug>` agent tools (ADR 162): a call starts a child run of the tenant's workflow, as
 * a sub-workflow node does (ADR 091: linked both ways, its cost rolled up into the step), keyed by
 * the call's turn and position so a retried task finds the same child. The call stays pending
 * while the child runs; the agent task then reports WAITING and the state machine invokes it again
 * after a wait, so no Lambda waits for the child. A finished child is the call's result: its
 * output, or an error message the model reads when it did not succeed.
 */
import { and, eq } from 'drizzle-orm';
import { workflowStoreInstance } from '../../catalog/workflows';
import type { Tx } from '../../db/client';
import { runs } from '../../db/schema';
import { InvalidRequest, isAppError, ValidationError } from '../../errors';
import { assertBudgetLeft } from '../../llm/budgets';
import type { ToolDefinition } from '../../llm/types';
import type { Platform } from '../../platform/platform';
import {
  type AgentToolRef,
  toolDefinitions,
  isAgentToolName,
  isWorkflowToolName,
  type WorkflowToolName,
  workflowToolDefinition,
  workflowToolSlug,
} from '../../tools/agent-tools/catalog';
import { boundResult, type ToolExecution } from '../../tools/agent-tools/execute';
import { validateRunInput } from '../../workflow/validate';
import { appendEvent } from '../events';
import { launch } from '../launch';
import { pinAgents } from '../start-run';
import { depthOf, insertChildRun, MAX_CHILD_DEPTH } from './child-step';
import { isTerminalRun } from '../run-status';

/** Child runs of one step's tool calls are keyed turn × this + the call's position in its turn. */
const CALLS_PER_TURN = 1000;

export interface WorkflowToolStep {
  tenantId: string;
  runId: string;
  stepId: string;
  nodeId: string;
}

/**
 * The definitions offered to the model, in the agent's order: built-in ones from the catalog,
 * workflow ones from the tenant's published workflows (a workflow deleted since the agent was
 * saved is not offered; a call to it gets the loop's "not one of this agent's tools" result).
 */
export async function agentToolDefinitions(
  p: Platform,
  tenantId: string,
  tools: readonly AgentToolRef[],
): Promise<ToolDefinition[]> {
  const workflowTools = tools.filter(isWorkflowToolName);
  const workflows = new Map<string, ToolDefinition>();
  if (workflowTools.length)
    await p.db.withTenant({ tenantId }, async (tx) => {
      for (const tool of workflowTools) {
        const slug = workflowToolSlug(tool);
        if (!slug) continue;
        const wf = await workflowStoreInstance.getPublished(tx, tenantId, slug).catch(() => null);
        if (wf) workflows.set(tool, workflowToolDefinition(tool, wf.spec));
      }
    });
  return tools.flatMap((t) => {
    if (isAgentToolName(t)) return toolDefinitions([t]);
    const definition = workflows.get(t);
    return definition ? [definition] : [];
  });
}

/**
 * One call of a workflow tool: creates and starts its child run on first sight, returns undefined
 * while the child runs, and its result once it has finished. Bad arguments, a missing workflow,
 * the depth limit and an exhausted budget are error results, not a failed step.
 */
export async function callWorkflowTool(
  p: Platform,
  step: WorkflowToolStep,
  tool: WorkflowToolName,
  args: Record<string, unknown>,
  turn: number,
  index: number,
): Promise<ToolExecution | undefined> {
  const key = turn * CALLS_PER_TURN + index;
  const started = p.now();
  let found: { launch?: string; child?: typeof runs.$inferSelect };
  try {
    found = await p.db.withTenant({ tenantId: step.tenantId }, async (tx) => {
      const [child] = await tx
        .select()
        .from(runs)
        .where(and(eq(runs.parentStepId, step.stepId), eq(runs.itemIndex, key)));
      if (child) return { child };
      return { launch: await startChild(p, tx, step, tool, args, key) };
    });
  } catch (e) {
    const message = isAppError(e) ? `${e.name}: ${e.message}` : `${tool} failed unexpectedly`;
    if (!isAppError(e)) p.log.warn('workflow tool failed', { tool, error: String(e) });
    return { ...boundResult(message), isError: true, durationMs: p.now() - started };
  }
  if (found.launch) {
    await launchChild(p, step.tenantId, found.launch);
    return undefined;
  }
  const child = found.child;
  if (!child || !isTerminalRun(child.status)) return undefined;
  const costUsd = Number(child.costUsd);
  const durationMs =
    child.finishedAt && child.startedAt
      ? child.finishedAt.getTime() - child.startedAt.getTime()
      : 0;
  if (child.status !== 'SUCCEEDED') {
    const why = child.error as { name?: string; message?: string } | null;
    const message = `ChildRunFailed: the workflow run ${child.id} ${child.status}${why?.message ? `: ${why.name ?? 'Error'}: ${why.message}` : ''}`;
    return { ...boundResult(message), isError: true, durationMs, costUsd, childRunId: child.id };
  }
  const output =
    typeof child.output === 'string' ? child.output : JSON.stringify(child.output ?? null);
  return { ...boundResult(output), isError: false, durationMs, costUsd, childRunId: child.id };
}

async function startChild(
  p: Platform,
  tx: Tx,
  step: WorkflowToolStep,
  tool: WorkflowToolName,
  args: Record<string, unknown>,
  key: number,
): Promise<string> {
  const slug = workflowToolSlug(tool);
  if (!slug) throw new InvalidRequest(`${tool}: not a workflow tool name`);
  const [parent] = await tx
    .select({
      id: runs.id,
      tenantId: runs.tenantId,
      workflowId: runs.workflowId,
      parentRunId: runs.parentRunId,
    })
    .from(runs)
    .where(eq(runs.id, step.runId));
  if (!parent) throw new ValidationError(`run ${step.runId} not found`);
  if ((await depthOf(tx, parent)) >= MAX_CHILD_DEPTH)
    throw new ValidationError(
      `${tool}: this run is already ${MAX_CHILD_DEPTH} levels deep in child runs; a workflow cannot call workflows deeper`,
    );
  // Under the run's tenant (RLS): another tenant's slug is simply not found.
  const wf = await workflowStoreInstance.getPublished(tx, step.tenantId, slug);
  const issues = validateRunInput(wf.spec, args);
  if (issues.length)
    throw new ValidationError(`${tool}: ${issues[0].path}: ${issues[0].message}`, issues);
  // The caller's budget and the child's own must have room before the child spends anything.
  const now = new Date(p.now());
  await assertBudgetLeft(tx, step.tenantId, parent.workflowId, now);
  await assertBudgetLeft(tx, step.tenantId, wf.id, now);
  const pinned = await pinAgents(tx, step.tenantId, wf.spec);
  const childId = await insertChildRun(tx, parent, step.stepId, wf, pinned, key, args, {
    nodeId: step.nodeId,
    label: ` tool call ${tool}`,
  });
  await appendEvent(tx, {
    tenantId: step.tenantId,
    runId: step.runId,
    stepId: step.stepId,
    nodeId: step.nodeId,
    type: 'step.tool_run_started',
    message: `${step.nodeId} called ${tool}: child run ${childId} of ${wf.slug} v${wf.version}`,
    data: { tool, childRunId: childId, workflow: wf.slug, version: wf.version },
  });
  return childId;
}

/** A failed start settles the child FAILED (launch does); the next poll reads that as the result. */
export async function launchChild(p: Platform, tenantId: string, childId: string): Promise<void> {
  await launch(p, tenantId, childId, childId).catch(() => undefined);
}
