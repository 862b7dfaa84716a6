/**
 * Transactions per agent step (issue 12, ADR 165): the step's preparation also writes the
 * attempt's in-flight record, and its completion plans the next step (ADR 110), so a plain agent
 * step of a linear chain costs two tenant transactions. Counted by wrapping the platform's
 * `withTenant`, as the difference between a chain of 4 and a chain of 1 (the start request and
 * Finalize cost the same in both). The simulator answers at once: an answer that streams for a
 * while also writes its partial output, in transactions of its own (ADR 142).
 */
import { eq } from 'drizzle-orm';
import { runSteps, usageRecords } from '../../../shared/db/schema';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
let transactions = 0;

beforeAll(async () => {
  stack = await startTestStack({ env: { SIMULATOR_LATENCY_MS: '0' } });
  token = await stack.adminToken();
  const agent = await stack.call('POST', '/v1/agents', {
    token,
    body: { slug: 'tx-steps', name: 'tx-steps', model: 'simulator:sim-1', systemPrompt: 'x' },
  });
  expect(agent.status).toBe(201);
  const db = stack.platform.db;
  const withTenant = db.withTenant.bind(db);
  db.withTenant = (scope, fn) => {
    transactions++;
    return withTenant(scope, fn);
  };
});
afterAll(async () => stack?.close());

/** Creates a linear chain of `n` agent steps, runs it; returns the run and its transactions. */
async function chain(n: number) {
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: `s${i + 1}`,
    type: 'agent',
    agent: 'tx-steps',
    prompt: i === 0 ? '{{input.topic}}' : `{{steps.s${i}.output}}`,
  }));
  const edges = nodes.slice(1).map((node, i) => ({ from: nodes[i].id, to: node.id }));
  const slug = `tx-chain-${n}`;
  const created = await stack.call('POST', '/v1/workflows', {
    token,
    body: { slug, name: slug, nodes, edges },
  });
  expect(created.status).toBe(201);
  await stack.executions.idle();
  transactions = 0;
  const started = await stack.call('POST', `/v1/workflows/${slug}/runs`, {
    token,
    body: { input: { topic: 'transactions' } },
  });
  expect(started.status).toBe(202);
  await stack.executions.idle();
  const counted = transactions;
  return { runId: started.body.runId as string, transactions: counted };
}

test('a plain agent step costs two transactions: prepare with its in-flight record, complete with the plan', async () => {
  // Act
  const one = await chain(1);
  const four = await chain(4);

  // Assess: every step succeeded, each with one attempt whose in-flight row was replaced
  for (const { runId, steps } of [
    { runId: one.runId, steps: 1 },
    { runId: four.runId, steps: 4 },
  ]) {
    const rows = await stack.platform.db.owner
      .select({ status: runSteps.status })
      .from(runSteps)
      .where(eq(runSteps.runId, runId));
    expect(rows.map((r) => r.status)).toEqual(Array(steps).fill('SUCCEEDED'));
    const usage = await stack.platform.db.owner
      .select({ outcome: usageRecords.outcome })
      .from(usageRecords)
      .where(eq(usageRecords.runId, runId));
    expect(usage.map((u) => u.outcome)).toEqual(Array(steps).fill('success'));
  }
  expect((four.transactions - one.transactions) / 3).toBe(2);
});
