import { and, eq, inArray } from 'drizzle-orm';
import type { WorkflowSpec } from '../../api/contracts/workflows';
import { runPrebuilt } from '../../db/prebuilt-statement';
import { runSteps } from '../../db/schema';
import { InternalError } from '../../errors';
import type { Tx } from '../../db/client';
import type { Platform } from '../../platform/platform';
import { planDetailed } from '../../workflow/plan';
import { appendEvent } from '../events';
import { isTerminalRun } from '../run-status';
import type { PiiPolicy } from '../../pii/policy';
import { runStartedWrite } from './run-writes';
import type { RunSnapshot } from './warm-steps';
import {
  conditionNodes,
  latestSteps,
  loadRunContext,
  loadRunContextWithPolicy,
  loadRunData,
  loadWorkflowSpec,
  rememberReadySteps,
  type RunRow,
  type StepRow,
  statusMap,
} from './context';

export interface PlanResult {
  done: boolean;
  /** Claim check: ids and step types only. */
  ready: { stepId: string; type: string }[];
  /**
   * Where the state machine goes: `done` (Finalize), one step at the top level (`agent`, `tool`,
   * `child`, whose id is `stepId`), or `many` (the Map). ADR 110. `agent_wait`: the agent step
   * `stepId` waits on a workflow tool's child run, to be invoked again after a wait (ADR 162).
   * `prepared_agent`: an agent step whose call the completion that planned it prepared (ADR 186).
   * `finalized`: the completion found the run done and settled it SUCCEEDED (ADR 188).
   */
  next:
    | 'done'
    | 'agent'
    | 'tool'
    | 'child'
    | 'many'
    | 'agent_wait'
    | 'prepared_agent'
    | 'finalized';
  stepId: string | null;
}

/** The Choice the state machine makes on a plan's ready steps. */
export function nextOf(ready: PlanResult['ready']): Pick<PlanResult, 'next' | 'stepId'> {
  if (ready.length === 0) return { next: 'done', stepId: null };
  if (ready.length > 1) return { next: 'many', stepId: null };
  const [{ stepId, type }] = ready;
  // The same mapping as the Map's StepType Choice: routers are agent calls.
  const next = type === 'tool' ? 'tool' : type === 'workflow' || type === 'map' ? 'child' : 'agent';
  return { next, stepId };
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
  return p.db.withTenant({ tenantId: input.tenantId }, (tx) =>
    planInTx(p, tx, input.tenantId, input.runId),
  );
}

/**
 * The planning turn inside a caller's transaction: the Plan task's own, or a step completion's
 * (the step's result and the next ready steps commit together; ADR 110).
 */
export async function planInTx(
  p: Platform,
  tx: Tx,
  tenantId: string,
  runId: string,
): Promise<PlanResult> {
  return applyPlan(p, tx, tenantId, await decidePlan(p, tx, runId));
}

/**
 * A step whose completion is written after planning read the run (ADR 178): planning sees it as
 * that write leaves it, SUCCEEDED with `output` (or CANCELLED if a cancel came first).
 */
export interface CompletingStep {
  stepId: string;
  nodeId: string;
  /** The whole output, as conditions read it (also when the row keeps only its S3 pointer). */
  output: unknown;
  /** What this completion adds to the step's cost (its row's, as planning sees it). */
  costUsd?: number;
}

/** What planning read and decided, before it writes anything. */
export type PlanDecision =
  | { settled: true }
  | {
      settled: false;
      run: RunRow;
      spec: WorkflowSpec;
      steps: StepRow[];
      /** With a completing step or `withPolicy`: for the step it may prepare (ADRs 181, 187). */
      piiPolicy?: PiiPolicy;
      plan: ReturnType<typeof planDetailed>;
    };

/**
 * Reads the run and decides its next steps; writes nothing. From `snapshot` (the run as the
 * planner before left it, ADR 181) instead of a read: the completion's write then checks that no
 * other step changed.
 */
