import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { InvalidRequest, type ProviderThrottled } from '../../../shared/errors';
import {
  REDACTED,
  classifyProviderError,
  parseGoogleRetryDelay,
  parseRetryAfter,
  scrubSecrets,
  scrubbedCause,
} from '../../../shared/llm/classify';

const KEY = 'sk-proj-ABCdef1234567890XYZ';
const ctx = { provider: 'openai', secrets: [KEY] };

/** Shaped like the Stainless SDKs' APIError (openai, @anthropic-ai/sdk). */
class APIError extends Error {
  constructor(
    readonly status: number | undefined,
    readonly error: unknown,
    message: string,
    readonly headers?: Headers,
  ) {
    super(message);
  }
}
class APIConnectionError extends APIError {
  constructor(cause?: unknown) {
    super(undefined, undefined, 'Connection error.');
    if (cause) (this as { cause?: unknown }).cause = cause;
  }
}
class APIConnectionTimeoutError extends APIConnectionError {}
/** Shaped like @google/genai's ApiError. */
class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    body: unknown,
  ) {
    super(JSON.stringify(body));
  }
}

function openaiError(
  status: number,
  code: string | null,
  message: string,
  headers: Record<string, string> = {},
) {
  return new APIError(
    status,
    { message, type: 'invalid_request_error', param: null, code },
    `${status} ${message}`,
    new Headers(headers),
  );
}

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-02T10:00:00Z');
  it.each([
    [{ 'retry-after': '7' }, 7000],
    [{ 'Retry-After': '0.25' }, 250],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after-ms': '1234.5' }, 1235],
    [{ 'retry-after-ms': '800', 'retry-after': '9' }, 800],
    [{ 'retry-after': 'Mon, 02 Nov 2026 10:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Mon, 02 Nov 2026 09:59:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after-ms': '-5' }, undefined],
    [{}, undefined],
  ])('%j → %s', (headers, expected) => {
    expect(parseRetryAfter(headers as Record<string, string>, now)).toBe(expected);
    expect(parseRetryAfter(new Headers(headers as Record<string, string>), now)).toBe(expected);
  });

  it('Google RetryInfo durations', () => {
    const body = (d: string) => ({
      error: { details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: d }] },
    });
    expect(parseGoogleRetryDelay(body('7s'))).toBe(7000);
    expect(parseGoogleRetryDelay(body('0.5s'))).toBe(500);
    expect(parseGoogleRetryDelay(body('later'))).toBeUndefined();
    expect(parseGoogleRetryDelay({})).toBeUndefined();
  });
});

describe('scrubSecrets', () => {
  it.each([
    [`key ${KEY} leaked`, `key ${REDACTED} leaked`],
    [`url ?key=${encodeURIComponent('a/b+c==')}&x=1`, `url ?key=${REDACTED}&x=1`],
    ['Authorization: Bearer abc.def.ghi', `Authorization: Bearer ${REDACTED}`],
    ['{"x-api-key": "zzz-123"}', `{"x-api-key": "${REDACTED}"}`],
    ['x-goog-api-key=AIzaSyD-abcdefghijklmnopqrstuv', `x-goog-api-key=${REDACTED}`],
    ['found AIzaSyD-abcdefghijklmnopqrstuvwxyz01234 here', `found ${REDACTED} here`],
    ['found sk-ant-api03-abcdef here', `found ${REDACTED} here`],
    ['masked sk-ab*******wxyz', `masked ${REDACTED}`],
    [
      'nothing secret in a task-runner or risk-score',
      'nothing secret in a task-runner or risk-score',
    ],
  ])('%s', (input, expected) => {
    expect(scrubSecrets(input, [KEY])).toBe(expected);
  });

  it('removes a literal secret of any shape, raw, URL-encoded and JSON-escaped', () => {
    const odd = 'p@ss/w"rd+42';
    const text = `a ${odd} b ${encodeURIComponent(odd)} c ${JSON.stringify(odd)}`;
    const out = scrubSecrets(text, [odd]);
    expect(out).not.toContain(odd);
    expect(out).not.toContain(encodeURIComponent(odd));
    expect(out).not.toContain('w\\"rd');
  });

  it('scrubbedCause copies scalars only and scrubs message, stack and nested causes', () => {
    const inner = Object.assign(new Error(`socket for ${KEY}`), { code: 'ECONNRESET' });
    const outer = Object.assign(new APIConnectionError(inner), {
      headers: new Headers({ authorization: `Bearer ${KEY}` }),
    });
    const copy = scrubbedCause(outer, [KEY]);
    expect(copy.name).toBe('APIConnectionError');
    expect((copy as { headers?: unknown }).headers).toBeUndefined();
    expect(inspect(copy, { depth: 10, showHidden: true })).not.toContain(KEY);
    expect((copy.cause as { code?: string }).code).toBe('ECONNRESET');
  });
});

