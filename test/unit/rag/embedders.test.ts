import { ValidationError } from '../../../shared/errors';
import { embedLocal, scriptedFailure, stem } from '../../../shared/rag/embedders/local';
import { parseEmbeddingModel } from '../../../shared/rag/embedders/types';

const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

test('the local embedder is deterministic, 384-dimensional and unit length', () => {
  const v = embedLocal('Rotate the API keys every ninety days.');

  expect(v).toHaveLength(384);
  expect(embedLocal('Rotate the API keys every ninety days.')).toEqual(v);
  expect(Math.sqrt(cos(v, v))).toBeCloseTo(1, 6);
  expect(embedLocal('')).toEqual(new Array(384).fill(0));
});

test('shared stems and sub-words score higher than unrelated text; frequent words weigh little', () => {
  const doc = embedLocal('Certificates renew automatically through ACM.');

  const typo = cos(embedLocal('certficate renewel'), doc);
  const unrelated = cos(embedLocal('monthly budget alerts'), doc);
  const stopwords = cos(embedLocal('the of and to in'), embedLocal('the of and to in budget'));

  expect(typo).toBeGreaterThan(unrelated + 0.08);
  expect(unrelated).toBeLessThan(0.1);
  expect(stopwords).toBeLessThan(0.2);
  expect(stem('indexes')).toBe('index');
  expect(stem('rotating')).toBe('rotat');
});

test('embedding model references map to a provider, model and indexed dimension', () => {
  expect(parseEmbeddingModel('local')).toMatchObject({
    provider: 'local',
    model: 'hashed-ngrams-v1',
    dimensions: 384,
  });
  expect(parseEmbeddingModel('openai:text-embedding-3-small')).toMatchObject({
    provider: 'openai',
    dimensions: 1536,
    maxBatch: 256,
  });
  expect(parseEmbeddingModel('gemini:gemini-embedding-001')).toMatchObject({
    provider: 'gemini',
    dimensions: 768,
  });
  expect(() => parseEmbeddingModel('openai:gpt-4.1')).toThrow(ValidationError);
  expect(() => parseEmbeddingModel('local:bogus')).toThrow(ValidationError);
});

test('scripted failures: flaky-N throttles batch 0 for N attempts, fail is permanent', () => {
  expect(scriptedFailure('local:flaky-2', 0, 1)?.name).toBe('ProviderThrottled');
  expect(scriptedFailure('local:flaky-2', 0, 2)?.name).toBe('ProviderThrottled');
  expect(scriptedFailure('local:flaky-2', 0, 3)).toBeUndefined();
  expect(scriptedFailure('local:flaky-2', 1, 1)).toBeUndefined();
  expect(scriptedFailure('local:fail', 3, 9)?.name).toBe('ProviderAuthError');
  expect(scriptedFailure('local', 0, 1)).toBeUndefined();
});

test('self-hosted models state their dimensions, which must have an index', () => {
  expect(parseEmbeddingModel('compatible:nomic-embed-text', 768)).toMatchObject({
    provider: 'compatible',
    model: 'nomic-embed-text',
    dimensions: 768,
  });
  expect(parseEmbeddingModel('compatible:BAAI/bge-large-en-v1.5', 1024).dimensions).toBe(1024);
  expect(() => parseEmbeddingModel('compatible:nomic-embed-text')).toThrow(ValidationError);
  try {
    parseEmbeddingModel('compatible:big', 4096);
  } catch (e) {
    expect((e as ValidationError).details?.[0]?.path).toBe('dimensions');
  }
  expect.assertions(4);
});
