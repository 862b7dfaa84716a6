/**
 * The web console end to end, this round's automation pages: a schedule with its next firings, an
 * agent step's tool calls in the step panel, and the workflow import preview. Real local platform,
 * Debian's headless Chromium; screenshots go to docs/console/.
 */
import { jest } from '@jest/globals';
import { ADMIN_PASSWORD } from '../support/stack';
import { ADMIN, shot, signInThroughForm, useConsole } from './support';

jest.setTimeout(90_000);

const c = useConsole();

async function api(method: string, path: string, body?: unknown) {
  const res = await c.stack.call(method, path, { token: await c.stack.adminToken(), body });
  if (res.status >= 300)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function finished(runId: string): Promise<{ status: string }> {
  for (;;) {
    const run = await api('GET', `/v1/runs/${runId}`);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  await c.page.goto(c.at('/runs'));
  await signInThroughForm(c.page, ADMIN, ADMIN_PASSWORD);
});

afterAll(() => {
  expect(c.pageErrors).toEqual([]);
});

test('the schedules page lists a schedule with its next firings', async () => {
  // Prepare
  const schedule = await api('POST', '/v1/schedules', {
    workflowId: 'feature-pipeline',
    cron: '0 9 * * 1-5',
    timezone: 'Europe/Berlin',
    input: { feature: 'Weekly dependency report' },
    enabled: true,
  });

  // Act
  await c.page.goto(c.at('/schedules'));
  const card = c.page.getByTestId(`schedule-${schedule.id}`);
  await card.waitFor();

  // Assess
  await expect(card.textContent()).resolves.toContain('0 9 * * 1-5');
  await shot(c.page, 'schedules');
});

test("the step panel shows an agent's tool calls", async () => {
  // Prepare: an agent allowed http.get, asked to read the platform's own health endpoint
  await api('POST', '/v1/agents', {
    slug: 'fetcher',
    name: 'Fetcher',
    model: 'simulator:sim-1',
    systemPrompt: 'Read the page, then summarise it.',
    tools: ['http.get'],
  });
  await api('POST', '/v1/workflows', {
    slug: 'fetch-and-summarise',
    name: 'Fetch and summarise',
    inputs: [{ name: 'url', required: true }],
    nodes: [{ id: 'fetch', type: 'agent', agent: 'fetcher', prompt: 'Summarise {{input.url}}' }],
    edges: [],
  });
  const started = await api('POST', '/v1/workflows/fetch-and-summarise/runs', {
    input: { url: `${c.stack.url}/health` },
  });
  expect((await finished(started.runId)).status).toBe('SUCCEEDED');

  // Act
  await c.page.goto(c.at(`/runs/${started.runId}`));
  await c.page.getByTestId('step-node-fetch').click();
  const call = c.page.getByTestId('tool-call').first();
  await call.waitFor();

  // Assess
  await expect(call.getByTestId('tool-call-name').textContent()).resolves.toContain('http.get');
  await shot(c.page, 'run-tool-calls', '[data-testid="step-tool-calls"]');
});

test('importing a workflow file previews each document before applying', async () => {
  // Prepare: the seeded workflow exported, with a changed description
  const exported = await c.stack.call('GET', '/v1/workflows/feature-pipeline/export?format=yaml', {
    token: await c.stack.adminToken(),
  });
  const changed = String(exported.body).replace(/^description: .*$/m, 'description: Imported');

  // Act
  await c.page.goto(c.at('/workflows'));
  await c.page.getByTestId('import-file-input').setInputFiles({
    name: 'feature-pipeline.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(changed),
  });
  const row = c.page.getByTestId('import-row').first();
  await row.waitFor();

  // Assess
  await expect(row.getAttribute('data-outcome')).resolves.toBe('updated');
  await shot(c.page, 'workflow-import');
});
