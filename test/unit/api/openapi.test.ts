/**
 * The OpenAPI document: valid OpenAPI 3.1 (the swagger-parser validator), named components for
 * every schema that occurs twice, and stable, readable operation ids.
 */
import { validate } from '@readme/openapi-parser';
import { openApiDocument } from '../../../shared/api/openapi';
import { operationId } from '../../../shared/api/operation-ids';
import { canonical, isSubstantial } from '../../../shared/api/schema-components';
import { routes } from '../../../shared/api/routes';

type Json = Record<string, unknown>;
const doc = openApiDocument();
const components = (doc.components as { schemas: Record<string, Json> }).schemas;

/** Every schema object below `node`, except `skip` itself. */
function schemasUnder(node: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(node)) {
    for (const n of node) schemasUnder(n, out);
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  const obj = node as Json;
  if (isSubstantial(obj)) out.push(obj);
  for (const v of Object.values(obj)) schemasUnder(v, out);
  return out;
}

test('the document is valid OpenAPI 3.1', async () => {
  const result = await validate(structuredClone(doc) as never);

  expect(result).toMatchObject({ valid: true });
  expect(doc.openapi).toBe('3.1.0');
  console.log(
    `openapi.json: ${JSON.stringify(doc).length} bytes, ${Object.keys(components).length} components, ${JSON.stringify(doc).split('"$ref"').length - 1} $refs`,
  );
});

test('every schema that occurs twice is a $ref to one named component', () => {
  const seen = new Map<string, number>();
  for (const [name, schema] of Object.entries(components)) {
    seen.set(canonical(schema), 1);
    // Inside a component, its own root is not a repetition.
    for (const inner of schemasUnder(Object.values(schema)))
      seen.set(canonical(inner), (seen.get(canonical(inner)) ?? 0) + 1);
    expect(name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
  }
  for (const s of schemasUnder(doc.paths))
    seen.set(canonical(s), (seen.get(canonical(s)) ?? 0) + 1);

  const repeated = [...seen.entries()].filter(([, n]) => n > 1).map(([s]) => s.slice(0, 160));
  expect(repeated).toEqual([]);
});

test('the main shapes are named components that operations reference', () => {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const json = (op: Json, status: string) =>
    ((op.responses as Json)[status] as { content: { 'application/json': { schema: Json } } })
      .content['application/json'].schema;

  expect(json(paths['/v1/runs/{id}'].get, '200')).toEqual(ref('Run'));
  expect(json(paths['/v1/agents/{id}'].get, '200')).toEqual(ref('Agent'));
  expect(json(paths['/v1/workflows/{id}'].get, '200')).toEqual(ref('Workflow'));
  expect(json(paths['/v1/agents'].get, '200')).toMatchObject({
    properties: { items: { items: ref('Agent') } },
  });
  for (const name of ['Run', 'RunStep', 'Agent', 'Workflow', 'WorkflowNode', 'ErrorBody'])
    expect(components[name]).toBeDefined();
  expect((paths['/v1/runs/{id}/stream'].get.responses as Json)['200']).toMatchObject({
    content: { 'text/event-stream': {} },
  });
});

test('operation ids are unique, camelCase verbs, stable for the main routes', () => {
  const ids = Object.values(routes)
    .flat()
    .map((r) => operationId(r.method, r.path));

  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(/^[a-z]+[A-Z][A-Za-z]*$/);
  expect(operationId('GET', '/v1/agents')).toBe('listAgents');
  expect(operationId('GET', '/v1/runs/{id}')).toBe('getRun');
  expect(operationId('POST', '/v1/runs/{id}/cancel')).toBe('cancelRun');
  expect(operationId('POST', '/v1/workflows/{id}/runs')).toBe('startRun');
  expect(operationId('GET', '/v1/knowledge-bases/{id}/documents')).toBe(
    'listKnowledgeBaseDocuments',
  );
  expect(operationId('POST', '/v1/runs/{id}/steps/{stepId}/approve')).toBe('approveRunStep');
});
