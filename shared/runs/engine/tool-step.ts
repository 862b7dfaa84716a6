import { and, eq, ne } from 'drizzle-orm';
import { runSteps } from '../../db/schema';
import { InvalidRequest, ValidationError } from '../../errors';
import type { Platform } from '../../platform/platform';
import { getTool } from '../../tools';
import { renderTemplate } from '../../workflow/template';
import { appendEvent } from '../events';
import { loadStepContext, referencedSteps } from './context';
import type { StepTaskInput, StepTaskResult } from './agent-step';
import { planInTx, planRun } from './plan-run';
import { mergePointer, offloadPayload } from '../step-payloads';

/** One tool step: render its `with` arguments from the run's data, run the tool, record the output. */
export async function runToolStep(p: Platform, input: StepTaskInput): Promise<StepTaskResult> {
  const prepared = await p.db.withTenant({ tenantId: input.tenantId }, async (tx) => {
    const { run, spec, step, outputs } = await loadStepContext(
      p,
      tx,
      input.runId,
      input.stepId,
      (node) => referencedSteps(JSON.stringify(node?.with ?? {})),
    );
    if (run.status === 'CANCELLED' || step.status === 'SUCCEEDED' || step.status === 'SKIPPED')
      return null;
    const node = spec.nodes.find((n) => n.id === step.nodeId);
    if (!node) throw new ValidationError(`node ${step.nodeId} is not in the workflow version`);
    const ctx = {
      input: run.input as Record<string, unknown>,
      steps: await outputs(),
    };
    const args = renderArgs(node.with ?? {}, ctx);
    await tx
      .update(runSteps)
      .set({ status: 'RUNNING', startedAt: step.startedAt ?? new Date(p.now()) })
      .where(eq(runSteps.id, step.id));
    await appendEvent(tx, {
      tenantId: input.tenantId,
      runId: run.id,
      stepId: step.id,
      nodeId: step.nodeId,
      type: 'step.started',
      message: `${step.nodeId} (${node.tool}) started`,
    });
    return { run, step, node, ctx, args };
  });
  if (!prepared)
    return { status: 'SKIPPED', ...(input.plan ? { plan: await planRun(p, input) } : {}) };
  const tool = getTool(prepared.node.tool ?? '');
  if (!tool) throw new InvalidRequest(`unknown tool ${prepared.node.tool}`);
  const run = {
    tenantId: input.tenantId,
    runId: prepared.run.id,
    stepId: prepared.step.id,
    nodeId: prepared.step.nodeId,
    workflowId: prepared.run.workflowId,
    rerunOf: prepared.run.rerunOf,
  };
  const output = await tool.run({ ...prepared.ctx, args: prepared.args, platform: p, run });
  // A tool's answer above the threshold goes to S3, the row keeps its pointer (ADR 105).
  const stored = await offloadPayload(p, { ...run, attempt: 1 }, 'output', output as unknown);
  const plan = await p.db.withTenant({ tenantId: input.tenantId }, async (tx) => {
    await tx
      .update(runSteps)
      .set({
        status: 'SUCCEEDED',
        output: stored.inline,
        ...(stored.pointer ? { payloads: mergePointer('output', stored.pointer) } : {}),
        finishedAt: new Date(p.now()),
      })
      // A run cancelled while the tool ran keeps the step CANCELLED.
      .where(and(eq(runSteps.id, prepared.step.id), ne(runSteps.status, 'CANCELLED')));
    await appendEvent(tx, {
      tenantId: input.tenantId,
      runId: prepared.run.id,
      stepId: prepared.step.id,
      nodeId: prepared.step.nodeId,
      type: 'step.succeeded',
      message: `${prepared.step.nodeId} (${prepared.node.tool}) succeeded`,
    });
    // Alone at the top level, the completion plans the next steps in its transaction (ADR 110).
    return input.plan ? planInTx(p, tx, input.tenantId, input.runId) : undefined;
  });
  return { status: 'SUCCEEDED', ...(plan ? { plan } : {}) };
}

function renderArgs(
  value: unknown,
  ctx: Parameters<typeof renderTemplate>[1],
): Record<string, unknown> {
  const walk = (v: unknown): unknown =>
    typeof v === 'string'
      ? renderTemplate(v, ctx)
      : Array.isArray(v)
        ? v.map(walk)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
          : v;
  return walk(value) as Record<string, unknown>;
}
