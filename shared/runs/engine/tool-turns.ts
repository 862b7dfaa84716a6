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
import type { Platform } from '../../platform/platform';
import {
  type AgentToolName,
  DEFAULT_MAX_TURNS,
  toolDefinitions,
} from '../../tools/agent-tools/catalog';
import { executeAgentTool } from '../../tools/agent-tools/execute';
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
  tools: AgentToolName[];
  maxTurns?: number;
  knowledgeBaseIds: readonly string[];
}

/**
 * Records a model call like any agent step's. `intermediate` set: the call asked for tools, so the
 * step is not finished; the callback saves the turn in the same transaction.
 */
export type RecordCall = (
  call: StepCallResult,
  intermediate?: (tx: Tx) => Promise<void>,
) => Promise<void>;

/** Runs the loop to the model's answer; returns the final call for the caller to record. */
export async function runToolTurns(
  p: Platform,
  input: ToolLoopInput,
  record: RecordCall,
): Promise<StepCallResult> {
  const { ids, tools } = input;
  const maxTurns = input.maxTurns ?? DEFAULT_MAX_TURNS;
  const definitions = toolDefinitions(tools);
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
      await runCalls(p, input, turns);
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
      request: { ...input.request, messages: conversation(prompt, turns), tools: definitions },
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

/** Runs a turn's pending calls together, then saves their results and traces in one transaction. */
async function runCalls(p: Platform, input: ToolLoopInput, turns: ToolTurn[]): Promise<void> {
  const { ids } = input;
  const turn = turns[turns.length - 1];
  const ctx = { p, ...ids, knowledgeBaseIds: input.knowledgeBaseIds };
  const done = await runPendingCalls(turn, (tool, args) => executeAgentTool(ctx, tool, args));
  await p.db.withTenant({ tenantId: ids.tenantId }, async (tx) => {
    await saveTurns(p, tx, ids, turns);
    for (const c of done)
      await appendEvent(tx, {
        ...eventIds(ids),
        type: 'step.tool_call',
        message: `${ids.nodeId} called ${c.tool ?? c.wireName}${c.isError ? ' (failed)' : ''} in ${c.durationMs ?? 0} ms`,
        data: traceOf(turn.turn, c),
      });
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
