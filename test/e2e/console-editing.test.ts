/**
 * The web console end to end, editing: create an agent, build a two-node workflow in the editor,
 * run it from the editor and watch the DAG update live (the step panel shows output and cost).
 * The tests run in order and build on each other (agent → workflow → run). Screenshots go to
 * docs/console/.
 */
import { jest } from '@jest/globals';
import { formatUsd } from '../../web/src/format';
import {
  AGENT,
  hashOf,
  useConsole,
  seedFailingWorkflow,
  shot,
  signInAsAdmin,
  STATUS_LOG_SCRIPT,
  WORKFLOW,
} from './support';

jest.setTimeout(90_000);

// The simulator answers slowly enough (0.8 s a call) that a run is visibly RUNNING for a while.
const c = useConsole({ latencyMs: 800 });
const at = (path: string) => c.at(path);

let e2eRunId: string;

beforeAll(async () => {
  // The seven demo agents (researcher uses tools) plus `broken` (eight on the list) and the
  // nightly-digest workflow.
  await seedFailingWorkflow(c.stack);
  await signInAsAdmin(c, '/agents');
});

test('create an agent', async () => {
  await c.page.goto(at('/agents'));
  await c.page.getByTestId('agents-table').waitFor();
  await expect(c.page.getByTestId('agent-row').count()).resolves.toBe(8);
  await shot(c.page, 'agents');

  await c.page.getByTestId('agent-new').click();
  await c.page.getByTestId('agent-form').waitFor();
  await c.page.getByTestId('agent-name').fill(AGENT.name);
  await c.page.getByTestId('agent-slug').fill(AGENT.slug);
  await c.page.getByTestId('agent-role').fill(AGENT.role);
  await c.page.getByTestId('agent-model').fill('openai:gpt-4.1-mini');
  await c.page.getByTestId('agent-system-prompt').fill(AGENT.system);
  await c.page.getByTestId('agent-temperature').fill('0.4');
  await c.page.getByTestId('agent-save').click();

  await c.page.waitForURL(`**/#/agents/${AGENT.slug}`);
  await c.page.getByRole('heading', { level: 1, name: AGENT.name }).waitFor();
  await expect(c.page.getByTestId('agent-save').textContent()).resolves.toBe('Save new version');
  await expect(c.page.getByTestId('agent-model').inputValue()).resolves.toBe('openai:gpt-4.1-mini');
  const stored = await c.stack.call('GET', `/v1/agents/${AGENT.slug}`, {
    token: await c.stack.adminToken(),
  });
  expect(stored.body).toMatchObject({
    name: AGENT.name,
    role: AGENT.role,
    systemPrompt: AGENT.system,
    model: 'openai:gpt-4.1-mini',
    parameters: { temperature: 0.4 },
    version: 1,
  });
  await c.page.getByTestId('agent-versions').waitFor();
  await shot(c.page, 'agent-edit');
});

test('build a two-node workflow in the editor and save it', async () => {
  await c.page.goto(at('/workflows'));
  await c.page.getByTestId('workflow-new').click();
  await c.page.getByTestId('workflow-canvas').waitFor();
  await c.page.getByTestId('canvas-empty').waitFor();

  await c.page.getByTestId('workflow-name').fill(WORKFLOW.name);
  await expect(c.page.getByTestId('workflow-slug').inputValue()).resolves.toBe(WORKFLOW.slug);
  await c.page.getByTestId('input-add').click();
  await c.page.getByTestId('input-name-0').fill('topic');

  // First node: the new agent; its prompt references the declared input through a chip.
  await c.page.getByTestId('add-node-agent').selectOption(AGENT.slug);
  await c.page.getByTestId('add-agent-node').click();
  await c.page.getByTestId(`editor-node-${AGENT.slug}`).waitFor();
  await c.page.getByTestId('node-inspector').waitFor();
  await c.page.getByTestId('node-prompt').fill('Write a three-line draft about ');
  await c.page.getByTestId('ref-chip-input.topic').click();
  await expect(c.page.getByTestId('node-prompt').inputValue()).resolves.toBe(
    'Write a three-line draft about {{input.topic}}',
  );

  // Second node, added after the selected one: connected to it and fed its output.
  await c.page.getByTestId('add-node-agent').selectOption('reviewer');
  await expect(c.page.getByTestId('add-agent-node').textContent()).resolves.toBe(
    `Add agent node after ${AGENT.slug}`,
  );
  await c.page.getByTestId('add-agent-node').click();
  await c.page.getByTestId('editor-node-reviewer').waitFor();
  await expect(c.page.getByTestId('node-prompt').inputValue()).resolves.toBe(
    `{{steps.${AGENT.slug}.output}}`,
  );
  await c.page
    .getByTestId('node-prompt')
    .fill(`Review this draft:\n\n{{steps.${AGENT.slug}.output}}`);
  await expect(c.page.getByTestId(`parent-${AGENT.slug}`).isChecked()).resolves.toBe(true);
  await expect(
    c.page.locator('[data-testid="workflow-canvas"] .react-flow__node').count(),
  ).resolves.toBe(2);
  await expect(
    c.page.locator('[data-testid="workflow-canvas"] .react-flow__edge').count(),
  ).resolves.toBe(1);
  await shot(c.page, 'workflow-editor', '[data-testid="workflow-canvas"]');

  await c.page.getByTestId('workflow-save').click();
  await c.page.waitForURL(`**/#/workflows/${WORKFLOW.slug}`);
  await c.page.getByRole('heading', { level: 1, name: WORKFLOW.name }).waitFor();
  await c.page.getByTestId(`editor-node-reviewer`).waitFor();
  const saved = await c.stack.call('GET', `/v1/workflows/${WORKFLOW.slug}`, {
    token: await c.stack.adminToken(),
  });
  expect(saved.body).toMatchObject({
    version: 1,
    inputs: [{ name: 'topic' }],
    nodes: [
      {
        id: AGENT.slug,
        type: 'agent',
        agent: AGENT.slug,
        prompt: 'Write a three-line draft about {{input.topic}}',
      },
      {
        id: 'reviewer',
        type: 'agent',
        agent: 'reviewer',
        prompt: `Review this draft:\n\n{{steps.${AGENT.slug}.output}}`,
      },
    ],
    edges: [{ from: AGENT.slug, to: 'reviewer' }],
  });
});

