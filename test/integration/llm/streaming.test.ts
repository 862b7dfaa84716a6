/**
 * Streamed calls (ADR 142): each adapter, through its REAL SDK against the loopback fakes speaking
 * the provider's streaming wire format (OpenAI `data: {chunk}` … `[DONE]` with usage in the last
 * chunk, Anthropic `message_start … message_stop`, Gemini `alt=sse`), returns exactly what the
 * non-streamed call returns, and hands the text on in more than one piece while it arrives.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { configureOutbound } from '../../../shared/net/outbound';
import { createAnthropicAdapter } from '../../../shared/llm/providers/anthropic';
import { createCompatibleAdapter } from '../../../shared/llm/providers/compatible';
import { createGeminiAdapter } from '../../../shared/llm/providers/gemini';
import { createOpenAIAdapter } from '../../../shared/llm/providers/openai';
import { createSimulator, STREAM_CHUNKS } from '../../../shared/llm/providers/simulator';
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
  type FakeReply,
} from '../../fakes/providers';

const KEY = 'tk-stream-5Rw2QpL8mVn4RsT8wY1bHz';
type Name = 'openai' | 'compatible' | 'anthropic' | 'gemini';
const NAMES: Name[] = ['openai', 'compatible', 'anthropic', 'gemini'];
const targets = {} as Record<
  Name,
  { adapter: ProviderAdapter; fake: FakeProviderServer; creds: ProviderCredentials }
>;

beforeAll(async () => {
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
      adapter: adapters[i],
      fake: fakes[i],
      creds: { apiKey: KEY, baseUrl: fakes[i].baseUrl },
    };
  });
});

afterEach(() => {
  for (const t of Object.values(targets)) {
    expect(t.fake.violations).toEqual([]);
    t.fake.reset();
  }
});

afterAll(async () => {
  await Promise.all(Object.values(targets).map((t) => t.fake.close()));
});

const REQUEST: ModelCallRequest = {
  model: 'test-model-1',
  system: 'You are thorough.',
  messages: [{ role: 'user', content: 'Explain streaming in a paragraph.' }],
  maxTokens: 512,
  timeoutMs: 5_000,
};

const REPLY: FakeReply = {
  text: 'Streaming sends the answer in pieces while the model writes it, so readers start early.',
  usage: { input: 321, output: 23, cached: 64, cacheWrite: 5 },
};

/** True when the recorded request asked the provider to stream. */
function askedToStream(name: Name, fake: FakeProviderServer): boolean {
  const req = fake.requests[fake.requests.length - 1];
  return name === 'gemini'
    ? req.path.endsWith(':streamGenerateContent') && req.query.alt === 'sse'
    : req.body?.stream === true;
}

describe.each(NAMES)('%s streamed', (name) => {
  it('returns the non-streamed result (text, usage, finish reason, model) and the text in pieces', async () => {
    // Prepare
    const { adapter, fake, creds } = targets[name];
    fake.enqueue({ kind: 'success', reply: REPLY }, { kind: 'success', reply: REPLY });
    const plain = await adapter.call(REQUEST, creds);
    expect(askedToStream(name, fake)).toBe(false);
    const deltas: string[] = [];

    // Act
    const streamed = await adapter.call(REQUEST, creds, { onText: (d) => deltas.push(d) });

    // Assess
    expect(askedToStream(name, fake)).toBe(true);
    if (name !== 'gemini') expect(fake.requests[1].body.stream).toBe(true);
    if (name === 'openai' || name === 'compatible')
      expect(fake.requests[1].body.stream_options).toEqual({ include_usage: true });
    expect(streamed).toEqual(plain);
    expect(streamed.text).toBe(REPLY.text);
    expect(streamed.outputTokens).toBe(23);
    expect(streamed.finishReason).toBe('stop');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(streamed.text);
  });

  it('keeps structured output non-streamed and never calls onText for it', async () => {
    // Prepare
    const { adapter, fake, creds } = targets[name];
    fake.enqueue({ kind: 'success', reply: { json: { verdict: 'ok' } } });
    const deltas: string[] = [];

    // Act
    const result = await adapter.call(
      {
        ...REQUEST,
        outputSchema: {
          type: 'object',
          properties: { verdict: { type: 'string' } },
          required: ['verdict'],
          additionalProperties: false,
        },
      },
      creds,
      { onText: (d) => deltas.push(d) },
    );

    // Assess
    expect(askedToStream(name, fake)).toBe(false);
    expect(JSON.parse(result.text)).toEqual({ verdict: 'ok' });
    expect(deltas).toEqual([]);
  });

  it('classifies an error answered to a streamed request like the non-streamed one', async () => {
    // Prepare
    const { adapter, fake, creds } = targets[name];
    fake.enqueue({ kind: 'throttle', retryAfter: '3' });
    const deltas: string[] = [];

    // Act
    const error = await adapter.call(REQUEST, creds, { onText: (d) => deltas.push(d) }).then(
      () => undefined,
      (e: unknown) => e,
    );

    // Assess
    expect((error as Error).name).toBe('ProviderThrottled');
    expect(deltas).toEqual([]);
  });
});

describe('simulator streamed', () => {
  it('gives the non-streamed answer, in STREAM_CHUNKS pieces', async () => {
    // Prepare
    const sim = createSimulator({ latencyMs: 0 });
    const request = { ...REQUEST, model: 'slow-40' };
    const plain = await sim.call(request, {});
    const deltas: string[] = [];

    // Act
    const streamed = await sim.call(request, {}, { onText: (d) => deltas.push(d) });

    // Assess
    expect(streamed).toEqual(plain);
    expect(deltas).toHaveLength(STREAM_CHUNKS);
    expect(deltas.join('')).toBe(plain.text);
  });
});
