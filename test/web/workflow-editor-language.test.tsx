/** @jest-environment jsdom */
import { jest } from '@jest/globals';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { Agent, Workflow, WorkflowCreate } from '../../web/src/api/types';
import { WorkflowEditor } from '../../web/src/components/editor/WorkflowEditor';
import { conditionLabel, makeTest, parseValue } from '../../web/src/dag/conditions';
import { liveIssues } from '../../web/src/dag/liveIssues';
import { toFlow, toSpec } from '../../web/src/dag/workflowFlow';
import { useLocation } from '../../web/src/router/useLocation';
import { polyfillFlow } from './support';

polyfillFlow();

const agent = (slug: string, n: number): Agent => ({
  id: `aaaaaaaa-aaaa-4aaa-8aaa-00000000000${n}`,
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
const agents = [agent('triager', 1), agent('writer', 2), agent('reviewer', 3)];
const workflows = [{ slug: 'review-file', name: 'Review file' }];

const base: Workflow = {
  id: '33333333-3333-4333-8333-333333333333',
  slug: 'draft',
  name: 'Draft',
  description: '',
  version: 1,
  publishedVersion: 1,
  inputs: [{ name: 'topic' }],
  nodes: [
    { id: 'write', type: 'agent', agent: 'writer', prompt: 'Write about {{input.topic}}' },
    { id: 'review', type: 'agent', agent: 'reviewer', prompt: '{{steps.write.output}}' },
  ],
  edges: [{ from: 'write', to: 'review' }],
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
};

function renderEditor(workflow: Workflow | null = base) {
  const sent: WorkflowCreate[] = [];
  const onSave = jest.fn(async (body: WorkflowCreate): Promise<Workflow> => {
    sent.push(body);
    return { ...base, ...body, version: sent.length + 1 } as Workflow;
  });
  render(
    <WorkflowEditor
      workflow={workflow ?? undefined}
      agents={agents}
      workflows={workflows}
      readOnly={false}
      onSave={onSave}
    />,
  );
  return { sent, onSave };
}

/** Rendered with no router here: a location hook stands in for the app's. */
function Where() {
  return <span data-testid="where">{useLocation().path}</span>;
}

const save = () => act(async () => fireEvent.click(screen.getByTestId('workflow-save')));
const change = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });

describe('the palette', () => {
  it('adds every node type with its defaults and saves each with the fields of its type', async () => {
    const { sent } = renderEditor(null);
    change(screen.getByTestId('workflow-name'), 'All kinds');
    change(screen.getByTestId('add-node-agent'), 'triager');
    fireEvent.click(screen.getByTestId('add-node-router'));
    // The router is selected: the next nodes chain after the previous one.
    fireEvent.click(screen.getByTestId('add-node-tool'));
    change(await screen.findByLabelText('Tool'), 'http.get');
    fireEvent.click(screen.getByTestId('add-node-approval'));
    fireEvent.click(screen.getByTestId('add-node-workflow'));
    fireEvent.click(screen.getByTestId('add-node-map'));
    change(screen.getByTestId('node-max-concurrency'), '3');
    await save();

    expect(sent[0].nodes).toEqual([
      { id: 'router', type: 'router', agent: 'triager', routes: ['yes', 'no'] },
      { id: 'tool', type: 'tool', tool: 'http.get' },
      { id: 'approval', type: 'approval' },
      {
        id: 'sub',
        type: 'workflow',
        workflow: 'review-file',
        input: { input: '{{steps.approval.output}}' },
      },
      {
        id: 'map',
        type: 'map',
        workflow: 'review-file',
        items: 'steps.sub.output',
        as: 'item',
        maxConcurrency: 3,
      },
    ]);
    expect(sent[0].edges).toEqual([
      { from: 'router', to: 'tool' },
      { from: 'tool', to: 'approval' },
      { from: 'approval', to: 'sub' },
      { from: 'sub', to: 'map' },
    ]);
  });

  it('edits a router’s routes and a sub-workflow’s version and input mapping', async () => {
    const { sent } = renderEditor();
    fireEvent.click(screen.getByTestId('select-node-review'));
    fireEvent.click(screen.getByTestId('add-node-router'));
    const routes = await screen.findByTestId('router-routes');
    change(within(routes).getByTestId('route-0'), 'bug');
    change(within(routes).getByTestId('route-1'), 'question');
    fireEvent.click(within(routes).getByTestId('route-add'));
    change(within(routes).getByTestId('route-2'), 'feature');
    fireEvent.click(screen.getByTestId('add-node-workflow'));
    change(await screen.findByTestId('node-version'), '2');
    change(screen.getByTestId('mapping-key-0'), 'diff');
    await save();

    expect(sent[0].nodes.slice(2)).toEqual([
      {
        id: 'router',
        type: 'router',
        agent: 'triager',
        prompt: '{{steps.review.output}}',
        routes: ['bug', 'question', 'feature'],
      },
      {
        id: 'sub',
        type: 'workflow',
        workflow: 'review-file',
        version: 2,
        input: { diff: '{{steps.router.output}}' },
      },
    ]);
  });
});

