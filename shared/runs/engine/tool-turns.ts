/**
 * The engine half of an agent's tool-calling loop (ADR 130). Each model turn is one metered
 * gateway call (fallback chain, budget, circuit breaker as for any agent step); a turn that asks
 * for tools is saved on the step (run_steps.tool_turns) in the same transaction as its usage
 * record, its calls then run in parallel and their bounded results are saved, each call also
 * becoming a `step.tool_call` event of the step's trace. A retried task reads the saved turns and
 * carries on: a recorded model turn is never asked again, and only calls without a saved result
 * run again (every agent tool is read-only). The loop ends when the model answers, or fails with
 * MaxTurnsExceeded, BudgetExceeded or the gateway's own errors.
 */
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { runSteps, runs } from '../../db/schema';
import type { PriorAttempt } from '../../llm/fallback';
import { runStepCall, type StepCallResult } from '../../llm/step-call';
import {
  MaxTurnsExceeded,
  SavedTurns,
  conversation,
  newTurn,
  pendingCalls,
  runPendingCalls,
  traceOf,
  type ToolTurn,
} from '../../llm/tool-loop';
import type { ModelCallRequest } from '../../llm/types';
import { maskForTrace, type PiiPolicy } from '../../pii/policy';
import type { Platform } from '../../platform/platform';
import {
  type AgentToolRef,
  DEFAULT_MAX_TURNS,
  isAgentToolName,
} from '../../tools/agent-tools/catalog';
import { executeAgentTool } from '../../tools/agent-tools/execute';
import { money } from '../../db/sql-values';
import { agentToolDefinitions, callWorkflowTool } from './workflow-tool';
import { appendEvent } from '../events';
import { mergePointer, offloadPayload, parsePayloads, resolved } from '../step-payloads';

export interface ToolStepIds {
  tenantId: string;
  workflowId: string;
  runId: string;
  stepId: string;
  nodeId: string;
}

export interface ToolLoopInput {
  ids: ToolStepIds;
  executionId: string;
  chain: string[];
  /** This step's usage records in this execution, oldest first. */
  prior: PriorAttempt[];
  /** The number the next usage record gets. */
  nextRow: number;
  maxAttempts: number;
  /** The request of the first turn (its one user message is the prompt). */
  request: Omit<ModelCallRequest, 'model'>;
  tools: AgentToolRef[];
  maxTurns?: number;
  knowledgeBaseIds: readonly string[];
  /**
   * The tenant's PII policy (ADR 162): tool results reach the provider through `mask` (the
   * prompt's placeholders, restored in the answer) and the trace masked as prompts are.
   */
  pii: { policy: PiiPolicy; mask: (text: string) => string; restore: (value: unknown) => unknown };
}

/** The loop waits on a workflow tool's child run: the task reports WAITING and is invoked again. */
export const WAITING_FOR_TOOLS = 'waiting' as const;

/**
 * Records a model call like any agent step's. `intermediate` set: the call asked for tools, so the
 * step is not finished; the callback saves the turn in the same transaction.
 */
export type RecordCall = (
  call: StepCallResult,
  intermediate?: (tx: Tx) => Promise<void>,
) => Promise<void>;

/**
 * Runs the loop to the model's answer and returns the final call for the caller to record, or
 * WAITING_FOR_TOOLS while a workflow tool's child run has not finished (ADR 162).
 */
export async function runToolTurns(
  p: Platform,
  input: ToolLoopInput,
  record: RecordCall,
): Promise<StepCallResult | typeof WAITING_FOR_TOOLS> {
  const { ids, tools } = input;
  const maxTurns = input.maxTurns ?? DEFAULT_MAX_TURNS;
  const definitions = await agentToolDefinitions(p, ids.tenantId, tools);
  const prompt = input.request.messages[0]?.content ?? '';
  const turns = await loadTurns(p, ids);
  let nextRow = input.nextRow;
  let prior = sinceLastAnswer(input.prior);
  for (;;) {
    const last = turns[turns.length - 1];
    if (last && turns.length >= maxTurns)
      throw new MaxTurnsExceeded(
        `${ids.nodeId} used all ${maxTurns} model turns calling tools without answering (raise maxTurns on the agent, at most 20)`,
      );
    if (pendingCalls(last).length) {
      // Masking the conversation so far names the placeholders the calls' arguments may use.
      conversation(prompt, turns, input.pii.mask);
      await runCalls(p, input, turns);
      if (pendingCalls(last).length) return WAITING_FOR_TOOLS;
      continue;
    }
    // A run cancelled while tools ran asks the model nothing more (what was spent stays counted).
    if (last && (await runCancelled(p, ids))) return cancelledCall(ids.nodeId);
    const call = await runStepCall(p, {
      ...ids,
      executionId: input.executionId,
      chain: input.chain,
      prior,
      nextRow,
      maxAttempts: input.maxAttempts,
      request: {
        ...input.request,
        messages: conversation(prompt, turns, input.pii.mask),
        tools: definitions,
      },
    });
    nextRow += call.rows.length;
    const asked = call.outcome?.result?.toolCalls ?? [];
    if (call.error || !asked.length) return call;
    const turn = newTurn(turns.length + 1, call.outcome?.result?.text ?? '', asked, tools);
    turns.push(turn);
    await record(call, async (tx) => {
      await saveTurns(p, tx, ids, turns);
      await appendEvent(tx, {
        ...eventIds(ids),
        type: 'step.tool_turn',
        message: `${ids.nodeId} turn ${turn.turn} asks for ${turn.calls.map((c) => c.tool ?? c.wireName).join(', ')}`,
        data: { turn: turn.turn, calls: turn.calls.length, costUsd: call.costUsd },
      });
    });
    // The next turn's fallback walk starts afresh at the primary model.
    prior = [];
  }
}

