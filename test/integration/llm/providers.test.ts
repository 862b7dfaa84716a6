/**
 * The four provider adapters, driven through their REAL SDKs (openai, @anthropic-ai/sdk,
 * @google/genai) against loopback fakes speaking each provider's wire format. Every failure scenario
 * must come out as the right named error after exactly one HTTP request (SDK retries are off: Step
 * Functions owns retries), and the fakes must find no fault with any request the SDKs sent.
 */
import { inspect } from 'node:util';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { AppError } from '../../../shared/errors';
import { configureOutbound } from '../../../shared/net/outbound';
import { createAnthropicAdapter } from '../../../shared/llm/providers/anthropic';
import {
  COMPATIBLE_PLACEHOLDER_KEY,
  createCompatibleAdapter,
} from '../../../shared/llm/providers/compatible';
import { createGeminiAdapter } from '../../../shared/llm/providers/gemini';
import { createOpenAIAdapter } from '../../../shared/llm/providers/openai';
import type {
  ModelCallRequest,
  ProviderAdapter,
  ProviderCredentials,
} from '../../../shared/llm/types';
import {
  createAnthropicFake,
  createGeminiFake,
  createOpenAIFake,
  type FakeProviderServer,
  type Scenario,
} from '../../fakes/providers';

/** Deliberately shaped like no known vendor key, so only literal scrubbing can hide it. */
const KEY = 'tk-live-7Qx9ZpL2mVn4RsT8wY1bHq';

type Name = 'openai' | 'compatible' | 'anthropic' | 'gemini';
interface Target {
  name: Name;
  adapter: ProviderAdapter;
  fake: FakeProviderServer;
  creds: ProviderCredentials;
}

const targets = {} as Record<Name, Target>;
const NAMES: Name[] = ['openai', 'compatible', 'anthropic', 'gemini'];

beforeAll(async () => {
  // The fakes listen on loopback, which the guarded outbound client allows only when told (as the
  // local runtime does).
  configureOutbound({ allowLoopback: true, allow: [] });
  const fakes = await Promise.all([
    createOpenAIFake({ apiKey: KEY }),
    createOpenAIFake({ apiKey: KEY }),
    createAnthropicFake({ apiKey: KEY }),
    createGeminiFake({ apiKey: KEY }),
  ]);
  const adapters = [
    createOpenAIAdapter(),
    createCompatibleAdapter(),
    createAnthropicAdapter(),
    createGeminiAdapter(),
  ];
  NAMES.forEach((name, i) => {
    targets[name] = {
      name,
      adapter: adapters[i],
      fake: fakes[i],
      creds: { apiKey: KEY, baseUrl: fakes[i].baseUrl },
    };
  });
});

afterEach(() => {
  for (const t of Object.values(targets)) {
    // Every request any SDK sent during the test must have passed the fake's shape validation.
    expect(t.fake.violations).toEqual([]);
    t.fake.reset();
  }
});

afterAll(async () => {
  await Promise.all(Object.values(targets).map((t) => t.fake.close()));
});

const BASIC: ModelCallRequest = {
  model: 'test-model-1',
  system: 'You are terse.',
  messages: [{ role: 'user', content: 'Say hello.' }],
  temperature: 0.3,
  maxTokens: 256,
  timeoutMs: 5_000,
};

async function failure(
  t: Target,
  scenario: Scenario | undefined,
  request: ModelCallRequest = BASIC,
  creds: ProviderCredentials = t.creds,
): Promise<AppError> {
  if (scenario) t.fake.enqueue(scenario);
  try {
    await t.adapter.call(request, creds);
  } catch (e) {
    return e as AppError;
  }
  throw new Error(`${t.name}: expected the call to fail`);
}

/** Every error the suite provokes, to scan for the key at the end. */
const provoked: Array<{ where: string; error: unknown }> = [];

// ---------------------------------------------------------------------------------------------
// failure scenarios, table-driven over the 4 adapters

interface Case {
  label: string;
  scenario: Scenario | ((name: Name) => Scenario);
  expectName: string;
  only?: Name[];
  retryAfterMs?: number | [number, number] | 'none';
}