describe('conditions', () => {
  it('are built with a form, combined with any, labelled on the edge and saved as the model’s shape', async () => {
    const { sent } = renderEditor();
    fireEvent.click(screen.getByTestId('select-edge-write-review'));
    const inspector = await screen.findByTestId('edge-inspector');
    fireEvent.click(within(inspector).getByTestId('condition-add'));
    // The path picker offers the upstream output and the declared inputs.
    const options = [...document.querySelectorAll('datalist option')].map((o) =>
      o.getAttribute('value'),
    );
    expect(options).toEqual(['steps.write.output', 'input.topic']);
    change(within(inspector).getByTestId('condition-path'), 'steps.write.output.words');
    change(within(inspector).getByTestId('condition-operator'), 'gte');
    change(within(inspector).getByTestId('condition-value'), '100');
    fireEvent.click(within(inspector).getByRole('button', { name: 'Or…' }));
    const tests = within(inspector).getAllByTestId('condition-test');
    expect(tests).toHaveLength(2);
    change(within(tests[1]).getByTestId('condition-path'), 'input.topic');
    change(within(tests[1]).getByTestId('condition-operator'), 'in');
    change(within(tests[1]).getByTestId('condition-value'), 'news, sport');

    expect(within(inspector).getByTestId('condition-summary').textContent).toBe(
      'steps.write.output.words ≥ 100 or input.topic in ["news", "sport"]',
    );
    expect(screen.queryByTestId('edge-issues')).toBeNull();
    await save();
    expect(sent[0].edges).toEqual([
      {
        from: 'write',
        to: 'review',
        if: {
          any: [
            { path: 'steps.write.output.words', gte: 100 },
            { path: 'input.topic', in: ['news', 'sport'] },
          ],
        },
      },
    ]);
  });

  it('shows a path the edge may not read as a problem on the edge while typing', async () => {
    const { onSave } = renderEditor();
    fireEvent.click(screen.getByTestId('select-edge-write-review'));
    const inspector = await screen.findByTestId('edge-inspector');
    fireEvent.click(within(inspector).getByTestId('condition-add'));
    change(within(inspector).getByTestId('condition-path'), 'steps.review.output');

    expect(within(inspector).getByTestId('edge-issues').textContent).toContain(
      '"review" is not upstream of "write"',
    );
    expect(screen.getByTestId('live-problems').textContent).toBe('1 problem');
    expect(onSave).not.toHaveBeenCalled();
  });

  it('round-trip, label and parse like the model', () => {
    expect(parseValue('equals', 'true')).toBe(true);
    expect(parseValue('equals', '42')).toBe(42);
    expect(parseValue('equals', 'APPROVE')).toBe('APPROVE');
    expect(makeTest('steps.r.output', 'exists', 'false')).toEqual({
      path: 'steps.r.output',
      exists: false,
    });
    expect(conditionLabel({ not: { path: 'input.x', equals: 'a' } })).toBe('not input.x = "a"');
    const graph = {
      nodes: base.nodes,
      edges: [
        { from: 'write', to: 'review' },
        {
          from: 'review',
          to: 'write',
          maxIterations: 3,
          if: { path: 'steps.review.output', notEquals: 'APPROVE' },
        },
      ],
    };
    const flow = toFlow(graph);
    expect(flow.edges[1].label).toBe('×3 · if steps.review.output ≠ "APPROVE"');
    expect(flow.edges[1].className).toContain('edge-loop');
    expect(
      toSpec({ slug: 'd', name: 'D', description: '' }, [], flow.nodes, flow.edges).edges,
    ).toEqual(graph.edges);
  });
});

describe('loop edges', () => {
  it('loop back to an ancestor with a bound of 1–20 and a condition, drawn dashed with ×N', async () => {
    const { sent } = renderEditor();
    fireEvent.click(screen.getByTestId('select-node-review'));
    change(await screen.findByTestId('loop-back'), 'write');

    const inspector = await screen.findByTestId('edge-inspector');
    expect(within(inspector).getByRole('heading').textContent).toContain('Loop edge');
    change(within(inspector).getByTestId('condition-value'), 'APPROVE');
    change(within(inspector).getByTestId('edge-max-iterations'), '25');
    expect(within(inspector).getByTestId('edge-issues').textContent).toMatch(/20/);
    change(within(inspector).getByTestId('edge-max-iterations'), '2');
    expect(within(inspector).queryByTestId('edge-issues')).toBeNull();
    // A loop edge's condition cannot be removed, only changed.
    fireEvent.click(within(inspector).getByRole('button', { name: /Remove the test/ }));
    expect(within(inspector).getAllByTestId('condition-test')).toHaveLength(1);
    change(within(inspector).getByTestId('condition-operator'), 'notEquals');
    change(within(inspector).getByTestId('condition-value'), 'APPROVE');

    fireEvent.click(within(inspector).getByRole('button', { name: 'Close edge editor' }));
    const listed = within(screen.getByTestId('edge-list'));
    expect(listed.getByText(/×2 · if steps.review.output ≠ "APPROVE"/)).toBeTruthy();
    await save();
    expect(sent[0].edges).toEqual([
      { from: 'write', to: 'review' },
      {
        from: 'review',
        to: 'write',
        maxIterations: 2,
        if: { path: 'steps.review.output', notEquals: 'APPROVE' },
      },
    ]);
  });
});

