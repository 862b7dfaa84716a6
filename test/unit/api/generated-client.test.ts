/**
 * The console's API types are generated from the OpenAPI document (ADR 141) and committed; this
 * fails when a route or contract changed and `npm run build:api-client` was not run.
 */
import { readFileSync } from 'node:fs';
import { GENERATED_CLIENT, generateApiTypes } from '../../../infra/build/api-client';
import { ApiClient } from '../../../web/src/api/client';
import { fillPath, typedCall } from '../../../web/src/api/typed';

test('the committed generated types are what the route table generates now', async () => {
  const fresh = await generateApiTypes();

  const committed = readFileSync(GENERATED_CLIENT, 'utf8');

  expect(committed === fresh).toBe(true);
  expect(fresh).toContain('"/v1/workflows/{id}/export"');
});

test('typed calls fill path parameters (encoded) and send query and body', async () => {
  // Prepare
  const sent: { method: string; url: string; body: unknown }[] = [];
  const client = new ApiClient({
    baseUrl: 'http://api.test',
    storage: { getItem: () => null, setItem: () => undefined, removeItem: () => undefined },
    fetch: async (url, init) => {
      sent.push({ method: String(init?.method), url: String(url), body: init?.body });
      return new Response(JSON.stringify({ items: [] }), { status: 200 });
    },
  });

  // Act
  await typedCall(client, 'get', '/v1/agents/{id}/versions', {
    params: { id: 'a b/c' },
    query: { limit: 5 },
  });
  await typedCall(client, 'patch', '/v1/agents/{id}', {
    params: { id: 'pm' },
    body: { systemPrompt: 'x' },
  });

  // Assess
  expect(sent).toEqual([
    { method: 'GET', url: 'http://api.test/v1/agents/a%20b%2Fc/versions?limit=5', body: undefined },
    { method: 'PATCH', url: 'http://api.test/v1/agents/pm', body: '{"systemPrompt":"x"}' },
  ]);
  expect(() => fillPath('/v1/runs/{id}', {})).toThrow('missing path parameter id');
});