describe('classifyProviderError', () => {
  it.each([
    [
      '429',
      openaiError(429, 'rate_limit_exceeded', 'slow down', { 'retry-after': '3' }),
      'ProviderThrottled',
    ],
    [
      '429 insufficient_quota',
      openaiError(429, 'insufficient_quota', 'You exceeded your current quota'),
      'ProviderThrottled',
    ],
    ['401', openaiError(401, 'invalid_api_key', 'Incorrect API key'), 'ProviderAuthError'],
    ['403', openaiError(403, null, 'forbidden'), 'ProviderAuthError'],
    [
      '400 context_length_exceeded',
      openaiError(
        400,
        'context_length_exceeded',
        "This model's maximum context length is 8192 tokens",
      ),
      'ContextTooLong',
    ],
    [
      '400 vLLM context message',
      openaiError(
        400,
        null,
        "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens",
      ),
      'ContextTooLong',
    ],
    ['413', openaiError(413, null, 'Request too large'), 'ContextTooLong'],
    ['400 content_filter', openaiError(400, 'content_filter', 'filtered'), 'ContentFiltered'],
    [
      '400 content_policy_violation',
      openaiError(400, 'content_policy_violation', 'policy'),
      'ContentFiltered',
    ],
    ['400 other', openaiError(400, 'invalid_value', 'bad temperature'), 'InvalidRequest'],
    ['404', openaiError(404, 'model_not_found', 'no such model'), 'InvalidRequest'],
    ['422', openaiError(422, null, 'unprocessable'), 'InvalidRequest'],
    ['408', openaiError(408, null, 'request timeout'), 'ProviderUnavailable'],
    ['500', openaiError(500, null, 'oops'), 'ProviderUnavailable'],
    ['502', openaiError(502, null, 'bad gateway'), 'ProviderUnavailable'],
    ['503', openaiError(503, null, 'overloaded'), 'ProviderUnavailable'],
    [
      '529 (anthropic overloaded)',
      new APIError(
        529,
        { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
        '529',
      ),
      'ProviderUnavailable',
    ],
    [
      'anthropic prompt too long',
      new APIError(
        400,
        {
          type: 'error',
          error: {
            type: 'invalid_request_error',
            message: 'prompt is too long: 201000 tokens > 200000 maximum',
          },
        },
        '400',
      ),
      'ContextTooLong',
    ],
    [
      'gemini API_KEY_INVALID (400)',
      new ApiError(400, {
        error: {
          code: 400,
          message: 'API key not valid. Please pass a valid API key.',
          status: 'INVALID_ARGUMENT',
          details: [{ reason: 'API_KEY_INVALID' }],
        },
      }),
      'ProviderAuthError',
    ],
    [
      'gemini token limit',
      new ApiError(400, {
        error: {
          code: 400,
          message:
            'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
          status: 'INVALID_ARGUMENT',
        },
      }),
      'ContextTooLong',
    ],
    [
      'gemini RESOURCE_EXHAUSTED',
      new ApiError(429, { error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } }),
      'ProviderThrottled',
    ],
    [
      'gemini UNAVAILABLE',
      new ApiError(503, { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }),
      'ProviderUnavailable',
    ],
    [
      'connection error ECONNREFUSED',
      new APIConnectionError(
        Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
            code: 'ECONNREFUSED',
          }),
        }),
      ),
      'ProviderUnavailable',
    ],
    [
      'raw fetch failed ECONNRESET',
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      }),
      'ProviderUnavailable',
    ],
    ['SDK timeout', new APIConnectionTimeoutError(), 'ProviderUnavailable'],
    [
      'AbortError',
      Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }),
      'ProviderUnavailable',
    ],
    [
      'TimeoutError DOMException',
      new DOMException('The operation timed out.', 'TimeoutError'),
      'ProviderUnavailable',
    ],
    [
      'undici headers timeout',
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('Headers Timeout Error'), {
          code: 'UND_ERR_HEADERS_TIMEOUT',
        }),
      }),
      'ProviderUnavailable',
    ],
    ['malformed JSON', new SyntaxError('Unexpected end of JSON input'), 'ProviderUnavailable'],
    [
      'something unexpected',
      new TypeError("Cannot read properties of undefined (reading 'parts')"),
      'ProviderUnavailable',
    ],
  ])('%s → %s', (_label, err, expected) => {
    const out = classifyProviderError(err, ctx);
    expect(out.name).toBe(expected);
    expect(out.message.startsWith('openai: ')).toBe(true);
    expect(out.cause).toBeInstanceOf(Error);
  });

  it('429 carries retryAfterMs from the SDK error headers, else from the adapter-captured headers', () => {
    const a = classifyProviderError(
      openaiError(429, null, 'x', { 'retry-after': '3' }),
      ctx,
    ) as ProviderThrottled;
    expect(a.retryAfterMs).toBe(3000);
    const b = classifyProviderError(new ApiError(429, { error: { code: 429 } }), {
      ...ctx,
      headers: new Headers({ 'retry-after-ms': '450' }),
    }) as ProviderThrottled;
    expect(b.retryAfterMs).toBe(450);
  });

  it('passes named errors through unchanged', () => {
    const e = new InvalidRequest('already classified');
    expect(classifyProviderError(e, ctx)).toBe(e);
  });

  it('never puts the key in message, JSON or cause, even when the provider echoes it', () => {
    const err = openaiError(401, 'invalid_api_key', `Incorrect API key provided: ${KEY}`, {
      'x-echo': `Bearer ${KEY}`,
    });
    (err as { cause?: unknown }).cause = new Error(`with ${KEY}`);
    const out = classifyProviderError(err, ctx);
    for (const view of [
      out.message,
      JSON.stringify(out),
      String(out.stack),
      inspect(out, { depth: 10, showHidden: true }),
    ]) {
      expect(view).not.toContain(KEY);
    }
  });

  it('bounds message length', () => {
    const out = classifyProviderError(openaiError(400, null, 'x'.repeat(5000)), ctx);
    expect(out.message.length).toBeLessThan(700);
  });
});
