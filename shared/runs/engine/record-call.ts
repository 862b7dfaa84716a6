/** An agent step's completion write (`recordCall`), and the ids and events its preparation shares. */
import type { Tx } from '../../db/client';
import { retryOnDeadlock } from '../../db/deadlock';
import { asLastStatement } from '../../db/pg-scope-framing';
import { runPrebuilt, type StatementPart, withWrites } from '../../db/prebuilt-statement';
import { attemptRecordWrite } from '../../llm/attempt-record-write';
import { settleReservationWrite } from '../../llm/budgets';
import type { StepCallResult } from '../../llm/step-call';
import type { PiiCounts } from '../../pii/policy';
import type { Platform } from '../../platform/platform';
import { appendEvent, appendEventOnStatus, type RunEventInput } from '../events';
import type { PayloadPointer } from '../step-payloads';
import {
  applyPlan,
  type CompletingStep,
  decidePlan,
  type PlanDecision,
  type PlanResult,
  planWrites,
} from './plan-run';
import { runCostWrite } from './run-writes';
import { isStaleRead, othersDigest, stepCallWrite } from './step-writes';
import {
  heldOutputs,
  rememberWarmStep,
  type RunSnapshot,
  type WarmStep,
  warmBranches,
  warmNextStep,
} from './warm-steps';
import type { FoldedStep } from './next-step';
import type { Outputs, RunRow } from './context';
import { recordRunEnd, runEndEvent, succeededByCompletion } from './finalize-run';
import { runSettlementWrite } from './run-writes';

/** The ids that name one step everywhere: its events, its knowledge lookup, its gateway call. */
export interface StepIds {
  tenantId: string;
  workflowId: string;
  runId: string;
  stepId: string;
  nodeId: string;
}

const SIMULATED = ' (simulator)';

/** Builds this step's timeline events: the same ids every time, plus what happened. */
export function stepEvents(ids: StepIds) {
  return (type: string, message: string, data?: Record<string, unknown>): RunEventInput => ({
    tenantId: ids.tenantId,
    runId: ids.runId,
    stepId: ids.stepId,
    nodeId: ids.nodeId,
    type,
    message,
    ...(data ? { data } : {}),
  });
}

/**
 * In one transaction: the attempts' usage records, the settlement of their budget reservations,
 * the step's tokens and cost (and output, on success), the run's cost and the timeline events;
 * with `plan`, a success also plans the next steps there (`plan.output`: the whole output, which
 * conditions may read).
 */
