import { roundUsd } from '../../llm/prices';
import type { Platform } from '../../platform/platform';
import { planNext } from '../../workflow/plan';
import { metrics } from '../../observability/metrics';
import { recordRunSpan } from '../../observability/tracing';
import { appendEvent, type RunEventInput } from '../events';
import { type RunSettlement, runSettlementWrite } from './run-writes';
import { describeCaught, type CaughtError } from './step-failure';
import {
  conditionNodes,
  latestSteps,
  loadOutputs,
  loadRunContext,
  loadRunData,
  type RunRow,
  type StepRow,
  statusMap,
} from './context';
import { isTerminalRun } from '../run-status';
import type { WorkflowSpec } from '../../api/contracts/workflows';
import type { CompletingStep, PlanDecision } from './plan-run';

/** Settles the run when an execution ends: SUCCEEDED, FAILED, WAITING (approval) or left CANCELLED. */
export async function finalizeRun(
  p: Platform,
  input: { tenantId: string; runId: string; state?: { error?: CaughtError } },
): Promise<{ status: string }> {
  return p.db.withTenant({ tenantId: input.tenantId }, async (tx) => {
    const { run, spec, steps } = await loadRunContext(tx, input.runId);
    if (isTerminalRun(run.status)) return { status: run.status };
    // The run's cost is its steps', read with them (money has six decimals: the sum is exact
    // once rounded back to them).
    const costUsd = roundUsd(steps.reduce((sum, s) => sum + s.costUsd, 0));
    const finish = async (
      status: string,
      fields: Pick<RunSettlement, 'output' | 'error' | 'finishedAt'>,
      message: string,
    ) => {
      // The run's update rides with its event: one statement.
      await appendEvent(
        tx,
        runEndEvent({ tenantId: input.tenantId, runId: run.id }, { status, costUsd }, message),
        [runSettlementWrite(run.id, { status, costUsd, ...fields })],
      );
      if (status !== 'WAITING') recordRunEnd(run, status);
      return { status };
    };
    if (input.state?.error) {
      const error = describeCaught(input.state.error);
      return finish(
        'FAILED',
        { error, finishedAt: new Date(p.now()) },
        `run failed in the engine: ${error.name}`,
      );
    }
    const statuses = statusMap(steps);
    if (Object.values(statuses).includes('WAITING'))
      return finish('WAITING', {}, 'run waits for an approval');
    const plan = planNext(
      spec,
      statuses,
      await loadRunData(p, tx, run, steps, conditionNodes(spec)),
    );
    if (plan.outcome === 'FAILED' || plan.failedNodes.length) {
      const failed = [...latestSteps(steps).values()].find((s) =>
        plan.failedNodes.includes(s.nodeId),
      );
      const why = (failed?.error as { name?: string; message?: string } | null) ?? {};
      const error = {
        name: 'StepFailed',
        message:
          `step ${failed?.nodeId} failed: ${why.name ?? 'Error'}: ${why.message ?? ''}`.trim(),
      };
      return finish('FAILED', { error, finishedAt: new Date(p.now()) }, error.message);
    }
    const outputs = Object.fromEntries(
      Object.entries(await loadOutputs(p, tx, run, runEnds(spec, steps), 'reference')).map(
        ([id, s]) => [id, s.output],
      ),
    );
    const output = Object.keys(outputs).length === 1 ? Object.values(outputs)[0] : outputs;
    return finish('SUCCEEDED', { output, finishedAt: new Date(p.now()) }, 'run succeeded');
  });
}

/**
 * The nodes whose outputs are the run's output: the ends of the path it took, succeeded nodes
 * none of whose successors ran (the sinks, when no branch was skipped). Loop back edges do not
 * count.
 */
export function runEnds(spec: WorkflowSpec, steps: StepRow[]): string[] {
  const latest = latestSteps(steps);
  const ran = (id: string) => {
    const status = latest.get(id)?.status;
    return status === 'SUCCEEDED' || status === 'FAILED';
  };
  return [...latest.values()]
    .filter(
      (s) =>
        s.status === 'SUCCEEDED' &&
        !spec.edges.some((e) => e.from === s.nodeId && e.maxIterations === undefined && ran(e.to)),
    )
    .map((s) => s.nodeId);
}

/**
 * How a run settles SUCCEEDED inside the completion of its last step (ADR 188), or undefined
 * when Finalize must settle it: the plan is done with every node succeeded or skipped, nothing
 * waits, and the run's one end is the completing step, whose output it holds (not kept in S3).
 */
export function succeededByCompletion(
  { spec, steps, plan }: Pick<Extract<PlanDecision, { settled: false }>, 'spec' | 'steps' | 'plan'>,
  completing: Pick<CompletingStep, 'nodeId' | 'output'> & { offloaded: boolean },
): RunSettlement | undefined {
  if (completing.offloaded) return undefined;
  // A done plan has nothing running or waiting.
  if (!plan.done || plan.outcome !== 'SUCCEEDED' || plan.failedNodes.length) return undefined;
  const ends = runEnds(spec, steps);
  if (ends.length !== 1 || ends[0] !== completing.nodeId) return undefined;
  // The completing step's row gains this call's cost in the same statement (asCompleted).
  const costUsd = roundUsd(steps.reduce((sum, s) => sum + s.costUsd, 0));
  return { status: 'SUCCEEDED', costUsd, output: completing.output };
}

/** The run's timeline event for how it settled (`run.succeeded`, `run.failed`, `run.waiting`). */
export function runEndEvent(
  ids: { tenantId: string; runId: string },
  settlement: Pick<RunSettlement, 'status' | 'costUsd'>,
  message: string,
): RunEventInput {
  return {
    tenantId: ids.tenantId,
    runId: ids.runId,
    type: `run.${settlement.status.toLowerCase()}`,
    message,
    data: { costUsd: settlement.costUsd },
  };
}

/** A run that ended: its metric and its trace span. */
export function recordRunEnd(run: RunRow, status: string): void {
  metrics().count('runs_finished', 1, { status });
  recordRunSpan(run.id, run.startedAt, status, {
    'hishamos.run_id': run.id,
    'hishamos.workflow_id': run.workflowId,
  });
}