/**
 * Runs a turn's pending calls together, then saves their results and traces in one transaction,
 * with the cost of the finished workflow tools' child runs rolled up into the step and the run
 * (once: a saved result is never run again). Calls whose child run goes on stay pending.
 */
async function runCalls(p: Platform, input: ToolLoopInput, turns: ToolTurn[]): Promise<void> {
  const { ids } = input;
  const turn = turns[turns.length - 1];
  const ctx = { p, ...ids, knowledgeBaseIds: input.knowledgeBaseIds };
  let childCost = 0;
  const done = await runPendingCalls(turn, async (tool, raw, index) => {
    // A model that saw placeholders may pass them on: the tool reads the real values.
    const args = input.pii.restore(raw) as Record<string, unknown>;
    if (isAgentToolName(tool)) return executeAgentTool(ctx, tool, args);
    const out = await callWorkflowTool(p, ids, tool, args, turn.turn, index);
    childCost += out?.costUsd ?? 0;
    return out;
  });
  if (!done.length) return;
  await p.db.withTenant({ tenantId: ids.tenantId }, async (tx) => {
    await saveTurns(p, tx, ids, turns);
    if (childCost) {
      await tx
        .update(runSteps)
        .set({ costUsd: sql`${runSteps.costUsd} + ${money(childCost)}` })
        .where(eq(runSteps.id, ids.stepId));
      await tx
        .update(runs)
        .set({ costUsd: sql`${runs.costUsd} + ${money(childCost)}` })
        .where(eq(runs.id, ids.runId));
    }
    for (const c of done) {
      // The trace shows results as prompts are shown: the policy's classes masked (ADR 062).
      const masked = maskForTrace(c.result ?? '', input.pii.policy);
      await appendEvent(tx, {
        ...eventIds(ids),
        type: 'step.tool_call',
        message: `${ids.nodeId} called ${c.tool ?? c.wireName}${c.isError ? ' (failed)' : ''} in ${c.durationMs ?? 0} ms`,
        data: {
          ...traceOf(turn.turn, { ...c, result: masked.text }),
          ...(Object.keys(masked.counts).length ? { pii: masked.counts } : {}),
        },
      });
    }
  });
}

async function runCancelled(p: Platform, ids: ToolStepIds): Promise<boolean> {
  const [row] = await p.db.withTenant({ tenantId: ids.tenantId }, (tx) =>
    tx.select({ status: runs.status }).from(runs).where(eq(runs.id, ids.runId)),
  );
  return row?.status === 'CANCELLED';
}

/** No call made: nothing to record but the reason on the timeline. */
function cancelledCall(nodeId: string): StepCallResult {
  return {
    rows: [],
    reservationIds: [],
    costUsd: 0,
    events: [
      {
        type: 'step.tool_loop_stopped',
        message: `${nodeId} stopped calling tools: the run was cancelled`,
        data: { reason: 'cancelled' },
      },
    ],
  };
}

async function loadTurns(p: Platform, ids: ToolStepIds): Promise<ToolTurn[]> {
  const [row] = await p.db.withTenant({ tenantId: ids.tenantId }, (tx) =>
    tx
      .select({ toolTurns: runSteps.toolTurns, payloads: runSteps.payloads })
      .from(runSteps)
      .where(eq(runSteps.id, ids.stepId)),
  );
  if (!row) return [];
  const saved = await resolved(
    p,
    ids.tenantId,
    row.toolTurns,
    parsePayloads(row.payloads).toolTurns,
  );
  return saved ? SavedTurns.parse(saved) : [];
}

/** Turns above the inline threshold go to S3 with a pointer in the row (ADR 105). */
async function saveTurns(p: Platform, tx: Tx, ids: ToolStepIds, turns: ToolTurn[]): Promise<void> {
  const stored = await offloadPayload(p, { ...ids, attempt: 1 }, 'toolTurns', turns);
  await tx
    .update(runSteps)
    .set({
      toolTurns: stored.inline,
      payloads: stored.pointer
        ? mergePointer('toolTurns', stored.pointer)
        : sql`${runSteps.payloads} - 'toolTurns'`,
    })
    .where(eq(runSteps.id, ids.stepId));
}

/** The current turn's attempts: those after the last successful call (an earlier turn's answer). */
function sinceLastAnswer(prior: PriorAttempt[]): PriorAttempt[] {
  let i = prior.length - 1;
  while (i >= 0 && prior[i].outcome !== 'success') i--;
  return prior.slice(i + 1);
}

const eventIds = (ids: ToolStepIds) => ({
  tenantId: ids.tenantId,
  runId: ids.runId,
  stepId: ids.stepId,
  nodeId: ids.nodeId,
});
