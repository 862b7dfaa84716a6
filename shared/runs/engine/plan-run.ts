import { and, eq, inArray } from 'drizzle-orm';
import { runSteps, runs } from '../../db/schema';
import type { Platform } from '../../platform/platform';
import { planNext } from '../../workflow/plan';
import { appendEvent } from '../events';
import { loadRunContext, statusMap } from './context';

export interface PlanResult {
  done: boolean;
  /** Claim check: ids and step types only. */
  ready: { stepId: string; type: string }[];
}

/**
 * One turn of the loop: settles skips and approvals, then hands Step Functions the steps to run now.
 * The execution ends (done) when nothing can run: finished, failed, cancelled, or waiting on a person.
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
    const plan = planNext(spec, statusMap(steps));
    const byNode = new Map(steps.map((s) => [s.nodeId, s]));
    if (plan.skip.length) {
      await tx
        .update(runSteps)
        .set({ status: 'SKIPPED', finishedAt: new Date(p.now()) })
        .where(and(eq(runSteps.runId, run.id), inArray(runSteps.nodeId, plan.skip)));
      for (const nodeId of plan.skip)
        await appendEvent(tx, {
          tenantId: input.tenantId,
          runId: run.id,
          stepId: byNode.get(nodeId)?.id,
          nodeId,
          type: 'step.skipped',
          message: `${nodeId} skipped: its conditions can no longer be met`,
        });
    }
    const types = new Map(spec.nodes.map((n) => [n.id, n.type]));
    const ready: PlanResult['ready'] = [];
    for (const nodeId of plan.ready) {
      const step = byNode.get(nodeId)!;
      if (types.get(nodeId) === 'approval') {
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
        ready.push({ stepId: step.id, type: types.get(nodeId)! });
      }
    }
    return { done: ready.length === 0, ready };
  });
}
