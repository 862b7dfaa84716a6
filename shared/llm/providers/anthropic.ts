/**
 * Anthropic adapter: the Messages API (`POST /v1/messages`) on the official `@anthropic-ai/sdk`
 * (SDK retries off: Step Functions owns retries). `credentials.baseUrl` (ANTHROPIC_BASE_URL) is the
 * host root, like the SDK's default `https://api.anthropic.com`.
 *
 * Mapping: system prompt → `system`; temperature → not sent (API version 2026-10-21, which this
 * SDK pins, dropped the parameter); messages → `messages` (text content); maxTokens →
 * `max_tokens` (required by the API; DEFAULT_MAX_TOKENS when unset); JSON-schema output →
 * `output_config.format = {type: 'json_schema', schema}` (Anthropic's structured outputs); tools →
 * `tools[{name, description, input_schema}]`, answered as `tool_use` content blocks.
 * Usage: Anthropic's `input_tokens` excludes cache reads and writes, so inputTokens =
 * input_tokens + cache_creation_input_tokens + cache_read_input_tokens and cachedInputTokens =
 * cache_read_input_tokens (the same convention as OpenAI and Gemini: cached ⊆ input).
 * `stop_reason: refusal` → ContentFiltered.
 *
 * Load lazily: `const { createAdapter } = await import('./providers/anthropic')`.
 */
import { guardedFetch } from '../../net/outbound';
import Anthropic from '@anthropic-ai/sdk';
import { ContentFiltered, ProviderUnavailable } from '../../errors';
import { classifyProviderError } from '../classify';
import {
  type CallOptions,
  type ChatMessage,
  type ModelCallRequest,
  type ModelCallResult,
  type ProviderAdapter,
  type ProviderCredentials,
  type ToolCall,
  streamsText,
} from '../types';
import {
  type AdapterOptions,
  ClientCache,
  DEFAULT_MAX_TOKENS,
  asObject,
  normalizeFinish,
  requireKey,
  timeoutFor,
} from './common';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

export function toMessagesBody(
  request: ModelCallRequest,
): Anthropic.MessageCreateParamsNonStreaming {
  const body: Anthropic.MessageCreateParamsNonStreaming = {
    model: request.model,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages: request.messages.map(toMessageParam),
  };
  if (request.system) body.system = request.system;
  // request.temperature is not sent: Messages API version 2026-10-21 (the one this SDK speaks,
  // `anthropic-version: 2026-10-21`) has no temperature parameter any more.
  if (request.outputSchema)
    body.output_config = { format: { type: 'json_schema', schema: request.outputSchema } };
  if (request.tools?.length) {
    body.tools = request.tools.map((t) => ({
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      input_schema: { type: 'object', ...t.parameters } as Anthropic.Tool.InputSchema,
    }));
  }
  return body;
}

/** A turn in Anthropic's native tool form: `tool_use` blocks, answered by `tool_result` blocks. */
function toMessageParam(m: ChatMessage): Anthropic.MessageParam {
  if (m.role === 'assistant' && m.toolCalls?.length)
    return {
      role: 'assistant',
      content: [
        ...(m.content ? [{ type: 'text' as const, text: m.content }] : []),
        ...m.toolCalls.map((c) => ({
          type: 'tool_use' as const,
          id: c.id,
          name: c.name,
          input: c.arguments,
        })),
      ],
    };
  if (m.role === 'user' && m.toolResults?.length)
    return {
      role: 'user',
      content: [
        ...m.toolResults.map((r) => ({
          type: 'tool_result' as const,
          tool_use_id: r.callId,
          content: r.content,
          ...(r.isError ? { is_error: true } : {}),
        })),
        ...(m.content ? [{ type: 'text' as const, text: m.content }] : []),
      ],
    };
  return { role: m.role, content: m.content };
}

export function fromMessage(message: Anthropic.Message, requestedModel: string): ModelCallResult {
  if (!message || !Array.isArray(message.content))
    throw new ProviderUnavailable('anthropic: response carried no content');
  if (message.stop_reason === 'refusal') {
    const category = message.stop_details?.category;
    throw new ContentFiltered(
      `anthropic: the model refused to answer${category ? ` (${category})` : ''}`,
    );
  }
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use')
      toolCalls.push({ id: block.id, name: block.name, arguments: asObject(block.input) });
  }
  const u = message.usage;
  const cacheRead = u?.cache_read_input_tokens ?? 0;
  const cacheWrite = u?.cache_creation_input_tokens ?? 0;
  return {
    text: texts.join(''),
    toolCalls,
    inputTokens: (u?.input_tokens ?? 0) + cacheRead + cacheWrite,
    outputTokens: u?.output_tokens ?? 0,
    cachedInputTokens: cacheRead,
    finishReason: normalizeFinish(message.stop_reason, toolCalls),
    model: message.model || requestedModel,
  };
}

export function createAnthropicAdapter(options: AdapterOptions = {}): ProviderAdapter {
  const clients = new ClientCache<Anthropic>();
  return {
    id: 'anthropic',
    async call(
      request: ModelCallRequest,
      credentials: ProviderCredentials,
      callOptions?: CallOptions,
    ): Promise<ModelCallResult> {
      const apiKey = requireKey('anthropic', credentials);
      const baseURL = credentials.baseUrl || ANTHROPIC_DEFAULT_BASE_URL;
      const secrets = [apiKey];
      const timeout = timeoutFor(request.timeoutMs, options);
      const client = clients.get(
        `${baseURL}\u0000${apiKey}`,
        () =>
          new Anthropic({
            apiKey,
            // Never fall back to ANTHROPIC_AUTH_TOKEN or a credentials profile from the environment.
            authToken: null,
            baseURL,
            maxRetries: 0,
            // An explicit timeout also stops the SDK refusing large max_tokens without streaming.
            timeout: options.defaultTimeoutMs ?? timeout,
            // User-supplied base URLs go through the guarded client (ADR 052).
            fetch: options.fetch ?? guardedFetch,
          }),
      );
      try {
        const body = toMessagesBody(request);
        const onText = streamsText(request, callOptions) ? callOptions?.onText : undefined;
        // Streamed: `message_start`, `content_block_delta`…, `message_delta`, `message_stop`; the
        // SDK assembles the same Message the non-streamed call returns.
        const message = onText
          ? await client.messages
              .stream(body, { timeout, maxRetries: 0 })
              .on('text', (delta) => onText(delta))
              .finalMessage()
          : await client.messages.create(body, { timeout, maxRetries: 0 });
        return fromMessage(message, request.model);
      } catch (err) {
        throw classifyProviderError(err, { provider: 'anthropic', secrets });
      }
    },
  };
}

export const createAdapter = createAnthropicAdapter;
export type { AdapterOptions };
