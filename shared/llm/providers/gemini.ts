/**
 * Gemini adapter: `POST /v1beta/models/{model}:generateContent` on Google's maintained SDK
 * `@google/genai` (the deprecated `@google/generative-ai` is not used). `credentials.baseUrl`
 * (GEMINI_BASE_URL) is the host root, like the SDK's default `https://generativelanguage.googleapis.com`.
 *
 * SDK-internal retries off: `httpOptions.retryOptions = {attempts: 1}` (the typings: "If 0 or 1, it
 * means no retries"; with no retryOptions at all this version does not retry either, but the
 * explicit setting keeps it so if a default appears), and `automaticContinuation: false` so that a
 * CONTINUATION finish never makes the SDK send a second request on its own.
 *
 * Mapping: system prompt → `systemInstruction`; messages → `contents` (assistant → role `model`);
 * temperature, maxTokens → `generationConfig.temperature`, `maxOutputTokens`; JSON-schema output →
 * `responseMimeType: application/json` + `responseJsonSchema`; tools →
 * `tools[{functionDeclarations[{name, description, parametersJsonSchema}]}]`, answered as
 * `functionCall` parts. Usage: inputTokens = promptTokenCount + toolUsePromptTokenCount,
 * outputTokens = candidatesTokenCount + thoughtsTokenCount (thinking is billed as output),
 * cachedInputTokens = cachedContentTokenCount (part of promptTokenCount).
 * `promptFeedback.blockReason` or a safety finishReason → ContentFiltered.
 *
 * The SDK's ApiError carries no response headers, so the adapter passes its own fetch (per request)
 * that remembers them: a 429's `Retry-After` is honoured as well as the body's `RetryInfo.retryDelay`.
 * (A custom fetch also means the SDK's no-timeout undici dispatcher is not used: the request's own
 * timeout bounds the call instead.)
 *
 * Load lazily: `const { createAdapter } = await import('./providers/gemini')`.
 */
import { guardedFetch } from '../../net/outbound';
import {
  GoogleGenAI,
  GenerateContentResponse as GenAIResponse,
  type Content,
  type GenerateContentConfig,
  type GenerateContentResponse,
} from '@google/genai';
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
  asObject,
  normalizeFinish,
  requireKey,
  timeoutFor,
} from './common';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

const FILTER_FINISH = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

export function toGenerateContent(request: ModelCallRequest): {
  model: string;
  contents: Content[];
  config: GenerateContentConfig;
} {
  const contents: Content[] = request.messages.map(toContent);
  const config: GenerateContentConfig = { automaticContinuation: false };
  if (request.system) config.systemInstruction = { parts: [{ text: request.system }] };
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.outputSchema) {
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = request.outputSchema;
  }
  if (request.tools?.length) {
    config.tools = [
      {
        functionDeclarations: request.tools.map((t) => ({
          name: t.name,
          ...(t.description ? { description: t.description } : {}),
          parametersJsonSchema: t.parameters,
        })),
      },
    ];
  }
  return { model: request.model, contents, config };
}

/** A turn in Gemini's native tool form: `functionCall` parts, answered by `functionResponse` parts. */
function toContent(m: ChatMessage): Content {
  if (m.role === 'assistant' && m.toolCalls?.length)
    return {
      role: 'model',
      parts: [
        ...(m.content ? [{ text: m.content }] : []),
        ...m.toolCalls.map((c) => ({
          functionCall: {
            ...(isGeminiId(c.id) ? { id: c.id } : {}),
            name: c.name,
            args: c.arguments,
          },
        })),
      ],
    };
  if (m.role === 'user' && m.toolResults?.length)
    return {
      role: 'user',
      parts: [
        ...m.toolResults.map((r) => ({
          functionResponse: {
            ...(isGeminiId(r.callId) ? { id: r.callId } : {}),
            name: r.name,
            response: r.isError ? { error: r.content } : { output: r.content },
          },
        })),
        ...(m.content ? [{ text: m.content }] : []),
      ],
    };
  return { role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] };
}

/** Ids this adapter made up for calls Gemini sent without one are not sent back. */
const isGeminiId = (id: string) => !id.startsWith(SYNTHETIC_ID);
const SYNTHETIC_ID = 'hishamos-unnamed-call-';

