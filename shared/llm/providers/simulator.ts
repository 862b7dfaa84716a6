import { createHash } from 'node:crypto';
import { InvalidRequest, ProviderThrottled, ProviderUnavailable } from '../../errors';
import {
  type CallOptions,
  type ModelCallRequest,
  type ModelCallResult,
  type ProviderAdapter,
  type ToolCall,
  type ToolDefinition,
  streamsText,
} from '../types';

export const SIMULATOR_LABEL =
  '[HishamOS local simulator: offline, deterministic, not a real model]';

/**
 * The offline stand-in for every provider. Deterministic: the same request gives the same answer,
 * so runs are reproducible offline. Model names that start with these words script failures, which
 * demos and tests use to exercise retries end to end through the real ASL:
 *   `flaky-N`   throws ProviderThrottled on the first N attempts of a step, then answers;
 *   `down`      always throws ProviderUnavailable; `fail` always throws InvalidRequest (permanent);
 *   `slow-MS`   answers after MS milliseconds (to watch a run live, or cancel one);
 *   `big-KB`    answers with at least KB kilobytes (the answer repeated: large step payloads).
 *   `midstream-N` on the first N attempts of a step, streams half its answer, then throws
 *               ProviderUnavailable (a connection lost mid-answer; non-streamed, it just throws).
 * Streamed (a plain-text call with `onText`), the same answer arrives in STREAM_CHUNKS pieces
 * spread over the latency, so a slow model's partial output can be watched growing.
 */
export function createSimulator(options: {
  latencyMs: number;
  attempt?: () => number;
}): ProviderAdapter {
  return {
    id: 'simulator',
    async call(
      request: ModelCallRequest,
      _credentials?: unknown,
      callOptions?: CallOptions,
    ): Promise<ModelCallResult> {
      const attempt = options.attempt?.() ?? 1;
      scriptedFailure(request.model, attempt);
      const latency = Math.min(
        Number(/^slow-(\d+)/.exec(request.model)?.[1] ?? options.latencyMs),
        60_000,
      );
      const onText = streamsText(request, callOptions) ? callOptions?.onText : undefined;
      if (onText) {
        const result = answer(request);
        const all = pieces(result.text, STREAM_CHUNKS);
        const cut = midstreamCut(request.model, attempt) ? Math.ceil(all.length / 2) : all.length;
        for (const piece of all.slice(0, cut)) {
          if (latency > 0) await sleep(latency / STREAM_CHUNKS);
          onText(piece);
        }
        if (cut < all.length)
          throw new ProviderUnavailable('simulator: scripted stream cut mid-answer');
        return result;
      }
      if (midstreamCut(request.model, attempt))
        throw new ProviderUnavailable('simulator: scripted stream cut mid-answer');
      if (latency > 0) await sleep(latency);
      return answer(request);
    },
  };
}