test('run it: the DAG updates live to SUCCEEDED; a step shows its output and cost', async () => {
  await c.page.getByTestId('workflow-run').click();
  await c.page.getByTestId('start-run-form').waitFor();
  await c.page.getByTestId('run-input-topic').fill('lighthouses');
  // Watch the DAG from this document on: the run page is reached without a reload.
  await c.page.evaluate(STATUS_LOG_SCRIPT);
  await c.page.getByTestId('start-run-submit').click();

  await c.page.waitForURL('**/#/runs/*');
  e2eRunId = hashOf(c.page).slice('#/runs/'.length);
  await c.page.getByTestId('run-dag').waitFor();
  await c.page
    .locator('[data-testid="run-status"][data-status="SUCCEEDED"]')
    .waitFor({ timeout: 30_000 });
  // React Flow keeps a node hidden until it has measured it; on a loaded machine that can take a while.
  await c.page
    .locator('[data-testid="step-node-reviewer"][data-status="SUCCEEDED"]')
    .waitFor({ timeout: 30_000 });

  const { pageId, log } = await c.page.evaluate(() => {
    const w = window as unknown as {
      __pageId?: string;
      __statusLog?: { node: string; status: string }[];
    };
    return { pageId: w.__pageId, log: w.__statusLog ?? [] };
  });
  expect(pageId).toBeDefined(); // the same document throughout: no reload happened
  const seen = (node: string) => log.filter((e) => e.node === node).map((e) => e.status);
  // Each node was drawn before it finished and then changed in place to SUCCEEDED.
  for (const node of [AGENT.slug, 'reviewer']) {
    expect(seen(node).at(-1)).toBe('SUCCEEDED');
    expect(seen(node).length).toBeGreaterThan(1);
    expect(seen(node)[0]).not.toBe('SUCCEEDED');
  }
  expect(seen('reviewer')).toContain('PENDING');

  const run = (
    await c.stack.call('GET', `/v1/runs/${e2eRunId}`, { token: await c.stack.adminToken() })
  ).body;
  expect(run.status).toBe('SUCCEEDED');
  const reviewer = run.steps.find((s: { nodeId: string }) => s.nodeId === 'reviewer');

  await c.page.getByTestId('step-node-reviewer').click();
  const panel = c.page.getByTestId('step-panel');
  await panel.waitFor();
  await expect(panel.getByTestId('step-output').textContent()).resolves.toContain(
    'local simulator',
  );
  await expect(panel.getByTestId('step-cost').textContent()).resolves.toBe(
    formatUsd(reviewer.costUsd),
  );
  await expect(panel.getByTestId('step-model').textContent()).resolves.toBe(
    `${reviewer.provider}:${reviewer.model}`,
  );
  await expect(panel.getByTestId('attempt-row').count()).resolves.toBeGreaterThan(0);
  await expect(panel.getByTestId('step-prompt').textContent()).resolves.toContain(
    'Review this draft:',
  );
  await expect(c.page.getByTestId('run-cost').textContent()).resolves.toBe(formatUsd(run.costUsd));
  await expect(c.page.getByTestId('run-rerun').isVisible()).resolves.toBe(true);
});

test('screenshots: workflows', async () => {
  await c.page.goto(at('/workflows'));
  await c.page.getByTestId('workflows-list').waitFor();
  await shot(c.page, 'workflows');
});

test('no uncaught errors in the page during the whole session', () => {
  expect(c.pageErrors).toEqual([]);
});