export function fromGenerateContent(
  response: GenerateContentResponse,
  requestedModel: string,
): ModelCallResult {
  const block = response?.promptFeedback?.blockReason;
  if (block)
    throw new ContentFiltered(
      `gemini: the prompt was blocked (${block})${response.promptFeedback?.blockReasonMessage ? `: ${response.promptFeedback.blockReasonMessage}` : ''}`,
    );
  const candidate = response?.candidates?.[0];
  if (!candidate) throw new ProviderUnavailable('gemini: response carried no candidates');
  const finish = candidate.finishReason as string | undefined;
  if (finish && FILTER_FINISH.has(finish))
    throw new ContentFiltered(`gemini: the answer was withheld (${finish})`);
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  (candidate.content?.parts ?? []).forEach((part, i) => {
    if (part.functionCall) {
      const name = part.functionCall.name ?? '';
      toolCalls.push({
        id: part.functionCall.id || `${SYNTHETIC_ID}${i}_${name}`,
        name,
        arguments: asObject(part.functionCall.args),
      });
    } else if (typeof part.text === 'string' && !part.thought) {
      texts.push(part.text);
    }
  });
  const u = response.usageMetadata;
  return {
    text: texts.join(''),
    toolCalls,
    inputTokens: (u?.promptTokenCount ?? 0) + (u?.toolUsePromptTokenCount ?? 0),
    outputTokens: (u?.candidatesTokenCount ?? 0) + (u?.thoughtsTokenCount ?? 0),
    cachedInputTokens: u?.cachedContentTokenCount ?? 0,
    finishReason: normalizeFinish(finish, toolCalls),
    model: response.modelVersion || requestedModel,
  };
}

export function createGeminiAdapter(options: AdapterOptions = {}): ProviderAdapter {
  const clients = new ClientCache<GoogleGenAI>();
  return {
    id: 'gemini',
    async call(
      request: ModelCallRequest,
      credentials: ProviderCredentials,
      callOptions?: CallOptions,
    ): Promise<ModelCallResult> {
      const apiKey = requireKey('gemini', credentials);
      const baseUrl = credentials.baseUrl || GEMINI_DEFAULT_BASE_URL;
      const secrets = [apiKey];
      const timeout = timeoutFor(request.timeoutMs, options);
      const client = clients.get(
        `${baseUrl}\u0000${apiKey}`,
        () =>
          new GoogleGenAI({
            apiKey,
            vertexai: false,
            // @google/genai 3 defaults to v1; the request shape here is v1beta's (see above): pin it.
            apiVersion: 'v1beta',
            httpOptions: { baseUrl, retryOptions: { attempts: 1 } },
          }),
      );
      let lastHeaders: Headers | undefined;
      const baseFetch = options.fetch ?? guardedFetch;
      const capturingFetch: typeof fetch = async (input, init) => {
        const res = await baseFetch(input, init);
        lastHeaders = res.headers;
        return res;
      };
      const { model, contents, config } = toGenerateContent(request);
      try {
        const params = {
          model,
          contents,
          config: {
            ...config,
            httpOptions: { timeout, fetch: capturingFetch, retryOptions: { attempts: 1 } },
          },
        };
        const onText = streamsText(request, callOptions) ? callOptions?.onText : undefined;
        const response = onText
          ? await collectStream(await client.models.generateContentStream(params), onText)
          : await client.models.generateContent(params);
        return fromGenerateContent(response, request.model);
      } catch (err) {
        throw classifyProviderError(err, { provider: 'gemini', secrets, headers: lastHeaders });
      }
    },
  };
}

/**
 * Folds `streamGenerateContent?alt=sse` chunks into the one response the non-streamed call returns:
 * the text parts joined, the last finish reason, usage and model version, any prompt feedback.
 */
async function collectStream(
  chunks: AsyncIterable<GenerateContentResponse>,
  onText: (delta: string) => void,
): Promise<GenerateContentResponse> {
  let text = '';
  const merged = new GenAIResponse();
  let finishReason: NonNullable<GenerateContentResponse['candidates']>[number]['finishReason'];
  for await (const chunk of chunks) {
    if (chunk.promptFeedback) merged.promptFeedback = chunk.promptFeedback;
    if (chunk.usageMetadata) merged.usageMetadata = chunk.usageMetadata;
    if (chunk.modelVersion) merged.modelVersion = chunk.modelVersion;
    const candidate = chunk.candidates?.[0];
    if (candidate?.finishReason) finishReason = candidate.finishReason;
    for (const part of candidate?.content?.parts ?? []) {
      if (typeof part.text !== 'string' || part.thought || !part.text) continue;
      text += part.text;
      onText(part.text);
    }
  }
  if (!merged.promptFeedback?.blockReason && !finishReason)
    throw new ProviderUnavailable('gemini: stream ended before the answer finished');
  merged.candidates = [{ content: { role: 'model', parts: [{ text }] }, finishReason }];
  return merged;
}

export const createAdapter = createGeminiAdapter;
export type { AdapterOptions };