const CASES: Case[] = [
  {
    label: '429 with Retry-After in seconds',
    scenario: { kind: 'throttle', retryAfter: '7' },
    expectName: 'ProviderThrottled',
    retryAfterMs: 7_000,
  },
  {
    label: '429 with fractional Retry-After',
    scenario: { kind: 'throttle', retryAfter: '1.5' },
    expectName: 'ProviderThrottled',
    retryAfterMs: 1_500,
  },
  {
    label: '429 with retry-after-ms',
    scenario: { kind: 'throttle', retryAfterMs: '2500', retryAfter: '3' },
    expectName: 'ProviderThrottled',
    retryAfterMs: 2_500,
  },
  {
    label: '429 with Retry-After as an HTTP date',
    scenario: () => ({ kind: 'throttle', retryAfter: new Date(Date.now() + 30_000).toUTCString() }),
    expectName: 'ProviderThrottled',
    retryAfterMs: [27_000, 30_000],
  },
  {
    label: '429 without any retry hint',
    scenario: { kind: 'throttle' },
    expectName: 'ProviderThrottled',
    retryAfterMs: 'none',
  },
  {
    label: '429 with google.rpc.RetryInfo in the body',
    scenario: { kind: 'throttle', retryDelay: '4s' },
    expectName: 'ProviderThrottled',
    retryAfterMs: 4_000,
    only: ['gemini'],
  },
  {
    label: '500',
    scenario: { kind: 'serverError', status: 500 },
    expectName: 'ProviderUnavailable',
  },
  {
    label: '503',
    scenario: { kind: 'serverError', status: 503 },
    expectName: 'ProviderUnavailable',
  },
  {
    label: '502',
    scenario: { kind: 'serverError', status: 502 },
    expectName: 'ProviderUnavailable',
  },
  {
    label: '529 overloaded',
    scenario: { kind: 'serverError', status: 529 },
    expectName: 'ProviderUnavailable',
    only: ['anthropic'],
  },
  {
    label: 'malformed JSON in a 200',
    scenario: { kind: 'malformed' },
    expectName: 'ProviderUnavailable',
  },
  {
    label: 'malformed JSON in a 500',
    scenario: { kind: 'malformed', status: 500 },
    expectName: 'ProviderUnavailable',
  },
  {
    label: 'a 200 that is not JSON at all',
    scenario: {
      kind: 'raw',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '<html>Bad Gateway</html>',
    },
    expectName: 'ProviderUnavailable',
  },
  {
    label: 'a 200 JSON body with no answer in it',
    scenario: (name) => ({
      kind: 'raw',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        name === 'openai' || name === 'compatible'
          ? { id: 'chatcmpl-empty', object: 'chat.completion', created: 1, model: 'm', choices: [] }
          : {},
      ),
    }),
    expectName: 'ProviderUnavailable',
  },
  { label: 'connection reset', scenario: { kind: 'reset' }, expectName: 'ProviderUnavailable' },
  {
    label: 'context-length error',
    scenario: { kind: 'contextLength' },
    expectName: 'ContextTooLong',
  },
  {
    label: 'content filter (answer withheld)',
    scenario: { kind: 'contentFilter' },
    expectName: 'ContentFiltered',
  },
  {
    label: 'content filter (4xx content_filter code)',
    scenario: { kind: 'contentFilter', as: 'error' },
    expectName: 'ContentFiltered',
    only: ['openai', 'compatible'],
  },
  {
    label: 'content filter (candidate finishReason SAFETY)',
    scenario: { kind: 'contentFilter', as: 'candidate' },
    expectName: 'ContentFiltered',
    only: ['gemini'],
  },
  { label: 'auth error', scenario: { kind: 'auth' }, expectName: 'ProviderAuthError' },
  {
    label: 'auth error echoing the key',
    scenario: { kind: 'auth', echoKey: true },
    expectName: 'ProviderAuthError',
  },
  {
    label: '403 permission denied',
    scenario: { kind: 'auth', status: 403 },
    expectName: 'ProviderAuthError',
  },
  {
    label: 'unknown model (404)',
    scenario: { kind: 'badRequest', status: 404 },
    expectName: 'InvalidRequest',
  },
  {
    label: 'other 400',
    scenario: { kind: 'badRequest', status: 400 },
    expectName: 'InvalidRequest',
  },
  {
    label: 'a proxy error page quoting the Authorization header',
    scenario: {
      kind: 'raw',
      status: 502,
      headers: { 'content-type': 'text/plain' },
      body: `upstream failed; request headers: {"Authorization": "Bearer ${KEY}", "x-goog-api-key": "${KEY}"}`,
    },
    expectName: 'ProviderUnavailable',
  },
];

