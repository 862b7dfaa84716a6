import { asc, and, eq } from 'drizzle-orm';
import { asLastStatement } from '../../db/pg-scope-framing';
import { runPrebuilt, type StatementPart, withWrites } from '../../db/prebuilt-statement';
import { settleReservationWrite } from '../../llm/budgets';
import { usageRecords } from '../../db/schema';
import { ValidationError } from '../../errors';
import type { PriorAttempt } from '../../llm/fallback';
import { prepareStepCall, runStepCall } from '../../llm/step-call';
import type { Platform } from '../../platform/platform';
import { promptWithKnowledge } from '../../rag/agent-context';
import { maskForTrace } from '../../pii/policy';
import { renderTemplate } from '../../workflow/template';
import { addLogContext } from '../../observability/context';
import { metrics } from '../../observability/metrics';
import { annotateActiveSpan } from '../../observability/tracing';
import { appendEvent } from '../events';
import { loadPinnedAgent, loadStepContext } from './context';
import { takeWarmStepContext, type WarmStepContext } from './warm-steps';
import { prepareNextStepOrLeaveIt } from './next-step';
import { buildCall, promptOf, readsOf } from './step-request';
import { recordCall, type StepIds, stepEvents } from './record-call';
import { INTERRUPTED_ERROR, settleInterruptedRows } from './interrupted-attempts';
import {
  attemptReservationId,
  PREPARED,
  preparedRecordId,
  UNREPORTED,
} from '../../llm/attempt-outcomes';
import { type PlanResult, planRun } from './plan-run';
import { routeAnswer } from './router';
import { agentToolsOf } from '../../tools/agent-tools/catalog';
import { toolRunsInFlight } from './tool-runs';
import { offloadPayload } from '../step-payloads';
import { isStaleRead, markRunningWrite, usageRecordRemoval } from './step-writes';

export { RetriesExhausted } from '../../llm/step-call';

export interface StepTaskInput {
  tenantId: string;
  runId: string;
  stepId: string;
  executionId: string;
  /** The step runs alone at the top level: its completion plans the next steps (ADR 110). */
  plan?: boolean;
  /**
   * The step's first invocation after its predecessor's completion prepared its call (ADR 186):
   * a `prepared` usage record of this execution was never taken by a task that called.
   */
  prepared?: boolean;
}

export interface StepTaskResult {
  status: string;
  /** With `plan`: the next ready steps, computed in the completion's transaction. */
  plan?: PlanResult;
}

/**
 * One invocation of one agent step. The prompt is rendered from the run input and finished outputs;
 * the gateway (shared/llm/step-call) walks the fallback chain from this step's attempt records,
 * skips open circuit breakers, reserves the budget and makes at most one provider call, outside any
 * transaction; every attempt (skipped and budget-blocked ones too) is recorded with its cost.
 * Idempotent under at-least-once delivery: a finished step is not run again.
 */
export async function runAgentStep(p: Platform, input: StepTaskInput): Promise<StepTaskResult> {
  const prepared = await prepareStep(p, input);
  if (prepared.skip === WAITING) return waiting(p, input, prepared.unstarted);
  // A repeated invocation of a finished step plans again (planning is idempotent).
  if (prepared.skip)
    return { status: prepared.skip, ...(input.plan ? { plan: await planRun(p, input) } : {}) };
  const { ids, node, agent, prompt, attempt, tools } = prepared;
  // Retrieval comes before the call, outside any transaction (embedding the query may be remote).
  // An agent with knowledge.search searches for itself instead (ADR 130).
  const built =
    prepared.built ??
    buildCall(
      p,
      input.executionId,
      prepared,
      tools.includes('knowledge.search')
        ? prompt
        : await promptWithKnowledge(p, {
            ...ids,
            knowledgeBaseIds: agent.knowledgeBaseIds,
            prompt,
          }),
    );
  const { stepCall, outbound, pii } = built;
  // With tools, the model's turns loop until it answers (shared/runs/engine/tool-turns.ts).
  const call = prepared.pending
    ? await prepared.pending.finish()
    : tools.length
      ? // Loaded on first use: the tools (retrieval, outbound HTTP) stay out of the cold start (ADR 111).
        await (await import('./tool-turns')).runToolTurns(
          p,
          {
            ...stepCall,
            ids,
            tools,
            maxTurns: agent.maxTurns,
            knowledgeBaseIds: agent.knowledgeBaseIds ?? [],
            pii: { policy: prepared.piiPolicy, mask: outbound.mask, restore: outbound.restore },
          },
          async (turn, intermediate) => {
            await recordCall(p, ids, false, turn, pii, intermediate);
          },
        )
      : await runStepCall(p, stepCall);
  if (call === 'waiting') return waiting(p, input, []);
  // An output above the threshold goes to S3 before the row is written (ADR 105).
  const answer = call.error ? null : routeAnswer(node, outbound.restore(call.output));
  const output = call.error
    ? { inline: null }
    : await offloadPayload(p, { ...ids, attempt }, 'output', answer);
  const plan = await recordCall(
    p,
    ids,
    input.plan === true && {
      output: answer,
      snapshot: prepared.snapshot,
      outputs: prepared.held,
      // Preparing the next step must not lose this answer.
      prepareNext: (tx, next) => prepareNextStepOrLeaveIt(p, tx, next, input.executionId),
    },
    { ...call, output: output.inline },
    pii,
    undefined,
    output.pointer,
  );
  if (call.error) throw call.error;
  metrics().count('steps_finished', 1, { status: 'SUCCEEDED', type: 'agent' });
  return { status: 'SUCCEEDED', ...(plan ? { plan } : {}) };
}

