/**
 * A run's start records its execution's id with the run's own insert (ADR 184): the id a state
 * machine execution will have is known before it starts, so nothing is written after starting it.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AuthContext } from '../../../shared/auth/context';
import { runs } from '../../../shared/db/schema';
import type { Platform } from '../../../shared/platform/platform';
import { WorkflowSpec } from '../../../shared/api/contracts/workflows';
import { ValidationError } from '../../../shared/errors';
import { pinAgents, startRun } from '../../../shared/runs/start-run';
import {
  agentNode,
  createSimulatorAgent,
  createWorkflow,
  runToEnd,
  startEngineStack,
} from '../../support/engine-fixtures';
import type { TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
let transactions: string[][];

beforeAll(async () => {
  ({ stack, token, transactions } = await startEngineStack('starts'));
  await createWorkflow(stack, token, 'one-step', {
    nodes: [agentNode('only', 'starts', '{{input.topic}}')],
  });
});
afterAll(async () => stack?.close());

const executionIdsOf = async (runId: string) => {
  const [run] = await stack.platform.db.owner
    .select({ ids: runs.executionIds })
    .from(runs)
    .where(eq(runs.id, runId));
  return z.array(z.string()).parse(run?.ids);
};

async function owner(): Promise<AuthContext> {
  const me = await stack.call('GET', '/v1/me', { token });
  return { tenantId: me.body.tenant.id, userId: me.body.user.id, role: 'owner', via: 'token' };
}

test('the run lists its execution before it starts, and no statement adds it after', async () => {
  // Prepare: note what the run row lists when its execution is started
  const { executions } = stack.platform;
  const listedAtStart: string[][] = [];
  const start = executions.start.bind(executions);
  executions.start = async (machine, name, input) => {
    listedAtStart.push(await executionIdsOf(String(input.runId)));
    return start(machine, name, input);
  };
  const before = transactions.length;

  // Act
  const runId = await runToEnd(stack, token, 'one-step').finally(() => {
    executions.start = start;
  });

  // Assess
  const id = executions.executionIdOf('runWorkflow', runId);
  expect(listedAtStart).toEqual([[id]]);
  expect(await executionIdsOf(runId)).toEqual([id]);
  const statements = transactions.slice(before).flat();
  expect(statements.some((s) => /update "runs" set "execution_ids"/.test(s))).toBe(false);
});

test('an id the starter did not plan replaces the planned one', async () => {
  // Prepare: a starter whose executions get other ids than it plans
  const { executions } = stack.platform;
  const platform: Platform = {
    ...stack.platform,
    executions: {
      stop: (executionId, cause) => executions.stop(executionId, cause),
      executionIdOf: (_machine, name) => `planned:${name}`,
      start: async (machine, name, input) => {
        await executions.start(machine, name, input);
        return { executionId: `given:${name}` };
      },
    },
  };

  // Act
  const { runId } = await startRun(platform, await owner(), 'one-step', { topic: 'other id' });
  await stack.executions.idle();

  // Assess
  expect(await executionIdsOf(runId)).toEqual([`given:${runId}`]);
});

test("a workflow's agents are pinned in one read, and an unknown one is named by its node", async () => {
  // Prepare: a second agent with two saved versions
  await createSimulatorAgent(stack, token, 'pinned-two');
  const edited = await stack.call('PATCH', '/v1/agents/pinned-two', {
    token,
    body: { systemPrompt: 'y' },
  });
  expect(edited.status).toBe(200);
  const auth = await owner();
  const spec = (nodes: { id: string; agent: string; agentVersion?: number }[]) =>
    WorkflowSpec.parse({
      name: 'pins',
      nodes: nodes.map((n) => ({ ...n, type: 'agent', prompt: '{{input.topic}}' })),
      edges: [],
    });
  const pin = (s: WorkflowSpec) =>
    stack.platform.db.withTenant(auth, (tx) => pinAgents(tx, auth.tenantId, s));
  const before = transactions.length;

  // Act
  const pinned = await pin(
    spec([
      { id: 'a', agent: 'starts' },
      { id: 'b', agent: 'pinned-two', agentVersion: 1 },
      { id: 'c', agent: 'starts' },
    ]),
  );
  const published = await pin(spec([{ id: 'a', agent: 'pinned-two' }]));
  const unknown = await pin(
    spec([
      { id: 'a', agent: 'starts' },
      { id: 'b', agent: 'ghost' },
    ]),
  ).catch((e: unknown) => e);

  // Assess
  expect(Object.keys(pinned).sort()).toEqual(['pinned-two', 'starts']);
  expect(pinned['pinned-two'].version).toBe(1);
  expect(published['pinned-two'].version).toBe(2);
  expect(transactions[before]).toHaveLength(2); // the heads, then the named version
  expect(transactions[before + 1]).toHaveLength(1);
  expect(unknown).toBeInstanceOf(ValidationError);
  expect((unknown as ValidationError).details).toEqual([
    { path: 'nodes[1].agent', message: 'unknown agent "ghost"' },
  ]);
});