describe.each(NAMES)('%s adapter: failure classification', (name) => {
  const cases = CASES.filter((c) => !c.only || c.only.includes(name));
  it.each(cases.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const t = targets[name];
    const scenario = typeof c.scenario === 'function' ? c.scenario(name) : c.scenario;
    const err = await failure(t, scenario);
    provoked.push({ where: `${name}: ${c.label}`, error: err });
    expect(err.name).toBe(c.expectName);
    expect(err.message.startsWith(`${name}:`)).toBe(true);
    expect(t.fake.calls).toBe(1); // no SDK-internal retry
    if (c.retryAfterMs === 'none')
      expect((err as { retryAfterMs?: number }).retryAfterMs).toBeUndefined();
    else if (Array.isArray(c.retryAfterMs)) {
      const ms = (err as { retryAfterMs?: number }).retryAfterMs!;
      expect(ms).toBeGreaterThanOrEqual(c.retryAfterMs[0]);
      expect(ms).toBeLessThanOrEqual(c.retryAfterMs[1]);
    } else if (c.retryAfterMs !== undefined)
      expect((err as { retryAfterMs?: number }).retryAfterMs).toBe(c.retryAfterMs);
  });

  it('a hung server is cut off at request.timeoutMs as ProviderUnavailable, after one request', async () => {
    const t = targets[name];
    const started = Date.now();
    const err = await failure(t, { kind: 'hang' }, { ...BASIC, timeoutMs: 300 });
    const elapsed = Date.now() - started;
    provoked.push({ where: `${name}: hang`, error: err });
    expect(err.name).toBe('ProviderUnavailable');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3_000);
    expect(t.fake.calls).toBe(1);
  });

  it("a wrong key gets the provider's own auth answer: ProviderAuthError", async () => {
    const t = targets[name];
    const wrong = 'tk-wrong-key-5dJ8aQ2Lw0Xy';
    const err = await failure(t, undefined, BASIC, { ...t.creds, apiKey: wrong });
    expect(err.name).toBe('ProviderAuthError');
    expect(err.message).not.toContain(wrong);
    expect(t.fake.calls).toBe(1);
  });

  it('connection refused is ProviderUnavailable', async () => {
    const t = targets[name];
    const port = await closedPort();
    const base =
      name === 'openai' || name === 'compatible'
        ? `http://127.0.0.1:${port}/v1`
        : `http://127.0.0.1:${port}`;
    const err = await failure(t, undefined, BASIC, { ...t.creds, baseUrl: base });
    provoked.push({ where: `${name}: refused`, error: err });
    expect(err.name).toBe('ProviderUnavailable');
    expect(err.message).toMatch(/connection/i);
  });
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

// ---------------------------------------------------------------------------------------------
// request mapping, success answers, usage

