/**
 * The web console end to end, the workflow language in the editor: build a workflow with a
 * router, two conditional branches and a bounded review loop from the palette and the forms (no
 * JSON typed), save it, run it on the simulator and see on the run page the branch taken, the
 * branch skipped with its reason, and the loop's iterations. Screenshots: docs/console/
 * editor-condition.png and editor-loop.png. The simulator's router answers the route its prompt
 * mentions first, so the input steers the branch.
 */
import { jest } from '@jest/globals';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { hashOf, shot, signInAsAdmin, useConsole } from './support';

jest.setTimeout(120_000);

const c = useConsole();
const SLUG = 'e2e-triage-loop';

beforeAll(async () => {
  await signInAsAdmin(c, '/workflows');
});

/** axe's serious or critical WCAG 2.1 A/AA findings on the page as it is now. */
async function serious(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const found = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const result = await run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? '',
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.targets.join(', ')}`);
}

async function rename(page: Page, id: string) {
  await page.getByTestId('node-id').fill(id);
  await page.getByTestId('node-id').press('Enter');
  await page.getByTestId(`editor-node-${id}`).waitFor();
}

test('build a router with conditional branches and a bounded loop, save it', async () => {
  const page = c.page;
  await page.goto(c.at('/workflows/new'));
  await page.getByTestId('canvas-empty').waitFor();
  await page.getByTestId('workflow-name').fill('E2E triage loop');
  await page.getByTestId('input-add').click();
  await page.getByTestId('input-name-0').fill('kind');

  // The router: the reviewer agent picks bug or question from the input.
  await page.getByTestId('add-node-agent').selectOption('reviewer');
  await page.getByTestId('add-node-router').click();
  await rename(page, 'triage');
  await page.getByTestId('route-0').fill('bug');
  await page.getByTestId('route-1').fill('question');
  await page.getByTestId('node-prompt').fill('Is this a bug or a question? {{input.kind}}');

  // Two branches after the router, and a check after the fix.
  await page.getByTestId('add-node-agent').selectOption('pm');
  await page.getByTestId('add-agent-node').click();
  await rename(page, 'fix');
  await page.getByTestId('add-agent-node').click();
  await rename(page, 'check');
  await page.getByRole('button', { name: 'Close node editor' }).click();
  await page.getByTestId('select-node-triage').click();
  await page.getByTestId('add-agent-node').click();
  await rename(page, 'answer');
  await page.getByRole('button', { name: 'Close node editor' }).click();

  // Conditions on the router's two edges, with the form.
  for (const [to, route] of [
    ['answer', 'question'],
    ['fix', 'bug'],
  ] as const) {
    await page.getByTestId(`select-edge-triage-${to}`).click();
    const inspector = page.getByTestId('edge-inspector');
    await inspector.getByTestId('condition-add').click();
    await expect(inspector.getByTestId('condition-path').inputValue()).resolves.toBe(
      'steps.triage.output',
    );
    await inspector.getByTestId('condition-value').fill(route);
    await expect(inspector.getByTestId('condition-summary').textContent()).resolves.toBe(
      `steps.triage.output = "${route}"`,
    );
    if (to === 'answer') await page.getByRole('button', { name: 'Close edge editor' }).click();
  }
  // The condition is the edge's label on the canvas.
  const bugLabel = page.locator('.react-flow__edge-textwrapper', {
    hasText: 'if steps.triage.output = "bug"',
  });
  await bugLabel.waitFor();
  await expect(page.getByTestId('live-problems').count()).resolves.toBe(0);
  await shot(page, 'editor-condition', '[data-testid="palette"]');
  await expect(serious(page)).resolves.toEqual([]);

  // The loop: check goes back to fix while it does not approve, at most twice.
  await page.getByRole('button', { name: 'Close edge editor' }).click();
  await page.getByTestId('select-node-check').click();
  await page.getByTestId('loop-back').selectOption('fix');
  const loop = page.getByTestId('edge-inspector');
  await expect(loop.getByRole('heading').textContent()).resolves.toContain('Loop edge');
  await loop.getByTestId('edge-max-iterations').fill('25');
  await expect(loop.getByTestId('edge-issues').textContent()).resolves.toMatch(/20/);
  await loop.getByTestId('edge-max-iterations').fill('2');
  await loop.getByTestId('condition-value').fill('APPROVE');
  await expect(loop.getByTestId('condition-summary').textContent()).resolves.toBe(
    'steps.check.output ≠ "APPROVE"',
  );
  await expect(loop.getByTestId('edge-issues').count()).resolves.toBe(0);
  const loopEdge = page.locator('.react-flow__edge.edge-loop');
  await expect(loopEdge.count()).resolves.toBe(1);
  await expect(
    loopEdge.locator('path.react-flow__edge-path').getAttribute('style'),
  ).resolves.toContain('stroke-dasharray');
  await page
    .locator('.react-flow__edge-textwrapper', { hasText: '×2 · if steps.check.output' })
    .waitFor();
  await shot(page, 'editor-loop', '[data-testid="palette"]');
  await expect(serious(page)).resolves.toEqual([]);

  await page.getByTestId('workflow-save').click();
  await page.waitForURL(`**/#/workflows/${SLUG}`);
  await page.getByTestId('workflow-run').waitFor();
  const saved = await c.stack.call('GET', `/v1/workflows/${SLUG}`, {
    token: await c.stack.adminToken(),
  });
  expect(saved.body.nodes).toEqual([
    {
      id: 'triage',
      type: 'router',
      agent: 'reviewer',
      prompt: 'Is this a bug or a question? {{input.kind}}',
      routes: ['bug', 'question'],
    },
    { id: 'fix', type: 'agent', agent: 'pm', prompt: '{{steps.triage.output}}' },
    { id: 'check', type: 'agent', agent: 'pm', prompt: '{{steps.fix.output}}' },
    { id: 'answer', type: 'agent', agent: 'pm', prompt: '{{steps.triage.output}}' },
  ]);
  expect(saved.body.edges).toEqual(
    expect.arrayContaining([
      { from: 'triage', to: 'fix', if: { path: 'steps.triage.output', equals: 'bug' } },
      { from: 'triage', to: 'answer', if: { path: 'steps.triage.output', equals: 'question' } },
      { from: 'fix', to: 'check' },
      {
        from: 'check',
        to: 'fix',
        maxIterations: 2,
        if: { path: 'steps.check.output', notEquals: 'APPROVE' },
      },
    ]),
  );
  expect(saved.body.edges).toHaveLength(4);
});

