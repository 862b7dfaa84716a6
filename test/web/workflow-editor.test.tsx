/** @jest-environment jsdom */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '../../web/src/api/errors';
import type { Agent, Workflow, WorkflowCreate } from '../../web/src/api/types';
import { WorkflowEditor } from '../../web/src/components/editor/WorkflowEditor';
import { mapIssues } from '../../web/src/dag/issues';
import { depths, layoutDag } from '../../web/src/dag/layout';
import { availableReferences, insertAt } from '../../web/src/dag/references';
import { toSpec, toFlow } from '../../web/src/dag/workflowFlow';
import { polyfillFlow } from './support';

polyfillFlow();

const agent = (slug: string): Agent => ({
  id: `aaaaaaaa-aaaa-4aaa-8aaa-${slug
    .padEnd(12, '0')
    .slice(0, 12)
    .replace(/[^0-9a-f]/g, 'a')}`,
  slug,
  name: slug.toUpperCase(),
  role: '',
  systemPrompt: '',
  model: 'simulator:echo',
  fallbacks: [],
  parameters: {},
  version: 1,
  publishedVersion: 1,
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
});
const agents = [agent('pm'), agent('coder'), agent('reviewer')];

const workflow: Workflow = {
  id: '22222222-2222-4222-8222-222222222222',
  slug: 'feature',
  name: 'Feature',
  description: '',
  version: 1,
  publishedVersion: 1,
  inputs: [{ name: 'title', required: true }],
  nodes: [
    { id: 'plan', type: 'agent', agent: 'pm', prompt: 'Plan {{input.title}}' },
    { id: 'build', type: 'agent', agent: 'coder', prompt: '{{steps.plan.output}}' },
    { id: 'review', type: 'agent', agent: 'reviewer', prompt: '{{steps.build.output}}' },
  ],
  edges: [
    { from: 'plan', to: 'build' },
    { from: 'build', to: 'review' },
  ],
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
};

describe('mapIssues', () => {
  it('maps node paths by index to the node ids in the order they were sent', () => {
    const mapped = mapIssues(
      [
        { path: 'nodes[2].agent', message: 'node "review" uses unknown agent "ghost"' },
        {
          path: 'nodes[1].prompt',
          message: 'references "{{steps.review.output}}", but "review" is not upstream',
        },
        { path: 'nodes[0]', message: 'on a cycle' },
        { path: 'edges[1].to', message: 'ends at unknown node "x"' },
        { path: 'inputs[0].name', message: 'letters, digits and _' },
        { path: 'name', message: 'required' },
        { path: 'nodes', message: 'no root node' },
      ],
      ['plan', 'build', 'review'],
    );

    expect(mapped.byNode).toEqual({
      review: [{ field: 'agent', message: 'node "review" uses unknown agent "ghost"' }],
      build: [
        {
          field: 'prompt',
          message: 'references "{{steps.review.output}}", but "review" is not upstream',
        },
      ],
      plan: [{ field: '', message: 'on a cycle' }],
    });
    expect(mapped.byEdge).toEqual({ 1: ['ends at unknown node "x"'] });
    expect(mapped.byInput).toEqual({ 0: ['letters, digits and _'] });
    expect(mapped.byField).toEqual({ name: ['required'] });
    expect(mapped.general.map((g) => g.path)).toEqual(['edges[1].to', 'nodes']);
  });

  it('keeps paths that index past the sent nodes as general problems', () => {
    expect(mapIssues([{ path: 'nodes[5].agent', message: 'x' }], ['a']).general).toHaveLength(1);
  });
});

