import { and, eq, inArray } from 'drizzle-orm';
import { runSteps, runs } from '../../db/schema';
import { InternalError } from '../../errors';
import type { Platform } from '../../platform/platform';
import { planDetailed } from '../../workflow/plan';
import { appendEvent } from '../events';
import { conditionNodes, latestSteps, loadRunContext, loadRunData, statusMap } from './context';

export interface PlanResult {
  done: boolean;
  /** Claim check: ids and step types only. */
  ready: { stepId: string; type: string }[];
}

/**
 * One turn of the loop: settles skips (with their reasons), new loop iterations and approvals, then
 * hands Step Functions the steps to run now. The execution ends (done) when nothing can run:
 * finished, failed, cancelled, or waiting on a person. One transaction, so a repeated invocation
 * finds the iteration already started and plans the same steps again.
 */
export async function planRun(
  p: Platform,
  input: { tenantId: string; runId: string },
): Promise<PlanResult> {
  return p.db.withTenant({ tenantId: input.tenantId }, async (tx) => {
    const { run, spec, steps } = await loadRunContext(tx, input.runId);
    if (['CANCELLED', 'SUCCEEDED', 'FAILED'].includes(run.status)) return { done: true, ready: [] };
    if (run.status !== 'RUNNING') {
      await tx.update(runs).set({ status: 'RUNNING' }).where(eq(runs.id, run.id));
      if (run.status === 'QUEUED')
        await appendEvent(tx, {
          tenantId: input.tenantId,
          runId: run.id,
          type: 'run.started',
          message: 'run started',
        });
    }
    const data = await loadRunData(tx, run, steps, conditionNodes(spec));
    const plan = planDetailed(spec, statusMap(steps), data);
    const byNode = latestSteps(steps);
    const types = new Map(spec.nodes.map((n) => [n.id, n.type]));
    for (const loop of plan.iterate) {
      const inserted = await tx
        .insert(runSteps)
        .values(
          loop.body.map((nodeId) => ({
            tenantId: input.tenantId,
            runId: run.id,
            nodeId,
            type: types.get(nodeId) ?? 'agent',
            status: 'PENDING',
            iteration: loop.iteration,
          })),
        )
        .returning();
      for (const row of inserted) byNode.set(row.nodeId, row);
      await appendEvent(tx, {
        tenantId: input.tenantId,
        runId: run.id,
        nodeId: loop.to,
        type: 'loop.iteration',
        message: `${loop.from} -> ${loop.to} taken: iteration ${loop.iteration} of ${loop.body.join(', ')}`,
        data: { from: loop.from, to: loop.to, iteration: loop.iteration, body: loop.body },
      });
    }
    const stepOf = (nodeId: string) => {
      const step = byNode.get(nodeId);
      if (!step) throw new InternalError(`run ${run.id} has no step for node ${nodeId}`);
      return step;
    };
    for (const nodeId of plan.skip) {
      const step = stepOf(nodeId);
      const reason = plan.reasons[nodeId] ?? 'its conditions can no longer be met';
      await tx
        .update(runSteps)
        .set({ status: 'SKIPPED', skipReason: reason, finishedAt: new Date(p.now()) })
        .where(and(eq(runSteps.id, step.id), inArray(runSteps.status, ['PENDING'])));
      await appendEvent(tx, {
        tenantId: input.tenantId,
        runId: run.id,
        stepId: step.id,
        nodeId,
        type: 'step.skipped',
        message: `${nodeId} skipped: ${reason}`,
        data: { reason, iteration: step.iteration },
      });
    }
    const ready: PlanResult['ready'] = [];
    for (const nodeId of plan.ready) {
      const step = stepOf(nodeId);
      const type = types.get(nodeId) ?? 'agent';
      if (type === 'approval') {
        await tx
          .update(runSteps)
          .set({ status: 'WAITING', startedAt: new Date(p.now()) })
          .where(eq(runSteps.id, step.id));
        await appendEvent(tx, {
          tenantId: input.tenantId,
          runId: run.id,
          stepId: step.id,
          nodeId,
          type: 'step.waiting',
          message: `${nodeId} waits for approval`,
        });
      } else {
        ready.push({ stepId: step.id, type });
      }
    }
    return { done: ready.length === 0, ready };
  });
}
