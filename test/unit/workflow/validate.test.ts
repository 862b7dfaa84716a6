import { ValidationError } from '../../../shared/errors/index';
import {
  assertValidWorkflow,
  topologicalOrder,
  validateRunInput,
  validateWorkflow,
} from '../../../shared/workflow/validate';
import { agent, edge, featurePipeline, graphOf } from './fixtures';

const anyAgent = { agentExists: () => true };

describe('validateWorkflow', () => {
  it('accepts the feature pipeline', () => {
    // Prepare
    const graph = featurePipeline();
    graph.nodes[1].prompt = 'Implement {{steps.pm.output}} for {{input.title}}';
    graph.nodes[4].prompt =
      '{{steps.reviewer.output.verdict}} {{ steps.qa.output }} {{steps.pm.output}}';

    // Act
    const issues = validateWorkflow(graph, anyAgent);

    // Assess
    expect(issues).toEqual([]);
  });

  it('reports duplicate node ids at the later declaration', () => {
    const graph = graphOf([agent('a'), agent('b'), agent('a')], [edge('a', 'b')]);

    const issues = validateWorkflow(graph, anyAgent);

    expect(issues).toEqual([
      { path: 'nodes[2].id', message: 'node id "a" is already used by nodes[0]' },
    ]);
  });

  it('reports agent and tool nodes that name nothing', () => {
    const graph = graphOf(
      [
        { id: 'a', type: 'agent' },
        { id: 't', type: 'tool' },
        { id: 'ok', type: 'approval' },
      ],
      [edge('a', 't'), edge('t', 'ok')],
    );

    const issues = validateWorkflow(graph, anyAgent);

    expect(issues).toEqual([
      { path: 'nodes[0].agent', message: 'agent node "a" names no agent' },
      { path: 'nodes[1].tool', message: 'tool node "t" names no tool' },
    ]);
  });

  it('reports unknown agents by node id and slug', () => {
    const graph = graphOf(
      [agent('pm'), agent('coder'), agent('review', { agent: 'reviewr' })],
      [edge('pm', 'coder'), edge('coder', 'review')],
    );
    const known = new Set(['pm', 'coder', 'reviewer']);

    const issues = validateWorkflow(graph, { agentExists: (slug) => known.has(slug) });

    expect(issues).toEqual([
      { path: 'nodes[2].agent', message: 'node "review" uses unknown agent "reviewr"' },
    ]);
  });

  it('checks tool names only when a tool registry is given', () => {
    const graph = graphOf([{ id: 'comment', type: 'tool', tool: 'github.coment' }]);

    const without = validateWorkflow(graph, anyAgent);
    const withRegistry = validateWorkflow(graph, {
      ...anyAgent,
      toolExists: (name) => name === 'github.comment',
    });

    expect(without).toEqual([]);
    expect(withRegistry).toEqual([
      { path: 'nodes[0].tool', message: 'node "comment" uses unknown tool "github.coment"' },
    ]);
  });

  it('reports edge endpoints that are not nodes', () => {
    const graph = graphOf(
      [agent('a'), agent('b')],
      [edge('a', 'b'), edge('ghost', 'b'), edge('a', 'nowhere')],
    );

    const issues = validateWorkflow(graph, anyAgent);

    expect(issues).toEqual([
      { path: 'edges[1].from', message: 'edge ghost -> b starts at unknown node "ghost"' },
      { path: 'edges[2].to', message: 'edge a -> nowhere ends at unknown node "nowhere"' },
    ]);
  });

  it('reports duplicate edges, whatever their condition', () => {
    const graph = graphOf(
      [agent('a'), agent('b')],
      [edge('a', 'b'), edge('a', 'b', 'failure'), edge('a', 'b')],
    );

    const issues = validateWorkflow(graph, anyAgent);

    expect(issues).toEqual([
      { path: 'edges[1]', message: 'edge a -> b is a duplicate of edges[0]' },
      { path: 'edges[2]', message: 'edge a -> b is a duplicate of edges[0]' },
    ]);
  });

  it('reports a self-loop as a cycle on that node', () => {
    const graph = graphOf([agent('root'), agent('a')], [edge('root', 'a'), edge('a', 'a')]);

    const issues = validateWorkflow(graph, anyAgent);

    expect(issues).toEqual([{ path: 'nodes[1]', message: 'node "a" is on a cycle: a -> a' }]);
  });

  it('reports every node on a cycle and the nodes that only follow it', () => {
    // Prepare: r -> a -> b -> c -> a, c -> d; d can only run after the cycle, so never.
    const graph = graphOf(
      [agent('r'), agent('a'), agent('b'), agent('c'), agent('d')],
      [edge('r', 'a'), edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd')],
    );

    // Act
    const issues = validateWorkflow(graph, anyAgent);

    // Assess
    expect(issues).toEqual([
      { path: 'nodes[1]', message: 'node "a" is on a cycle: a -> b -> c -> a' },
      { path: 'nodes[2]', message: 'node "b" is on a cycle: a -> b -> c -> a' },
      { path: 'nodes[3]', message: 'node "c" is on a cycle: a -> b -> c -> a' },
      { path: 'nodes[4]', message: 'node "d" is unreachable from any root: it depends on a cycle' },
    ]);
  });

  it('names the shortest walk through a cycle', () => {
    const graph = graphOf(
      [agent('r'), agent('a'), agent('b'), agent('c')],
      [edge('r', 'a'), edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('b', 'a')],
    );

    const issues = validateWorkflow(graph, anyAgent);

    expect(issues[0]).toEqual({ path: 'nodes[1]', message: 'node "a" is on a cycle: a -> b -> a' });
    expect(issues.map((i) => i.path)).toEqual(['nodes[1]', 'nodes[2]', 'nodes[3]']);
  });

  it('reports a graph without any root', () => {
    const graph = graphOf([agent('a'), agent('b')], [edge('a', 'b'), edge('b', 'a')]);

    const issues = validateWorkflow(graph, anyAgent);

    expect(issues).toContainEqual({
      path: 'nodes',
      message: 'workflow has no root node: every node has an incoming edge, so nothing can start',
    });
    expect(issues.filter((i) => i.message.includes('cycle: a -> b -> a'))).toHaveLength(2);
  });

  it('accepts several roots and unconnected single nodes', () => {
    const graph = graphOf([agent('a'), agent('b'), agent('c')], [edge('a', 'c'), edge('b', 'c')]);

    expect(validateWorkflow(graph, anyAgent)).toEqual([]);
  });

  it('returns every problem at once', () => {
    const graph = graphOf(
      [agent('a', { agent: 'nope' }), agent('a'), { id: 'b', type: 'agent', prompt: '{{x.y}}' }],
      [edge('a', 'b'), edge('b', 'ghost')],
    );

    const issues = validateWorkflow(graph, { agentExists: (slug) => slug !== 'nope' });

    expect(issues.map((i) => i.path)).toEqual([
      'nodes[0].agent',
      'nodes[1].id',
      'nodes[2].agent',
      'edges[1].to',
      'nodes[2].prompt',
    ]);
  });
});

describe('assertValidWorkflow', () => {
  it('throws a ValidationError carrying the issues', () => {
    const graph = graphOf([agent('a', { agent: 'nope' })]);

    const act = () => assertValidWorkflow(graph, { agentExists: () => false });

    expect(act).toThrow(ValidationError);
    try {
      act();
    } catch (e) {
      expect((e as ValidationError).message).toBe('workflow is invalid');
      expect((e as ValidationError).details).toEqual([
        { path: 'nodes[0].agent', message: 'node "a" uses unknown agent "nope"' },
      ]);
    }
  });

  it('returns quietly for a valid graph', () => {
    expect(() => assertValidWorkflow(featurePipeline(), anyAgent)).not.toThrow();
  });
});

describe('topologicalOrder', () => {
  it('puts every node after its parents, ties in declaration order', () => {
    const order = topologicalOrder(featurePipeline());

    expect(order).toEqual(['pm', 'coder', 'reviewer', 'qa', 'summary']);
  });

  it('orders by dependencies, not by declaration', () => {
    const graph = graphOf([agent('c'), agent('b'), agent('a')], [edge('a', 'b'), edge('b', 'c')]);

    expect(topologicalOrder(graph)).toEqual(['a', 'b', 'c']);
  });

  it('throws a ValidationError naming the cycle', () => {
    const graph = graphOf(
      [agent('r'), agent('a'), agent('b')],
      [edge('r', 'a'), edge('a', 'b'), edge('b', 'a')],
    );

    expect(() => topologicalOrder(graph)).toThrow(ValidationError);
    expect(() => topologicalOrder(graph)).toThrow('workflow has a cycle');
  });
});

describe('validateRunInput', () => {
  const graph = graphOf(
    [agent('a')],
    [],
    [{ name: 'title', required: true }, { name: 'body', required: true }, { name: 'notes' }],
  );

  it('accepts an object with every required input', () => {
    expect(validateRunInput(graph, { title: 'x', body: { text: 'y' } })).toEqual([]);
  });

  it.each([null, 'text', 42, [], undefined])('rejects %p as not a JSON object', (input) => {
    expect(validateRunInput(graph, input)).toEqual([
      { path: 'input', message: 'run input must be a JSON object' },
    ]);
  });

  it('reports required inputs that are missing, null or blank', () => {
    const issues = validateRunInput(graph, { title: '   ', body: null, notes: '' });

    expect(issues).toEqual([
      { path: 'input.title', message: 'input "title" is required' },
      { path: 'input.body', message: 'input "body" is required' },
    ]);
  });

  it('does not take required inputs from the prototype', () => {
    const input = Object.create({ title: 'inherited', body: 'inherited' }) as object;

    expect(validateRunInput(graph, input).map((i) => i.path)).toEqual([
      'input.title',
      'input.body',
    ]);
  });

  it('accepts falsy but present values such as 0 and false', () => {
    expect(validateRunInput(graph, { title: 0, body: false })).toEqual([]);
  });
});
