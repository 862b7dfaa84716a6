/**
 * A loopback fake of Anthropic's Messages API (`POST /v1/messages` with an `anthropic-version`
 * header). The key arrives as `x-api-key` (API versions up to 2023-06-01 and older SDKs) or, as
 * @anthropic-ai/sdk 1.x actually sends it, `Authorization: Bearer <key>`; exactly one is accepted.
 * Response and error shapes follow https://docs.anthropic.com/en/api/messages
 * and https://docs.anthropic.com/en/api/errors: `{"type": "error", "error": {"type", "message"}}`.
 * It speaks API version 2026-10-21, the one @anthropic-ai/sdk 1.x pins, which has no `temperature`.
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
  replyText,
  sseFrame,
  textPieces,
  unknownFields,
  usageOf,
} from './http-fake';

const BODY_FIELDS = [
  'model',
  'messages',
  'system',
  'max_tokens',
  'tools',
  'tool_choice',
  'output_config',
  'stop_sequences',
  'metadata',
  'stream',
  'thinking',
  'cache_control',
  'service_tier',
  'container',
  'inference_geo',
  'speed',
];
const NAME_RE = /^[a-zA-Z0-9_-]{1,128}$/;

function keyOf(req: RecordedRequest): string | undefined {
  return header(req, 'x-api-key') ?? header(req, 'authorization')?.replace(/^Bearer /, '');
}

function error(
  status: number,
  type: string,
  message: string,
  headers?: Record<string, string>,
): WireResponse {
  const requestId = `req_fake${Math.random().toString(16).slice(2, 10)}`;
  return {
    status,
    headers: { 'request-id': requestId, ...headers },
    body: { type: 'error', error: { type, message }, request_id: requestId },
  };
}

function message(
  model: string,
  content: unknown[],
  stopReason: string,
  usage: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    id: 'msg_01FakeFakeFakeFakeFake',
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage,
    ...extra,
  };
}

/**
 * Messages' tool-use rules: an assistant's `tool_use` blocks `{id, name, input: object}` are each
 * answered by a `tool_result` block `{tool_use_id, content, is_error?}` in the very next (user)
 * message, and a `tool_result` answers only a `tool_use` of the message just before it.
 */
function toolTurnProblems(messages: any[]): string[] {
  const p: string[] = [];
  let open = new Set<string>();
  messages.forEach((m, i) => {
    if (!isObject(m)) return;
    const blocks: any[] = Array.isArray(m.content) ? m.content : [];
    const where = `body.messages[${i}]`;
    blocks.forEach((blk, j) => {
      if (!isObject(blk)) return;
      if (blk.type === 'tool_result') {
        if (m.role !== 'user') p.push(`${where}.content[${j}]: tool_result outside a user turn`);
        if (!open.has(blk.tool_use_id))
          p.push(`${where}.content[${j}].tool_use_id answers no tool_use of the previous turn`);
        open.delete(blk.tool_use_id);
        if (typeof blk.content !== 'string' && !Array.isArray(blk.content))
          p.push(`${where}.content[${j}].content must be a string or blocks`);
        if (blk.is_error !== undefined && typeof blk.is_error !== 'boolean')
          p.push(`${where}.content[${j}].is_error must be boolean`);
      }
    });
    if (open.size) p.push(`${where}: tool_use ${[...open].join(', ')} not answered by it`);
    open = new Set();
    blocks.forEach((blk, j) => {
      if (!isObject(blk) || blk.type !== 'tool_use') return;
      if (m.role !== 'assistant')
        p.push(`${where}.content[${j}]: tool_use outside an assistant turn`);
      if (typeof blk.id !== 'string' || typeof blk.name !== 'string' || !isObject(blk.input))
        p.push(`${where}.content[${j}] must be {type: tool_use, id, name, input: object}`);
      else open.add(blk.id);
    });
  });
  if (open.size) p.push(`tool_use ${[...open].join(', ')} never answered`);
  return p;
}

