/**
 * A loopback fake of the Gemini API's `POST /v1beta/models/{model}:generateContent` (key in the
 * `x-goog-api-key` header, or the `key` query parameter). Shapes follow
 * https://ai.google.dev/api/generate-content and Google's error format
 * `{"error": {"code", "message", "status", "details": [...]}}` (google.rpc.Status). As the real
 * service does, a bad key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID, and a 429 carries a
 * `google.rpc.RetryInfo` detail.
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

const PATH_RE = /^\/v1beta\/models\/([A-Za-z0-9._-]+):(generateContent|streamGenerateContent)$/;
const BODY_FIELDS = [
  'contents',
  'systemInstruction',
  'generationConfig',
  'tools',
  'toolConfig',
  'safetySettings',
  'cachedContent',
];
const GEN_FIELDS = [
  'temperature',
  'maxOutputTokens',
  'responseMimeType',
  'responseJsonSchema',
  'responseSchema',
  'topP',
  'topK',
  'candidateCount',
  'stopSequences',
  'seed',
  'thinkingConfig',
  'presencePenalty',
  'frequencyPenalty',
  'responseModalities',
  'responseLogprobs',
  'logprobs',
];
const PART_KINDS = [
  'text',
  'functionCall',
  'functionResponse',
  'inlineData',
  'fileData',
  'thought',
  'thoughtSignature',
];

function error(
  code: number,
  status: string,
  message: string,
  details?: unknown[],
  headers?: Record<string, string>,
): WireResponse {
  return {
    status: code,
    headers,
    body: { error: { code, message, status, ...(details ? { details } : {}) } },
  };
}

function keyOf(req: RecordedRequest): string | undefined {
  return header(req, 'x-goog-api-key') ?? req.query.key;
}

/**
 * Gemini's function-calling rules: a model turn's `functionCall {name, args, id?}` parts are
 * answered by `functionResponse {name, response: object, id?}` parts of the next user turn, one
 * per call, matched by id when the call had one and else by name.
 */
function toolTurnProblems(contents: any[]): string[] {
  const p: string[] = [];
  let open: Array<{ id?: string; name: string }> = [];
  contents.forEach((c, i) => {
    if (!isObject(c) || !Array.isArray(c.parts)) return;
    const where = `body.contents[${i}]`;
    c.parts.forEach((part: any, j: number) => {
      const r = isObject(part) ? part.functionResponse : undefined;
      if (r === undefined) return;
      if (c.role !== 'user') p.push(`${where}.parts[${j}]: functionResponse outside a user turn`);
      if (!isObject(r) || typeof r.name !== 'string' || !isObject(r.response))
        return p.push(`${where}.parts[${j}].functionResponse must be {name, response: object}`);
      const at = open.findIndex((o) => (o.id && r.id ? o.id === r.id : o.name === r.name));
      if (at === -1)
        p.push(`${where}.parts[${j}].functionResponse answers no functionCall: ${r.name}`);
      else open.splice(at, 1);
    });
    if (open.length)
      p.push(`${where}: functionCall ${open.map((o) => o.name).join(', ')} not answered by it`);
    open = [];
    c.parts.forEach((part: any, j: number) => {
      const f = isObject(part) ? part.functionCall : undefined;
      if (f === undefined) return;
      if (c.role !== 'model') p.push(`${where}.parts[${j}]: functionCall outside a model turn`);
      if (!isObject(f) || typeof f.name !== 'string' || (f.args !== undefined && !isObject(f.args)))
        return p.push(`${where}.parts[${j}].functionCall must be {name, args: object}`);
      open.push({ id: typeof f.id === 'string' ? f.id : undefined, name: f.name });
    });
  });
  if (open.length) p.push(`functionCall ${open.map((o) => o.name).join(', ')} never answered`);
  return p;
}

