/**
 * The tool calls of an agent step, from its `step.tool_call` run events (ADR 130,
 * shared/runs/engine/tool-turns.ts): one per call, with its turn, arguments, the start of its
 * result (the model read up to 12,000 characters), its duration and its error, if any.
 */
import type { RunEvent, RunStep } from '../../api/types';

export interface ToolCallView {
  turn: number;
  callId: string;
  tool: string;
  arguments: Record<string, unknown>;
  result: string;
  resultChars: number;
  truncated: boolean;
  durationMs: number;
  error?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** A well-formed tool call out of an event's data; undefined for anything else. */
export function parseToolCall(data: unknown): ToolCallView | undefined {
  if (!isRecord(data) || typeof data.tool !== 'string') return undefined;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const result = typeof data.result === 'string' ? data.result : '';
  return {
    turn: num(data.turn),
    callId: typeof data.callId === 'string' ? data.callId : '',
    tool: data.tool,
    arguments: isRecord(data.arguments) ? data.arguments : {},
    result,
    resultChars: num(data.resultChars) || result.length,
    truncated: data.truncated === true,
    durationMs: num(data.durationMs),
    ...(typeof data.error === 'string' ? { error: data.error } : {}),
  };
}

/** The step's tool calls in the order they finished (empty when it called none). */
export function toolCallsOfStep(
  step: RunStep | undefined,
  events: readonly RunEvent[],
): ToolCallView[] {
  if (!step) return [];
  return events
    .filter(
      (e) =>
        e.type === 'step.tool_call' && (e.stepId ? e.stepId === step.id : e.nodeId === step.nodeId),
    )
    .flatMap((e) => {
      const call = parseToolCall(e.data);
      return call ? [call] : [];
    });
}
