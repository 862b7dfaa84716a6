import type { StepStatus } from '../../../shared/workflow/model';
import { planNext } from '../../../shared/workflow/plan';
import { agent, edge, featurePipeline, graphOf } from './fixtures';

type Steps = Record<string, StepStatus>;

/** Every node PENDING except the ones given. */
function stepsOf(ids: string[], overrides: Steps = {}): Steps {
  return Object.fromEntries(ids.map((id) => [id, overrides[id] ?? 'PENDING']));
}

describe('planNext on the feature pipeline', () => {
  const graph = featurePipeline();
  const ids = graph.nodes.map((n) => n.id);

  it('starts with the root alone', () => {
    // Prepare
    const steps = stepsOf(ids);

    // Act
    const plan = planNext(graph, steps);

    // Assess
    expect(plan).toEqual({ ready: ['pm'], skip: [], done: false, failedNodes: [] });
  });

  it('waits while the root runs', () => {
    const plan = planNext(graph, stepsOf(ids, { pm: 'RUNNING' }));

    expect(plan).toEqual({ ready: [], skip: [], done: false, failedNodes: [] });
  });

  it('runs the coder after pm succeeded', () => {
    expect(planNext(graph, stepsOf(ids, { pm: 'SUCCEEDED' })).ready).toEqual(['coder']);
  });

  it('starts reviewer and qa together once the coder succeeded', () => {
    const plan = planNext(graph, stepsOf(ids, { pm: 'SUCCEEDED', coder: 'SUCCEEDED' }));

    expect(plan.ready).toEqual(['reviewer', 'qa']);
    expect(plan.done).toBe(false);
  });

  it('holds the summary until both parallel branches succeeded', () => {
    const oneDone = planNext(
      graph,
      stepsOf(ids, { pm: 'SUCCEEDED', coder: 'SUCCEEDED', reviewer: 'SUCCEEDED', qa: 'RUNNING' }),
    );
    const bothDone = planNext(
      graph,
      stepsOf(ids, { pm: 'SUCCEEDED', coder: 'SUCCEEDED', reviewer: 'SUCCEEDED', qa: 'SUCCEEDED' }),
    );

    expect(oneDone).toEqual({ ready: [], skip: [], done: false, failedNodes: [] });
    expect(bothDone.ready).toEqual(['summary']);
  });

  it('finishes SUCCEEDED when every node succeeded', () => {
    const steps = stepsOf(ids, {
      pm: 'SUCCEEDED',
      coder: 'SUCCEEDED',
      reviewer: 'SUCCEEDED',
      qa: 'SUCCEEDED',
      summary: 'SUCCEEDED',
    });

    expect(planNext(graph, steps)).toEqual({
      ready: [],
      skip: [],
      done: true,
      outcome: 'SUCCEEDED',
      failedNodes: [],
    });
  });

  it('stops new work when qa fails unhandled, but waits for the reviewer already running', () => {
    // Prepare
    const steps = stepsOf(ids, {
      pm: 'SUCCEEDED',
      coder: 'SUCCEEDED',
      reviewer: 'RUNNING',
      qa: 'FAILED',
    });

    // Act
    const plan = planNext(graph, steps);

    // Assess
    expect(plan).toEqual({ ready: [], skip: ['summary'], done: false, failedNodes: ['qa'] });
  });

  it('finishes FAILED once nothing is in flight after an unhandled failure', () => {
    const steps = stepsOf(ids, {
      pm: 'SUCCEEDED',
      coder: 'SUCCEEDED',
      reviewer: 'SUCCEEDED',
      qa: 'FAILED',
      summary: 'SKIPPED',
    });

    expect(planNext(graph, steps)).toEqual({
      ready: [],
      skip: [],
      done: true,
      outcome: 'FAILED',
      failedNodes: ['qa'],
    });
  });

  it('does not start a sibling branch after an unhandled failure', () => {
    const steps = stepsOf(ids, { pm: 'SUCCEEDED', coder: 'FAILED' });

    expect(planNext(graph, steps)).toEqual({
      ready: [],
      skip: ['reviewer', 'qa', 'summary'],
      done: true,
      outcome: 'FAILED',
      failedNodes: ['coder'],
    });
  });

  it('treats steps with no recorded status as PENDING', () => {
    expect(planNext(graph, { pm: 'SUCCEEDED' }).ready).toEqual(['coder']);
  });
});

describe('planNext other cases', () => {
  it('treats approval nodes like any other for readiness', () => {
    const graph = graphOf(
      [agent('draft'), { id: 'approve', type: 'approval' }, agent('publish')],
      [edge('draft', 'approve'), edge('approve', 'publish')],
    );

    const ready = planNext(graph, { draft: 'SUCCEEDED', approve: 'PENDING', publish: 'PENDING' });
    const waiting = planNext(graph, { draft: 'SUCCEEDED', approve: 'WAITING', publish: 'PENDING' });

    expect(ready.ready).toEqual(['approve']);
    expect(waiting).toEqual({ ready: [], skip: [], done: false, failedNodes: [] });
  });

  it('starts every pending root at once', () => {
    const graph = graphOf([agent('a'), agent('b'), agent('c')], [edge('a', 'c'), edge('b', 'c')]);

    expect(planNext(graph, {}).ready).toEqual(['a', 'b']);
  });

  it('does not start nodes that are not PENDING', () => {
    const graph = graphOf([agent('a'), agent('b')]);

    expect(planNext(graph, { a: 'RUNNING', b: 'SUCCEEDED' })).toEqual({
      ready: [],
      skip: [],
      done: false,
      failedNodes: [],
    });
  });

  it('skips independent pending work after an unhandled failure elsewhere', () => {
    // Prepare: lint and build are independent roots; build -> deploy.
    const graph = graphOf(
      [agent('lint'), agent('build'), agent('deploy')],
      [edge('build', 'deploy')],
    );

    // Act
    const plan = planNext(graph, { lint: 'FAILED', build: 'PENDING', deploy: 'PENDING' });

    // Assess
    expect(plan).toEqual({
      ready: [],
      skip: ['build', 'deploy'],
      done: true,
      outcome: 'FAILED',
      failedNodes: ['lint'],
    });
  });

  it('does not start a ready node while an unhandled failure waits for in-flight work', () => {
    const graph = graphOf([agent('a'), agent('b'), agent('c'), agent('d')], [edge('b', 'd')]);

    const plan = planNext(graph, { a: 'FAILED', b: 'SUCCEEDED', c: 'RUNNING', d: 'PENDING' });

    expect(plan).toEqual({ ready: [], skip: ['d'], done: false, failedNodes: ['a'] });
  });

  it('lists every unhandled failure', () => {
    const graph = graphOf([agent('a'), agent('b'), agent('c')]);

    expect(planNext(graph, { a: 'FAILED', b: 'SUCCEEDED', c: 'FAILED' })).toMatchObject({
      done: true,
      outcome: 'FAILED',
      failedNodes: ['a', 'c'],
    });
  });

  it('skips nodes stuck behind a cycle instead of looping forever', () => {
    const graph = graphOf(
      [agent('r'), agent('a'), agent('b')],
      [edge('r', 'a'), edge('a', 'b'), edge('b', 'a')],
    );

    const plan = planNext(graph, { r: 'SUCCEEDED', a: 'PENDING', b: 'PENDING' });

    expect(plan).toEqual({
      ready: [],
      skip: ['a', 'b'],
      done: true,
      outcome: 'SUCCEEDED',
      failedNodes: [],
    });
  });
});