export const geminiWire: ProviderWire = {
  baseUrl: (origin) => origin,

  keyMatches(req, expectedKey) {
    return expectedKey === undefined || keyOf(req) === expectedKey;
  },

  validate(req: RecordedRequest): string[] {
    const p: string[] = [];
    if (req.method !== 'POST') p.push(`method must be POST, got ${req.method}`);
    if (!PATH_RE.test(req.path))
      p.push(`path must be /v1beta/models/{model}:generateContent, got ${req.path}`);
    else if (PATH_RE.exec(req.path)?.[2] === 'streamGenerateContent' && req.query.alt !== 'sse')
      p.push('streamGenerateContent needs ?alt=sse (the fake speaks SSE only)');
    if (!keyOf(req)) p.push('missing x-goog-api-key header (or key= query parameter)');
    if (!header(req, 'content-type')?.startsWith('application/json'))
      p.push('content-type must be application/json');
    const b = req.body;
    if (!isObject(b)) return [...p, 'body must be a JSON object'];
    p.push(...unknownFields(b, BODY_FIELDS, 'body'));
    const checkParts = (parts: unknown, where: string) => {
      if (!Array.isArray(parts) || parts.length === 0)
        return p.push(`${where}.parts must be a non-empty array`);
      parts.forEach((part: unknown, j: number) => {
        if (!isObject(part)) return p.push(`${where}.parts[${j}] must be an object`);
        p.push(...unknownFields(part, PART_KINDS, `${where}.parts[${j}]`));
        if ('text' in part && typeof part.text !== 'string')
          p.push(`${where}.parts[${j}].text must be a string`);
      });
    };
    if (!Array.isArray(b.contents) || b.contents.length === 0)
      p.push('body.contents must be a non-empty array');
    else
      b.contents.forEach((c: unknown, i: number) => {
        if (!isObject(c)) return p.push(`body.contents[${i}] must be an object`);
        if (!['user', 'model'].includes(c.role))
          p.push(`body.contents[${i}].role must be "user" or "model", got ${c.role}`);
        checkParts(c.parts, `body.contents[${i}]`);
      });
    if (Array.isArray(b.contents)) p.push(...toolTurnProblems(b.contents));
    if (b.systemInstruction !== undefined) {
      if (!isObject(b.systemInstruction)) p.push('body.systemInstruction must be a Content object');
      else checkParts(b.systemInstruction.parts, 'body.systemInstruction');
    }
    if (b.generationConfig !== undefined) {
      const g = b.generationConfig;
      if (!isObject(g)) p.push('body.generationConfig must be an object');
      else {
        p.push(...unknownFields(g, GEN_FIELDS, 'body.generationConfig'));
        if (
          g.temperature !== undefined &&
          (typeof g.temperature !== 'number' || g.temperature < 0 || g.temperature > 2)
        )
          p.push('generationConfig.temperature must be in [0, 2]');
        if (
          g.maxOutputTokens !== undefined &&
          (!Number.isInteger(g.maxOutputTokens) || g.maxOutputTokens < 1)
        )
          p.push('generationConfig.maxOutputTokens must be a positive integer');
        if (
          (g.responseJsonSchema !== undefined || g.responseSchema !== undefined) &&
          g.responseMimeType !== 'application/json'
        ) {
          p.push('generationConfig.responseJsonSchema requires responseMimeType application/json');
        }
        if (g.responseJsonSchema !== undefined && !isObject(g.responseJsonSchema))
          p.push('generationConfig.responseJsonSchema must be an object');
      }
    }
    if (b.tools !== undefined) {
      if (!Array.isArray(b.tools)) p.push('body.tools must be an array');
      else
        b.tools.forEach((t: unknown, i: number) => {
          if (!isObject(t)) return p.push(`body.tools[${i}] must be an object`);
          if (!Array.isArray(t.functionDeclarations))
            return p.push(`body.tools[${i}].functionDeclarations must be an array`);
          t.functionDeclarations.forEach((f: unknown, j: number) => {
            if (
              !isObject(f) ||
              typeof f.name !== 'string' ||
              !/^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/.test(f.name)
            )
              return p.push(`body.tools[${i}].functionDeclarations[${j}].name invalid`);
            p.push(
              ...unknownFields(
                f,
                [
                  'name',
                  'description',
                  'parameters',
                  'parametersJsonSchema',
                  'response',
                  'responseJsonSchema',
                  'behavior',
                ],
                `body.tools[${i}].functionDeclarations[${j}]`,
              ),
            );
            if (f.parametersJsonSchema !== undefined && !isObject(f.parametersJsonSchema))
              p.push(`functionDeclarations[${j}].parametersJsonSchema must be an object`);
          });
        });
    }
    return p;
  },

  invalid(problems) {
    return error(400, 'INVALID_ARGUMENT', `fake validation: ${problems.join('; ')}`);
  },

  respond(scenario, req) {
    const model = PATH_RE.exec(req.path)?.[1] ?? 'unknown';
    switch (scenario.kind) {
      case 'success': {
        const reply = scenario.reply;
        const text = replyText(reply, 'gemini');
        const u = usageOf(reply, text);
        const parts: unknown[] = [];
        if (text) parts.push({ text });
        for (const c of reply?.toolCalls ?? [])
          parts.push({
            functionCall: { ...(c.id ? { id: c.id } : {}), name: c.name, args: c.arguments },
          });
        const ok = {
          status: 200,
          body: {
            candidates: [{ content: { parts, role: 'model' }, finishReason: 'STOP', index: 0 }],
            usageMetadata: {
              promptTokenCount: u.input,
              candidatesTokenCount: u.output,
              totalTokenCount: u.input + u.output + u.reasoning,
              ...(u.cached ? { cachedContentTokenCount: u.cached } : {}),
              ...(u.reasoning ? { thoughtsTokenCount: u.reasoning } : {}),
              promptTokensDetails: [{ modality: 'TEXT', tokenCount: u.input }],
            },
            modelVersion: reply?.model ?? model,
            responseId: 'fakeResponseId123',
          },
        };
        return PATH_RE.exec(req.path)?.[2] === 'streamGenerateContent' ? streamed(ok.body) : ok;
      }
      case 'throttle': {
        const headers: Record<string, string> = {};
        if (scenario.retryAfter !== undefined) headers['retry-after'] = scenario.retryAfter;
        if (scenario.retryAfterMs !== undefined) headers['retry-after-ms'] = scenario.retryAfterMs;
        const details: unknown[] = [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [
              {
                quotaMetric:
                  'generativelanguage.googleapis.com/generate_content_free_tier_requests',
                quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
                quotaValue: '10',
              },
            ],
          },
        ];
        if (scenario.retryDelay)
          details.push({
            '@type': 'type.googleapis.com/google.rpc.RetryInfo',
            retryDelay: scenario.retryDelay,
          });
        return error(
          429,
          'RESOURCE_EXHAUSTED',
          'You exceeded your current quota, please check your plan and billing details.',
          details,
          headers,
        );
      }
      case 'serverError':
        if (scenario.status === 503)
          return error(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
        return error(
          scenario.status,
          'INTERNAL',
          'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
        );
      case 'malformed':
        return { status: scenario.status ?? 200, body: MALFORMED_JSON };
      case 'contextLength':
        return error(
          400,
          'INVALID_ARGUMENT',
          'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
        );
      case 'contentFilter':
        if (scenario.as === 'candidate') {
          return {
            status: 200,
            body: {
              candidates: [
                {
                  content: { parts: [], role: 'model' },
                  finishReason: 'SAFETY',
                  index: 0,
                  safetyRatings: [
                    {
                      category: 'HARM_CATEGORY_DANGEROUS_CONTENT',
                      probability: 'HIGH',
                      blocked: true,
                    },
                  ],
                },
              ],
              usageMetadata: { promptTokenCount: 20, totalTokenCount: 20 },
              modelVersion: model,
            },
          };
        }
        return {
          status: 200,
          body: {
            promptFeedback: {
              blockReason: 'SAFETY',
              safetyRatings: [
                { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
              ],
            },
            usageMetadata: { promptTokenCount: 20, totalTokenCount: 20 },
            modelVersion: model,
          },
        };
      case 'auth': {
        if (scenario.status === 403)
          return error(
            403,
            'PERMISSION_DENIED',
            "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
          );
        const message = scenario.echoKey
          ? `API key not valid: ${keyOf(req)}. Please pass a valid API key.`
          : 'API key not valid. Please pass a valid API key.';
        return error(scenario.status ?? 400, 'INVALID_ARGUMENT', message, [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
        ]);
      }
      case 'badRequest':
        return scenario.status === 404 || scenario.status === undefined
          ? error(
              404,
              'NOT_FOUND',
              `models/${model} is not found for API version v1beta, or is not supported for generateContent.`,
            )
          : error(
              scenario.status,
              'INVALID_ARGUMENT',
              'Invalid value at \'generation_config.temperature\' (TYPE_FLOAT), "hot"',
            );
    }
  },
};

/**
 * The same response as `alt=sse` chunks: each a GenerateContentResponse carrying one text piece,
 * usage and model version on every chunk (as Gemini sends them), the finish reason on the last.
 */
function streamed(body: any): WireResponse {
  const candidate = body.candidates[0];
  const text = candidate.content.parts.map((p: { text?: string }) => p.text ?? '').join('');
  if (candidate.content.parts.some((p: object) => !('text' in p)))
    throw new Error('the fake streams text parts only');
  const pieces = textPieces(text);
  const frames = (pieces.length ? pieces : ['']).map((t, i, all) =>
    sseFrame({
      candidates: [
        {
          content: { parts: [{ text: t }], role: 'model' },
          ...(i === all.length - 1 ? { finishReason: candidate.finishReason } : {}),
          index: 0,
        },
      ],
      usageMetadata: body.usageMetadata,
      modelVersion: body.modelVersion,
      responseId: body.responseId,
    }),
  );
  return { status: 200, body: '', sse: frames };
}

export function createGeminiFake(options: FakeServerOptions = {}): Promise<FakeProviderServer> {
  return new FakeProviderServer(geminiWire, options).start();
}
