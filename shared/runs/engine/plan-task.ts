/**
 * The state machine's Plan task (ADR 187): one planning turn that, when it goes on with one agent
 * step, prepares that step's call in its own transaction, as a chain step's completion does (ADR
 * 186). The task runs in the agent steps' function, so the step's task often finds the call here.
 */
import { asLastStatement } from '../../db/pg-scope-framing';
import type { Platform } from '../../platform/platform';
import { appendEvent } from '../events';
import { loadOutputs } from './context';
import { prepareNextStepOrLeaveIt } from './next-step';
import { applyPlan, decidePlan, type PlanResult } from './plan-run';
import { readsOf } from './step-request';
import { isStaleRead } from './step-writes';
import { rememberWarmStep, type WarmStep, warmBranches } from './warm-steps';

export interface PlanTaskInput {
  tenantId: string;
  runId: string;
  /** The execution the prepared attempt belongs to (its usage record and reservation). */
  executionId: string;
}

/**
 * Plans the run's next steps; a single agent step it makes ready is claimed, started and its
 * call prepared in the same transaction (`next: 'prepared_agent'`). When the claim finds the run
 * changed since the planning read (a cancel came first), the turn is planned again without it.
 */
export async function planAndPrepare(p: Platform, input: PlanTaskInput): Promise<PlanResult> {
  let warm: WarmStep[] = [];
  const turn = (prepare: boolean) =>
    p.db.withTenant({ tenantId: input.tenantId }, async (tx) => {
      warm = [];
      const decision = await decidePlan(p, tx, input.runId, undefined, undefined, prepare);
      const result = await applyPlan(p, tx, input.tenantId, decision);
      if (!prepare || decision.settled || !decision.piiPolicy) return result;
      // The run as applying the plan left it: its steps' tasks start from this (ADR 181).
      const known = { ...decision, run: { ...decision.run, status: 'RUNNING' } };
      if (result.next === 'many') {
        warm = warmBranches({ ...known, piiPolicy: decision.piiPolicy }, result.ready, {});
        return result;
      }
      const step = decision.steps.find((s) => s.id === result.stepId);
      const node = decision.spec.nodes.find((n) => n.id === step?.nodeId);
      if (result.next !== 'agent' || step?.status !== 'PENDING' || !node) return result;
      const next: WarmStep = {
        run: known.run,
        step,
        steps: decision.steps,
        piiPolicy: decision.piiPolicy,
        outputs: await loadOutputs(p, tx, known.run, readsOf(node)),
      };
      const folded = await prepareNextStepOrLeaveIt(p, tx, next, input.executionId);
      if (!folded) return result;
      await asLastStatement(() => appendEvent(tx, folded.started, folded.writes));
      warm = [{ ...next, prepared: folded.prepared }];
      return { ...result, next: 'prepared_agent' as const };
    });
  let planned: PlanResult;
  try {
    planned = await turn(true);
  } catch (error) {
    if (!isStaleRead(error)) throw error;
    planned = await turn(false);
  }
  for (const w of warm) rememberWarmStep(w);
  return planned;
}