describe('request mapping on the wire', () => {
  const convo: ModelCallRequest = {
    ...BASIC,
    messages: [
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: 'First answer' },
      { role: 'user', content: 'Second question' },
    ],
  };

  it('openai: system message first, roles kept, temperature, max_completion_tokens, Bearer auth', async () => {
    const t = targets.openai;
    const out = await t.adapter.call(convo, t.creds);
    const req = t.fake.requests[0];
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['x-stainless-retry-count']).toBe('0');
    expect(req.body).toEqual({
      model: 'test-model-1',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'First question' },
        { role: 'assistant', content: 'First answer' },
        { role: 'user', content: 'Second question' },
      ],
      temperature: 0.3,
      max_completion_tokens: 256,
    });
    expect(out).toMatchObject({
      text: 'Hello from the fake openai server.',
      toolCalls: [],
      finishReason: 'stop',
      model: 'test-model-1-2025-04-14',
    });
  });

  it('compatible: same wire with max_tokens, and a placeholder Bearer token when no key is set', async () => {
    const keyless = await createOpenAIFake();
    try {
      const out = await targets.compatible.adapter.call(convo, { baseUrl: keyless.baseUrl });
      expect(keyless.violations).toEqual([]);
      const req = keyless.requests[0];
      expect(req.path).toBe('/v1/chat/completions');
      expect(req.headers.authorization).toBe(`Bearer ${COMPATIBLE_PLACEHOLDER_KEY}`);
      expect(req.body.max_tokens).toBe(256);
      expect(req.body.max_completion_tokens).toBeUndefined();
      expect(out.text).toBe('Hello from the fake openai server.');
    } finally {
      await keyless.close();
    }
  });

  it('compatible: a configured key is sent as Bearer', async () => {
    const t = targets.compatible;
    await t.adapter.call(BASIC, t.creds);
    expect(t.fake.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('anthropic: top-level system, messages, max_tokens, no temperature (API 2026-10-21), version header', async () => {
    const t = targets.anthropic;
    const out = await t.adapter.call(convo, t.creds);
    const req = t.fake.requests[0];
    expect(req.path).toBe('/v1/messages');
    expect(req.headers['anthropic-version']).toBe('2026-10-21');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['x-stainless-retry-count']).toBe('0');
    expect(req.body).toEqual({
      model: 'test-model-1',
      max_tokens: 256,
      system: 'You are terse.',
      messages: [
        { role: 'user', content: 'First question' },
        { role: 'assistant', content: 'First answer' },
        { role: 'user', content: 'Second question' },
      ],
    });
    expect(out).toMatchObject({
      text: 'Hello from the fake anthropic server.',
      finishReason: 'stop',
      model: 'test-model-1-20250514',
    });
  });

  it('anthropic: max_tokens defaults when the request has none (the API requires it)', async () => {
    const t = targets.anthropic;
    await t.adapter.call({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, t.creds);
    expect(t.fake.requests[0].body.max_tokens).toBe(4096);
  });

  it('gemini: systemInstruction, contents with role model, generationConfig, x-goog-api-key', async () => {
    const t = targets.gemini;
    const out = await t.adapter.call(convo, t.creds);
    const req = t.fake.requests[0];
    expect(req.path).toBe('/v1beta/models/test-model-1:generateContent');
    expect(req.headers['x-goog-api-key']).toBe(KEY);
    expect(req.query.key).toBeUndefined();
    expect(req.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'First question' }] },
        { role: 'model', parts: [{ text: 'First answer' }] },
        { role: 'user', parts: [{ text: 'Second question' }] },
      ],
      systemInstruction: { parts: [{ text: 'You are terse.' }] },
      generationConfig: { temperature: 0.3, maxOutputTokens: 256 },
    });
    expect(out).toMatchObject({
      text: 'Hello from the fake gemini server.',
      finishReason: 'stop',
      model: 'test-model-1',
    });
  });
});

