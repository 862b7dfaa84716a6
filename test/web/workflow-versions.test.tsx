/** @jest-environment jsdom */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Workflow, WorkflowVersion } from '../../web/src/api/types';
import { VersionsList } from '../../web/src/components/agents/VersionsList';
import { WorkflowVersions } from '../../web/src/components/workflow/WorkflowVersions';
import { apiWith, renderWithApi } from './support';

const spec = (n: number) => ({
  name: 'Flow',
  description: '',
  inputs: [],
  nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'approval' as const })),
  edges: [],
});
const workflow = (publishedVersion: number): Workflow => ({
  id: '22222222-2222-4222-8222-222222222222',
  slug: 'flow',
  version: 3,
  publishedVersion,
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
  ...spec(3),
});
const versions: WorkflowVersion[] = [1, 2, 3].map((v) => ({
  version: v,
  spec: spec(v),
  createdAt: '2026-11-01T10:00:00Z',
}));

test('marks the published version and restores an older one through the API', async () => {
  // Prepare
  const { api, calls } = apiWith((call) =>
    call.path.endsWith('/publish')
      ? { status: 200, body: workflow((call.body as { version: number }).version) }
      : { status: 404 },
  );
  let shown = workflow(3);
  const view = () => (
    <WorkflowVersions
      workflow={shown}
      versions={versions}
      readOnly={false}
      onPublish={async (v) => {
        shown = await api.workflows.publish(shown.id, v);
      }}
    />
  );
  const { rerender } = renderWithApi(view(), api);
  const v3 = screen.getByTestId('workflow-version-3');
  expect(within(v3).getByText('published')).toBeTruthy();
  expect(within(v3).queryByRole('button', { name: /Publish|Restore/ })).toBeNull();

  // Act
  fireEvent.click(
    within(screen.getByTestId('workflow-version-1')).getByRole('button', { name: 'Restore v1' }),
  );
  await waitFor(() => expect(calls.some((c) => c.path.endsWith('/publish'))).toBe(true));
  await waitFor(() => expect(shown.publishedVersion).toBe(1));
  rerender(view());

  // Assess
  expect(calls.at(-1)).toMatchObject({
    method: 'POST',
    path: '/v1/workflows/22222222-2222-4222-8222-222222222222/publish',
    body: { version: 1 },
  });
  expect(within(screen.getByTestId('workflow-version-1')).getByText('published')).toBeTruthy();
  expect(within(screen.getByTestId('workflow-version-3')).getByText('latest')).toBeTruthy();
  expect(
    within(screen.getByTestId('workflow-version-2')).getByRole('button', { name: 'Publish v2' }),
  ).toBeTruthy();
});

test('shows what changed from the previous version: nodes, edges and fields', () => {
  const { api } = apiWith(() => ({ status: 404 }));
  const v1 = {
    ...spec(0),
    nodes: [
      { id: 'write', type: 'agent' as const, agent: 'writer', prompt: 'Write' },
      { id: 'review', type: 'agent' as const, agent: 'reviewer', prompt: 'Check' },
    ],
    edges: [{ from: 'write', to: 'review' }],
  };
  const v2 = {
    ...v1,
    nodes: [
      { ...v1.nodes[0], prompt: 'Write better' },
      v1.nodes[1],
      { id: 'ok', type: 'approval' as const },
    ],
    edges: [
      ...v1.edges,
      {
        from: 'review',
        to: 'write',
        maxIterations: 3,
        if: { path: 'steps.review.output', notEquals: 'APPROVE' },
      },
    ],
  };
  renderWithApi(
    <WorkflowVersions
      workflow={{ ...workflow(2), version: 2 }}
      versions={[
        { version: 1, spec: v1, createdAt: '2026-11-01T10:00:00Z' },
        { version: 2, spec: v2, createdAt: '2026-11-02T10:00:00Z' },
      ]}
      readOnly
      onPublish={async () => undefined}
    />,
    api,
  );
  expect(screen.queryByTestId('workflow-version-diff-1')).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: 'Changes from v1' }));
  const lines = within(screen.getByTestId('workflow-diff-2'))
    .getAllByRole('listitem')
    .map((li) => li.textContent);
  expect(lines).toEqual([
    '~ node write changed (prompt)',
    '+ node ok added',
    '+ edge review → write added',
  ]);
});

test('viewers see the versions without publish actions', () => {
  const { api } = apiWith(() => ({ status: 404 }));
  renderWithApi(
    <WorkflowVersions
      workflow={workflow(2)}
      versions={versions}
      readOnly
      onPublish={async () => undefined}
    />,
    api,
    'viewer',
  );
  // Viewers may read the changes, but not publish or restore.
  expect(screen.queryAllByRole('button').map((b) => b.textContent)).toEqual([
    'Changes from v2',
    'Changes from v1',
  ]);
  expect(within(screen.getByTestId('workflow-version-2')).getByText('published')).toBeTruthy();
});

test('agent versions mark the published one and offer restore/publish for the others', () => {
  // Prepare
  const published: number[] = [];
  const spec = {
    name: 'A',
    role: '',
    systemPrompt: 'p',
    model: 'simulator:echo',
    fallbacks: [],
    parameters: {},
  };
  const agentVersions = [1, 2, 3].map((v) => ({
    version: v,
    spec,
    createdAt: '2026-11-01T10:00:00Z',
    createdBy: null,
  }));
  const { api } = apiWith(() => ({ status: 404 }));
  renderWithApi(
    <VersionsList
      versions={agentVersions}
      current={3}
      published={2}
      onPublish={(v) => published.push(v)}
    />,
    api,
  );

  // Act
  fireEvent.click(screen.getByRole('button', { name: 'Restore v1' }));
  fireEvent.click(screen.getByRole('button', { name: 'Publish v3' }));

  // Assess
  expect(screen.getAllByText('published')).toHaveLength(1);
  expect(screen.queryByRole('button', { name: /v2$/ })).toBeNull();
  expect(published).toEqual([1, 3]);
});
