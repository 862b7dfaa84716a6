/**
 * Failure classification for the provider adapters: any SDK or HTTP failure becomes one of the
 * named errors of shared/errors, which Step Functions matches by `name` (Retry on the retryable
 * ones, Catch on the rest). This module imports no provider SDK: it duck-types the SDKs' errors
 * (openai / @anthropic-ai/sdk `APIError` {status, headers, error}, @google/genai `ApiError`
 * {status, message = JSON of the body}, undici `TypeError('fetch failed')` with `cause.code`,
 * `AbortError` / `TimeoutError` DOMExceptions, `SyntaxError` from `response.json()`).
 *
 * Classification table (first matching row wins):
 *
 * | failure                                                                   | named error          | retryable |
 * | ------------------------------------------------------------------------- | -------------------- | --------- |
 * | already a named AppError (thrown by the adapter itself)                   | unchanged            | by name   |
 * | HTTP 429 (any provider; incl. OpenAI `insufficient_quota`, Gemini          | ProviderThrottled    | yes       |
 * |   RESOURCE_EXHAUSTED). retryAfterMs from `retry-after-ms` (ms), else       |                      |           |
 * |   `Retry-After` (seconds or HTTP date), else Gemini `RetryInfo.retryDelay` |                      |           |
 * | HTTP 401, 403; Gemini 400 with `API_KEY_INVALID` / "API key not valid"     | ProviderAuthError    | no        |
 * | 4xx whose code/message says content policy: OpenAI/Azure code             | ContentFiltered      | no        |
 * |   `content_filter` / `content_policy_violation`                           |                      |           |
 * | 4xx (400, 413, 422) whose code/message says the input is too long:        | ContextTooLong       | no        |
 * |   OpenAI `context_length_exceeded` / "maximum context length",            |                      |           |
 * |   Anthropic "prompt is too long", Gemini "input token count ... exceeds   |                      |           |
 * |   the maximum number of tokens", vLLM/Ollama "context length/window";     |                      |           |
 * |   also HTTP 413 (request too large)                                       |                      |           |
 * | HTTP 408, 5xx (500, 502, 503, 504, Anthropic 529 overloaded), other       | ProviderUnavailable  | yes       |
 * |   non-2xx outside 4xx                                                     |                      |           |
 * | any other 4xx (400, 404 model not found, 409, 422, ...)                    | InvalidRequest       | no        |
 * | connection refused/reset, DNS failure, socket closed (`fetch failed`,      | ProviderUnavailable  | yes       |
 * |   SDK `APIConnectionError`), timeout or abort (`APIConnectionTimeoutError`,|                      |           |
 * |   `APIUserAbortError`, `AbortError`, `TimeoutError`, undici timeouts)      |                      |           |
 * | malformed JSON from the provider (`SyntaxError`: broken proxy, truncated  | ProviderUnavailable  | yes       |
 * |   body)                                                                   |                      |           |
 * | anything else (an unexpected response shape tripping the SDK)             | ProviderUnavailable  | yes       |
 *
 * Adapters raise these themselves from a 200 answer: OpenAI `finish_reason: content_filter` or a
 * `refusal`, Anthropic `stop_reason: refusal`, Gemini `promptFeedback.blockReason` or a candidate
 * finishReason SAFETY/RECITATION/BLOCKLIST/PROHIBITED_CONTENT/SPII/IMAGE_SAFETY → ContentFiltered;
 * a 200 with no usable choice/candidate → ProviderUnavailable.
 *
 * Secrets: messages are built from the provider's error text and then scrubbed: the API key itself
 * (raw and URL-encoded), `Bearer ...`, `x-api-key:` / `x-goog-api-key:` / `api-key:` /
 * `Authorization:` values, `key=` query parameters and anything shaped like an OpenAI (`sk-...`),
 * Anthropic (`sk-ant-...`) or Google (`AIza...`) key are replaced by `[REDACTED]`. The SDK's error
 * is never attached as is: `cause` is a plain Error copy with scrubbed message, stack and a few
 * scalar fields (status, code, type, requestId), so no headers or request objects travel along.
 */