describe('structured output (JSON schema)', () => {
  const strictSchema = {
    type: 'object',
    properties: {
      verdict: { type: 'string', enum: ['approve', 'reject'] },
      score: { type: 'number' },
    },
    required: ['verdict', 'score'],
    additionalProperties: false,
  };
  const looseSchema = { type: 'object', properties: { summary: { type: 'string' } } };
  const answer = { verdict: 'approve', score: 0.9 };

  it.each(['openai', 'compatible'] as const)(
    '%s: response_format json_schema, strict only when the schema allows it',
    async (name) => {
      const t = targets[name];
      t.fake.enqueue(
        { kind: 'success', reply: { json: answer } },
        { kind: 'success', reply: { json: { summary: 's' } } },
      );
      const out = await t.adapter.call({ ...BASIC, outputSchema: strictSchema }, t.creds);
      expect(JSON.parse(out.text)).toEqual(answer);
      expect(t.fake.requests[0].body.response_format).toEqual({
        type: 'json_schema',
        json_schema: { name: 'output', schema: strictSchema, strict: true },
      });
      await t.adapter.call({ ...BASIC, outputSchema: looseSchema }, t.creds);
      expect(t.fake.requests[1].body.response_format).toEqual({
        type: 'json_schema',
        json_schema: { name: 'output', schema: looseSchema, strict: false },
      });
    },
  );

  it('anthropic: output_config.format json_schema', async () => {
    const t = targets.anthropic;
    t.fake.enqueue({ kind: 'success', reply: { json: answer } });
    const out = await t.adapter.call({ ...BASIC, outputSchema: strictSchema }, t.creds);
    expect(JSON.parse(out.text)).toEqual(answer);
    expect(t.fake.requests[0].body.output_config).toEqual({
      format: { type: 'json_schema', schema: strictSchema },
    });
  });

  it('gemini: responseMimeType application/json + responseJsonSchema', async () => {
    const t = targets.gemini;
    t.fake.enqueue({ kind: 'success', reply: { json: answer } });
    const out = await t.adapter.call({ ...BASIC, outputSchema: strictSchema }, t.creds);
    expect(JSON.parse(out.text)).toEqual(answer);
    expect(t.fake.requests[0].body.generationConfig).toEqual({
      temperature: 0.3,
      maxOutputTokens: 256,
      responseMimeType: 'application/json',
      responseJsonSchema: strictSchema,
    });
  });
});

