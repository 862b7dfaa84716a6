/**
 * The web console end to end, the approval inbox and trying an agent (issue 13): the Approvals
 * page lists two waiting runs with what is to be approved, the nav counts them, one is rejected
 * with a reason and one approved in place; the seeded researcher is tried from its page and
 * answers from the handbook through a knowledge.search tool call. axe finds no serious or
 * critical violation on either page. Screenshots: approvals-inbox, agent-try.
 */
import { jest } from '@jest/globals';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { shot, signInAsAdmin, useConsole } from './support';

jest.setTimeout(120_000);

const c = useConsole();
const runIds: string[] = [];

async function token() {
  return c.stack.adminToken();
}

/** axe's serious and critical WCAG 2.1 A/AA violations on the page as it is now. */
async function audit(page: Page) {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const result = await run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

beforeAll(async () => {
  const t = await token();
  const flow = await c.stack.call('POST', '/v1/workflows', {
    token: t,
    body: {
      slug: 'release-notes',
      name: 'Release notes',
      inputs: [{ name: 'release', required: true }],
      nodes: [
        {
          id: 'draft',
          type: 'agent',
          agent: 'pm',
          prompt: 'Draft short release notes for {{input.release}}.',
        },
        {
          id: 'signoff',
          type: 'approval',
          prompt: 'Publish the release notes for {{input.release}}?',
        },
        { id: 'publish', type: 'agent', agent: 'pm', prompt: 'Announce:\n{{steps.draft.output}}' },
      ],
      edges: [
        { from: 'draft', to: 'signoff' },
        { from: 'signoff', to: 'publish' },
      ],
    },
  });
  expect(flow.status).toBe(201);
  for (const release of ['v2.3', 'v2.4']) {
    const started = await c.stack.call('POST', '/v1/workflows/release-notes/runs', {
      token: t,
      body: { input: { release } },
    });
    expect(started.status).toBe(202);
    expect((await c.stack.waitForRun(t, started.body.runId)).status).toBe('WAITING');
    runIds.push(started.body.runId);
  }
  await signInAsAdmin(c);
});

test('the Approvals page shows what waits, counts it in the nav, and decides in place', async () => {
  const page = c.page;
  await page.goto(c.at('/approvals'));
  await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
  const items = page.getByTestId('approval-item');
  await items.nth(1).waitFor();
  expect(await items.count()).toBe(2);
  await expect(page.getByTestId('approvals-count').textContent()).resolves.toBe('2 waiting');
  const first = items.nth(0);
  await expect(first.getByTestId('approval-message').textContent()).resolves.toBe(
    'Publish the release notes for v2.3?',
  );
  const draft = await c.stack.call('GET', `/v1/runs/${runIds[0]}/steps/draft`, {
    token: await token(),
  });
  const gate = (await first.getByTestId('approval-gate').textContent()) ?? '';
  expect(gate).toContain('Output of draft');
  expect(gate).toContain(String(draft.body.output).split('\n')[0].slice(0, 60));
  expect(await audit(page)).toEqual([]);
  await shot(page, 'approvals-inbox');

  // Reject the second with a reason, approve the first: both leave the inbox, the runs move on.
  const second = page.locator(`[data-testid="approval-item"][data-run="${runIds[1]}"]`);
  await second.getByTestId('approval-reason').fill('The v2.4 notes miss the migration steps');
  await second.getByTestId('approval-reject').click();
  await page.getByTestId('approval-done').getByText('rejected').waitFor();
  await page.locator(`[data-testid="approval-item"][data-run="${runIds[0]}"]`).waitFor();
  await page.getByTestId('approval-approve').click();
  await page.getByTestId('empty-state').waitFor();
  await page.getByTestId('approvals-count').waitFor({ state: 'detached' });
  const t = await token();
  expect((await c.stack.waitForRun(t, runIds[0])).status).toBe('SUCCEEDED');
  const rejected = await c.stack.waitForRun(t, runIds[1]);
  expect(rejected.status).toBe('FAILED');
  expect(rejected.steps.find((s: any) => s.nodeId === 'signoff').error.message).toBe(
    'The v2.4 notes miss the migration steps',
  );
  expect(c.pageErrors).toEqual([]);
});

test('the seeded researcher is tried from its page: answer, tool call and trace', async () => {
  const page = c.page;
  await page.goto(c.at('/agents/researcher'));
  await page.getByRole('heading', { level: 1, name: 'Handbook researcher' }).waitFor();
  // The handbook is ingested in the background after the first start.
  const t = await token();
  const kbs = await c.stack.call('GET', '/v1/knowledge-bases', { token: t });
  const kb = kbs.body.items.find((k: any) => k.name === 'Team handbook');
  for (const deadline = Date.now() + 30_000; ; ) {
    const docs = await c.stack.call('GET', `/v1/knowledge-bases/${kb.id}/documents`, { token: t });
    if (docs.body.items[0]?.status === 'ready') break;
    if (Date.now() > deadline) throw new Error(`handbook not ready: ${JSON.stringify(docs.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await page.getByTestId('try-prompt').fill('How often does on-call rotate?');
  await page.getByTestId('try-run').click();
  await page.locator('[data-testid="try-result"][data-status="SUCCEEDED"]').waitFor();
  await expect(page.getByTestId('tool-call-name').textContent()).resolves.toBe('knowledge.search');
  await expect(page.getByTestId('try-answer').textContent()).resolves.toContain(
    'On-call rotates weekly',
  );
  expect(await page.getByTestId('attempt-row').count()).toBe(2);
  await page.getByTestId('tool-call').locator('summary').click();
  expect(await audit(page)).toEqual([]);
  await shot(page, 'agent-try', '[data-testid="try-panel"]');
  expect(c.pageErrors).toEqual([]);
});