const WAITING = 'WAITING';

/**
 * The step waits on a workflow tool's child run: the state machine waits and invokes it again
 * (at the top level `next: agent_wait`, in the Map a WAITING status; ADR 162).
 */
async function waiting(
  p: Platform,
  input: StepTaskInput,
  unstarted: readonly string[],
): Promise<StepTaskResult> {
  if (unstarted.length) {
    const { launchChild } = await import('./workflow-tool');
    for (const id of unstarted) await launchChild(p, input.tenantId, id);
  }
  return {
    status: WAITING,
    ...(input.plan
      ? { plan: { done: false, ready: [], next: 'agent_wait', stepId: input.stepId } }
      : {}),
  };
}

/**
 * A step its planner's completion made ready in this process starts from what that completion
 * read (ADR 181): no read before its write. When the step or its run changed since, that write's
 * claim fails, the transaction rolls back, and the step is prepared from a fresh read.
 */
async function prepareStep(p: Platform, input: StepTaskInput) {
  const warm = takeWarmStepContext(input.runId, input.stepId, readsOf);
  // Its predecessor's completion prepared the call in this process (ADR 186): nothing to send.
  if (warm?.prepared && input.prepared) {
    describeAttempt(warm.step.nodeId, 1, warm.prepared.node.agent);
    return warm.prepared;
  }
  if (warm && !warm.prepared)
    try {
      return await prepareFrom(p, input, warm);
    } catch (error) {
      if (!isStaleRead(error)) throw error;
    }
  return prepareFrom(p, input, undefined);
}

/** The step and attempt on this invocation's log lines and trace span. */
function describeAttempt(nodeId: string, attempt: number, agent: string | undefined) {
  addLogContext({ nodeId, attempt });
  annotateActiveSpan(`step ${nodeId}`, {
    'hishamos.node_id': nodeId,
    'hishamos.attempt': attempt,
    'hishamos.agent': agent,
  });
}

/**
 * In one transaction: load the run (unless `warm` holds it), render the prompt, read this step's
 * earlier attempts (the fallback walk starts from them), mark the step RUNNING and say so on the
 * timeline.
 */
