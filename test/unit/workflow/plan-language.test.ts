import type { WorkflowEdge, WorkflowNode } from '../../../shared/workflow/model';
import { planDetailed, planNext } from '../../../shared/workflow/plan';
import { validateWorkflow } from '../../../shared/workflow/validate';
import { agent, graphOf } from './fixtures';

const router = (id: string, routes: string[]): WorkflowNode => ({
  id,
  type: 'router',
  agent: 'triager',
  routes,
});
const on = (from: string, to: string, equals: string): WorkflowEdge => ({
  from,
  to,
  if: { path: `steps.${from}.output`, equals },
});

/** triage routes to fix or answer; both join in summary. */
const routed = graphOf(
  [router('triage', ['bug', 'question']), agent('fix'), agent('answer'), agent('summary')],
  [
    on('triage', 'fix', 'bug'),
    on('triage', 'answer', 'question'),
    { from: 'fix', to: 'summary' },
    { from: 'answer', to: 'summary' },
  ],
);

describe('conditional edges', () => {
  it('runs the branch whose condition holds and skips the other with the reason', () => {
    const plan = planDetailed(
      routed,
      { triage: 'SUCCEEDED' },
      { input: {}, steps: { triage: { output: 'bug' } } },
    );

    expect(plan.ready).toEqual(['fix']);
    expect(plan.skip).toEqual(['answer']);
    expect(plan.reasons.answer).toBe(
      'no branch leads here: the condition on triage -> answer is false',
    );
  });

  it('runs a join after one taken branch and one skipped branch', () => {
    const plan = planNext(
      routed,
      { triage: 'SUCCEEDED', fix: 'SUCCEEDED', answer: 'SKIPPED' },
      { input: {}, steps: { triage: { output: 'bug' }, fix: { output: 'done' } } },
    );

    expect(plan).toEqual({ ready: ['summary'], skip: [], done: false, failedNodes: [] });
  });

  it('skips everything after a router whose answer matches no edge, and succeeds', () => {
    const plan = planDetailed(
      routed,
      { triage: 'SUCCEEDED' },
      { input: {}, steps: { triage: { output: 'feature' } } },
    );

    expect(plan).toMatchObject({
      ready: [],
      skip: ['fix', 'answer', 'summary'],
      done: true,
      outcome: 'SUCCEEDED',
    });
    expect(plan.reasons.summary).toBe('no branch leads here: fix was skipped; answer was skipped');
  });

  it('keeps the old strict semantics without conditions: a failed parent skips its success child', () => {
    const graph = graphOf(
      [agent('a'), agent('b'), agent('c')],
      [
        { from: 'a', to: 'c' },
        { from: 'b', to: 'c' },
        { from: 'a', to: 'b', when: 'failure' },
      ],
    );

    const plan = planDetailed(graph, { a: 'FAILED', b: 'SUCCEEDED' });

    expect(plan.skip).toEqual(['c']);
    expect(plan.reasons.c).toBe('a ended FAILED, and a -> c runs on success');
  });

  it('reads run input in a condition', () => {
    const graph = graphOf(
      [agent('a'), agent('big')],
      [{ from: 'a', to: 'big', if: { path: 'input.size', gt: 10 } }],
    );

    const small = planNext(graph, { a: 'SUCCEEDED' }, { input: { size: 3 }, steps: {} });
    const large = planNext(graph, { a: 'SUCCEEDED' }, { input: { size: 30 }, steps: {} });

    expect(small).toMatchObject({ ready: [], skip: ['big'], done: true, outcome: 'SUCCEEDED' });
    expect(large).toMatchObject({ ready: ['big'], skip: [] });
  });
});