describe('validation while typing', () => {
  it('shows the validator’s problems on the node and in the inspector before any save', async () => {
    const { onSave } = renderEditor();
    fireEvent.click(screen.getByTestId('select-node-write'));
    change(await screen.findByTestId('node-prompt'), 'Use {{steps.review.output}}');

    const node = screen.getByTestId('editor-node-write');
    expect(node.getAttribute('data-invalid')).toBe('true');
    expect(within(node).getByTestId('node-issue').getAttribute('data-field')).toBe('prompt');
    expect(
      within(screen.getByTestId('node-inspector')).getByText(/"review".*not upstream/),
    ).toBeTruthy();
    // The summary of a failed save is not shown: nothing was sent.
    expect(screen.queryByTestId('issue-summary')).toBeNull();

    change(screen.getByTestId('node-prompt'), 'Use {{input.topic}}');
    expect(node.getAttribute('data-invalid')).toBeNull();
    expect(onSave).not.toHaveBeenCalled();
  });

  it('is the API’s validator: a router with one route and an unknown sub-workflow', () => {
    const issues = liveIssues(
      {
        slug: 'x',
        name: 'X',
        inputs: [],
        nodes: [
          { id: 'triage', type: 'router', agent: 'triager', routes: ['bug', 'bug'] },
          { id: 'child', type: 'workflow', workflow: 'ghost' },
        ],
        edges: [{ from: 'triage', to: 'child' }],
      },
      { agents: new Set(['triager']), workflows: new Set(['review-file']) },
    );
    expect(issues).toEqual([
      { path: 'nodes[0].routes', message: 'router node "triage" lists a route twice' },
      { path: 'nodes[1].workflow', message: 'node "child" uses unknown workflow "ghost"' },
    ]);
  });
});

describe('undo and redo', () => {
  it('undo every graph edit with the buttons and the keyboard, and redo them', async () => {
    const { sent } = renderEditor();
    const undo = screen.getByTestId('editor-undo') as HTMLButtonElement;
    expect(undo.disabled).toBe(true);
    fireEvent.click(screen.getByTestId('select-node-review'));
    fireEvent.click(screen.getByTestId('add-node-approval'));
    expect(screen.getByTestId('editor-node-approval')).toBeTruthy();
    const prompt = () => screen.getByTestId('node-prompt') as HTMLTextAreaElement;
    fireEvent.click(screen.getByRole('button', { name: 'Close node editor' }));
    fireEvent.click(screen.getByTestId('select-node-write'));
    // Typing is one step however many keystrokes.
    change(prompt(), 'W');
    change(prompt(), 'Wr');
    change(prompt(), 'Wri');

    fireEvent.keyDown(prompt(), { key: 'z', ctrlKey: true });
    expect(prompt().value).toBe('Write about {{input.topic}}');
    fireEvent.click(undo);
    expect(screen.queryByTestId('editor-node-approval')).toBeNull();
    expect(undo.disabled).toBe(true);
    expect(screen.queryByText('Unsaved changes')).toBeNull();

    fireEvent.keyDown(screen.getByTestId('workflow-canvas'), { key: 'y', ctrlKey: true });
    expect(screen.getByTestId('editor-node-approval')).toBeTruthy();
    fireEvent.keyDown(screen.getByTestId('workflow-canvas'), {
      key: 'Z',
      metaKey: true,
      shiftKey: true,
    });
    expect(prompt().value).toBe('Wri');
    expect((screen.getByTestId('editor-redo') as HTMLButtonElement).disabled).toBe(true);
    await save();
    expect(sent[0].nodes.map((n) => n.id)).toEqual(['write', 'review', 'approval']);
    expect(sent[0].nodes[0].prompt).toBe('Wri');
  });
});

describe('leaving with unsaved changes', () => {
  it('asks before an in-app navigation and before unloading; a refused one stays', async () => {
    window.location.hash = '#/workflows/draft';
    renderEditor();
    change(screen.getByTestId('workflow-description'), 'changed');
    const confirm = jest.spyOn(window, 'confirm').mockReturnValue(false);
    const unload = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(unload);
    expect(unload.defaultPrevented).toBe(true);

    window.history.pushState(null, '', '#/runs');
    confirm.mockClear();
    render(<Where />);
    window.location.hash = '#/agents';
    await act(async () => window.dispatchEvent(new HashChangeEvent('hashchange')));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(window.location.hash).toBe('#/runs');
    expect(screen.getByTestId('where').textContent).toBe('/runs');

    confirm.mockReturnValue(true);
    window.location.hash = '#/agents';
    await act(async () => window.dispatchEvent(new HashChangeEvent('hashchange')));
    expect(screen.getByTestId('where').textContent).toBe('/agents');
    confirm.mockRestore();
  });
});