async function prepareFrom(p: Platform, input: StepTaskInput, warm: WarmStepContext | undefined) {
  return p.db.withTenant({ tenantId: input.tenantId }, async (tx) => {
    const { run, spec, step, piiPolicy, outputs } =
      warm ?? (await loadStepContext(p, tx, input.runId, input.stepId, readsOf));
    if (run.status === 'CANCELLED' || step.status === 'SUCCEEDED' || step.status === 'SKIPPED')
      return { skip: step.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'SKIPPED' } as const;
    // Polled while a workflow tool's child run goes on (ADR 162): one read, nothing recorded.
    // Only a step already RUNNING can have tool calls: a first invocation pays nothing for this.
    if (step.status === 'RUNNING' && !input.prepared) {
      const tools = await toolRunsInFlight(tx, step.id);
      if (tools.waiting) return { skip: WAITING, unstarted: tools.unstarted } as const;
    }
    const node = spec.nodes.find((n) => n.id === step.nodeId);
    if (!node?.agent)
      throw new ValidationError(`node ${step.nodeId} of run ${run.id} is not an agent step`);
    const agent = await loadPinnedAgent(tx, run, node.agent);
    const read = await outputs();
    const prompt = renderTemplate(promptOf(node), {
      input: run.input as Record<string, unknown>,
      steps: read,
    });
    const chain = [agent.model, ...agent.fallbacks];
    // An earlier invocation of this task that died mid-call (a Lambda timeout) left its attempt
    // in flight: charge it at its estimate before walking the chain from the records.
    // One read of this step's attempts serves both; a PENDING step was never started, so has none,
    // and a prepared one's first invocation has only the record its predecessor prepared, which
    // no task took (ADR 186): its first attempt is written over it.
    const records =
      step.status === 'PENDING' || input.prepared
        ? []
        : await tx
            .select()
            .from(usageRecords)
            .where(
              and(
                eq(usageRecords.stepId, step.id),
                eq(usageRecords.executionId, input.executionId),
              ),
            )
            .orderBy(asc(usageRecords.attempt))
            .for('update');
    const inFlight = records.filter((r) => UNREPORTED.includes(r.outcome));
    if (inFlight.length) {
      await settleInterruptedRows(tx, input.tenantId, inFlight);
      for (const r of inFlight)
        Object.assign(r, { outcome: 'error', errorName: INTERRUPTED_ERROR });
    }
    const prior: PriorAttempt[] = records.map((r) => ({
      chainIndex: Math.max(
        0,
        r.modelRef ? chain.indexOf(r.modelRef) : Math.min(r.attempt - 1, chain.length - 1),
      ),
      outcome: r.outcome as PriorAttempt['outcome'],
      errorName: r.errorName,
      retryAfterMs: r.retryAfterMs,
      endedAt: r.createdAt.getTime(),
    }));
    const attempt = records.length + 1;
    describeAttempt(step.nodeId, attempt, node.agent);
    // The prompt's scan for traces serves its stored copy and the step's counts (buildCall).
    const masked = maskForTrace(prompt, piiPolicy);
    let markRunning: StatementPart | undefined;
    if (step.status !== 'RUNNING') {
      // A prompt above the threshold goes to S3 (ADR 105); the key is per attempt, so a rolled
      // back transaction leaves at most an object the retry overwrites.
      const stored = await offloadPayload(
        p,
        { tenantId: input.tenantId, runId: run.id, stepId: step.id, attempt },
        'prompt',
        masked.text,
      );
      markRunning = markRunningWrite({
        stepId: step.id,
        prompt: stored.inline,
        pointer: stored.pointer,
        startedAt: step.startedAt ?? new Date(p.now()),
        claim: warm !== undefined,
      });
    }
    const ids: StepIds = {
      tenantId: input.tenantId,
      workflowId: run.workflowId,
      runId: run.id,
      stepId: step.id,
      nodeId: step.nodeId,
    };
    const event = stepEvents(ids);
    const tools = agentToolsOf(agent.tools);
    const walksNow = !tools.length && !agent.knowledgeBaseIds?.length;
    // The RUNNING update and the in-flight record go in the event's statement (issue 12).
    const writes = markRunning ? [markRunning] : [];
    // A prepared step its predecessor already said started (ADR 186): its reservation goes, and
    // its record is written over by this walk's first (or, when the walk comes later, removed).
    const release = input.prepared ? releasePrepared(step.id, input.executionId, !walksNow) : [];
    writes.push(...release);
    // The preparation's last statement: its COMMIT rides with it (ADR 176), so the run's event
    // lock is not held across another round trip while a parallel branch waits for it.
    const started = () =>
      asLastStatement(() =>
        release.length
          ? runPrebuilt(tx, 'prepared_taken', withWrites(writes.slice(1), writes[0]))
          : appendEvent(
              tx,
              attempt === 1
                ? event('step.started', `${step.nodeId} started`)
                : event('step.retrying', `${step.nodeId} attempt ${attempt}`),
              writes,
            ),
      );
    const prepared = {
      ids,
      node,
      agent,
      prompt,
      chain,
      prior,
      attempt,
      piiPolicy,
      tools,
      masked: masked.counts,
      // The run as the planner left it: the completion plans from it (ADR 181), and the outputs
      // the planner held, which the steps it makes ready may read too (ADR 187).
      snapshot: warm?.snapshot,
      held: warm ? read : undefined,
    };
    // Without tools or knowledge the request is known now: the gateway's walk holds the budget and
    // writes the attempt's in-flight record in this transaction (ADR 165).
    if (!walksNow) {
      await started();
      return { skip: undefined, ...prepared, built: undefined, pending: undefined } as const;
    }
    const built = buildCall(p, input.executionId, prepared, prompt);
    if (release.length) built.stepCall.takesOver = preparedRecordId(step.id, input.executionId);
    const pending = await prepareStepCall(p, tx, built.stepCall, {
      defer: (write) => writes.push(write),
    });
    await started();
    return { skip: undefined, ...prepared, built, pending } as const;
  });
}

/** A step ready to call its provider: what `prepareStep` gives when nothing stops it. */
export type PreparedAgentStep = Extract<
  Awaited<ReturnType<typeof prepareFrom>>,
  { skip: undefined }
>;

/**
 * What a prepared step's first task that found no prepared call in its process undoes (ADR 186):
 * the prepared attempt's reservation, and with `record` its usage record.
 */
function releasePrepared(stepId: string, executionId: string, record: boolean): StatementPart[] {
  const reservation = attemptReservationId({ stepId, executionId, attempt: 1, outcome: PREPARED });
  return [
    settleReservationWrite(reservation, 'prepared_'),
    ...(record ? [usageRecordRemoval(preparedRecordId(stepId, executionId))] : []),
  ];
}
