/**
 * The web console end to end, editing: create an agent, build a two-node workflow in the editor,
 * run it from the editor and watch the DAG update live (the step panel shows output and cost).
 * The tests run in order and build on each other (agent → workflow → run). Screenshots go to
 * docs/console/.
 */
import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatUsd } from '../../web/src/format';
import type { TestStack } from '../support/stack';
import {
  AGENT,
  type ConsoleSession,
  hashOf,
  openConsole,
  seedFailingWorkflow,
  shot,
  signInAsAdmin,
  STATUS_LOG_SCRIPT,
  WORKFLOW,
} from './support';

jest.setTimeout(90_000);

let c: ConsoleSession;
let stack: TestStack;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
let pageErrors: string[];
const at = (path: string) => c.at(path);
let e2eRunId: string;

beforeAll(async () => {
  // The simulator answers slowly enough (0.8 s a call) that a run is visibly RUNNING for a while.
  c = await openConsole({ latencyMs: 800 });
  ({ stack, browser, admin, page, pageErrors } = c);
  // The demo agents plus `broken` (five on the list) and the nightly-digest workflow.
  await seedFailingWorkflow(stack);
  await signInAsAdmin(c, '/agents');
});

afterAll(async () => {
  await c?.close();
});

test('create an agent', async () => {
  await page.goto(at('/agents'));
  await page.getByTestId('agents-table').waitFor();
  await expect(page.getByTestId('agent-row').count()).resolves.toBe(5);
  await shot(page, 'agents');

  await page.getByTestId('agent-new').click();
  await page.getByTestId('agent-form').waitFor();
  await page.getByTestId('agent-name').fill(AGENT.name);
  await page.getByTestId('agent-slug').fill(AGENT.slug);
  await page.getByTestId('agent-role').fill(AGENT.role);
  await page.getByTestId('agent-model').fill('openai:gpt-4.1-mini');
  await page.getByTestId('agent-system-prompt').fill(AGENT.system);
  await page.getByTestId('agent-temperature').fill('0.4');
  await page.getByTestId('agent-save').click();

  await page.waitForURL(`**/#/agents/${AGENT.slug}`);
  await page.getByRole('heading', { level: 1, name: AGENT.name }).waitFor();
  await expect(page.getByTestId('agent-save').textContent()).resolves.toBe('Save new version');
  await expect(page.getByTestId('agent-model').inputValue()).resolves.toBe('openai:gpt-4.1-mini');
  const stored = await stack.call('GET', `/v1/agents/${AGENT.slug}`, { token: await stack.adminToken() });
  expect(stored.body).toMatchObject({ name: AGENT.name, role: AGENT.role, systemPrompt: AGENT.system, model: 'openai:gpt-4.1-mini', parameters: { temperature: 0.4 }, version: 1 });
  await page.getByTestId('agent-versions').waitFor();
  await shot(page, 'agent-edit');
});

