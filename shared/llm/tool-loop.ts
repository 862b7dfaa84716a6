/**
 * The pure half of an agent's tool-calling loop (ADR 130): the turns a step has taken, the
 * conversation they make in the gateway's provider-neutral form (each adapter maps it to its
 * provider's native tool calls), and running one turn's calls in parallel. The engine half
 * (shared/runs/engine/tool-turns.ts) persists the turns and meters every model call.
 */
import * as z from 'zod';
import { type AgentToolRef, isAgentToolRef, toolForWireName } from '../tools/agent-tools/catalog';
import type { ToolExecution } from '../tools/agent-tools/execute';
import type { ChatMessage, ToolCall } from './types';

/** The model asked for tools on its last allowed turn: the step fails with this (not retried). */
export class MaxTurnsExceeded extends Error {
  override readonly name = 'MaxTurnsExceeded';
}

/** One call the model made, and once run, what it returned. */
const ToolCallRecord = z.object({
  id: z.string(),
  /** The name the model used (`knowledge_search`). */
  wireName: z.string(),
  /** The agent tool it maps to, if it is one of the offered ones. */
  tool: z.custom<AgentToolRef>((v) => typeof v === 'string' && isAgentToolRef(v)).optional(),
  arguments: z.record(z.string(), z.unknown()),
  result: z.string().optional(),
  isError: z.boolean().optional(),
  size: z.number().optional(),
  truncated: z.boolean().optional(),
  durationMs: z.number().optional(),
  /** A workflow tool's child run (ADR 162). */
  childRunId: z.string().optional(),
});
export type ToolCallRecord = z.infer<typeof ToolCallRecord>;

/** A model turn that asked for tools. */
const ToolTurn = z.object({
  turn: z.number().int(),
  /** Text the model wrote alongside its calls. */
  text: z.string(),
  calls: z.array(ToolCallRecord),
});
export type ToolTurn = z.infer<typeof ToolTurn>;
/** The turns as saved on the step (run_steps.tool_turns). */
export const SavedTurns = z.array(ToolTurn);

export function newTurn(
  turn: number,
  text: string,
  calls: readonly ToolCall[],
  offered: readonly AgentToolRef[],
): ToolTurn {
  return {
    turn,
    text,
    calls: calls.map((c) => ({
      id: c.id,
      wireName: c.name,
      tool: toolForWireName(offered, c.name),
      arguments: c.arguments,
    })),
  };
}

export const pendingCalls = (turn: ToolTurn | undefined): ToolCallRecord[] =>
  turn?.calls.filter((c) => c.result === undefined) ?? [];

/**
 * The prompt, then per turn the model's calls and their results, in the gateway's form. `mask`
 * applies the tenant's PII policy to each result on its way to the provider (ADR 162).
 */
export function conversation(
  prompt: string,
  turns: readonly ToolTurn[],
  mask: (text: string) => string = (text) => text,
): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
  for (const t of turns) {
    messages.push({
      role: 'assistant',
      content: t.text,
      toolCalls: t.calls.map((c) => ({ id: c.id, name: c.wireName, arguments: c.arguments })),
    });
    messages.push({
      role: 'user',
      content: '',
      toolResults: t.calls.map((c) => ({
        callId: c.id,
        name: c.wireName,
        content: mask(c.result ?? ''),
        ...(c.isError ? { isError: true } : {}),
      })),
    });
  }
  return messages;
}

/**
 * Runs the turn's pending calls at once (the model asked for them together) and fills in their
 * results. A call of a tool that was not offered gets an error result; the model reads it. An
 * execution may be `undefined`: not finished yet (a workflow tool's child run, ADR 162), the call
 * stays pending. Returns the calls that got their result.
 */
export async function runPendingCalls(
  turn: ToolTurn,
  execute: (
    tool: AgentToolRef,
    args: Record<string, unknown>,
    /** The call's position in its turn: with the turn, a stable key across retries. */
    index: number,
  ) => Promise<ToolExecution | undefined>,
): Promise<ToolCallRecord[]> {
  const pending = pendingCalls(turn);
  const results = await Promise.all(
    pending.map(async (c): Promise<ToolExecution | undefined> => {
      if (!c.tool)
        return {
          content: `UnknownTool: "${c.wireName}" is not one of this agent's tools`,
          isError: true,
          size: 0,
          truncated: false,
          durationMs: 0,
        };
      return execute(c.tool, c.arguments, turn.calls.indexOf(c));
    }),
  );
  const done: ToolCallRecord[] = [];
  pending.forEach((c, i) => {
    const r = results[i];
    if (!r) return;
    Object.assign(c, {
      result: r.content,
      isError: r.isError,
      size: r.size,
      truncated: r.truncated,
      durationMs: r.durationMs,
      ...(r.childRunId ? { childRunId: r.childRunId } : {}),
    });
    done.push(c);
  });
  return done;
}

/** Characters of a result shown in the step's trace (the model read up to MAX_RESULT_CHARS). */
export const TRACE_RESULT_CHARS = 2_000;

/** The trace event's data for one finished call. */
export function traceOf(turn: number, c: ToolCallRecord): Record<string, unknown> {
  const result = c.result ?? '';
  return {
    turn,
    callId: c.id,
    tool: c.tool ?? c.wireName,
    arguments: c.arguments,
    result: result.slice(0, TRACE_RESULT_CHARS),
    resultChars: c.size ?? result.length,
    truncated: (c.truncated ?? false) || result.length > TRACE_RESULT_CHARS,
    durationMs: c.durationMs ?? 0,
    ...(c.childRunId ? { childRunId: c.childRunId } : {}),
    ...(c.isError ? { error: result.slice(0, 500) } : {}),
  };
}