describe('layout and references', () => {
  it('layers nodes by topological depth (longest path from a root)', () => {
    const d = depths(
      ['a', 'b', 'c', 'd', 'e'],
      [
        { from: 'a', to: 'b' },
        { from: 'a', to: 'c' },
        { from: 'b', to: 'd' },
        { from: 'c', to: 'd' },
        { from: 'a', to: 'd' },
        { from: 'd', to: 'e' },
      ],
    );
    expect(Object.fromEntries(d)).toEqual({ a: 0, b: 1, c: 1, d: 2, e: 3 });
    const placed = layoutDag(
      ['a', 'b', 'c'],
      [
        { from: 'a', to: 'b' },
        { from: 'a', to: 'c' },
      ],
    );
    expect(placed.get('b')!.x).toBe(placed.get('c')!.x);
    expect(placed.get('b')!.y).not.toBe(placed.get('c')!.y);
    expect(placed.get('a')!.x).toBeLessThan(placed.get('b')!.x);
  });

  it('still lays out a graph with a cycle', () => {
    const d = depths(
      ['a', 'b', 'c'],
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'b' },
      ],
    );
    expect(d.get('a')).toBe(0);
    expect(d.get('b')).toBeGreaterThan(0);
  });

  it('offers declared inputs and upstream outputs only', () => {
    const edges = [
      { from: 'plan', to: 'build' },
      { from: 'build', to: 'review' },
      { from: 'other', to: 'x' },
    ];
    expect(availableReferences('review', ['title'], edges).map((r) => r.text)).toEqual([
      '{{input.title}}',
      '{{steps.build.output}}',
      '{{steps.plan.output}}',
    ]);
    expect(insertAt('Hello world', '{{input.title}}', 6, 11)).toEqual({
      value: 'Hello {{input.title}}',
      caret: 21,
    });
  });

  it('round-trips a workflow through the editor graph in node order', () => {
    const flow = toFlow(workflow);
    const spec = toSpec(
      { slug: 'feature', name: 'Feature', description: '' },
      workflow.inputs,
      flow.nodes,
      flow.edges,
    );
    expect(spec.nodes).toEqual(workflow.nodes);
    expect(spec.edges).toEqual(workflow.edges);
  });
});

