/**
 * The web console end to end, accessibility: axe-core (the engine behind Lighthouse and axe
 * DevTools) runs inside Chromium on the main pages, sign-in to usage, with a finished run on the
 * run page. No serious or critical violation of WCAG 2.1 A/AA may remain.
 */
import { jest } from '@jest/globals';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import {
  seedEditedWorkflow,
  seedKnowledgeBase,
  signInThroughForm,
  useConsole,
  ADMIN,
  WORKFLOW,
} from './support';
import { ADMIN_PASSWORD } from '../support/stack';

jest.setTimeout(180_000);

const c = useConsole();
let runId: string;

beforeAll(async () => {
  const edited = await seedEditedWorkflow(c.stack, { run: true });
  runId = edited.runId as string;
  await Promise.all([seedKnowledgeBase(c.stack), edited.runDone]);
});

interface Finding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * axe's verdict on the page as it is now. Injected through the debugging protocol (evaluate),
 * which the console's strict CSP does not apply to, as a browser extension's would not be.
 */
async function audit(page: Page): Promise<Finding[]> {
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
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

test('axe finds no serious or critical violation on the main pages (and the import dialog)', async () => {
  const page = c.page;
  const found: Record<string, Finding[]> = {};
  const check = async (name: string, ready: () => Promise<unknown>) => {
    await ready();
    found[name] = await audit(page);
  };

  await page.goto(c.at('/runs'));
  await check('sign-in', () => page.getByTestId('sign-in-submit').waitFor());
  await signInThroughForm(page, ADMIN, ADMIN_PASSWORD);

  await page.goto(c.at('/'));
  await check('dashboard', () => page.getByTestId('runs-table').waitFor());
  await page.goto(c.at('/runs'));
  await check('runs list', () => page.getByTestId('runs-table').waitFor());
  await page.goto(c.at(`/runs/${runId}`));
  await check('run page', async () => {
    await page.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor();
    await page.getByTestId('run-dag').waitFor();
  });
  await page.goto(c.at(`/workflows/${WORKFLOW.slug}`));
  await check('workflow editor', () => page.getByTestId('editor-node-reviewer').waitFor());
  await page.goto(c.at('/workflows'));
  await check('workflows', () => page.getByTestId('workflows-list').waitFor());
  // The import dialog, with a preview of a file that matches what is there
  const token = await c.stack.adminToken();
  const exported = await c.stack.call(
    'GET',
    `/v1/workflows/${WORKFLOW.slug}/export?format=yaml&include=agents`,
    { token },
  );
  await page.getByTestId('import-file-input').setInputFiles({
    name: `${WORKFLOW.slug}.workflow.yaml`,
    mimeType: 'application/yaml',
    buffer: Buffer.from(String(exported.body)),
  });
  await check('import preview', () => page.getByTestId('import-summary').waitFor());
  const summary = await page.getByTestId('import-summary').textContent();
  await page.keyboard.press('Escape');
  await page.goto(c.at('/agents'));
  await check('agents', () => page.getByTestId('agents-table').waitFor());
  await page.goto(c.at('/knowledge'));
  await check('knowledge', () => page.getByRole('heading', { name: 'Knowledge' }).waitFor());
  await page.goto(c.at('/usage'));
  await check('usage', () => page.getByRole('heading', { name: 'Usage' }).waitFor());

  const serious = Object.entries(found).filter(([, v]) => v.length > 0);
  expect(Object.fromEntries(serious)).toEqual({});
  expect(Object.keys(found)).toHaveLength(10);
  expect(summary).toBe('The file matches what is there: nothing to change.');
  expect(c.pageErrors).toEqual([]);
});

test('Export downloads the YAML the API renders, in Chromium', async () => {
  // Prepare
  const page = c.page;
  const token = await c.stack.adminToken();
  const api = await c.stack.call(
    'GET',
    `/v1/workflows/${WORKFLOW.slug}/export?format=yaml&include=agents`,
    { token },
  );
  await page.goto(c.at('/workflows'));
  const card = page.locator(`[data-testid="workflow-card"][data-slug="${WORKFLOW.slug}"]`);

  // Act
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByTestId('export-file').click(),
  ]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));

  // Assess
  expect(download.suggestedFilename()).toBe(`${WORKFLOW.slug}.workflow.yaml`);
  expect(Buffer.concat(chunks).toString('utf8')).toBe(api.body);
  expect(c.pageErrors).toEqual([]);
});
