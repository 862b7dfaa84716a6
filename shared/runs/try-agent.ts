/**
 * Trying an agent alone (ADR 164): a one-node run of a hidden workflow made for this try, through
 * the normal run state machine, so the agent's prompt, model, fallback chain, knowledge and tools
 * run exactly as in a workflow step, metered and budget-checked, and the page follows the run.
 */
import { sql } from 'drizzle-orm';
import { WorkflowSpec } from '../api/contracts/workflows';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { agentStoreInstance } from '../catalog/agents';
import { runSteps, runs, workflowVersions, workflows } from '../db/schema';
import { NotFound, ValidationError } from '../errors';
import { assertBudgetLeft } from '../llm/budgets';
import { metrics } from '../observability/metrics';
import type { Platform } from '../platform/platform';
import { appendEvent } from './events';
import { launch } from './launch';
import { traceRunId } from './start-run';

/** The node id of a try run's one step. */
export const TRY_NODE = 'agent';
/** Hidden workflows of tries are named `try-<agent slug>`; they are deleted from the start. */
export const TRY_SLUG_PREFIX = 'try-';

export function trySpec(agentSlug: string, agentVersion: number): WorkflowSpec {
  return WorkflowSpec.parse({
    name: `Try ${agentSlug}`,
    description: `The agent ${agentSlug} v${agentVersion} tried alone from its page`,
    inputs: [{ name: 'prompt', required: true, multiline: true }],
    nodes: [
      {
        id: TRY_NODE,
        type: 'agent',
        agent: agentSlug,
        agentVersion,
        prompt: '{{input.prompt}}',
      },
    ],
    edges: [],
  });
}

export async function tryAgent(
  p: Platform,
  auth: AuthContext,
  agentIdOrSlug: string,
  body: { prompt: string; version?: number },
) {
  const runId = traceRunId();
  await p.db.withTenant(auth, async (tx) => {
    const agent = await agentStoreInstance
      .getPublished(tx, auth.tenantId, agentIdOrSlug, body.version)
      .catch(async (e) => {
        if (!(e instanceof NotFound) || body.version === undefined) throw e;
        await agentStoreInstance.get(tx, auth.tenantId, agentIdOrSlug);
        throw new ValidationError(`the agent has no version ${body.version}`, [
          { path: 'version', message: `no version ${body.version}` },
        ]);
      });
    // Deleted from the start: no list, slug lookup or trigger finds it; the run reads it by id.
    const [wf] = await tx
      .insert(workflows)
      .values({
        tenantId: auth.tenantId,
        slug: `${TRY_SLUG_PREFIX}${agent.slug}`,
        currentVersion: 1,
        publishedVersion: 1,
        deletedAt: sql`now()`,
      })
      .returning({ id: workflows.id });
    await tx.insert(workflowVersions).values({
      tenantId: auth.tenantId,
      workflowId: wf.id,
      version: 1,
      spec: trySpec(agent.slug, agent.version),
      createdBy: auth.userId,
    });
    await assertBudgetLeft(tx, auth.tenantId, null, new Date(p.now()));
    await tx.insert(runs).values({
      id: runId,
      tenantId: auth.tenantId,
      workflowId: wf.id,
      workflowVersion: 1,
      agentVersions: { [agent.slug]: { agentId: agent.id, version: agent.version } },
      status: 'QUEUED',
      input: { prompt: body.prompt },
      createdBy: actorOf(auth),
    });
    await tx.insert(runSteps).values({
      tenantId: auth.tenantId,
      runId,
      nodeId: TRY_NODE,
      type: 'agent',
      status: 'PENDING',
    });
    await appendEvent(tx, {
      tenantId: auth.tenantId,
      runId,
      type: 'run.queued',
      message: `try of agent ${agent.slug} v${agent.version} queued`,
      data: { agent: agent.slug, agentVersion: agent.version, try: true },
    });
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'agent.try',
      target: `run:${runId}`,
      data: { agent: agent.slug, version: agent.version },
    });
  });
  await launch(p, auth.tenantId, runId, runId);
  metrics().count('runs_started');
  return { runId, status: 'QUEUED' };
}