describe('tool calls', () => {
  const tools = [
    {
      name: 'search_docs',
      description: 'Search the knowledge base',
      parameters: {
        type: 'object',
        properties: { query: { type: 'string' } },
        required: ['query'],
      },
    },
    {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  ];
  const calls = [
    { id: 'call_A1', name: 'search_docs', arguments: { query: 'refund policy' } },
    { id: 'call_B2', name: 'get_weather', arguments: { city: 'Cairo' } },
  ];

  it.each(NAMES)(
    '%s: tools mapped to the provider form, tool calls read back with ids and arguments',
    async (name) => {
      const t = targets[name];
      t.fake.enqueue({ kind: 'success', reply: { toolCalls: calls } });
      const out = await t.adapter.call({ ...BASIC, tools }, t.creds);
      expect(out.toolCalls).toEqual(calls);
      expect(out.finishReason).toBe('tool_calls');
      const body = t.fake.requests[0].body;
      if (name === 'openai' || name === 'compatible') {
        expect(body.tools).toEqual([
          {
            type: 'function',
            function: {
              name: 'search_docs',
              description: 'Search the knowledge base',
              parameters: tools[0].parameters,
            },
          },
          { type: 'function', function: { name: 'get_weather', parameters: tools[1].parameters } },
        ]);
      } else if (name === 'anthropic') {
        expect(body.tools).toEqual([
          {
            name: 'search_docs',
            description: 'Search the knowledge base',
            input_schema: tools[0].parameters,
          },
          { name: 'get_weather', input_schema: tools[1].parameters },
        ]);
      } else {
        expect(body.tools).toEqual([
          {
            functionDeclarations: [
              {
                name: 'search_docs',
                description: 'Search the knowledge base',
                parametersJsonSchema: tools[0].parameters,
              },
              { name: 'get_weather', parametersJsonSchema: tools[1].parameters },
            ],
          },
        ]);
      }
    },
  );

  it('gemini: a functionCall without id gets a stable generated one', async () => {
    const t = targets.gemini;
    t.fake.enqueue({
      kind: 'success',
      reply: { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
    });
    const out = await t.adapter.call({ ...BASIC, tools }, t.creds);
    expect(out.toolCalls).toEqual([
      {
        id: 'hishamos-unnamed-call-0_get_weather',
        name: 'get_weather',
        arguments: { city: 'Oslo' },
      },
    ]);
  });

  it.each(NAMES)(
    '%s: a conversation with two parallel calls and their results (one failed) goes out in the native form',
    async (name) => {
      // Prepare: the model asked for both tools at once; one of them failed
      const t = targets[name];
      t.fake.enqueue({ kind: 'success', reply: { text: 'Refunds take 14 days [1].' } });
      const messages: ModelCallRequest['messages'] = [
        { role: 'user', content: 'Refunds, and the weather in Cairo?' },
        { role: 'assistant', content: 'Looking.', toolCalls: calls },
        {
          role: 'user',
          content: '',
          toolResults: [
            { callId: 'call_A1', name: 'search_docs', content: '[1] Refunds take 14 days.' },
            { callId: 'call_B2', name: 'get_weather', content: 'Timeout', isError: true },
          ],
        },
      ];

      // Act
      const out = await t.adapter.call({ ...BASIC, tools, messages }, t.creds);

      // Assess (the fake's validator checks every call is answered; afterEach asserts it)
      expect(out.text).toBe('Refunds take 14 days [1].');
      const body = t.fake.requests[0].body;
      if (name === 'openai' || name === 'compatible') {
        expect(body.messages.slice(1)).toEqual([
          { role: 'user', content: 'Refunds, and the weather in Cairo?' },
          {
            role: 'assistant',
            content: 'Looking.',
            tool_calls: calls.map((c) => ({
              id: c.id,
              type: 'function',
              function: { name: c.name, arguments: JSON.stringify(c.arguments) },
            })),
          },
          { role: 'tool', tool_call_id: 'call_A1', content: '[1] Refunds take 14 days.' },
          { role: 'tool', tool_call_id: 'call_B2', content: 'Timeout' },
        ]);
      } else if (name === 'anthropic') {
        expect(body.messages.slice(1)).toEqual([
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Looking.' },
              ...calls.map((c) => ({
                type: 'tool_use',
                id: c.id,
                name: c.name,
                input: c.arguments,
              })),
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'call_A1', content: '[1] Refunds take 14 days.' },
              { type: 'tool_result', tool_use_id: 'call_B2', content: 'Timeout', is_error: true },
            ],
          },
        ]);
      } else {
        expect(body.contents.slice(1)).toEqual([
          {
            role: 'model',
            parts: [
              { text: 'Looking.' },
              ...calls.map((c) => ({
                functionCall: { id: c.id, name: c.name, args: c.arguments },
              })),
            ],
          },
          {
            role: 'user',
            parts: [
              {
                functionResponse: {
                  id: 'call_A1',
                  name: 'search_docs',
                  response: { output: '[1] Refunds take 14 days.' },
                },
              },
              {
                functionResponse: {
                  id: 'call_B2',
                  name: 'get_weather',
                  response: { error: 'Timeout' },
                },
              },
            ],
          },
        ]);
      }
    },
  );

  it('the fakes refuse a tool call left unanswered', async () => {
    // Prepare: an assistant turn with a call, followed by a plain user message
    const t = targets.anthropic;
    const messages: ModelCallRequest['messages'] = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: '', toolCalls: [calls[0]] },
      { role: 'user', content: 'and?' },
    ];
    // Act
    const err = await t.adapter.call({ ...BASIC, tools, messages }, t.creds).catch((e) => e);
    // Assess
    expect(err.name).toBe('InvalidRequest');
    expect(t.fake.violations.join(' ')).toContain('not answered');
    t.fake.violations.length = 0;
  });

  it('openai: tool-call arguments that are not JSON are an OutputSchemaMismatch', async () => {
    const t = targets.openai;
    const body = {
      id: 'chatcmpl-x',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          logprobs: null,
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [
              {
                id: 'c1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city": "Oslo' },
              },
            ],
          },
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    };
    const err = await failure(
      t,
      {
        kind: 'raw',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      { ...BASIC, tools },
    );
    expect(err.name).toBe('OutputSchemaMismatch');
  });
});

