/**
 * A loopback fake of OpenAI's Chat Completions API (`POST /v1/chat/completions`), also standing in
 * for OpenAI-compatible servers (Ollama, vLLM, LM Studio). Request and response shapes follow
 * https://platform.openai.com/docs/api-reference/chat and OpenAI's error format
 * `{"error": {"message", "type", "param", "code"}}`.
 */
import {
  FakeProviderServer,
  type FakeServerOptions,
  type ProviderWire,
  type RecordedRequest,
  type WireResponse,
  MALFORMED_JSON,
  header,
  isObject,
  maskKey,
  replyText,
  sseFrame,
  textPieces,
  unknownFields,
  usageOf,
} from './http-fake';

const BODY_FIELDS = [
  'model',
  'messages',
  'temperature',
  'max_tokens',
  'max_completion_tokens',
  'response_format',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'stream',
  'stream_options',
  'n',
  'top_p',
  'stop',
  'seed',
  'user',
  'store',
  'metadata',
  'reasoning_effort',
];
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'];
const NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/;

function error(
  status: number,
  message: string,
  type: string | null,
  code: string | null,
  param: string | null = null,
  headers?: Record<string, string>,
): WireResponse {
  return {
    status,
    headers: { 'x-request-id': `req_${Math.random().toString(16).slice(2)}`, ...headers },
    body: { error: { message, type, param, code } },
  };
}

/**
 * Chat's tool-call rules: an assistant message's `tool_calls` are `{id, type: function, function:
 * {name, arguments: JSON text}}`, and each is answered by a `role: tool` message with its
 * `tool_call_id` before the next user or assistant message; a tool message answers nothing else.
 */
function toolTurnProblems(messages: any[]): string[] {
  const p: string[] = [];
  let open = new Set<string>();
  messages.forEach((m, i) => {
    if (!isObject(m)) return;
    const where = `body.messages[${i}]`;
    if (m.role === 'tool') {
      if (typeof m.tool_call_id !== 'string' || !open.has(m.tool_call_id))
        p.push(`${where}.tool_call_id does not answer a pending tool call: ${m.tool_call_id}`);
      else open.delete(m.tool_call_id);
      if (typeof m.content !== 'string') p.push(`${where}.content must be a string`);
      return;
    }
    if (open.size)
      p.push(`${where}: tool calls ${[...open].join(', ')} were not answered before it`);
    open = new Set();
    if (m.role !== 'assistant' || m.tool_calls === undefined) return;
    if (!Array.isArray(m.tool_calls) || !m.tool_calls.length)
      return p.push(`${where}.tool_calls must be a non-empty array`);
    m.tool_calls.forEach((c: any, j: number) => {
      const at = `${where}.tool_calls[${j}]`;
      if (
        !isObject(c) ||
        typeof c.id !== 'string' ||
        c.type !== 'function' ||
        !isObject(c.function)
      )
        return p.push(`${at} must be {id, type: "function", function}`);
      if (typeof c.function.name !== 'string' || !NAME_RE.test(c.function.name))
        p.push(`${at}.function.name invalid`);
      try {
        if (!isObject(JSON.parse(c.function.arguments))) throw new Error();
      } catch {
        p.push(`${at}.function.arguments must be a JSON object as text`);
      }
      open.add(c.id);
    });
  });
  if (open.size) p.push(`tool calls ${[...open].join(', ')} were never answered`);
  return p;
}