test('build a two-node workflow in the editor and save it', async () => {
  await page.goto(at('/workflows'));
  await page.getByTestId('workflow-new').click();
  await page.getByTestId('workflow-canvas').waitFor();
  await page.getByTestId('canvas-empty').waitFor();

  await page.getByTestId('workflow-name').fill(WORKFLOW.name);
  await expect(page.getByTestId('workflow-slug').inputValue()).resolves.toBe(WORKFLOW.slug);
  await page.getByTestId('input-add').click();
  await page.getByTestId('input-name-0').fill('topic');

  // First node: the new agent; its prompt references the declared input through a chip.
  await page.getByTestId('add-node-agent').selectOption(AGENT.slug);
  await page.getByTestId('add-agent-node').click();
  await page.getByTestId(`editor-node-${AGENT.slug}`).waitFor();
  await page.getByTestId('node-inspector').waitFor();
  await page.getByTestId('node-prompt').fill('Write a three-line draft about ');
  await page.getByTestId('ref-chip-input.topic').click();
  await expect(page.getByTestId('node-prompt').inputValue()).resolves.toBe('Write a three-line draft about {{input.topic}}');

  // Second node, added after the selected one: connected to it and fed its output.
  await page.getByTestId('add-node-agent').selectOption('reviewer');
  await expect(page.getByTestId('add-agent-node').textContent()).resolves.toBe(`Add agent node after ${AGENT.slug}`);
  await page.getByTestId('add-agent-node').click();
  await page.getByTestId('editor-node-reviewer').waitFor();
  await expect(page.getByTestId('node-prompt').inputValue()).resolves.toBe(`{{steps.${AGENT.slug}.output}}`);
  await page.getByTestId('node-prompt').fill(`Review this draft:\n\n{{steps.${AGENT.slug}.output}}`);
  await expect(page.getByTestId(`parent-${AGENT.slug}`).isChecked()).resolves.toBe(true);
  await expect(page.locator('[data-testid="workflow-canvas"] .react-flow__node').count()).resolves.toBe(2);
  await expect(page.locator('[data-testid="workflow-canvas"] .react-flow__edge').count()).resolves.toBe(1);
  await shot(page, 'workflow-editor', '[data-testid="workflow-canvas"]');

  await page.getByTestId('workflow-save').click();
  await page.waitForURL(`**/#/workflows/${WORKFLOW.slug}`);
  await page.getByRole('heading', { level: 1, name: WORKFLOW.name }).waitFor();
  await page.getByTestId(`editor-node-reviewer`).waitFor();
  const saved = await stack.call('GET', `/v1/workflows/${WORKFLOW.slug}`, { token: await stack.adminToken() });
  expect(saved.body).toMatchObject({
    version: 1,
    inputs: [{ name: 'topic' }],
    nodes: [
      { id: AGENT.slug, type: 'agent', agent: AGENT.slug, prompt: 'Write a three-line draft about {{input.topic}}' },
      { id: 'reviewer', type: 'agent', agent: 'reviewer', prompt: `Review this draft:\n\n{{steps.${AGENT.slug}.output}}` },
    ],
    edges: [{ from: AGENT.slug, to: 'reviewer' }],
  });
});

test('run it: the DAG updates live to SUCCEEDED; a step shows its output and cost', async () => {
  await page.getByTestId('workflow-run').click();
  await page.getByTestId('start-run-form').waitFor();
  await page.getByTestId('run-input-topic').fill('lighthouses');
  // Watch the DAG from this document on: the run page is reached without a reload.
  await page.evaluate(STATUS_LOG_SCRIPT);
  await page.getByTestId('start-run-submit').click();

  await page.waitForURL('**/#/runs/*');
  e2eRunId = hashOf(page).slice('#/runs/'.length);
  await page.getByTestId('run-dag').waitFor();
  await page.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
  // React Flow keeps a node hidden until it has measured it; on a loaded machine that can take a while.
  await page.locator('[data-testid="step-node-reviewer"][data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });

  const { pageId, log } = await page.evaluate(() => {
    const w = window as unknown as { __pageId?: string; __statusLog?: { node: string; status: string }[] };
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

  const run = (await stack.call('GET', `/v1/runs/${e2eRunId}`, { token: await stack.adminToken() })).body;
  expect(run.status).toBe('SUCCEEDED');
  const reviewer = run.steps.find((s: { nodeId: string }) => s.nodeId === 'reviewer');

  await page.getByTestId('step-node-reviewer').click();
  const panel = page.getByTestId('step-panel');
  await panel.waitFor();
  await expect(panel.getByTestId('step-output').textContent()).resolves.toContain('local simulator');
  await expect(panel.getByTestId('step-cost').textContent()).resolves.toBe(formatUsd(reviewer.costUsd));
  await expect(panel.getByTestId('step-model').textContent()).resolves.toBe(`${reviewer.provider}:${reviewer.model}`);
  await expect(panel.getByTestId('attempt-row').count()).resolves.toBeGreaterThan(0);
  await expect(panel.getByTestId('step-prompt').textContent()).resolves.toContain('Review this draft:');
  await expect(page.getByTestId('run-cost').textContent()).resolves.toBe(formatUsd(run.costUsd));
  await expect(page.getByTestId('run-rerun').isVisible()).resolves.toBe(true);
});

test('screenshots: workflows', async () => {
  await page.goto(at('/workflows'));
  await page.getByTestId('workflows-list').waitFor();
  await shot(page, 'workflows');
});

test('no uncaught errors in the page during the whole session', () => {
  expect(pageErrors).toEqual([]);
});
