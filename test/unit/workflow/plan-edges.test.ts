import type { StepStatus } from '../../../shared/workflow/model';
import { planNext } from '../../../shared/workflow/plan';
import { agent, edge, graphOf } from './fixtures';

describe('planNext edge conditions', () => {
  it('runs a failure handler only when its parent failed, and the failure is then handled', () => {
    // Prepare: build -> deploy on success, build -> alert on failure.
    const graph = graphOf(
      [agent('build'), agent('deploy'), agent('alert')],
      [edge('build', 'deploy'), edge('build', 'alert', 'failure')],
    );

    // Act
    const failed = planNext(graph, { build: 'FAILED', deploy: 'PENDING', alert: 'PENDING' });
    const succeeded = planNext(graph, { build: 'SUCCEEDED', deploy: 'PENDING', alert: 'PENDING' });

    // Assess
    expect(failed).toEqual({ ready: ['alert'], skip: ['deploy'], done: false, failedNodes: [] });
    expect(succeeded).toEqual({ ready: ['deploy'], skip: ['alert'], done: false, failedNodes: [] });
  });

  it('succeeds overall when a handled failure is followed by a succeeding handler', () => {
    const graph = graphOf([agent('build'), agent('alert')], [edge('build', 'alert', 'failure')]);

    const plan = planNext(graph, { build: 'FAILED', alert: 'SUCCEEDED' });

    expect(plan).toEqual({
      ready: [],
      skip: [],
      done: true,
      outcome: 'SUCCEEDED',
      failedNodes: [],
    });
  });

  it('fails overall when the failure handler itself fails unhandled', () => {
    const graph = graphOf([agent('build'), agent('alert')], [edge('build', 'alert', 'failure')]);

    const plan = planNext(graph, { build: 'FAILED', alert: 'FAILED' });

    expect(plan).toMatchObject({ done: true, outcome: 'FAILED', failedNodes: ['alert'] });
  });

  it.each<StepStatus>(['SUCCEEDED', 'FAILED', 'SKIPPED'])(
    'runs an always edge after a %s parent',
    (status) => {
      const graph = graphOf([agent('work'), agent('cleanup')], [edge('work', 'cleanup', 'always')]);

      const plan = planNext(graph, { work: status, cleanup: 'PENDING' });

      expect(plan).toEqual({ ready: ['cleanup'], skip: [], done: false, failedNodes: [] });
    },
  );

  it.each<StepStatus>(['PENDING', 'RUNNING', 'WAITING'])(
    'holds an always edge while the parent is %s',
    (status) => {
      const graph = graphOf([agent('work'), agent('cleanup')], [edge('work', 'cleanup', 'always')]);

      const plan = planNext(graph, { work: status, cleanup: 'PENDING' });

      expect(plan.ready).not.toContain('cleanup');
      expect(plan.skip).toEqual([]);
      expect(plan.done).toBe(false);
    },
  );

  it('requires every incoming edge: a node after a failure edge and a success edge waits for both', () => {
    const graph = graphOf(
      [agent('a'), agent('b'), agent('c')],
      [edge('a', 'c', 'failure'), edge('b', 'c')],
    );

    const waiting = planNext(graph, { a: 'FAILED', b: 'RUNNING', c: 'PENDING' });
    const both = planNext(graph, { a: 'FAILED', b: 'SUCCEEDED', c: 'PENDING' });

    expect(waiting).toEqual({ ready: [], skip: [], done: false, failedNodes: [] });
    expect(both.ready).toEqual(['c']);
  });

  it('skips a node as soon as one incoming edge can never be satisfied, without waiting for the others', () => {
    const graph = graphOf(
      [agent('a'), agent('b'), agent('c')],
      [edge('a', 'c', 'failure'), edge('b', 'c')],
    );

    const plan = planNext(graph, { a: 'SUCCEEDED', b: 'RUNNING', c: 'PENDING' });

    expect(plan).toEqual({ ready: [], skip: ['c'], done: false, failedNodes: [] });
  });

  it('does not skip on a parent that is still running or waiting', () => {
    const graph = graphOf([agent('a'), agent('b')], [edge('a', 'b', 'failure')]);

    expect(planNext(graph, { a: 'WAITING', b: 'PENDING' })).toEqual({
      ready: [],
      skip: [],
      done: false,
      failedNodes: [],
    });
  });
});

describe('planNext skip propagation', () => {
  it('cascades skips down a whole branch in one call', () => {
    // Prepare: a -(failure)-> fix -> verify -> report; a succeeded, so the whole fix branch is dead.
    const graph = graphOf(
      [agent('a'), agent('fix'), agent('verify'), agent('report'), agent('next')],
      [
        edge('a', 'fix', 'failure'),
        edge('fix', 'verify'),
        edge('verify', 'report'),
        edge('a', 'next'),
      ],
    );

    // Act
    const plan = planNext(graph, {
      a: 'SUCCEEDED',
      fix: 'PENDING',
      verify: 'PENDING',
      report: 'PENDING',
      next: 'PENDING',
    });

    // Assess
    expect(plan).toEqual({
      ready: ['next'],
      skip: ['fix', 'verify', 'report'],
      done: false,
      failedNodes: [],
    });
  });

  it('stops the cascade at an always edge, which runs after a skipped parent', () => {
    const graph = graphOf(
      [agent('a'), agent('fix'), agent('notify')],
      [edge('a', 'fix', 'failure'), edge('fix', 'notify', 'always')],
    );

    const plan = planNext(graph, { a: 'SUCCEEDED', fix: 'PENDING', notify: 'PENDING' });

    expect(plan).toEqual({ ready: ['notify'], skip: ['fix'], done: false, failedNodes: [] });
  });

  it('is done with SUCCEEDED when the only remaining work is skipped', () => {
    const graph = graphOf(
      [agent('a'), agent('fix'), agent('verify')],
      [edge('a', 'fix', 'failure'), edge('fix', 'verify')],
    );

    const plan = planNext(graph, { a: 'SUCCEEDED', fix: 'PENDING', verify: 'PENDING' });

    expect(plan).toEqual({
      ready: [],
      skip: ['fix', 'verify'],
      done: true,
      outcome: 'SUCCEEDED',
      failedNodes: [],
    });
  });

  it('lists skips in declaration order however they were discovered', () => {
    // Prepare: c2 is declared before its parent c1, and unrelated work is still running.
    const graph = graphOf(
      [agent('c2'), agent('c1'), agent('a'), agent('other')],
      [edge('a', 'c1', 'failure'), edge('c1', 'c2')],
    );

    // Act
    const plan = planNext(graph, {
      a: 'SUCCEEDED',
      c1: 'PENDING',
      c2: 'PENDING',
      other: 'RUNNING',
    });

    // Assess
    expect(plan).toEqual({ ready: [], skip: ['c2', 'c1'], done: false, failedNodes: [] });
  });
});
