import type { ProviderId } from './model-ref';

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
  /** An assistant turn that asked for tools: the calls, in the provider's order. */
  toolCalls?: ToolCall[];
  /** A user turn that answers tool calls: one result per call of the previous assistant turn. */
  toolResults?: ToolResult[];
}

/** What a tool call returned, as the model reads it (already bounded and free of secrets). */
export interface ToolResult {
  /** The id of the ToolCall it answers. */
  callId: string;
  /** The tool's wire name (Gemini matches responses by name). */
  name: string;
  content: string;
  isError?: boolean;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface ModelCallRequest {
  model: string;
  system?: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  /** JSON Schema the answer must satisfy; adapters map it to the provider's structured-output form. */
  outputSchema?: Record<string, unknown>;
  tools?: ToolDefinition[];
  /** Abort the call after this long (maps to ProviderUnavailable). */
  timeoutMs?: number;
}

export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface ModelCallResult {
  text: string;
  toolCalls: ToolCall[];
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  finishReason: string;
  /** The model the provider says answered (may carry a dated suffix). */
  model: string;
}

/** What an adapter needs to reach its provider. Never logged, never returned. */
export interface ProviderCredentials {
  apiKey?: string;
  baseUrl?: string;
}

/**
 * One provider behind its official SDK. Adapters classify every failure into the named errors of
 * shared/errors (ProviderThrottled, ProviderUnavailable, ProviderAuthError, ContextTooLong,
 * ContentFiltered, InvalidRequest) and never retry on their own: Step Functions owns retries.
 */
export interface ProviderAdapter {
  readonly id: ProviderId;
  call(
    request: ModelCallRequest,
    credentials: ProviderCredentials,
    options?: CallOptions,
  ): Promise<ModelCallResult>;
}

/** Per-call options that are not part of what the model is asked. */
export interface CallOptions {
  /**
   * Receives the answer's text as the provider generates it. When set, a plain-text call (no
   * output schema, no tools) uses the provider's streaming API; the result is the same as the
   * non-streamed call's (ADR 142). Structured output and tool calls stay non-streamed.
   */
  onText?: (delta: string) => void;
}

/** True when a call with `onText` streams: plain text answers only (ADR 142). */
export function streamsText(request: ModelCallRequest, options?: CallOptions): boolean {
  return !!options?.onText && !request.outputSchema && !request.tools?.length;
}
