/**
 * A JSON column gives back the value that was written, on every driver: a JSON string that looks
 * like JSON (`"42"`, `"{\"a\":1}"`, `"null"`) stays a string. node-postgres and PGlite return json
 * as its text, as the Data API does, so drizzle's column decoder parses it once (ADR 173); before,
 * those drivers parsed it and drizzle parsed the resulting string again. Through the API too: a run
 * listed by `GET /v1/runs` answers the output its own read answers.
 */
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../../shared/db/client';
import { asJsonb } from '../../../shared/db/jsonb-value';
import { runs, runSteps } from '../../../shared/db/schema';
import {
  agentNode,
  createSimulatorAgent,
  createWorkflow,
  runToEnd,
} from '../../support/engine-fixtures';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
let runId: string;

beforeAll(async () => {
  stack = await startTestStack({ env: { SIMULATOR_LATENCY_MS: '0' } });
  token = await stack.adminToken();
  await createSimulatorAgent(stack, token, 'json-values');
  await createWorkflow(stack, token, 'json-values', {
    nodes: [agentNode('only', 'json-values', '{{input.topic}}')],
  });
  runId = await runToEnd(stack, token, 'json-values', { topic: 'json' });
});
afterAll(async () => stack?.close());

const VALUES: [string, unknown][] = [
  ['a string that reads as a number', '42'],
  ['a string that reads as an object', '{"a":1}'],
  ['a string that reads as null', 'null'],
  ['a string that reads as true', 'true'],
  ['plain text', 'plain text'],
  ['an object', { a: 1, b: ['x', 2] }],
  ['an array', [1, '2', null]],
  ['a number', 42],
  ['a boolean', false],
];

test.each(VALUES)('%s written to a jsonb column is read back as written', async (_, value) => {
  // Act
  await stack.platform.db.owner.update(runs).set({ output: value }).where(eq(runs.id, runId));
  const [row] = await stack.platform.db.owner
    .select({ output: runs.output })
    .from(runs)
    .where(eq(runs.id, runId));

  // Assess
  expect(row.output).toEqual(value);
});

test('a raw read of a JSON column gives its JSON text on every driver, as the Data API does', async () => {
  // Prepare
  await stack.platform.db.owner.update(runs).set({ output: '42' }).where(eq(runs.id, runId));

  // Act
  const result = await stack.platform.db.owner.execute(
    sql`select output, json_build_object('k', output) as wrapped from runs where id = ${runId}::uuid`,
  );

  // Assess
  const [row] = rowsOf<{ output: unknown; wrapped: unknown }>(result);
  expect(row.output).toBe('"42"');
  expect(JSON.parse(String(row.wrapped))).toEqual({ k: '42' });
});

test('a run listed, read and its step read answer the output that was written', async () => {
  // Prepare: the run's and its step's outputs are JSON strings that look like JSON
  await stack.platform.db.owner.update(runs).set({ output: '42' }).where(eq(runs.id, runId));
  await stack.platform.db.owner
    .update(runSteps)
    .set({ output: '{"a":1}' })
    .where(and(eq(runSteps.runId, runId), eq(runSteps.nodeId, 'only')));

  // Act
  const listed = await stack.call('GET', '/v1/runs?limit=200', { token });
  const read = await stack.call('GET', `/v1/runs/${runId}`, { token });
  const step = await stack.call('GET', `/v1/runs/${runId}/steps/only`, { token });

  // Assess
  expect(listed.status).toBe(200);
  const item = (listed.body.items as { id: string; output?: unknown }[]).find(
    (r) => r.id === runId,
  );
  expect(item?.output).toBe('42');
  expect(read.body.output).toBe('42');
  expect(read.body.steps[0].output).toBe('{"a":1}');
  expect(step.body.output).toBe('{"a":1}');
});

test("an object read back from jsonb lists its keys as asJsonb orders them, nested objects' too", async () => {
  // Prepare: keys of several lengths, equal lengths, non-ASCII, integer-like, nested in arrays
  const value = {
    zeta: 1,
    a: { yy: [{ bb: 1, a: 2, é: 3, e: 4 }], x: null },
    bb: 'text',
    '10': true,
    '2': false,
    Ab: 2.5,
    ab: -0.1,
    ünï: ['b', 'a'],
    skipped: undefined,
  };

  // Act
  await stack.platform.db.owner.update(runs).set({ output: value }).where(eq(runs.id, runId));
  const [row] = await stack.platform.db.owner
    .select({ output: runs.output })
    .from(runs)
    .where(eq(runs.id, runId));

  // Assess: the text a template renders is the same; written as it was, it would not be
  expect(JSON.stringify(row.output)).toBe(JSON.stringify(asJsonb(value)));
  expect(JSON.stringify(row.output)).not.toBe(JSON.stringify(value));
});