export const anthropicWire: ProviderWire = {
  baseUrl: (origin) => origin,

  keyMatches(req, expectedKey) {
    return expectedKey === undefined || keyOf(req) === expectedKey;
  },

  validate(req: RecordedRequest): string[] {
    const p: string[] = [];
    if (req.method !== 'POST') p.push(`method must be POST, got ${req.method}`);
    if (req.path !== '/v1/messages') p.push(`path must be /v1/messages, got ${req.path}`);
    const apiKeyHeader = header(req, 'x-api-key');
    const bearer = header(req, 'authorization');
    if (!apiKeyHeader && !bearer) p.push('missing x-api-key or Authorization header');
    if (apiKeyHeader && bearer) p.push('both x-api-key and Authorization sent');
    if (bearer && !/^Bearer \S+$/.test(bearer)) p.push('Authorization must be Bearer <key>');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(header(req, 'anthropic-version') ?? ''))
      p.push('missing or malformed anthropic-version header');
    if (!header(req, 'content-type')?.startsWith('application/json'))
      p.push('content-type must be application/json');
    const b = req.body;
    if (!isObject(b)) return [...p, 'body must be a JSON object'];
    p.push(...unknownFields(b, BODY_FIELDS, 'body'));
    if (typeof b.model !== 'string' || !b.model) p.push('body.model must be a non-empty string');
    if (!Number.isInteger(b.max_tokens) || b.max_tokens < 1)
      p.push('body.max_tokens is required and must be a positive integer');
    if (!Array.isArray(b.messages) || b.messages.length === 0)
      p.push('body.messages must be a non-empty array');
    else
      b.messages.forEach((m: unknown, i: number) => {
        if (!isObject(m)) return p.push(`body.messages[${i}] must be an object`);
        if (!['user', 'assistant', 'system'].includes(m.role))
          p.push(`body.messages[${i}].role invalid: ${m.role}`);
        if (typeof m.content !== 'string' && !Array.isArray(m.content))
          p.push(`body.messages[${i}].content must be a string or blocks`);
      });
    if (Array.isArray(b.messages)) p.push(...toolTurnProblems(b.messages));
    if (b.system !== undefined) {
      const ok =
        typeof b.system === 'string' ||
        (Array.isArray(b.system) &&
          b.system.every(
            (x: any) => isObject(x) && x.type === 'text' && typeof x.text === 'string',
          ));
      if (!ok) p.push('body.system must be a string or text blocks');
    }
    if (b.tools !== undefined) {
      if (!Array.isArray(b.tools)) p.push('body.tools must be an array');
      else
        b.tools.forEach((t: unknown, i: number) => {
          if (!isObject(t)) return p.push(`body.tools[${i}] must be an object`);
          if (typeof t.name !== 'string' || !NAME_RE.test(t.name))
            p.push(`body.tools[${i}].name invalid`);
          if (!isObject(t.input_schema) || t.input_schema.type !== 'object')
            p.push(`body.tools[${i}].input_schema must be a JSON Schema of type object`);
          p.push(
            ...unknownFields(
              t,
              ['name', 'description', 'input_schema', 'type', 'cache_control', 'strict'],
              `body.tools[${i}]`,
            ),
          );
        });
    }
    if (b.output_config !== undefined) {
      const oc = b.output_config;
      if (!isObject(oc)) p.push('body.output_config must be an object');
      else {
        p.push(...unknownFields(oc, ['format', 'effort'], 'body.output_config'));
        if (oc.format !== undefined && oc.format !== null) {
          if (
            !isObject(oc.format) ||
            oc.format.type !== 'json_schema' ||
            !isObject(oc.format.schema)
          )
            p.push('body.output_config.format must be {type: "json_schema", schema: {...}}');
        }
      }
    }
    if (b.stream !== undefined && typeof b.stream !== 'boolean')
      p.push('body.stream must be boolean');
    return p;
  },

  invalid(problems) {
    return error(400, 'invalid_request_error', `fake validation: ${problems.join('; ')}`);
  },

  respond(scenario, req) {
    const model: string = req.body?.model ?? 'unknown';
    switch (scenario.kind) {
      case 'success': {
        const reply = scenario.reply;
        const text = replyText(reply, 'anthropic');
        const u = usageOf(reply, text);
        const content: unknown[] = [];
        if (text) content.push({ type: 'text', text, citations: null });
        for (const [i, c] of (reply?.toolCalls ?? []).entries())
          content.push({
            type: 'tool_use',
            id: c.id ?? `toolu_01Fake${i}`,
            name: c.name,
            input: c.arguments,
            caller: { type: 'direct' },
          });
        const ok = {
          status: 200,
          headers: { 'request-id': 'req_fake_ok' },
          body: message(
            reply?.model ?? `${model}-20250514`,
            content,
            reply?.toolCalls?.length ? 'tool_use' : 'end_turn',
            {
              input_tokens: u.input,
              output_tokens: u.output,
              cache_creation_input_tokens: u.cacheWrite,
              cache_read_input_tokens: u.cached,
              cache_creation: {
                ephemeral_5m_input_tokens: u.cacheWrite,
                ephemeral_1h_input_tokens: 0,
              },
              server_tool_use: null,
              service_tier: 'standard',
              inference_geo: null,
              output_tokens_details: null,
              speed: null,
            },
          ),
        };
        return req.body?.stream === true ? streamed(ok) : ok;
      }
      case 'throttle': {
        const headers: Record<string, string> = { 'anthropic-ratelimit-requests-remaining': '0' };
        if (scenario.retryAfter !== undefined) headers['retry-after'] = scenario.retryAfter;
        if (scenario.retryAfterMs !== undefined) headers['retry-after-ms'] = scenario.retryAfterMs;
        return error(
          429,
          'rate_limit_error',
          "This request would exceed your organization's rate limit of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.",
          headers,
        );
      }
      case 'serverError':
        if (scenario.status === 529) return error(529, 'overloaded_error', 'Overloaded');
        if (scenario.status === 503) return error(503, 'api_error', 'Service Unavailable');
        return error(scenario.status, 'api_error', 'Internal server error');
      case 'malformed':
        return { status: scenario.status ?? 200, body: MALFORMED_JSON };
      case 'contextLength':
        return error(
          400,
          'invalid_request_error',
          'prompt is too long: 215047 tokens > 200000 maximum',
        );
      case 'contentFilter':
        return {
          status: 200,
          body: message(
            model,
            [],
            'refusal',
            {
              input_tokens: 25,
              output_tokens: 3,
              cache_creation_input_tokens: 0,
              cache_read_input_tokens: 0,
            },
            {
              stop_details: { type: 'refusal', category: 'general_harms', explanation: null },
            },
          ),
        };
      case 'auth': {
        if (scenario.status === 403)
          return error(
            403,
            'permission_error',
            'Your API key does not have permission to use the specified resource.',
          );
        const sent = keyOf(req) ?? '';
        return error(
          scenario.status ?? 401,
          'authentication_error',
          scenario.echoKey ? `invalid x-api-key: ${sent}` : 'invalid x-api-key',
        );
      }
      case 'badRequest':
        return scenario.status === 404 || scenario.status === undefined
          ? error(404, 'not_found_error', `model: ${model}`)
          : error(
              scenario.status,
              'invalid_request_error',
              'messages: roles must alternate between "user" and "assistant"',
            );
    }
  },
};

