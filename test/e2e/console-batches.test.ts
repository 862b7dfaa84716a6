/**
 * The web console end to end, batches: start a batch of six inputs from a workflow's page (a
 * .json file picked in the dialog), watch its page refresh until all six runs succeeded, and find it
 * in the Batches list. A refused input shows the API's per-input detail. Real local platform on
 * the simulator, Debian's headless Chromium, axe clean; screenshot docs/console/batch.png.
 */
import { jest } from '@jest/globals';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { hashOf, shot, signInAsAdmin, useConsole } from './support';

jest.setTimeout(180_000);

const c = useConsole();
const SLUG = 'e2e-batch-summary';

beforeAll(async () => {
  const res = await c.stack.call('POST', '/v1/workflows', {
    token: await c.stack.adminToken(),
    body: {
      slug: SLUG,
      name: 'E2E batch summary',
      inputs: [{ name: 'title', required: true }],
      nodes: [{ id: 'summary', type: 'agent', agent: 'pm', prompt: 'Summarise {{input.title}}' }],
      edges: [],
    },
  });
  if (res.status !== 201) throw new Error(`workflow: ${res.status} ${JSON.stringify(res.body)}`);
  await signInAsAdmin(c, `/workflows/${SLUG}`);
});

afterAll(() => {
  expect(c.pageErrors).toEqual([]);
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

const lines = (titles: string[]) => titles.map((t) => JSON.stringify({ title: t })).join('\n');

test('a refused input is named in the dialog, as the API names it', async () => {
  // Prepare
  const page = c.page;
  await page.goto(c.at(`/workflows/${SLUG}`));
  await page.getByTestId('workflow-batch').click();

  // Act: the third line has no title
  await page.getByTestId('batch-text').fill(`${lines(['a', 'b'])}\n{"topic":"c"}`);
  await expect(page.getByTestId('batch-count').textContent()).resolves.toBe('3 inputs read.');
  await page.getByTestId('start-batch-submit').click();

  // Assess
  const details = page.getByTestId('batch-error-details');
  await details.waitFor();
  await expect(details.textContent()).resolves.toContain('inputs[2].title');
  expect(await serious(page)).toEqual([]);
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
});

test('start a batch of six from a .json file, watch it complete, find it in the list', async () => {
  // Prepare
  const page = c.page;
  const titles = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'];
  await page.goto(c.at(`/workflows/${SLUG}`));
  await page.getByTestId('workflow-batch').click();

  // Act
  // A .json file: an array of input objects (the other test pastes JSON Lines).
  await page.getByTestId('batch-file').setInputFiles({
    name: 'titles.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(titles.map((title) => ({ title })))),
  });
  await page.getByTestId('batch-concurrency').fill('3');
  await expect(page.getByTestId('batch-count').textContent()).resolves.toBe(
    '6 inputs read from titles.json.',
  );
  await page.getByTestId('start-batch-submit').click();
  await page.waitForURL(/#\/batches\/[0-9a-f-]{36}$/);
  const batchId = hashOf(page).replace('#/batches/', '');
  // The page refreshes itself while the batch runs: no reload here.
  await page
    .locator('[data-testid="batch-status"][data-status="COMPLETED"]')
    .waitFor({ timeout: 150_000 });

  // Assess: all six succeeded, each run listed and linked, and the bar is all green
  await expect(page.getByTestId('batch-count-succeeded').textContent()).resolves.toBe(
    'succeeded: 6',
  );
  await expect(page.getByTestId('batch-count-notStarted').textContent()).resolves.toBe(
    'not started: 0',
  );
  await expect(page.getByTestId('batch-run-row').count()).resolves.toBe(6);
  await expect(
    page.locator('[data-testid="batch-run-row"] [data-status="SUCCEEDED"]').count(),
  ).resolves.toBe(6);
  await expect(page.getByTestId('batch-seg-succeeded').getAttribute('style')).resolves.toContain(
    'width: 100%',
  );
  await expect(page.getByTestId('batch-cancel').count()).resolves.toBe(0);
  expect(await serious(page)).toEqual([]);
  await shot(page, 'batch');

  // Act: the Batches list, a tab under Runs
  await page.getByRole('link', { name: 'Runs', exact: true }).first().click();
  await page
    .getByRole('navigation', { name: 'Runs and batches' })
    .getByRole('link', { name: 'Batches' })
    .click();
  const row = page.locator(`[data-testid="batch-row"][data-batch-id="${batchId}"]`);
  await row.waitFor();

  // Assess
  await expect(row.textContent()).resolves.toContain('6 of 6 done');
  await expect(row.locator('[data-status="COMPLETED"]').count()).resolves.toBe(1);
  expect(await serious(page)).toEqual([]);
});
