/**
 * SDK-free helpers shared by the provider adapters. Importing this module never loads a provider SDK.
 */
import { OutputSchemaMismatch, ProviderAuthError } from '../../errors';
import type { ProviderCredentials, ToolCall } from '../types';

/** Used when a request carries no `timeoutMs`. Lambda's own limit is the outer bound. */
export const DEFAULT_TIMEOUT_MS = 120_000;
/** Anthropic requires max_tokens; used when the request gives none. */
export const DEFAULT_MAX_TOKENS = 4096;

export interface AdapterOptions {
  /** Timeout for requests that do not set `timeoutMs`. */
  defaultTimeoutMs?: number;
  /** Replace the global fetch (benchmarks, tests). */
  fetch?: typeof fetch;
}

export function timeoutFor(
  requestTimeoutMs: number | undefined,
  options: AdapterOptions | undefined,
): number {
  const t = requestTimeoutMs ?? options?.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  return t > 0 ? t : DEFAULT_TIMEOUT_MS;
}

export function requireKey(provider: string, credentials: ProviderCredentials): string {
  if (!credentials.apiKey) throw new ProviderAuthError(`${provider}: no API key configured`);
  return credentials.apiKey;
}

/** Parse a model's tool-call arguments (a JSON object as text). */
export function parseToolArguments(
  provider: string,
  name: string,
  raw: string | undefined | null,
): Record<string, unknown> {
  if (raw === undefined || raw === null || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new OutputSchemaMismatch(
      `${provider}: arguments of tool call "${name}" are not valid JSON`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new OutputSchemaMismatch(
      `${provider}: arguments of tool call "${name}" are not a JSON object`,
    );
  }
  return parsed as Record<string, unknown>;
}

export function asObject(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * True when a JSON Schema already meets OpenAI's strict structured-output subset (every object
 * closes `additionalProperties: false` and requires all its properties). Strict mode is only
 * requested for such schemas: sending a non-conforming schema with `strict: true` is a 400.
 */
export function isStrictCompatible(schema: unknown, depth = 0): boolean {
  if (depth > 32 || !schema || typeof schema !== 'object') return true;
  const s = schema as Record<string, unknown>;
  const isObject =
    s.type === 'object' ||
    (Array.isArray(s.type) && s.type.includes('object')) ||
    s.properties !== undefined;
  if (isObject) {
    if (s.additionalProperties !== false) return false;
    const props = Object.keys(asObject(s.properties));
    const required = Array.isArray(s.required) ? s.required : [];
    if (!props.every((p) => required.includes(p))) return false;
  }
  const children: unknown[] = [
    ...Object.values(asObject(s.properties)),
    ...Object.values(asObject(s.$defs)),
    ...Object.values(asObject(s.definitions)),
    s.items,
    ...(['anyOf', 'oneOf', 'allOf'] as const).flatMap((k) =>
      Array.isArray(s[k]) ? (s[k] as unknown[]) : [],
    ),
  ];
  return children.every((c) => isStrictCompatible(c, depth + 1));
}

/** Normalized finish reasons: `stop`, `length`, `tool_calls`; anything else is the provider's own, lower-cased. */
export function normalizeFinish(reason: string | null | undefined, toolCalls: ToolCall[]): string {
  const r = (reason ?? '').toLowerCase();
  if (
    toolCalls.length &&
    (r === 'stop' || r === 'tool_calls' || r === 'tool_use' || r === 'end_turn' || r === '')
  )
    return 'tool_calls';
  switch (r) {
    case 'stop':
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'length':
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_calls':
    case 'tool_use':
    case 'function_call':
      return 'tool_calls';
    case '':
      return 'stop';
    default:
      return r;
  }
}

/** A small bounded cache of SDK clients keyed by credentials, so a warm Lambda reuses connections. */
export class ClientCache<C> {
  private readonly map = new Map<string, C>();
  constructor(private readonly max = 16) {}
  get(key: string, make: () => C): C {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const client = make();
    this.map.set(key, client);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    return client;
  }
}

/**
 * Sent as `Authorization: Bearer ...` to an OpenAI-compatible endpoint when no key is configured
 * (the SDK refuses to run without one). Here, not in compatible.ts: the embedders read it, and
 * importing compatible.ts would load the OpenAI SDK at every cold start.
 */
export const COMPATIBLE_PLACEHOLDER_KEY = 'no-key';