import {
  AppError,
  ContentFiltered,
  ContextTooLong,
  InvalidRequest,
  ProviderAuthError,
  ProviderThrottled,
  ProviderUnavailable,
} from '../errors';

export const REDACTED = '[REDACTED]';
const MAX_MESSAGE = 600;

export interface ClassifyContext {
  /** Prefix of the message, e.g. `openai`. */
  provider: string;
  /** Values that must never appear in a message (the API key). */
  secrets?: ReadonlyArray<string | undefined | null>;
  /** Response headers the adapter captured itself (e.g. via a fetch wrapper) when the SDK error has none. */
  headers?: HeaderSource;
  /** Clock for HTTP-date Retry-After values (tests). */
  now?: number;
}

export type HeaderSource =
  | { get(name: string): string | null | undefined }
  | Record<string, string | string[] | undefined>
  | undefined;

// ---------------------------------------------------------------------------------------------
// scrubbing

const KEY_PATTERNS: Array<[RegExp, string]> = [
  [/(Bearer\s+)[^\s"',;}]+/gi, `$1${REDACTED}`],
  [
    /((?:x-api-key|x-goog-api-key|api-key|authorization)["']?\s*[:=]\s*["']?)(?!Bearer\s)[^\s"',;}]+/gi,
    `$1${REDACTED}`,
  ],
  [/([?&](?:key|api_key|apikey)=)[^&\s"'#]+/gi, `$1${REDACTED}`],
  [/\bsk-ant-[A-Za-z0-9_\-*]{4,}/g, REDACTED],
  [/\bsk-[A-Za-z0-9_\-*]{6,}/g, REDACTED],
  [/\bAIza[0-9A-Za-z_\-*]{10,}/g, REDACTED],
];

/** Remove the given secrets and anything that looks like a credential from `text`. */
export function scrubSecrets(
  text: string,
  secrets: ReadonlyArray<string | undefined | null> = [],
): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    for (const variant of new Set([s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])) {
      out = out.split(variant).join(REDACTED);
    }
  }
  for (const [re, replacement] of KEY_PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** A plain, scrubbed copy of an error (and up to 3 levels of its causes) fit to be an AppError's `cause`. */
export function scrubbedCause(
  err: unknown,
  secrets: ReadonlyArray<string | undefined | null> = [],
  depth = 0,
): Error {
  if (!(err instanceof Error) && !(typeof err === 'object' && err !== null && 'message' in err)) {
    return new Error(scrubSecrets(String(err), secrets));
  }
  const src = err as Error & Record<string, unknown>;
  const copy = new Error(scrubSecrets(String(src.message ?? ''), secrets)) as Error &
    Record<string, unknown>;
  copy.name = errorName(src);
  copy.stack = scrubSecrets(String(src.stack ?? `${copy.name}: ${copy.message}`), secrets);
  for (const field of ['status', 'code', 'type', 'param', 'errno', 'syscall'] as const) {
    const v = src[field];
    if (typeof v === 'number' || typeof v === 'boolean') copy[field] = v;
    else if (typeof v === 'string') copy[field] = scrubSecrets(v, secrets);
  }
  const requestId = src.requestID ?? src.request_id;
  if (typeof requestId === 'string') copy.requestId = scrubSecrets(requestId, secrets);
  if (src.cause !== undefined && depth < 3) {
    Object.defineProperty(copy, 'cause', {
      value: scrubbedCause(src.cause, secrets, depth + 1),
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Retry-After

function headerGetter(h: HeaderSource): (name: string) => string | undefined {
  if (!h) return () => undefined;
  if (typeof (h as { get?: unknown }).get === 'function') {
    return (n) => (h as { get(name: string): string | null | undefined }).get(n) ?? undefined;
  }
  const rec = h as Record<string, string | string[] | undefined>;
  const lower = new Map(
    Object.entries(rec).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]),
  );
  return (n) => lower.get(n.toLowerCase()) ?? undefined;
}

/**
 * Milliseconds to wait before retrying, from `retry-after-ms` (OpenAI/Anthropic SDKs' own header,
 * milliseconds) or `Retry-After` (RFC 9110: delay-seconds or an HTTP date). Undefined if absent or
 * unparsable; never negative.
 */
export function parseRetryAfter(
  headers: HeaderSource,
  now: number = Date.now(),
): number | undefined {
  const get = headerGetter(headers);
  const ms = get('retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const ra = get('retry-after')?.trim();
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra)) return Math.ceil(Number(ra) * 1000);
  const at = Date.parse(ra);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Google's `google.rpc.RetryInfo.retryDelay` (protobuf Duration JSON, e.g. `"7s"`, `"0.5s"`) in ms. */
export function parseGoogleRetryDelay(body: unknown): number | undefined {
  const details = (body as { error?: { details?: unknown } } | undefined)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const d of details) {
    const delay = (d as { retryDelay?: unknown })?.retryDelay;
    if (typeof delay === 'string') {
      const m = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());
      if (m) return Math.ceil(Number(m[1]) * 1000);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// classification

const CONTEXT_PATTERNS = [
  /context_length_exceeded/i,
  /maximum context length/i,
  /prompt is too long/i,
  /input token count.*exceeds/i,
  /exceeds the maximum number of tokens/i,
  /context (?:length|window)/i,
  /too many (?:input )?tokens/i,
  /input is too long/i,
  /string_above_max_length/i,
];
const CONTENT_FILTER_CODES = new Set([
  'content_filter',
  'content_policy_violation',
  'content_filtered',
]);

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
]);

function errorName(e: unknown): string {
  if (!e || typeof e !== 'object') return typeof e;
  const ctorName = (e as { constructor?: { name?: string } }).constructor?.name;
  const name = (e as { name?: unknown }).name;
  // The Stainless SDKs (openai, anthropic) keep name 'Error' and carry the kind in the class name.
  if (
    ctorName &&
    ctorName !== 'Error' &&
    ctorName !== 'Object' &&
    (name === 'Error' || name === undefined)
  )
    return ctorName;
  return typeof name === 'string' ? name : (ctorName ?? 'Error');
}

function chain(e: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    out.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

function tryJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

interface HttpFailure {
  status: number;
  /** The provider's error body, parsed if it was JSON. */
  body: unknown;
  /** Best human-readable message from the provider. */
  message: string;
  headers: HeaderSource;
}

/** Pull status/body/message/headers out of an SDK error, whichever SDK threw it. */
function asHttpFailure(err: unknown, ctx: ClassifyContext): HttpFailure | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as Record<string, unknown>;
  const status =
    typeof e.status === 'number'
      ? e.status
      : typeof e.statusCode === 'number'
        ? e.statusCode
        : undefined;
  if (status === undefined) return undefined;
  // openai: e.error = body.error; anthropic: e.error = whole body; genai: message = JSON of body.
  const body = e.error !== undefined ? e.error : tryJson(e.message);
  const message = providerMessage(body) ?? String(e.message ?? '');
  const headers = (e.headers as HeaderSource) ?? ctx.headers;
  return { status, body, message, headers };
}

function providerMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return typeof body === 'string' ? body : undefined;
  const b = body as Record<string, unknown>;
  const inner = (b.error && typeof b.error === 'object' ? b.error : b) as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of ['status', 'type', 'code']) {
    if (typeof inner[k] === 'string' && inner[k]) parts.push(String(inner[k]));
  }
  const msg = typeof inner.message === 'string' ? inner.message : undefined;
  if (!msg && !parts.length) return undefined;
  return parts.length ? `${parts.join('/')}: ${msg ?? ''}`.trim() : msg;
}

function bodyCodes(body: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown, depth: number) => {
    if (!v || typeof v !== 'object' || depth > 3) return;
    const o = v as Record<string, unknown>;
    for (const k of ['code', 'type', 'status', 'reason'])
      if (typeof o[k] === 'string') out.push(String(o[k]).toLowerCase());
    if (o.error) visit(o.error, depth + 1);
    if (Array.isArray(o.details)) for (const d of o.details) visit(d, depth + 1);
  };
  visit(body, 0);
  return out;
}

function truncate(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}

/** Classify a failed HTTP answer (status + provider body) into a named error. */
export function classifyHttpStatus(
  failure: HttpFailure,
  ctx: ClassifyContext,
  original?: unknown,
): AppError {
  const secrets = ctx.secrets ?? [];
  const { status, body, headers } = failure;
  const text = scrubSecrets(failure.message, secrets);
  const msg = (label: string) => truncate(`${ctx.provider}: ${label} (HTTP ${status}): ${text}`);
  const options = original !== undefined ? { cause: scrubbedCause(original, secrets) } : undefined;
  const codes = bodyCodes(body);

  if (status === 429) {
    const retryAfterMs =
      parseRetryAfter(headers, ctx.now) ??
      parseRetryAfter(ctx.headers, ctx.now) ??
      parseGoogleRetryDelay(body);
    return new ProviderThrottled(msg('throttled'), retryAfterMs, options);
  }
  if (
    status === 401 ||
    status === 403 ||
    codes.includes('api_key_invalid') ||
    /api key not valid/i.test(failure.message)
  ) {
    return new ProviderAuthError(msg('authentication failed'), options);
  }
  if (status >= 400 && status < 500) {
    if (codes.some((c) => CONTENT_FILTER_CODES.has(c)))
      return new ContentFiltered(msg('content filtered'), options);
    if (
      status === 413 ||
      codes.includes('context_length_exceeded') ||
      CONTEXT_PATTERNS.some((re) => re.test(failure.message))
    ) {
      return new ContextTooLong(msg('context too long'), options);
    }
    if (status === 408) return new ProviderUnavailable(msg('request timeout'), options);
    return new InvalidRequest(msg('invalid request'), options);
  }
  return new ProviderUnavailable(msg('unavailable'), options);
}

/**
 * Turn anything an SDK call threw into a named error. Named errors pass through unchanged.
 * Never returns an error whose message, stack or cause contains one of `ctx.secrets`.
 */
export function classifyProviderError(err: unknown, ctx: ClassifyContext): AppError {
  if (err instanceof AppError) return err;
  const secrets = ctx.secrets ?? [];
  const http = asHttpFailure(err, ctx);
  if (http) return classifyHttpStatus(http, ctx, err);

  const options = { cause: scrubbedCause(err, secrets) };
  const links = chain(err);
  const names = links.map(errorName);
  const codes = links
    .map((l) => (l as { code?: unknown }).code)
    .filter((c): c is string => typeof c === 'string');
  const rawMessage = err instanceof Error ? err.message : String(err);
  const text = truncate(scrubSecrets(rawMessage, secrets));

  // The guarded client refused the destination (shared/net/outbound.ts): permanent, not retried.
  const refused = links[names.indexOf('ForbiddenDestination')];
  if (refused)
    return new InvalidRequest(
      `${ctx.provider}: destination refused: ${truncate((refused as Error).message)}`,
      options,
    );
  if (
    names.some((n) => n === 'APIConnectionTimeoutError' || n === 'TimeoutError') ||
    codes.some((c) => /TIMEOUT|ETIMEDOUT/.test(c))
  ) {
    return new ProviderUnavailable(`${ctx.provider}: request timed out: ${text}`, options);
  }
  if (names.some((n) => n === 'AbortError' || n === 'APIUserAbortError')) {
    return new ProviderUnavailable(`${ctx.provider}: request aborted (timeout): ${text}`, options);
  }
  if (names.includes('SyntaxError')) {
    return new ProviderUnavailable(`${ctx.provider}: malformed response body: ${text}`, options);
  }
  if (
    names.includes('APIConnectionError') ||
    codes.some((c) => CONNECTION_CODES.has(c)) ||
    /fetch failed|socket hang up|other side closed|terminated/i.test(rawMessage)
  ) {
    const code = codes.find((c) => CONNECTION_CODES.has(c));
    return new ProviderUnavailable(
      `${ctx.provider}: connection failed${code ? ` (${code})` : ''}: ${text}`,
      options,
    );
  }
  return new ProviderUnavailable(
    `${ctx.provider}: unexpected failure (${names[0] ?? 'unknown'}): ${text}`,
    options,
  );
}