test('run it: the bug branch is taken twice round the loop, the question branch skipped', async () => {
  const page = c.page;
  await page.getByTestId('workflow-run').click();
  await page.getByTestId('run-input-kind').fill('a bug: the page crashes');
  await page.getByTestId('start-run-submit').click();
  await page.waitForURL('**/#/runs/*');
  const runId = hashOf(page).slice('#/runs/'.length);
  await page
    .locator('[data-testid="run-status"][data-status="SUCCEEDED"]')
    .waitFor({ timeout: 60_000 });

  await page.locator('[data-testid="step-node-answer"][data-status="SKIPPED"]').waitFor();
  await page.getByTestId('step-node-answer').click();
  const panel = page.getByTestId('step-panel');
  await expect(panel.getByTestId('step-skip-reason').textContent()).resolves.toBe(
    'Skipped: no branch leads here: the condition on triage -> answer is false',
  );
  await page.locator('[data-testid="step-node-fix"][data-status="SUCCEEDED"]').waitFor();
  await page.getByTestId('step-node-fix').click();
  await expect(panel.getByTestId('step-iteration').textContent()).resolves.toBe('2');

  const run = (
    await c.stack.call('GET', `/v1/runs/${runId}`, { token: await c.stack.adminToken() })
  ).body;
  const of = (id: string) =>
    run.steps
      .filter((s: { nodeId: string }) => s.nodeId === id)
      .map((s: { status: string; iteration?: number }) => `${s.status}@${s.iteration ?? 1}`);
  expect(of('triage')).toEqual(['SUCCEEDED@1']);
  expect(of('fix')).toEqual(['SUCCEEDED@1', 'SUCCEEDED@2']);
  expect(of('check')).toEqual(['SUCCEEDED@1', 'SUCCEEDED@2']);
  expect(of('answer')).toEqual(['SKIPPED@1']);
  await expect(serious(page)).resolves.toEqual([]);
});

test('no uncaught errors in the page during the whole session', () => {
  expect(c.pageErrors).toEqual([]);
});
