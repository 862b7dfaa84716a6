/**
 * Tool-calling turns above the inline threshold (ADR 105, ADR 130): with a 1 KB threshold the
 * saved turns of a simulator agent that searched a knowledge base go to the artifacts bucket; the
 * row keeps the pointer and the object holds the turns the step's trace shows.
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../shared/db/client';
import { parsePayloads, resolvePayload } from '../../../shared/runs/step-payloads';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack({ env: { STEP_PAYLOAD_INLINE_MAX_BYTES: '1024' } });
  token = await stack.adminToken();
});
afterAll(async () => stack?.close());

test('saved tool turns above the threshold are kept in S3 and read back whole', async () => {
  // Prepare: a base whose one document makes a search result well above 1 KB
  const kb = await stack.call('POST', '/v1/knowledge-bases', { token, body: { name: 'ops' } });
  const text = Array.from(
    { length: 30 },
    (_, i) => `The quokka daemon rule ${i}: it listens on port 4242 and restarts on failure.`,
  ).join('\n');
  await stack.call('POST', `/v1/knowledge-bases/${kb.body.id}/documents`, {
    token,
    body: { title: 'Quokka runbook', text },
  });
  await stack.executions.idle();
  const agent = await stack.call('POST', '/v1/agents', {
    token,
    body: {
      slug: 'searcher',
      name: 'searcher',
      model: 'simulator:echo',
      knowledgeBaseIds: [kb.body.id],
      tools: ['knowledge.search'],
    },
  });
  expect(agent.status).toBe(201);
  await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'search-flow',
      name: 'search flow',
      nodes: [{ id: 'ask', type: 'agent', agent: 'searcher', prompt: 'quokka daemon port' }],
      edges: [],
    },
  });

  // Act
  const started = await stack.call('POST', '/v1/workflows/search-flow/runs', {
    token,
    body: { input: {} },
  });
  const run = await stack.waitForRun(token, started.body.runId, 60_000);
  const tenantId = (await stack.call('GET', '/v1/me', { token })).body.tenant.id;
  const [row] = await stack.platform.db.withTenant({ tenantId }, async (tx) =>
    rowsOf<{ tool_turns: string | null; payloads: string | null }>(
      await tx.execute(
        sql`select tool_turns::text as tool_turns, payloads::text as payloads from run_steps where run_id = ${run.id}::uuid`,
      ),
    ),
  );

  // Assess: the row has no inline turns, the pointer's object holds the one searched turn
  expect(run.status).toBe('SUCCEEDED');
  expect(row.tool_turns).toBeNull();
  const pointer = parsePayloads(row.payloads ? JSON.parse(row.payloads) : null).toolTurns;
  expect(pointer?.bytes).toBeGreaterThan(1024);
  const turns = (await resolvePayload(stack.platform, tenantId, pointer!)) as Array<{
    turn: number;
    calls: Array<{ tool?: string; result?: string }>;
  }>;
  expect(turns.map((t) => t.turn)).toEqual([1]);
  expect(turns[0].calls[0].tool).toBe('knowledge.search');
  expect(JSON.stringify(turns[0].calls[0])).toContain('4242');
});