/** How many pieces a streamed simulator answer arrives in. */
export const STREAM_CHUNKS = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The text cut into `n` pieces of near-equal length (fewer when the text is shorter). */
function pieces(text: string, n: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The deterministic answer to a request (after any scripted failure and latency). */
function answer(request: ModelCallRequest): ModelCallResult {
  const toolCall = scriptedToolCall(request);
  const prompt = request.messages.map((m) => m.content).join('\n');
  if (toolCall)
    return {
      text: '',
      toolCalls: [toolCall],
      inputTokens: estimateTokens(`${request.system ?? ''}${prompt}`),
      outputTokens: estimateTokens(JSON.stringify(toolCall.arguments)),
      cachedInputTokens: 0,
      finishReason: 'tool_calls',
      model: request.model,
    };
  const digest = createHash('sha256')
    .update(`${request.model}\n${request.system ?? ''}\n${prompt}`)
    .digest('hex');
  const text = request.outputSchema
    ? JSON.stringify(sampleFor(request.outputSchema, digest, prompt))
    : bigAnswer(request.model, narrate(request, prompt, digest) + citeToolResults(request));
  return {
    text,
    toolCalls: [],
    inputTokens: estimateTokens(`${request.system ?? ''}${prompt}`),
    outputTokens: estimateTokens(text),
    cachedInputTokens: 0,
    finishReason: 'stop',
    model: request.model,
  };
}

/**
 * Scripted tool use: offered tools and no tool result in the conversation yet, the simulator calls
 * the FIRST tool once, with arguments read from the prompt; with results in, it answers quoting them.
 * A model name starting `loop` never stops calling tools (to exercise maxTurns).
 */
function scriptedToolCall(request: ModelCallRequest): ToolCall | undefined {
  const tool = request.tools?.[0];
  if (!tool) return undefined;
  const turns = request.messages.filter((m) => m.toolResults?.length).length;
  if (turns > 0 && !request.model.startsWith('loop')) return undefined;
  const prompt = request.messages.find((m) => m.role === 'user')?.content ?? '';
  return { id: `sim_call_${turns + 1}`, name: tool.name, arguments: argumentsFrom(tool, prompt) };
}

/** Each required property from the prompt: a URL, an owner/name, an issue key, a number, or text. */
function argumentsFrom(tool: ToolDefinition, prompt: string): Record<string, unknown> {
  const props = (tool.parameters.properties ?? {}) as Record<string, { type?: string }>;
  const required = Array.isArray(tool.parameters.required)
    ? (tool.parameters.required as string[])
    : [];
  const firstLine =
    prompt
      .split('\n')
      .find((l) => l.trim())
      ?.trim()
      .slice(0, 200) ?? '';
  const found = (re: RegExp) => re.exec(prompt)?.[0];
  return Object.fromEntries(
    required.map((name) => {
      if (props[name]?.type === 'integer' || props[name]?.type === 'number')
        return [name, Number(found(/\b\d+\b/) ?? 1)];
      if (name === 'url') return [name, found(/https?:\/\/[^\s)"'>]+/) ?? 'https://example.com/'];
      if (name === 'repository') return [name, found(/\b[\w.-]+\/[\w.-]+\b/) ?? 'octo/demo'];
      if (name === 'issue') return [name, found(/\b[A-Z][A-Z0-9_]*-\d+\b/) ?? 'DEMO-1'];
      return [name, firstLine];
    }),
  );
}

/** The last tool results, quoted so that numbered sources ([1]) carry into the answer. */
function citeToolResults(request: ModelCallRequest): string {
  const last = [...request.messages].reverse().find((m) => m.toolResults?.length);
  if (!last?.toolResults) return '';
  return [
    '',
    '',
    ...last.toolResults.map(
      (r) =>
        `From ${r.name}${r.isError ? ' (failed)' : ''}: ${r.content.replace(/\s+/g, ' ').slice(0, 400)}`,
    ),
  ].join('\n');
}

function midstreamCut(model: string, attempt: number): boolean {
  const m = /^midstream-(\d+)/.exec(model);
  return !!m && attempt <= Number(m[1]);
}

function scriptedFailure(model: string, attempt: number): void {
  const flaky = /^flaky-(\d+)/.exec(model);
  if (flaky && attempt <= Number(flaky[1]))
    throw new ProviderThrottled(`simulator: scripted throttle on attempt ${attempt}`, 0);
  if (model.startsWith('down')) throw new ProviderUnavailable('simulator: scripted outage');
  if (model.startsWith('fail')) throw new InvalidRequest('simulator: scripted permanent failure');
}

/** `big-KB`: the answer repeated, numbered, to at least KB × 1024 characters (at most 4 MiB). */
function bigAnswer(model: string, text: string): string {
  const kb = /^big-(\d+)/.exec(model);
  if (!kb) return text;
  const want = Math.min(Number(kb[1]), 4096) * 1024;
  const parts: string[] = [];
  for (let n = 1, size = 0; size < want; n++) {
    const part = `[part ${n}] ${text}`;
    parts.push(part);
    size += part.length + 1;
  }
  return parts.join('\n');
}

/** ~4 characters per token, the usual rule of thumb for English text. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function narrate(request: ModelCallRequest, prompt: string, digest: string): string {
  const role = (request.system ?? '').split(/[.\n]/)[0]?.trim() || 'assistant';
  const firstLine =
    prompt
      .split('\n')
      .find((l) => l.trim())
      ?.trim()
      .slice(0, 160) ?? '';
  return [
    SIMULATOR_LABEL,
    '',
    `**Role:** ${role}`,
    `**Task:** ${firstLine}`,
    '',
    `Simulated answer ${digest.slice(0, 8)}: this text stands in for a model response. Configure a provider key to get real answers.`,
    `Prompt length: ${prompt.length} characters.`,
  ].join('\n');
}

/**
 * A value that satisfies simple JSON Schemas (object/array/string/number/boolean/enum). An enum
 * answers with the value the prompt mentions first, so a router or a reviewer can be steered by
 * its input (demos and tests rely on it); with none mentioned, a value picked by the digest.
 */
function sampleFor(schema: Record<string, unknown>, seed: string, prompt: string): unknown {
  const type = schema.type;
  if (Array.isArray(schema.enum) && schema.enum.length)
    return (
      mentionedFirst(schema.enum, prompt) ??
      schema.enum[parseInt(seed.slice(0, 4), 16) % schema.enum.length]
    );
  if (type === 'object' || schema.properties) {
    const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    return Object.fromEntries(
      Object.entries(props).map(([k, v]) => [k, sampleFor(v, seed, prompt)]),
    );
  }
  if (type === 'array')
    return [sampleFor((schema.items ?? {}) as Record<string, unknown>, seed, prompt)];
  if (type === 'number' || type === 'integer') return parseInt(seed.slice(0, 2), 16);
  if (type === 'boolean') return parseInt(seed.slice(0, 1), 16) % 2 === 0;
  return `${SIMULATOR_LABEL} ${seed.slice(0, 8)}`;
}

function mentionedFirst(options: unknown[], prompt: string): unknown {
  let best: { at: number; value: unknown } | undefined;
  for (const value of options) {
    if (typeof value !== 'string' || value === '') continue;
    const at = prompt.indexOf(value);
    if (at !== -1 && (best === undefined || at < best.at)) best = { at, value };
  }
  return best?.value;
}
