/** @jest-environment jsdom */
/**
 * The agent editor offers the agent tools as checkboxes (ADR 130): checked ones are sent as the
 * allow-list with maxTurns, an unknown saved name stays listed so it can be removed, and the API's
 * 400 on a tool shows under the tools.
 */
import { fireEvent, screen, within } from '@testing-library/react';
import type { Agent } from '../../web/src/api/types';
import { AgentForm, bodyOf, draftOf } from '../../web/src/components/agents/AgentForm';
import { apiWith, renderWithApi } from './support';

const notFound = { status: 404, body: { error: { code: 'NotFound', message: 'no route' } } };
const agent: Agent = {
  id: '88888888-8888-4888-8888-888888888888',
  slug: 'support',
  name: 'Support',
  role: '',
  systemPrompt: '',
  model: 'simulator:echo',
  fallbacks: [],
  parameters: {},
  tools: ['http.get', 'legacy.tool'],
  version: 2,
  publishedVersion: 2,
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
};

function renderForm(
  issues: Array<{ path: string; message: string }> = [],
  initial: Agent = agent,
  workflows?: Array<{ slug: string; name: string; description?: string }>,
) {
  let submitted: ReturnType<typeof bodyOf> | undefined;
  renderWithApi(
    <AgentForm
      initial={initial}
      knowledgeBases={[]}
      workflows={workflows}
      readOnly={false}
      issues={issues}
      busy={false}
      onSubmit={(d) => {
        submitted = bodyOf(d);
      }}
    />,
    apiWith(() => notFound).api,
  );
  return () => submitted;
}

test('checked tools and maxTurns are sent; an unknown saved tool can be unchecked', () => {
  // Prepare
  const submitted = renderForm();
  const picker = screen.getByTestId('agent-tools');
  expect(
    within(picker)
      .getAllByRole('checkbox')
      .map((c) => [c.getAttribute('data-testid'), (c as HTMLInputElement).checked]),
  ).toEqual([
    ['agent-tool-knowledge.search', false],
    ['agent-tool-http.get', true],
    ['agent-tool-github.get_pull_request_diff', false],
    ['agent-tool-github.get_file', false],
    ['agent-tool-jira.get_issue', false],
    ['agent-tool-legacy.tool', true],
  ]);

  // Act
  fireEvent.click(screen.getByTestId('agent-tool-knowledge.search'));
  fireEvent.click(screen.getByTestId('agent-tool-legacy.tool'));
  fireEvent.change(screen.getByTestId('agent-max-turns'), { target: { value: '3' } });
  fireEvent.click(screen.getByTestId('agent-save'));

  // Assess
  expect(submitted()?.tools).toEqual(['http.get', 'knowledge.search']);
  expect(submitted()?.maxTurns).toBe(3);
  expect(bodyOf(draftOf()).tools).toEqual([]);
  expect(bodyOf(draftOf()).maxTurns).toBeUndefined();
});

test('the API’s reason for a rejected tool shows under the tools', () => {
  // Act
  renderForm([{ path: 'tools[1]', message: 'unknown tool "legacy.tool"' }]);
  // Assess
  expect(
    within(screen.getByTestId('agent-tools')).getByText(/unknown tool "legacy.tool"/),
  ).toBeTruthy();
});

test('the tenant’s workflows are offered as workflow:<slug> tools; a deleted one can be removed', () => {
  // Prepare: the agent lists a workflow that no longer exists
  const submitted = renderForm([], { ...agent, tools: ['workflow:gone'] }, [
    { slug: 'triage', name: 'Triage', description: 'Labels an issue.' },
  ]);
  const picker = screen.getByTestId('agent-tools');
  expect(
    within(picker)
      .getAllByRole('checkbox')
      .map((c) => [c.getAttribute('data-testid'), (c as HTMLInputElement).checked])
      .slice(5),
  ).toEqual([
    ['agent-tool-workflow:triage', false],
    ['agent-tool-workflow:gone', true],
  ]);
  expect(within(picker).getByText(/Runs the workflow “Triage”: Labels an issue\./)).toBeTruthy();
  expect(within(picker).getByText('no such workflow: remove it')).toBeTruthy();

  // Act
  fireEvent.click(screen.getByTestId('agent-tool-workflow:triage'));
  fireEvent.click(screen.getByTestId('agent-tool-workflow:gone'));
  fireEvent.click(screen.getByTestId('agent-save'));

  // Assess
  expect(submitted()?.tools).toEqual(['workflow:triage']);
});