export const openaiWire: ProviderWire = {
  baseUrl: (origin) => `${origin}/v1`,

  keyMatches(req, expectedKey) {
    return expectedKey === undefined || header(req, 'authorization') === `Bearer ${expectedKey}`;
  },

  validate(req: RecordedRequest): string[] {
    const p: string[] = [];
    if (req.method !== 'POST') p.push(`method must be POST, got ${req.method}`);
    if (req.path !== '/v1/chat/completions')
      p.push(`path must be /v1/chat/completions, got ${req.path}`);
    const auth = header(req, 'authorization');
    if (!auth || !/^Bearer \S+$/.test(auth)) p.push('missing Authorization: Bearer <key>');
    if (!header(req, 'content-type')?.startsWith('application/json'))
      p.push('content-type must be application/json');
    const b = req.body;
    if (!isObject(b)) return [...p, 'body must be a JSON object'];
    p.push(...unknownFields(b, BODY_FIELDS, 'body'));
    if (typeof b.model !== 'string' || !b.model) p.push('body.model must be a non-empty string');
    if (!Array.isArray(b.messages) || b.messages.length === 0)
      p.push('body.messages must be a non-empty array');
    else
      b.messages.forEach((m: unknown, i: number) => {
        if (!isObject(m)) return p.push(`body.messages[${i}] must be an object`);
        if (!ROLES.includes(m.role)) p.push(`body.messages[${i}].role invalid: ${m.role}`);
        const toolCallTurn = m.role === 'assistant' && m.tool_calls !== undefined;
        if (
          typeof m.content !== 'string' &&
          !Array.isArray(m.content) &&
          !(toolCallTurn && m.content === null)
        )
          p.push(`body.messages[${i}].content must be a string or parts`);
      });
    if (Array.isArray(b.messages)) p.push(...toolTurnProblems(b.messages));
    if (
      b.temperature !== undefined &&
      (typeof b.temperature !== 'number' || b.temperature < 0 || b.temperature > 2)
    )
      p.push('body.temperature must be a number in [0, 2]');
    for (const f of ['max_tokens', 'max_completion_tokens']) {
      if (b[f] !== undefined && (!Number.isInteger(b[f]) || b[f] < 1))
        p.push(`body.${f} must be a positive integer`);
    }
    if (b.max_tokens !== undefined && b.max_completion_tokens !== undefined)
      p.push('max_tokens and max_completion_tokens are mutually exclusive');
    if (b.stream !== undefined && typeof b.stream !== 'boolean')
      p.push('body.stream must be boolean');
    if (b.stream_options !== undefined) {
      if (b.stream !== true) p.push('body.stream_options is only allowed with stream: true');
      else if (!isObject(b.stream_options)) p.push('body.stream_options must be an object');
      else
        p.push(
          ...unknownFields(
            b.stream_options,
            ['include_usage', 'include_obfuscation'],
            'body.stream_options',
          ),
        );
    }
    if (b.response_format !== undefined) {
      const rf = b.response_format;
      if (!isObject(rf) || !['text', 'json_object', 'json_schema'].includes(rf.type))
        p.push('body.response_format.type invalid');
      else if (rf.type === 'json_schema') {
        const js = rf.json_schema;
        if (!isObject(js)) p.push('body.response_format.json_schema must be an object');
        else {
          if (typeof js.name !== 'string' || !NAME_RE.test(js.name))
            p.push('body.response_format.json_schema.name must match ^[a-zA-Z0-9_-]{1,64}$');
          if (!isObject(js.schema))
            p.push('body.response_format.json_schema.schema must be an object');
          if (js.strict !== undefined && typeof js.strict !== 'boolean')
            p.push('body.response_format.json_schema.strict must be boolean');
          p.push(
            ...unknownFields(
              js,
              ['name', 'schema', 'strict', 'description'],
              'body.response_format.json_schema',
            ),
          );
        }
      }
    }
    if (b.tools !== undefined) {
      if (!Array.isArray(b.tools)) p.push('body.tools must be an array');
      else
        b.tools.forEach((t: unknown, i: number) => {
          if (!isObject(t) || t.type !== 'function' || !isObject(t.function))
            return p.push(`body.tools[${i}] must be {type: "function", function: {...}}`);
          if (typeof t.function.name !== 'string' || !NAME_RE.test(t.function.name))
            p.push(`body.tools[${i}].function.name invalid`);
          if (t.function.parameters !== undefined && !isObject(t.function.parameters))
            p.push(`body.tools[${i}].function.parameters must be an object`);
          p.push(
            ...unknownFields(
              t.function,
              ['name', 'description', 'parameters', 'strict'],
              `body.tools[${i}].function`,
            ),
          );
        });
    }
    return p;
  },

  invalid(problems) {
    return error(
      400,
      `fake validation: ${problems.join('; ')}`,
      'invalid_request_error',
      'invalid_request',
    );
  },

  respond(scenario, req) {
    const model: string = req.body?.model ?? 'unknown';
    switch (scenario.kind) {
      case 'success': {
        const reply = scenario.reply;
        const text = replyText(reply, 'openai');
        const u = usageOf(reply, text);
        const toolCalls = (reply?.toolCalls ?? []).map((c, i) => ({
          id: c.id ?? `call_fake${i}`,
          type: 'function',
          function: { name: c.name, arguments: JSON.stringify(c.arguments) },
        }));
        const ok = {
          status: 200,
          headers: { 'x-request-id': 'req_fake_ok', 'openai-processing-ms': '12' },
          body: {
            id: 'chatcmpl-fake123',
            object: 'chat.completion',
            created: 1_767_225_600,
            model: reply?.model ?? `${model}-2025-04-14`,
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content: toolCalls.length && !reply?.text ? null : text,
                  refusal: null,
                  annotations: [],
                  ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
                },
                logprobs: null,
                finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
              },
            ],
            usage: {
              prompt_tokens: u.input,
              completion_tokens: u.output,
              total_tokens: u.input + u.output,
              prompt_tokens_details: { cached_tokens: u.cached, audio_tokens: 0 },
              completion_tokens_details: {
                reasoning_tokens: u.reasoning,
                audio_tokens: 0,
                accepted_prediction_tokens: 0,
                rejected_prediction_tokens: 0,
              },
            },
            service_tier: 'default',
            system_fingerprint: 'fp_fake',
          },
        };
        return req.body?.stream === true ? streamed(ok, req) : ok;
      }
      case 'throttle': {
        const headers: Record<string, string> = { 'x-ratelimit-remaining-requests': '0' };
        if (scenario.retryAfter !== undefined) headers['retry-after'] = scenario.retryAfter;
        if (scenario.retryAfterMs !== undefined) headers['retry-after-ms'] = scenario.retryAfterMs;
        return error(
          429,
          `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 2s.`,
          'requests',
          'rate_limit_exceeded',
          null,
          headers,
        );
      }
      case 'serverError':
        return scenario.status === 503
          ? error(
              503,
              'The engine is currently overloaded, please try again later.',
              'server_error',
              null,
            )
          : error(
              scenario.status,
              'The server had an error while processing your request. Sorry about that!',
              'server_error',
              null,
            );
      case 'malformed':
        return { status: scenario.status ?? 200, body: MALFORMED_JSON };
      case 'contextLength':
        return error(
          400,
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
          'invalid_request_error',
          'context_length_exceeded',
          'messages',
        );
      case 'contentFilter':
        if (scenario.as === 'error') {
          return error(
            400,
            'The response was filtered due to the prompt triggering the content management policy. Please modify your prompt and retry.',
            'invalid_request_error',
            'content_filter',
            'prompt',
          );
        }
        return {
          status: 200,
          body: {
            id: 'chatcmpl-fakefilter',
            object: 'chat.completion',
            created: 1_767_225_600,
            model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: null, refusal: null },
                logprobs: null,
                finish_reason: 'content_filter',
              },
            ],
            usage: { prompt_tokens: 30, completion_tokens: 0, total_tokens: 30 },
          },
        };
      case 'auth': {
        const sent = (header(req, 'authorization') ?? '').replace(/^Bearer /, '');
        const shown = scenario.echoKey ? sent : maskKey(sent);
        if (scenario.status === 403)
          return error(
            403,
            'You are not allowed to sample from this model',
            'invalid_request_error',
            'model_not_allowed',
          );
        return error(
          scenario.status ?? 401,
          `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          'invalid_request_error',
          'invalid_api_key',
        );
      }
      case 'badRequest':
        return scenario.status === 404 || scenario.status === undefined
          ? error(
              404,
              `The model \`${model}\` does not exist or you do not have access to it.`,
              'invalid_request_error',
              'model_not_found',
            )
          : error(
              scenario.status,
              "Invalid value for 'temperature'.",
              'invalid_request_error',
              'invalid_value',
              'temperature',
            );
    }
  },
};

