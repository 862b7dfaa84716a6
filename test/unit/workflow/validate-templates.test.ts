import { validateWorkflow } from '../../../shared/workflow/validate';
import { agent, edge, featurePipeline, graphOf } from './fixtures';

const anyAgent = { agentExists: () => true };

describe('validateWorkflow template references', () => {
  it('reports an unknown root', () => {
    const graph = graphOf([agent('a', { prompt: 'Hi {{foo}}' })]);

    const issues = validateWorkflow(graph, anyAgent);

    expect(issues).toEqual([
      {
        path: 'nodes[0].prompt',
        message:
          'node "a" references "{{foo}}" with unknown root "foo": use {{input.<field>}} or {{steps.<nodeId>.output}}',
      },
    ]);
  });

  it('reports a step that is not a node', () => {
    const graph = graphOf(
      [agent('a'), agent('b', { prompt: '{{steps.revew.output}}' })],
      [edge('a', 'b')],
    );

    const issues = validateWorkflow(graph, anyAgent);

    expect(issues).toEqual([
      {
        path: 'nodes[1].prompt',
        message: 'node "b" references "{{steps.revew.output}}", but there is no node "revew"',
      },
    ]);
  });

  it('reports a step that may not have run yet: a sibling, a descendant or itself', () => {
    // Prepare
    const graph = featurePipeline();
    graph.nodes[2].prompt = '{{steps.qa.output}}';
    graph.nodes[1].prompt = '{{steps.summary.output}} {{steps.coder.output}}';

    // Act
    const issues = validateWorkflow(graph, anyAgent);

    // Assess
    expect(issues).toEqual([
      {
        path: 'nodes[1].prompt',
        message:
          'node "coder" references "{{steps.summary.output}}", but "summary" is not upstream of "coder" so it may not have run yet',
      },
      {
        path: 'nodes[1].prompt',
        message:
          'node "coder" references "{{steps.coder.output}}", but "coder" is not upstream of "coder" so it may not have run yet',
      },
      {
        path: 'nodes[2].prompt',
        message:
          'node "reviewer" references "{{steps.qa.output}}", but "qa" is not upstream of "reviewer" so it may not have run yet',
      },
    ]);
  });

  it('accepts any ancestor, not only the direct parent', () => {
    const graph = featurePipeline();
    graph.nodes[4].prompt = '{{steps.pm.output}}';

    expect(validateWorkflow(graph, anyAgent)).toEqual([]);
  });

  it('requires steps to be read through .output', () => {
    const graph = graphOf(
      [agent('a'), agent('b', { prompt: '{{steps.a}} {{steps.a.result}} {{steps}}' })],
      [edge('a', 'b')],
    );

    const issues = validateWorkflow(graph, anyAgent);

    expect(issues.map((i) => i.message)).toEqual([
      'node "b" references "{{steps.a}}": a step is read through its output, e.g. {{steps.a.output}}',
      'node "b" references "{{steps.a.result}}": a step is read through its output, e.g. {{steps.a.output}}',
      'node "b" references "{{steps}}" without a step id: use {{steps.<nodeId>.output}}',
    ]);
  });

  it('checks input fields against the declared inputs', () => {
    const graph = graphOf(
      [agent('a', { prompt: '{{input.title}} {{input.titel}} {{input.body.text}}' })],
      [],
      [{ name: 'title' }, { name: 'body' }],
    );

    const issues = validateWorkflow(graph, anyAgent);

    expect(issues).toEqual([
      {
        path: 'nodes[0].prompt',
        message:
          'node "a" references "{{input.titel}}", but the workflow declares no input "titel" (declared: title, body)',
      },
    ]);
  });

  it('allows any input field when no inputs are declared, but not a bare {{input}}', () => {
    const graph = graphOf([agent('a', { prompt: '{{input.anything}} {{input}}' })]);

    const issues = validateWorkflow(graph, anyAgent);

    expect(issues).toEqual([
      {
        path: 'nodes[0].prompt',
        message: 'node "a" references "{{input}}" without a field: use {{input.<field>}}',
      },
    ]);
  });

  it('reports malformed references', () => {
    const graph = graphOf([agent('a', { prompt: '{{input..x}} {{ }}' })]);

    const issues = validateWorkflow(graph, anyAgent);

    expect(issues.map((i) => i.message)).toEqual([
      'node "a" references "{{input..x}}", which is malformed: use {{input.<field>}} or {{steps.<nodeId>.output}}',
      'node "a" references "{{ }}", which is malformed: use {{input.<field>}} or {{steps.<nodeId>.output}}',
    ]);
  });

  it('checks strings inside with, nested ones included, at their own paths', () => {
    // Prepare
    const graph = graphOf(
      [
        agent('a'),
        {
          id: 'post',
          type: 'tool',
          tool: 'github.comment',
          with: {
            body: '{{steps.a.output}} {{bad}}',
            n: 3,
            opts: { labels: ['{{steps.zz.output}}'] },
          },
        },
      ],
      [edge('a', 'post')],
    );

    // Act
    const issues = validateWorkflow(graph, anyAgent);

    // Assess
    expect(issues.map((i) => i.path)).toEqual([
      'nodes[1].with.body',
      'nodes[1].with.opts.labels[0]',
    ]);
    expect(issues[1].message).toBe(
      'node "post" references "{{steps.zz.output}}", but there is no node "zz"',
    );
  });
});