export async function decidePlan(
  p: Platform,
  tx: Tx,
  runId: string,
  completing?: CompletingStep,
  snapshot?: RunSnapshot,
  /** Read the tenant's PII policy too: the plan may prepare the step it goes on with (ADR 187). */
  withPolicy = false,
): Promise<PlanDecision> {
  const context = snapshot
    ? { ...snapshot, spec: await loadWorkflowSpec(tx, snapshot.run) }
    : completing || withPolicy
      ? await loadRunContextWithPolicy(tx, runId)
      : { ...(await loadRunContext(tx, runId)), piiPolicy: undefined };
  const { run, spec } = context;
  if (isTerminalRun(run.status)) return { settled: true };
  const steps = completing ? asCompleted(context.steps, completing) : context.steps;
  const read = conditionNodes(spec);
  const data = await loadRunData(p, tx, run, steps, read);
  if (completing && data.steps !== undefined && read.includes(completing.nodeId)) {
    // The stored outputs are those before this step's: its output becomes the latest iteration's.
    const prior = data.steps[completing.nodeId];
    data.steps[completing.nodeId] = {
      output: completing.output,
      iterations: prior ? [...(prior.iterations ?? []), prior.output] : [],
    };
  }
  const plan = planDetailed(spec, statusMap(steps), data);
  return { settled: false, run, spec, steps, piiPolicy: context.piiPolicy, plan };
}

/** The steps as the completion's update leaves them (the same rule as `stepCallWrite`). */
function asCompleted(steps: StepRow[], completing: CompletingStep): StepRow[] {
  return steps.map((s) =>
    s.id === completing.stepId
      ? {
          ...s,
          status: s.status === 'CANCELLED' ? 'CANCELLED' : 'SUCCEEDED',
          costUsd: s.costUsd + (completing.costUsd ?? 0),
        }
      : s,
  );
}

/** Whether applying the decision writes anything (else a completion can be the last statement). */
export function planWrites(decision: PlanDecision): boolean {
  if (decision.settled) return false;
  const { run, spec, plan } = decision;
  const approval = (nodeId: string) => spec.nodes.find((n) => n.id === nodeId)?.type === 'approval';
  return (
    run.status !== 'RUNNING' ||
    plan.iterate.length > 0 ||
    plan.skip.length > 0 ||
    plan.ready.some(approval)
  );
}

/**
 * Settles skips (with their reasons), new loop iterations and approvals as decided, and returns
 * the steps to run now.
 */
export async function applyPlan(
  p: Platform,
  tx: Tx,
  tenantId: string,
  decision: PlanDecision,
): Promise<PlanResult> {
  if (decision.settled) return { done: true, ready: [], ...nextOf([]) };
  const { run, spec, steps, plan } = decision;
  if (run.status === 'QUEUED')
    // The update rides with its event: one statement.
    await appendEvent(
      tx,
      { tenantId: tenantId, runId: run.id, type: 'run.started', message: 'run started' },
      [runStartedWrite(run.id)],
    );
  else if (run.status !== 'RUNNING') await runPrebuilt(tx, 'run_started', runStartedWrite(run.id));
  const byNode = latestSteps(steps);
  const types = new Map(spec.nodes.map((n) => [n.id, n.type]));
  for (const loop of plan.iterate) {
    const inserted = await tx
      .insert(runSteps)
      .values(
        loop.body.map((nodeId) => ({
          tenantId: tenantId,
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
      tenantId: tenantId,
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
      tenantId: tenantId,
      runId: run.id,
      stepId: step.id,
      nodeId,
      type: 'step.skipped',
      message: `${nodeId} skipped: ${reason}`,
      data: { reason, iteration: step.iteration },
    });
  }
  const ready: PlanResult['ready'] = [];
  const readySteps: { id: string; nodeId: string }[] = [];
  for (const nodeId of plan.ready) {
    const step = stepOf(nodeId);
    const type = types.get(nodeId) ?? 'agent';
    if (type === 'approval') {
      await tx
        .update(runSteps)
        .set({ status: 'WAITING', startedAt: new Date(p.now()) })
        .where(eq(runSteps.id, step.id));
      await appendEvent(tx, {
        tenantId: tenantId,
        runId: run.id,
        stepId: step.id,
        nodeId,
        type: 'step.waiting',
        message: `${nodeId} waits for approval`,
      });
    } else {
      ready.push({ stepId: step.id, type });
      readySteps.push({ id: step.id, nodeId });
    }
  }
  // A step task in this process then reads its context and its inputs in one statement.
  rememberReadySteps(run, readySteps);
  // A Map branch whose agent step waits on a workflow tool's child run ends WAITING, the step
  // RUNNING: with nothing else to run, the top level waits on it, so the Map pays nothing (ADR 162).
  if (!ready.length) {
    const waiting = [...byNode.values()].find(
      (s) => s.status === 'RUNNING' && (types.get(s.nodeId) ?? 'agent') === 'agent',
    );
    if (waiting) return { done: false, ready, next: 'agent_wait', stepId: waiting.id };
  }
  return { done: ready.length === 0, ready, ...nextOf(ready) };
}
