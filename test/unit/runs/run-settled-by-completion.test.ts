/**
 * When a step's completion may settle its run (ADR 188): only a done, succeeded plan whose one end
 * is the completing step, with its answer held in the process; anything else is left to Finalize.
 */
import { expect, test } from '@jest/globals';
import { WorkflowSpec } from '../../../shared/api/contracts/workflows';
import type { StepRow } from '../../../shared/runs/engine/context';
import { succeededByCompletion } from '../../../shared/runs/engine/finalize-run';
import { planDetailed } from '../../../shared/workflow/plan';
import type { StepStatus } from '../../../shared/workflow/model';

const agent = (id: string) => ({ id, type: 'agent' as const, agent: 'a', prompt: id });

/** A step row of `nodeId` in `status` that cost `costUsd`. */
function step(nodeId: string, status: StepStatus, costUsd = 0): StepRow {
  return {
    id: `id-${nodeId}`,
    tenantId: 't',
    runId: 'r',
    nodeId,
    type: 'agent',
    status,
    error: null,
    provider: null,
    model: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd,
    pii: null,
    startedAt: null,
    finishedAt: null,
    iteration: 1,
    skipReason: null,
    toolTurns: null,
  };
}

/** The planner's decision over `steps` of `spec`, as a completion would hold it. */
function decided(spec: WorkflowSpec, steps: StepRow[]) {
  const statuses = Object.fromEntries(steps.map((s) => [s.nodeId, s.status as StepStatus]));
  return { spec, steps, plan: planDetailed(spec, statuses) };
}

const CHAIN = WorkflowSpec.parse({
  name: 'chain',
  nodes: [agent('a'), agent('b')],
  edges: [{ from: 'a', to: 'b' }],
});
const TWO_ENDS = WorkflowSpec.parse({
  name: 'two ends',
  nodes: [agent('a'), agent('b'), agent('c')],
  edges: [
    { from: 'a', to: 'b' },
    { from: 'a', to: 'c' },
  ],
});

test("a chain's last completion settles the run with its answer and every step's cost", () => {
  // Act
  const settlement = succeededByCompletion(
    decided(CHAIN, [step('a', 'SUCCEEDED', 0.1), step('b', 'SUCCEEDED', 0.02)]),
    { nodeId: 'b', output: { verdict: 'ok' }, offloaded: false },
  );

  // Assess
  expect(settlement).toEqual({ status: 'SUCCEEDED', costUsd: 0.12, output: { verdict: 'ok' } });
});

test('a run with another end, an answer kept in S3, a failed step or work left goes to Finalize', () => {
  // Prepare
  const answer = { output: 'x', offloaded: false };

  // Act / Assess: two ends (Finalize reads the other's output)
  expect(
    succeededByCompletion(
      decided(TWO_ENDS, [step('a', 'SUCCEEDED'), step('b', 'SUCCEEDED'), step('c', 'SUCCEEDED')]),
      { ...answer, nodeId: 'c' },
    ),
  ).toBeUndefined();
  // the answer is in S3: the row keeps its pointer, which Finalize passes on
  expect(
    succeededByCompletion(decided(CHAIN, [step('a', 'SUCCEEDED'), step('b', 'SUCCEEDED')]), {
      ...answer,
      nodeId: 'b',
      offloaded: true,
    }),
  ).toBeUndefined();
  // a failed step no edge handles: the run fails, which Finalize settles
  expect(
    succeededByCompletion(
      decided(TWO_ENDS, [step('a', 'SUCCEEDED'), step('b', 'FAILED'), step('c', 'SUCCEEDED')]),
      { ...answer, nodeId: 'c' },
    ),
  ).toBeUndefined();
  // a step still running
  expect(
    succeededByCompletion(
      decided(TWO_ENDS, [step('a', 'SUCCEEDED'), step('b', 'RUNNING'), step('c', 'SUCCEEDED')]),
      { ...answer, nodeId: 'c' },
    ),
  ).toBeUndefined();
});
