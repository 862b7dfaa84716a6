/**
 * The Gemini embedder (issue 16) against a loopback fake of `batchEmbedContents`: the stated
 * dimensions are asked for and checked, vectors come back unit length, task types follow the
 * purpose, the key travels in Google's header and never in an error, and every request goes through
 * the guarded outbound client (loopback is refused until the policy allows it, as in AWS).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ValidationError } from '../../../shared/errors';
import { configureOutbound } from '../../../shared/net/outbound';
import { createGeminiEmbedder } from '../../../shared/rag/embedders/gemini';
import { parseEmbeddingModel } from '../../../shared/rag/embedders/types';

const KEY = 'gm-unit-test-key-4242';
const seen: Array<{ url: string; key?: string; body: any }> = [];
let status = 200;
/** Answer this many dimensions fewer than asked (a server that ignores outputDimensionality). */
let short = 0;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const body = JSON.parse(raw);
      seen.push({ url: req.url ?? '', key: req.headers['x-goog-api-key'] as string, body });
      res.writeHead(status, { 'content-type': 'application/json' });
      if (status !== 200)
        return res.end(JSON.stringify({ error: { code: status, message: 'no' } }));
      // Not unit length on purpose (the client normalises): 3 at the index of the text's length.
      const embeddings = body.requests.map((r: any) => ({
        values: Array.from({ length: r.outputDimensionality - short }, (_, i) =>
          i === r.content.parts[0].text.length ? 3 : 0,
        ),
      }));
      res.end(JSON.stringify({ embeddings }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  configureOutbound({ allowLoopback: false, allow: [] });
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen.length = 0;
  status = 200;
  short = 0;
});

test('Gemini models take 768 or 1536 dimensions; anything else is a 400 on `dimensions`', () => {
  expect(parseEmbeddingModel('gemini:gemini-embedding-001').dimensions).toBe(768);
  expect(parseEmbeddingModel('gemini:gemini-embedding-001', 1536).dimensions).toBe(1536);
  let error: unknown;
  try {
    parseEmbeddingModel('gemini:gemini-embedding-001', 3072);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).details?.[0]?.path).toBe('dimensions');
});

test('embeds through the guarded client at the stated dimensions, unit length, per purpose', async () => {
  // Prepare
  configureOutbound({ allowLoopback: false, allow: [] });
  const embedder = createGeminiEmbedder('gemini-embedding-001', {
    apiKey: KEY,
    baseUrl,
    dimensions: 1536,
  });
  const refused = await embedder.embed(['blocked'], 'query').catch((e: Error) => e);
  configureOutbound({ allowLoopback: true, allow: [] });

  // Act
  const docs = await embedder.embed(['alpha', 'be'], 'document');
  const query = await embedder.embed(['abc'], 'query');

  // Assess: refused before any request while loopback is forbidden (the guard is in the path).
  expect(refused).toBeInstanceOf(Error);
  expect(String(refused)).not.toContain(KEY);
  expect(seen).toHaveLength(2);
  expect(seen[0].url).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
  expect(seen[0].key).toBe(KEY);
  expect(seen[0].body.requests[0]).toMatchObject({
    outputDimensionality: 1536,
    taskType: 'RETRIEVAL_DOCUMENT',
  });
  expect(seen[1].body.requests[0].taskType).toBe('RETRIEVAL_QUERY');
  expect(docs.vectors.map((v) => v.length)).toEqual([1536, 1536]);
  expect(docs.vectors[0][5]).toBeCloseTo(1);
  expect(docs.vectors[1][2]).toBeCloseTo(1);
  expect(query.vectors[0][3]).toBeCloseTo(1);
  expect(docs).toMatchObject({ estimated: true, tokens: 3 });
});

test('a wrong vector size and a provider error are named errors without the key', async () => {
  // Prepare
  configureOutbound({ allowLoopback: true, allow: [] });
  const wrong = createGeminiEmbedder('gemini-embedding-001', {
    apiKey: KEY,
    baseUrl,
    dimensions: 768,
  });

  // Act
  short = 1;
  const mismatch = await wrong.embed(['x'], 'document').catch((e: Error) => e);
  short = 0;
  status = 401;
  const denied = await wrong.embed(['x'], 'document').catch((e: Error) => e);

  // Assess
  expect((mismatch as Error).name).toBe('ProviderUnavailable');
  expect((mismatch as Error).message).toMatch(/768 dimensions/);
  expect((denied as Error).name).toBe('ProviderAuthError');
  expect(String((denied as Error).message)).not.toContain(KEY);
});