/**
 * The same message as Messages streaming events: `message_start` (empty content, input usage),
 * per text block `content_block_start`, `content_block_delta` (`text_delta`) per piece,
 * `content_block_stop`; then `message_delta` (stop reason, output usage) and `message_stop`.
 */
function streamed(ok: {
  status: number;
  headers: Record<string, string>;
  body: any;
}): WireResponse {
  const m = ok.body;
  const frames = [
    sseFrame(
      {
        type: 'message_start',
        message: {
          ...m,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...m.usage, output_tokens: 1 },
        },
      },
      'message_start',
    ),
  ];
  m.content.forEach((block: any, index: number) => {
    if (block.type !== 'text') throw new Error('the fake streams text blocks only');
    frames.push(
      sseFrame(
        {
          type: 'content_block_start',
          index,
          content_block: { type: 'text', text: '', citations: null },
        },
        'content_block_start',
      ),
      ...textPieces(block.text).map((text) =>
        sseFrame(
          { type: 'content_block_delta', index, delta: { type: 'text_delta', text } },
          'content_block_delta',
        ),
      ),
      sseFrame({ type: 'content_block_stop', index }, 'content_block_stop'),
    );
  });
  frames.push(
    sseFrame(
      {
        type: 'message_delta',
        delta: { stop_reason: m.stop_reason, stop_sequence: m.stop_sequence ?? null },
        usage: {
          input_tokens: m.usage.input_tokens,
          output_tokens: m.usage.output_tokens,
          cache_creation_input_tokens: m.usage.cache_creation_input_tokens,
          cache_read_input_tokens: m.usage.cache_read_input_tokens,
          server_tool_use: null,
        },
      },
      'message_delta',
    ),
    sseFrame({ type: 'message_stop' }, 'message_stop'),
  );
  return { status: 200, headers: ok.headers, body: '', sse: frames };
}

export function createAnthropicFake(options: FakeServerOptions = {}): Promise<FakeProviderServer> {
  return new FakeProviderServer(anthropicWire, options).start();
}
