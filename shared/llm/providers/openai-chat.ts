/**
 * The Chat Completions adapter core on the official `openai` SDK, shared by the `openai` adapter
 * (api.openai.com or a proxy) and the `compatible` adapter (Ollama, vLLM, LM Studio: any server
 * speaking `POST {baseURL}/chat/completions`). Only this module (and its two wrappers) imports `openai`.
 */
import { guardedFetch } from '../../net/outbound';
import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { ContentFiltered, InvalidRequest, ProviderUnavailable } from '../../errors';
import { classifyProviderError } from '../classify';
import type { ProviderId } from '../model-ref';
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
  isStrictCompatible,
  normalizeFinish,
  parseToolArguments,
  requireKey,
  timeoutFor,
} from './common';

export interface ChatAdapterConfig {
  id: Extract<ProviderId, 'openai' | 'compatible'>;
  defaultBaseUrl?: string;
  /** Compatible servers often need no key; OpenAI always does. */
  keyRequired: boolean;
  /** `max_completion_tokens` (OpenAI; required by reasoning models) or `max_tokens` (what local servers understand). */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Used as the Bearer token when a keyless compatible server is called (the SDK needs some credential). */
  placeholderKey?: string;
}

/** The request body the adapter sends; exported for tests and the benchmark. */
export function toChatCompletionBody(
  request: ModelCallRequest,
  config: Pick<ChatAdapterConfig, 'maxTokensField'>,
): ChatCompletionCreateParamsNonStreaming {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.system) messages.push({ role: 'system', content: request.system });
  for (const m of request.messages) messages.push(...toChatMessages(m));
  const body: ChatCompletionCreateParamsNonStreaming = { model: request.model, messages };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.maxTokens !== undefined) body[config.maxTokensField] = request.maxTokens;
  if (request.outputSchema) {
    body.response_format = {
      type: 'json_schema',
      json_schema: {
        name: 'output',
        schema: request.outputSchema,
        strict: isStrictCompatible(request.outputSchema),
      },
    };
  }
  if (request.tools?.length) {
    body.tools = request.tools.map(
      (t): ChatCompletionTool => ({
        type: 'function',
        function: {
          name: t.name,
          ...(t.description ? { description: t.description } : {}),
          parameters: t.parameters,
        },
      }),
    );
  }
  return body;
}

/**
 * One conversation turn in Chat's native tool form: an assistant turn carries `tool_calls`, and
 * each tool result is its own `role: tool` message answering a `tool_call_id`.
 */
function toChatMessages(m: ChatMessage): ChatCompletionMessageParam[] {
  if (m.role === 'assistant' && m.toolCalls?.length)
    return [
      {
        role: 'assistant',
        content: m.content || null,
        tool_calls: m.toolCalls.map((c) => ({
          id: c.id,
          type: 'function',
          function: { name: c.name, arguments: JSON.stringify(c.arguments) },
        })),
      },
    ];
  if (m.role === 'user' && m.toolResults?.length)
    return [
      ...m.toolResults.map(
        (r): ChatCompletionMessageParam => ({
          role: 'tool',
          tool_call_id: r.callId,
          content: r.content,
        }),
      ),
      ...(m.content ? [{ role: 'user' as const, content: m.content }] : []),
    ];
  return [{ role: m.role, content: m.content }];
}

/** Read a Chat Completion into the gateway's result, raising ContentFiltered / ProviderUnavailable as needed. */
export function fromChatCompletion(
  provider: string,
  completion: ChatCompletion,
  requestedModel: string,
): ModelCallResult {
  const choice = completion?.choices?.[0];
  if (!choice?.message) throw new ProviderUnavailable(`${provider}: response carried no choices`);
  const message = choice.message;
  if (choice.finish_reason === 'content_filter')
    throw new ContentFiltered(
      `${provider}: the answer was withheld by the provider's content filter`,
    );
  if (message.refusal) throw new ContentFiltered(`${provider}: the model refused to answer`);
  const toolCalls: ToolCall[] = [];
  for (const call of message.tool_calls ?? []) {
    if (call.type !== 'function') continue;
    toolCalls.push({
      id: call.id,
      name: call.function.name,
      arguments: parseToolArguments(provider, call.function.name, call.function.arguments),
    });
  }
  const usage = completion.usage;
  return {
    text: typeof message.content === 'string' ? message.content : '',
    toolCalls,
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    finishReason: normalizeFinish(choice.finish_reason, toolCalls),
    model: completion.model || requestedModel,
  };
}

