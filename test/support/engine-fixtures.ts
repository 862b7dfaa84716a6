/**
 * What engine tests start from: an agent on the simulator model, workflows of it, runs taken to
 * their end through the API, and the statements each tenant transaction sends.
 */
import type { Database } from '../../shared/db/client';
import { startTestStack, type TestStack } from './stack';

export type WorkflowNode = { id: string; type: string; agent?: string; prompt?: string };
export type WorkflowEdge = { from: string; to: string };

/** Fails with the answer when the API answered another status. */
function expectStatus(what: string, answer: { status: number; body: unknown }, ...ok: number[]) {
  if (!ok.includes(answer.status))
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

/**
 * An agent on the simulator model (it answers at once when SIMULATOR_LATENCY_MS is 0); `spec`
 * adds fields of the agent (an output schema, say).
 */
export async function createSimulatorAgent(
  stack: TestStack,
  token: string,
  slug: string,
  spec: Record<string, unknown> = {},
) {
  const answer = await stack.call('POST', '/v1/agents', {
    token,
    body: { slug, name: slug, model: 'simulator:sim-1', systemPrompt: 'x', ...spec },
  });
  expectStatus(`agent ${slug}`, answer, 201);
}

/** A workflow of `nodes`; with `existing: 'keep'`, one already there (409) is kept. */
export async function createWorkflow(
  stack: TestStack,
  token: string,
  slug: string,
  graph: { nodes: WorkflowNode[]; edges?: WorkflowEdge[] },
  { existing = 'fail' }: { existing?: 'fail' | 'keep' } = {},
) {
  const answer = await stack.call('POST', '/v1/workflows', {
    token,
    body: { slug, name: slug, nodes: graph.nodes, edges: graph.edges ?? [] },
  });
  expectStatus(`workflow ${slug}`, answer, ...(existing === 'keep' ? [201, 409] : [201]));
}

/** A step of `agent` with `prompt`. */
export const agentNode = (id: string, agent: string, prompt: string): WorkflowNode => ({
  id,
  type: 'agent',
  agent,
  prompt,
});

/** `n` steps s1…sn of `agent` in a line, each reading the previous one's output. */
export function chainOf(
  n: number,
  agent: string,
): { nodes: WorkflowNode[]; edges: WorkflowEdge[] } {
  const nodes = Array.from({ length: n }, (_, i) =>
    agentNode(`s${i + 1}`, agent, i === 0 ? '{{input.topic}}' : `{{steps.s${i}.output}}`),
  );
  return { nodes, edges: nodes.slice(1).map((node, i) => ({ from: nodes[i].id, to: node.id })) };
}

/** Starts a run of the workflow `slug` and waits until no execution is left; returns its id. */
export async function runToEnd(
  stack: TestStack,
  token: string,
  slug: string,
  input: Record<string, unknown> = { topic: slug },
): Promise<string> {
  const started = await stack.call('POST', `/v1/workflows/${slug}/runs`, {
    token,
    body: { input },
  });
  expectStatus(`run of ${slug}`, started, 202);
  await stack.executions.idle();
  return String(started.body.runId);
}

/**
 * From now on, each tenant transaction's statements as its drizzle session prepares them, one
 * array per transaction (transaction control, which some drivers send there too, left out).
 */
export function recordStatements(db: Database): string[][] {
  const transactions: string[][] = [];
  const withTenant = db.withTenant.bind(db);
  db.withTenant = (scope, fn) => {
    const sent: string[] = [];
    transactions.push(sent);
    return withTenant(scope, (tx) => {
      const session = tx._.session;
      const prepare = session.prepareQuery.bind(session);
      session.prepareQuery = ((...args: Parameters<typeof prepare>) => {
        if (!/^(begin|commit|rollback)\b/i.test(args[0].sql)) sent.push(args[0].sql);
        return prepare(...args);
      }) as typeof session.prepareQuery;
      return fn(tx);
    });
  };
  return transactions;
}

/**
 * A test stack whose simulator answers at once, with the agent `agent` on it, an admin token, and
 * each tenant transaction's statements from now on (`recordStatements`).
 */
export async function startEngineStack(agent: string) {
  const stack = await startTestStack({ env: { SIMULATOR_LATENCY_MS: '0' } });
  const token = await stack.adminToken();
  await createSimulatorAgent(stack, token, agent);
  return { stack, token, transactions: recordStatements(stack.platform.db) };
}