describe('token usage from the provider response', () => {
  it('openai / compatible: prompt_tokens, completion_tokens, prompt_tokens_details.cached_tokens', async () => {
    for (const name of ['openai', 'compatible'] as const) {
      const t = targets[name];
      t.fake.enqueue({
        kind: 'success',
        reply: {
          usage: { input: 1200, output: 300, cached: 1024 },
          model: 'gpt-4.1-mini-2025-04-14',
        },
      });
      const out = await t.adapter.call(BASIC, t.creds);
      expect(out).toMatchObject({
        inputTokens: 1200,
        outputTokens: 300,
        cachedInputTokens: 1024,
        model: 'gpt-4.1-mini-2025-04-14',
      });
    }
  });

  it('anthropic: input counts cache reads and writes too; cached = cache_read_input_tokens', async () => {
    const t = targets.anthropic;
    t.fake.enqueue({
      kind: 'success',
      reply: { usage: { input: 200, output: 300, cached: 1000, cacheWrite: 50 } },
    });
    const out = await t.adapter.call(BASIC, t.creds);
    expect(out).toMatchObject({ inputTokens: 1250, outputTokens: 300, cachedInputTokens: 1000 });
  });

  it('gemini: promptTokenCount, candidates + thoughts tokens, cachedContentTokenCount', async () => {
    const t = targets.gemini;
    t.fake.enqueue({
      kind: 'success',
      reply: {
        usage: { input: 1200, output: 300, cached: 1000, reasoning: 40 },
        model: 'gemini-2.5-flash-001',
      },
    });
    const out = await t.adapter.call(BASIC, t.creds);
    expect(out).toMatchObject({
      inputTokens: 1200,
      outputTokens: 340,
      cachedInputTokens: 1000,
      model: 'gemini-2.5-flash-001',
    });
  });
});

describe('configuration errors never reach the network', () => {
  it.each(['openai', 'anthropic', 'gemini'] as const)(
    '%s without a key: ProviderAuthError, no request',
    async (name) => {
      const t = targets[name];
      const err = await failure(t, undefined, BASIC, { baseUrl: t.fake.baseUrl });
      expect(err.name).toBe('ProviderAuthError');
      expect(t.fake.calls).toBe(0);
    },
  );

  it('compatible without a base URL: InvalidRequest', async () => {
    const err = await failure(targets.compatible, undefined, BASIC, { apiKey: KEY });
    expect(err.name).toBe('InvalidRequest');
    expect(err.message).toContain('COMPATIBLE_BASE_URL');
  });
});

// ---------------------------------------------------------------------------------------------
// the key never leaks

describe('the API key never appears in an error', () => {
  it.each(NAMES)(
    '%s: echoed keys are scrubbed from message, JSON, stack and cause',
    async (name) => {
      const t = targets[name];
      for (const scenario of [
        { kind: 'auth', echoKey: true },
        { kind: 'auth' },
        { kind: 'throttle', retryAfter: '1' },
        { kind: 'malformed' },
        { kind: 'reset' },
      ] as Scenario[]) {
        provoked.push({ where: `${name}: ${scenario.kind}`, error: await failure(t, scenario) });
      }
    },
  );

  it('no provoked error anywhere in this suite mentions the key', () => {
    expect(provoked.length).toBeGreaterThan(4 * CASES.length - 10);
    for (const { where, error } of provoked) {
      const e = error as Error & { cause?: unknown };
      const views = [
        e.message,
        String(e.stack),
        JSON.stringify(e),
        inspect(e, { depth: 12, showHidden: true }),
        inspect(e.cause, { depth: 12, showHidden: true }),
      ];
      for (const v of views) {
        if (v.includes(KEY)) throw new Error(`${where}: the key leaked into ${v.slice(0, 300)}`);
      }
    }
  });

  it('the echoed key was really in the provider answer (literal scrubbing is doing the work)', async () => {
    const t = targets.openai;
    const err = await failure(t, { kind: 'auth', echoKey: true });
    expect(err.message).toContain('Incorrect API key provided: [REDACTED].');
  });
});