/**
 * The same completion as `chat.completion.chunk` frames: a role chunk, one chunk per text piece,
 * the finish chunk, the usage chunk (empty choices) when `stream_options.include_usage`, `[DONE]`.
 */
function streamed(
  ok: { status: number; headers: Record<string, string>; body: any },
  req: RecordedRequest,
): WireResponse {
  const c = ok.body;
  const choice = c.choices[0];
  const base = {
    id: c.id,
    object: 'chat.completion.chunk',
    created: c.created,
    model: c.model,
    service_tier: c.service_tier,
    system_fingerprint: c.system_fingerprint,
  };
  const chunk = (delta: object, finish: string | null = null) =>
    sseFrame({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(req.body?.stream_options?.include_usage ? { usage: null } : {}),
    });
  const frames = [
    chunk({ role: 'assistant', content: '', refusal: null }),
    ...textPieces(choice.message.content ?? '').map((t) => chunk({ content: t })),
    chunk({}, choice.finish_reason),
  ];
  if (req.body?.stream_options?.include_usage)
    frames.push(sseFrame({ ...base, choices: [], usage: c.usage }));
  frames.push(sseFrame('[DONE]'));
  return { status: 200, headers: ok.headers, body: '', sse: frames };
}

export function createOpenAIFake(options: FakeServerOptions = {}): Promise<FakeProviderServer> {
  return new FakeProviderServer(openaiWire, options).start();
}