export function createChatAdapter(
  config: ChatAdapterConfig,
  options: AdapterOptions = {},
): ProviderAdapter {
  const clients = new ClientCache<OpenAI>();
  return {
    id: config.id,
    async call(
      request: ModelCallRequest,
      credentials: ProviderCredentials,
      callOptions?: CallOptions,
    ): Promise<ModelCallResult> {
      if (config.keyRequired) requireKey(config.id, credentials);
      if (!credentials.baseUrl && !config.defaultBaseUrl) {
        throw new InvalidRequest(
          `${config.id}: no base URL configured (set COMPATIBLE_BASE_URL, e.g. http://localhost:11434/v1 for Ollama)`,
        );
      }
      const secrets = [credentials.apiKey];
      const client = makeClient(config, credentials, options, clients);
      const timeout = timeoutFor(request.timeoutMs, options);
      let completion: ChatCompletion;
      try {
        const body = toChatCompletionBody(request, config);
        const onText = streamsText(request, callOptions) ? callOptions?.onText : undefined;
        completion = onText
          ? await streamCompletion(
              await client.chat.completions.create(
                { ...body, stream: true, stream_options: { include_usage: true } },
                { timeout, maxRetries: 0 },
              ),
              onText,
            )
          : await client.chat.completions.create(body, { timeout, maxRetries: 0 });
      } catch (err) {
        throw classifyProviderError(err, { provider: config.id, secrets });
      }
      try {
        return fromChatCompletion(config.id, completion, request.model);
      } catch (err) {
        throw classifyProviderError(err, { provider: config.id, secrets });
      }
    },
  };
}

/**
 * Reads a streamed Chat Completion (`data: {chunk}` … `data: [DONE]`, usage in the last chunk with
 * `stream_options.include_usage`) into the completion the non-streamed call returns, passing each
 * text delta on as it arrives. Tool calls are never streamed here (the caller sends none).
 */
async function streamCompletion(
  chunks: AsyncIterable<ChatCompletionChunk>,
  onText: (delta: string) => void,
): Promise<ChatCompletion> {
  let text = '';
  let refusal: string | null = null;
  let finish: ChatCompletion.Choice['finish_reason'] | null = null;
  let model = '';
  let id = '';
  let created = 0;
  let usage: ChatCompletion['usage'];
  for await (const chunk of chunks) {
    id ||= chunk.id;
    model ||= chunk.model;
    created ||= chunk.created;
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    if (choice.delta?.content) {
      text += choice.delta.content;
      onText(choice.delta.content);
    }
    if (choice.delta?.refusal) refusal = (refusal ?? '') + choice.delta.refusal;
    if (choice.finish_reason) finish = choice.finish_reason;
  }
  if (!finish) throw new ProviderUnavailable('stream ended before the answer finished');
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal },
        finish_reason: finish,
        logprobs: null,
      },
    ],
    ...(usage ? { usage } : {}),
  };
}

function makeClient(
  config: ChatAdapterConfig,
  credentials: ProviderCredentials,
  options: AdapterOptions,
  clients: ClientCache<OpenAI>,
): OpenAI {
  // Without either, the SDK uses api.openai.com and refuses to run without a key: a clear error.
  const baseURL = credentials.baseUrl || config.defaultBaseUrl;
  const apiKey = credentials.apiKey || config.placeholderKey;
  return clients.get(
    `${baseURL}\u0000${apiKey}`,
    () =>
      new OpenAI({
        apiKey,
        baseURL,
        // Never read OPENAI_ORG_ID / OPENAI_PROJECT_ID / admin keys from the environment.
        organization: null,
        project: null,
        adminAPIKey: null,
        maxRetries: 0,
        timeout: options.defaultTimeoutMs,
        // User-supplied base URLs go through the guarded client (ADR 052).
        fetch: options.fetch ?? guardedFetch,
      }),
  );
}