describe('bounded loops', () => {
  // write -> review; review -> write while REVISE (at most 3 times); review -> publish when APPROVE.
  const loop = graphOf(
    [agent('write'), agent('review'), agent('publish')],
    [
      { from: 'write', to: 'review' },
      {
        from: 'review',
        to: 'write',
        maxIterations: 3,
        if: { path: 'steps.review.output.verdict', equals: 'REVISE' },
      },
      {
        from: 'review',
        to: 'publish',
        if: { path: 'steps.review.output.verdict', equals: 'APPROVE' },
      },
    ],
  );
  const verdict = (v: string, iteration: number) => ({
    input: {},
    steps: { write: { output: 'draft' }, review: { output: { verdict: v } } },
    iterations: { write: iteration, review: iteration },
  });

  it('is valid, and a loop without a bound or condition is not', () => {
    const exists = { agentExists: () => true };
    expect(validateWorkflow(loop, exists)).toEqual([]);
    const unbounded = graphOf(loop.nodes, [
      { from: 'write', to: 'review' },
      { from: 'review', to: 'write' },
    ]);
    expect(validateWorkflow(unbounded, exists).map((i) => i.message)[0]).toContain('cycle');
    const noIf = graphOf(loop.nodes, [
      { from: 'write', to: 'review' },
      { from: 'review', to: 'write', maxIterations: 2 },
    ]);
    expect(validateWorkflow(noIf, exists)).toEqual([
      expect.objectContaining({ path: 'edges[1].if' }),
    ]);
    const forward = graphOf(loop.nodes, [
      { from: 'write', to: 'review', maxIterations: 2, if: { path: 'input.x', exists: true } },
    ]);
    expect(validateWorkflow(forward, exists)).toEqual([
      expect.objectContaining({ path: 'edges[0].maxIterations' }),
    ]);
  });

  it('starts a new iteration of the body when the back edge holds, and holds what follows', () => {
    const plan = planDetailed(
      loop,
      { write: 'SUCCEEDED', review: 'SUCCEEDED' },
      verdict('REVISE', 1),
    );

    expect(plan.iterate).toEqual([
      { from: 'review', to: 'write', body: ['write', 'review'], iteration: 2 },
    ]);
    expect(plan.ready).toEqual(['write']);
    expect(plan.skip).toEqual([]);
  });

  it('leaves the loop when the reviewer approves', () => {
    const plan = planDetailed(
      loop,
      { write: 'SUCCEEDED', review: 'SUCCEEDED' },
      verdict('APPROVE', 2),
    );

    expect(plan.iterate).toEqual([]);
    expect(plan.ready).toEqual(['publish']);
  });

  it('stops at maxIterations and skips what needed approval', () => {
    const plan = planDetailed(
      loop,
      { write: 'SUCCEEDED', review: 'SUCCEEDED' },
      verdict('REVISE', 3),
    );

    expect(plan.iterate).toEqual([]);
    expect(plan).toMatchObject({ ready: [], skip: ['publish'], done: true, outcome: 'SUCCEEDED' });
  });

  it('does not leave the loop while the reviewer of this iteration runs', () => {
    const plan = planDetailed(
      loop,
      { write: 'SUCCEEDED', review: 'RUNNING' },
      verdict('APPROVE', 1),
    );

    expect(plan).toMatchObject({ ready: [], skip: [], done: false, iterate: [] });
  });

  it('lets loop nodes read each other in templates, and reports overlapping loops', () => {
    const exists = { agentExists: () => true };
    const reading = graphOf(
      [
        agent('write', {
          prompt: 'revise after {{steps.review.output}} {{steps.review.iterations}}',
        }),
        agent('review'),
      ],
      [
        { from: 'write', to: 'review' },
        {
          from: 'review',
          to: 'write',
          maxIterations: 2,
          if: { path: 'steps.review.output', equals: 'no' },
        },
      ],
    );
    expect(validateWorkflow(reading, exists)).toEqual([]);
    const overlapping = graphOf(
      [agent('a'), agent('b'), agent('c')],
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'a', maxIterations: 2, if: { path: 'input.x', exists: true } },
        { from: 'c', to: 'b', maxIterations: 2, if: { path: 'input.x', exists: true } },
      ],
    );
    expect(validateWorkflow(overlapping, exists).map((i) => i.message)).toEqual([
      expect.stringContaining('may not overlap'),
    ]);
  });
});

describe('router and condition validation', () => {
  const exists = { agentExists: () => true };

  it('requires routes on a router, and only there', () => {
    const issues = validateWorkflow(
      graphOf([{ id: 'r', type: 'router', agent: 'x' }, agent('a', { routes: ['p', 'q'] })]),
      exists,
    );
    expect(issues.map((i) => i.path)).toEqual(['nodes[0].routes', 'nodes[1].routes']);
  });

  it('checks condition paths against the graph', () => {
    const graph = graphOf(
      [agent('a'), agent('b'), agent('c')],
      [
        { from: 'a', to: 'b', if: { path: 'steps.c.output', exists: true } },
        { from: 'a', to: 'c', if: { path: 'steps.zz.output', exists: true } },
        { from: 'b', to: 'c', if: { path: 'nothing.here', exists: true } },
      ],
    );
    expect(validateWorkflow(graph, exists).map((i) => [i.path, i.message])).toEqual([
      ['edges[0].if.path', expect.stringContaining('not upstream of "a"')],
      ['edges[1].if.path', expect.stringContaining('no node "zz"')],
      ['edges[2].if.path', expect.stringContaining('starts with input. or steps.')],
    ]);
  });
});