export async function recordCall(
  p: Platform,
  ids: StepIds,
  /**
   * `snapshot`: the run as the planner before left it, to plan from (ADR 181). `prepareNext`:
   * prepares the one agent step the plan goes on with, to ride with this write (ADR 186).
   */
  plan:
    | false
    | {
        output: unknown;
        snapshot?: RunSnapshot;
        /** The outputs this step read, as its planner held them: they hold with the snapshot. */
        outputs?: Outputs;
        prepareNext?: (tx: Tx, next: WarmStep) => Promise<FoldedStep | undefined>;
      },
  call: StepCallResult,
  pii: { masked: PiiCounts; toProvider: PiiCounts },
  /** A tool-calling turn (ADR 130): metered, but the step goes on; this saves the turn. */
  intermediate?: (tx: Tx) => Promise<void>,
  /** The output's pointer when it was kept in S3 (ADR 105). */
  outputPointer?: PayloadPointer,
): Promise<PlanResult | undefined> {
  const { outcome, error, costUsd } = call;
  const event = stepEvents(ids);
  // The one agent step the plan made ready, once the transaction has committed (ADR 181), or
  // the Map's branches it made ready that read only this step's output (ADR 187).
  let warm: WarmStep | undefined;
  let branches: WarmStep[] = [];
  // The run this completion settled (ADR 188), for its metric and trace span once committed.
  let settledRun: RunRow | undefined;
  // A cancel or a settlement may lock the run, then this step; this locks the step, then the run.
  // When PostgreSQL aborts this side of such a cycle, the writes run again: the answer is kept,
  // where a failed task would call the model again.
  // Whether a write prepared the next step: its claim may find the run changed (ADR 186).
  let folding = false;
  const write = (snapshot: RunSnapshot | undefined, fold: boolean) =>
    retryOnDeadlock(() =>
      p.db.withTenant({ tenantId: ids.tenantId }, async (tx) => {
        warm = undefined;
        branches = [];
        settledRun = undefined;
        // The real call's row replaces its in-flight record (same id); skipped/blocked rows are new.
        // These writes, the settled reservations and the run's cost ride with the step's update as
        // data-modifying CTEs (each always runs): one round trip instead of up to four (issue 12).
        const metered: StatementPart[] = [
          ...call.rows.map((row, i) => attemptRecordWrite(row, `attempt${i}_`, { replace: true })),
          ...call.reservationIds.map((id, i) => settleReservationWrite(id, `settle${i}_`)),
        ];
        const writes = costUsd ? [...metered, runCostWrite(ids.runId, costUsd)] : metered;
        const meter = {
          inputTokens: outcome?.result?.inputTokens ?? 0,
          outputTokens: outcome?.result?.outputTokens ?? 0,
          costUsd,
          pii,
        };
        for (const e of call.events) await appendEvent(tx, event(e.type, e.message, e.data));
        if (outcome && !error && !intermediate) {
          // The step's writes, its update and its event in one statement (issue 12); the event says
          // cancelled when a cancel came first (the update then keeps the step CANCELLED).
          const attempt = call.rows[call.rows.length - 1].attempt;
          const { provider, model } = outcome;
          const answer = {
            output: call.output,
            pointer: outputPointer,
            provider,
            model,
            finishedAt: new Date(p.now()),
          };
          // `then`: what rides after the step's own writes (`own`), with the event that follows.
          const complete = (then?: Pick<FoldedStep, 'writes' | 'started'>, own = writes) =>
            appendEventOnStatus(
              tx,
              stepCallWrite(
                ids.stepId,
                meter,
                answer,
                snapshot && othersDigest(ids.stepId, snapshot.steps),
              ),
              {
                status: 'CANCELLED',
                event: event(
                  'step.cancelled',
                  `${ids.nodeId} answered after the run was cancelled; the answer is not used`,
                  { attempt, provider, model, costUsd },
                ),
              },
              event(
                'step.succeeded',
                `${ids.nodeId} succeeded on ${provider}:${model}${outcome.simulated ? SIMULATED : ''}`,
                {
                  attempt,
                  provider,
                  model,
                  inputTokens: meter.inputTokens,
                  outputTokens: meter.outputTokens,
                  costUsd,
                },
              ),
              then ? [...own, ...then.writes] : own,
              then?.started,
            );
          if (plan) {
            // Planning reads the run first and sees this step as its update will leave it.
            const completing = {
              stepId: ids.stepId,
              nodeId: ids.nodeId,
              output: plan.output,
              costUsd,
            };
            // What this step read is still what a read gives only while the snapshot's check holds.
            const inherited = snapshot ? (plan.outputs ?? {}) : {};
            const decision = await decidePlan(p, tx, ids.runId, completing, snapshot);
            if (planWrites(decision)) {
              await complete();
              const result = await applyPlan(p, tx, ids.tenantId, decision);
              warm = warmNextStep(decision, completing, result, inherited);
              branches = warmMapOf(decision, completing, result, inherited);
              return result;
            }
            // The plan writes nothing: the update is the last statement and carries the COMMIT,
            // and the one agent step it goes on with may be prepared in it (ADR 186).
            const result = await applyPlan(p, tx, ids.tenantId, decision);
            // The run is done: it settles here, with the answer that ended it (ADR 188).
            const offloaded = !!outputPointer;
            const settles = fold && result.next === 'done' && !decision.settled;
            const succeeded =
              settles && succeededByCompletion(decision, { ...completing, offloaded });
            if (succeeded) {
              folding = true;
              const end = { ...succeeded, finishedAt: new Date(p.now()) };
              // The settlement writes the run's whole cost: no increment of it alongside.
              await asLastStatement(() =>
                complete(
                  {
                    writes: [runSettlementWrite(ids.runId, end, { whileRunning: true })],
                    started: runEndEvent(ids, end, 'run succeeded'),
                  },
                  metered,
                ),
              );
              settledRun = decision.run;
              return { ...result, next: 'finalized' as const };
            }
            warm = warmNextStep(decision, completing, result, inherited);
            branches = warmMapOf(decision, completing, result, inherited);
            folding = fold && warm !== undefined && plan.prepareNext !== undefined;
            const folded = warm && fold ? await plan.prepareNext?.(tx, warm) : undefined;
            await asLastStatement(() => complete(folded));
            if (!warm || !folded) return result;
            warm = { ...warm, prepared: folded.prepared };
            return { ...result, next: 'prepared_agent' as const };
          }
          // The transaction's last statement: its COMMIT rides with it (ADR 176).
          await asLastStatement(complete);
          return undefined;
        }
        await runPrebuilt(tx, 'step_metered', withWrites(writes, stepCallWrite(ids.stepId, meter)));
        if (intermediate) await intermediate(tx);
        if (!outcome || !error) return undefined;
        const n = call.rows[call.rows.length - 1].attempt;
        await appendEvent(
          tx,
          event(
            'step.attempt_failed',
            `${ids.nodeId} attempt ${n} on ${outcome.modelRef} failed: ${error.name}`,
            {
              attempt: n,
              provider: outcome.provider,
              model: outcome.model,
              errorName: error.name,
              costUsd,
            },
          ),
        );
        return undefined;
      }),
    );
  const snapshot = plan ? plan.snapshot : undefined;
  let planned: PlanResult | undefined;
  try {
    planned = await write(snapshot, true);
  } catch (error) {
    // Another step or the run changed since the snapshot, or since the read the next step was
    // claimed from: plan from a fresh read, and let that step prepare itself (ADRs 181, 186).
    if (!(snapshot || folding) || !isStaleRead(error)) throw error;
    planned = await write(undefined, false);
  }
  if (warm) rememberWarmStep(warm);
  for (const branch of branches) rememberWarmStep(branch);
  if (settledRun) recordRunEnd(settledRun, 'SUCCEEDED');
  return planned;
}

/** The Map's branches a completion's plan made ready that read only its output (ADR 187). */
function warmMapOf(
  decision: PlanDecision,
  completing: CompletingStep,
  result: PlanResult,
  inherited: Outputs,
) {
  if (decision.settled || result.next !== 'many' || !decision.piiPolicy) return [];
  const policy = { ...decision, piiPolicy: decision.piiPolicy };
  return warmBranches(policy, result.ready, heldOutputs(decision, completing, inherited));
}
