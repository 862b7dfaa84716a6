/**
 * The gateway's pure rules: the fallback walk, cost arithmetic and model-name matching, budget
 * estimates, and the structured-output check.
 */
import { describe, expect, it } from '@jest/globals';
import {
  MAX_HONOURED_RETRY_AFTER_MS,
  planNextAttempt,
  realAttempts,
  type PriorAttempt,
} from '../../../shared/llm/fallback';
import { costOf, modelCandidates } from '../../../shared/llm/prices';
import { estimateCost } from '../../../shared/llm/step-call';
import { validateStructuredOutput } from '../../../shared/llm/structured-output';

const T = 1_000_000;
const err = (
  chainIndex: number,
  errorName: string,
  extra: Partial<PriorAttempt> = {},
): PriorAttempt => ({ chainIndex, outcome: 'error', errorName, endedAt: T, ...extra });

describe('fallback walk', () => {
  it('starts on the primary', () => {
    expect(planNextAttempt(3, [], T)).toEqual({ exhausted: false, chainIndex: 0, waitMs: 0 });
  });
  it('retries a throttled entry once, waiting out the rest of Retry-After, then moves on', () => {
    const once = planNextAttempt(3, [err(0, 'ProviderThrottled', { retryAfterMs: 500 })], T + 200);
    const twice = planNextAttempt(3, [err(0, 'ProviderThrottled'), err(0, 'ProviderThrottled')], T);
    expect(once).toEqual({ exhausted: false, chainIndex: 0, waitMs: 300 });
    expect(twice).toMatchObject({
      exhausted: false,
      chainIndex: 1,
      waitMs: 0,
      reason: { from: 0, errorName: 'ProviderThrottled', count: 2 },
    });
  });
  it('moves on at once when Retry-After is longer than the step will wait', () => {
    expect(
      planNextAttempt(
        2,
        [err(0, 'ProviderThrottled', { retryAfterMs: MAX_HONOURED_RETRY_AFTER_MS + 1 })],
        T,
      ),
    ).toMatchObject({ chainIndex: 1, reason: { errorName: 'ProviderThrottled', count: 1 } });
  });
  it('moves on after an outage, a skipped (open breaker) entry or a schema mismatch', () => {
    expect(planNextAttempt(3, [err(0, 'ProviderUnavailable')], T)).toMatchObject({
      chainIndex: 1,
      reason: { errorName: 'ProviderUnavailable' },
    });
    expect(
      planNextAttempt(
        3,
        [{ chainIndex: 1, outcome: 'skipped', errorName: 'CircuitOpen', endedAt: T }],
        T,
      ),
    ).toMatchObject({ chainIndex: 2, reason: { errorName: 'CircuitOpen' } });
    expect(planNextAttempt(3, [err(0, 'OutputSchemaMismatch')], T)).toMatchObject({
      chainIndex: 1,
    });
  });
  it('stays on the last entry past the end of the chain, except after a schema mismatch', () => {
    expect(planNextAttempt(1, [err(0, 'ProviderUnavailable')], T)).toEqual({
      exhausted: false,
      chainIndex: 0,
      waitMs: 0,
      reason: undefined,
    });
    expect(
      planNextAttempt(2, [err(0, 'ProviderUnavailable'), err(1, 'OutputSchemaMismatch')], T),
    ).toMatchObject({ exhausted: true });
  });
  it('counts only calls that reached a provider as attempts', () => {
    expect(
      realAttempts([
        err(0, 'ProviderThrottled'),
        { chainIndex: 1, outcome: 'skipped', endedAt: T },
        { chainIndex: 2, outcome: 'blocked', endedAt: T },
        { chainIndex: 2, outcome: 'success', endedAt: T },
      ]),
    ).toBe(2);
  });
});

describe('cost', () => {
  const price = { inputPerMtok: 3, outputPerMtok: 15, cachedInputPerMtok: 0.3 };
  it('is (input − cached) × in + cached × cached + output × out, per million tokens', () => {
    expect(
      costOf(price, { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500 }),
    ).toBeCloseTo((800 * 3 + 200 * 0.3 + 500 * 15) / 1e6, 9);
    expect(costOf(price, { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 })).toBe(0);
  });
  it('never counts more cached tokens than input tokens, and rounds to 6 decimals', () => {
    expect(costOf(price, { inputTokens: 10, cachedInputTokens: 50, outputTokens: 0 })).toBe(
      0.000003,
    );
    expect(
      costOf(
        { inputPerMtok: 0.1, outputPerMtok: 0, cachedInputPerMtok: 0 },
        { inputTokens: 1, cachedInputTokens: 0, outputTokens: 0 },
      ),
    ).toBe(0);
  });
  it('prices dated model names at their family price', () => {
    expect(modelCandidates('claude-sonnet-4-20250514')).toEqual([
      'claude-sonnet-4-20250514',
      'claude-sonnet-4',
    ]);
    expect(modelCandidates('gpt-4.1-mini-2025-04-14')).toEqual([
      'gpt-4.1-mini-2025-04-14',
      'gpt-4.1-mini',
    ]);
    expect(modelCandidates('gpt-4.1-mini')).toEqual(['gpt-4.1-mini']);
  });
  it('estimates a call from the prompt and maxTokens, and 0 for an unpriced model', () => {
    const est = estimateCost(
      {
        ...price,
        provider: 'anthropic',
        model: 'm',
        version: 1,
        effectiveFrom: new Date(0),
        source: 'platform',
      },
      {
        system: 'x'.repeat(400),
        messages: [{ role: 'user', content: 'y'.repeat(400) }],
        maxTokens: 1000,
      },
    );
    expect(est).toBeCloseTo(((200 + 8) * 3 + 1000 * 15) / 1e6, 9);
    expect(estimateCost(undefined, { messages: [], maxTokens: 1000 })).toBe(0);
  });
});

describe('structured output', () => {
  const schema = {
    type: 'object',
    properties: {
      verdict: { type: 'string', enum: ['approve', 'reject'] },
      score: { type: 'integer', minimum: 0, maximum: 10 },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['verdict', 'score'],
    additionalProperties: false,
  };
  it('accepts a matching answer (also inside a ```json fence)', () => {
    expect(validateStructuredOutput('{"verdict":"approve","score":7}', schema)).toEqual({
      verdict: 'approve',
      score: 7,
    });
    expect(
      validateStructuredOutput('```json\n{"verdict":"reject","score":0,"tags":["a"]}\n```', schema),
    ).toEqual({ verdict: 'reject', score: 0, tags: ['a'] });
  });
  it.each([
    ['not JSON', 'Sure! here it is'],
    ['a missing required field', '{"verdict":"approve"}'],
    ['a value outside the enum', '{"verdict":"maybe","score":1}'],
    ['a number out of range', '{"verdict":"approve","score":11}'],
    ['a wrong type', '{"verdict":"approve","score":"7"}'],
    ['an extra property', '{"verdict":"approve","score":1,"why":"x"}'],
    ['a wrong item type', '{"verdict":"approve","score":1,"tags":[1]}'],
  ])('rejects %s as OutputSchemaMismatch with the field path', (_label, text) => {
    let thrown: any;
    try {
      validateStructuredOutput(text, schema);
    } catch (e) {
      thrown = e;
    }
    expect(thrown?.name).toBe('OutputSchemaMismatch');
    expect(thrown.details?.[0]?.path).toMatch(/^output/);
  });
});