describe('WorkflowEditor validation display', () => {
  it('shows API validation errors on the node they concern', async () => {
    // Prepare: the API rejects the save with issue paths into the body that was sent.
    const sent: WorkflowCreate[] = [];
    const onSave = async (body: WorkflowCreate): Promise<Workflow> => {
      sent.push(body);
      throw new ApiError(400, 'ValidationError', 'workflow is invalid', [
        { path: 'nodes[2].agent', message: 'node "review" uses unknown agent "ghost"' },
        {
          path: 'nodes[1].prompt',
          message:
            'node "build" references "{{steps.review.output}}", but "review" is not upstream of "build"',
        },
      ]);
    };
    render(<WorkflowEditor workflow={workflow} agents={agents} readOnly={false} onSave={onSave} />);

    // Act: edit a prompt (so there is something to save), then save.
    fireEvent.click(screen.getByTestId('select-node-build'));
    fireEvent.change(await screen.findByTestId('node-prompt'), {
      target: { value: '{{steps.review.output}}' },
    });
    await act(async () => {
      fireEvent.click(screen.getByTestId('workflow-save'));
    });

    // Assess: each message is on its own node, with the field it concerns.
    expect(sent[0].nodes.map((n) => n.id)).toEqual(['plan', 'build', 'review']);
    const review = screen.getByTestId('editor-node-review');
    const build = screen.getByTestId('editor-node-build');
    const plan = screen.getByTestId('editor-node-plan');
    expect(review.getAttribute('data-invalid')).toBe('true');
    expect(within(review).getByTestId('node-issue').textContent).toBe(
      'agent: node "review" uses unknown agent "ghost"',
    );
    expect(within(build).getByTestId('node-issue').getAttribute('data-field')).toBe('prompt');
    expect(within(build).getByTestId('node-issue').textContent).toContain(
      'is not upstream of "build"',
    );
    expect(within(plan).queryByTestId('node-issue')).toBeNull();
    // The selected node's inspector shows the prompt error next to the prompt field.
    const inspector = screen.getByTestId('node-inspector');
    expect(within(inspector).getByText(/is not upstream of "build"/)).toBeTruthy();
    // And the summary lets the user jump to the node.
    const summary = screen.getByTestId('issue-summary');
    fireEvent.click(within(summary).getByRole('button', { name: 'review' }));
    await waitFor(() =>
      expect(
        within(screen.getByTestId('node-inspector')).getByRole('heading').textContent,
      ).toContain('review'),
    );
    expect(
      within(screen.getByTestId('node-inspector')).getByText(/unknown agent "ghost"/),
    ).toBeTruthy();
  });

  it('clears the issues after a successful save', async () => {
    let fail = true;
    const onSave = async (body: WorkflowCreate): Promise<Workflow> => {
      if (fail)
        throw new ApiError(400, 'ValidationError', 'workflow is invalid', [
          { path: 'nodes[0].prompt', message: 'bad reference' },
        ]);
      return { ...workflow, ...body, version: 2 } as Workflow;
    };
    render(<WorkflowEditor workflow={workflow} agents={agents} readOnly={false} onSave={onSave} />);
    fireEvent.change(screen.getByTestId('workflow-description'), { target: { value: 'changed' } });
    await act(async () => fireEvent.click(screen.getByTestId('workflow-save')));
    expect(within(screen.getByTestId('editor-node-plan')).getByTestId('node-issue')).toBeTruthy();

    fail = false;
    fireEvent.change(screen.getByTestId('workflow-description'), {
      target: { value: 'changed again' },
    });
    await act(async () => fireEvent.click(screen.getByTestId('workflow-save')));

    expect(screen.queryAllByTestId('node-issue')).toHaveLength(0);
    expect(screen.getByTestId('workflow-saved').textContent).toBe('Saved v2');
  });

  it('offers the available references as chips that insert into the prompt', async () => {
    render(
      <WorkflowEditor
        workflow={workflow}
        agents={agents}
        readOnly={false}
        onSave={async () => workflow}
      />,
    );
    fireEvent.click(screen.getByTestId('select-node-review'));
    const prompt = (await screen.findByTestId('node-prompt')) as HTMLTextAreaElement;
    expect(screen.getAllByRole('button', { name: /^\{\{/ }).map((b) => b.textContent)).toEqual([
      '{{input.title}}',
      '{{steps.build.output}}',
      '{{steps.plan.output}}',
    ]);

    prompt.setSelectionRange(prompt.value.length, prompt.value.length);
    fireEvent.click(screen.getByRole('button', { name: '{{input.title}}' }));

    expect(prompt.value).toBe('{{steps.build.output}}{{input.title}}');
  });

  it('adds an agent node after the selected one, connected to it', async () => {
    const sent: WorkflowCreate[] = [];
    render(
      <WorkflowEditor
        agents={agents}
        readOnly={false}
        onSave={async (b) => {
          sent.push(b);
          return { ...workflow, ...b } as Workflow;
        }}
      />,
    );
    fireEvent.change(screen.getByTestId('workflow-name'), { target: { value: 'Two steps' } });
    fireEvent.change(screen.getByTestId('add-node-agent'), { target: { value: 'pm' } });
    fireEvent.click(screen.getByTestId('add-agent-node'));
    fireEvent.change(screen.getByTestId('add-node-agent'), { target: { value: 'coder' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Add agent node after pm' }));
    await act(async () => fireEvent.click(screen.getByTestId('workflow-save')));

    expect(sent[0]).toMatchObject({
      slug: 'two-steps',
      name: 'Two steps',
      nodes: [
        { id: 'pm', type: 'agent', agent: 'pm' },
        { id: 'coder', type: 'agent', agent: 'coder', prompt: '{{steps.pm.output}}' },
      ],
      edges: [{ from: 'pm', to: 'coder' }],
    });
  });

  it('shows a viewer no write controls', () => {
    render(
      <WorkflowEditor
        workflow={workflow}
        agents={agents}
        readOnly
        onSave={async () => workflow}
        onRun={() => undefined}
      />,
    );
    expect(screen.queryByTestId('workflow-save')).toBeNull();
    expect(screen.queryByTestId('workflow-run')).toBeNull();
    expect(screen.queryByTestId('add-agent-node')).toBeNull();
  });
});
