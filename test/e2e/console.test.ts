/**
 * The web console end to end: Debian's headless Chromium (playwright-core) against the real local
 * platform started in-process (API + web/dist + /config.json on one origin, offline simulator).
 * One browser for the whole file; the tests run in order and build on each other (agent →
 * workflow → run). Screenshots of the main pages go to docs/console/; the figures (runs page
 * time to interactive, bundle size) are printed, never asserted.
 */
import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatUsd } from '../../web/src/format';
import { ADMIN_PASSWORD, startTestStack, type TestStack } from '../support/stack';
import {
  ensureConsoleBuilt,
  ensureShotsDir,
  kb,
  launchChromium,
  measureBundle,
  median,
  PHONE,
  RUNS_READY_SCRIPT,
  shot,
  signInThroughForm,
  STATUS_LOG_SCRIPT,
  VIEWPORT,
  WEB_DIR,
} from './support';

jest.setTimeout(90_000);

const ADMIN = 'admin@localhost';
const VIEWER = { email: 'viewer@example.test', password: 'viewer-password-for-e2e' };
const AGENT = { slug: 'e2e-writer', name: 'E2E writer', role: 'Writes short drafts', system: 'You write short, plain drafts.' };
const WORKFLOW = { name: 'E2E draft and review', slug: 'e2e-draft-and-review' };
const REFRESH_KEY = 'hishamos.refreshToken';

let stack: TestStack;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
/** A feature-pipeline run started through the API, for the richer run-page screenshots. */
let pipelineRunId: string;
let pipelineDone: Promise<unknown>;
let failedDone: Promise<{ status: string }>;
let e2eRunId: string;

beforeAll(async () => {
  const [build] = await Promise.all([ensureConsoleBuilt(), ensureShotsDir()]);
  if (build.built) console.log(`web console built in ${build.ms} ms`);
  // The simulator answers slowly enough (0.8 s a call) that a run is visibly RUNNING for a while.
  browser = await launchChromium(); // first: a missing browser fails the suite before anything starts
  stack = await startTestStack({ webDir: WEB_DIR, env: { SIMULATOR_LATENCY_MS: '800' } });
  const token = await stack.adminToken();
  const started = await stack.call('POST', '/v1/workflows/feature-pipeline/runs', { token, body: { input: { feature: 'Dark mode for the settings page', repository: 'web' } } });
  if (started.status !== 202 && started.status !== 201) throw new Error(`could not start feature-pipeline: ${JSON.stringify(started.body)}`);
  pipelineRunId = started.body.runId;
  pipelineDone = stack.waitForRun(token, pipelineRunId, 60_000);
  // A second workflow whose last step fails for good, so the runs list shows more than one outcome.
  await stack.call('POST', '/v1/agents', { token, body: { slug: 'broken', name: 'Broken agent', role: 'always fails', model: 'simulator:fail' } });
  await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'nightly-digest',
      name: 'Nightly digest',
      nodes: [{ id: 'collect', type: 'agent', agent: 'pm', prompt: 'Collect the day' }, { id: 'publish', type: 'agent', agent: 'broken', prompt: '{{steps.collect.output}}' }],
      edges: [{ from: 'collect', to: 'publish' }],
    },
  });
  const failing = await stack.call('POST', '/v1/workflows/nightly-digest/runs', { token, body: { input: {} } });
  if (!failing.body?.runId) throw new Error(`could not start nightly-digest: ${JSON.stringify(failing.body)}`);
  failedDone = stack.waitForRun(token, failing.body.runId, 60_000);
  admin = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', reducedMotion: 'reduce' });
  page = await admin.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const at = (path: string) => `${stack.url}/#${path}`;
const hashOf = (p: Page) => decodeURIComponent(new URL(p.url()).hash);

test('a signed-out visitor is sent to sign-in, remembering the page, and lands back on it', async () => {
  await page.goto(at('/agents'));

  await page.locator('#signin-email').waitFor();
  expect(hashOf(page)).toBe('#/sign-in?next=/agents');
  await expect(page.getByText('Sign in to continue where you left off.').isVisible()).resolves.toBe(true);
  await shot(page, 'sign-in');

  await page.locator('#signin-email').fill(ADMIN);
  await page.locator('#signin-password').fill('not the password');
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByRole('alert').textContent()).resolves.toContain('Email or password is not right.');

  await signInThroughForm(page, ADMIN, ADMIN_PASSWORD);
  await page.getByTestId('agents-table').waitFor();
  expect(hashOf(page)).toBe('#/agents');
  await expect(page.getByTestId('whoami').getAttribute('data-role')).resolves.toBe('owner');
});

test('runs page: lists runs with status, workflow and cost; time to interactive measured', async () => {
  await pipelineDone;
  await page.goto(at('/runs'));
  const row = page.locator(`[data-testid="run-row"][data-run-id="${pipelineRunId}"]`);
  await row.waitFor();
  await expect(row.getByTestId('status-badge').textContent()).resolves.toMatch(/succeeded/i);
  await expect(row.textContent()).resolves.toContain('Feature pipeline');
  await expect(row.locator('[data-label="Cost"]').textContent()).resolves.toMatch(/^\$\d/);
  expect((await failedDone).status).toBe('FAILED');
  await page.getByTestId('runs-filter-status').selectOption('FAILED');
  await page.waitForURL('**/#/runs?status=FAILED');
  await page.locator('[data-testid="run-row"]').first().waitFor();
  await expect(page.locator('[data-testid="run-row"] [data-testid="status-badge"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).resolves.toEqual(['FAILED']);

  // Time to interactive: navigation start → the runs table rendered with data. A fresh context
  // (cold HTTP cache) that holds only a refresh token, as a returning user's browser does; the
  // access token is obtained by the app itself on boot (refresh, /v1/me, then the runs list).
  const login = await stack.call('POST', '/v1/auth/login', { body: { email: ADMIN, password: ADMIN_PASSWORD } });
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  await ctx.addInitScript(`if (!localStorage.getItem('${REFRESH_KEY}')) localStorage.setItem('${REFRESH_KEY}', ${JSON.stringify(login.body.refreshToken)});`);
  await ctx.addInitScript(RUNS_READY_SCRIPT);
  const timed = await ctx.newPage();
  const samples: number[] = [];
  for (let i = 0; i < 4; i++) {
    if (i === 0) await timed.goto(at('/runs'));
    else await timed.reload();
    await timed.locator('[data-testid="run-row"]').first().waitFor();
    samples.push(await timed.evaluate(() => Math.round((window as unknown as { __runsReadyAt: number }).__runsReadyAt)));
  }
  const nav = await timed.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { domContentLoaded: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd) };
  });
  await ctx.close();
  const bundle = measureBundle();
  console.log(
    [
      'Web console figures (local stack, headless Chromium, 1280x800):',
      `  runs page time to interactive (navigation start → runs table with data): cold ${samples[0]} ms, warm median ${median(samples.slice(1))} ms (samples ${samples.join(', ')} ms; last load DOMContentLoaded ${nav.domContentLoaded} ms)`,
      `  production bundle: JS ${kb(bundle.totalJsGzip)} gzip (${kb(bundle.totalJsRaw)} raw) in ${bundle.chunks.length} chunks; first load JS ${kb(bundle.initialJsGzip)} gzip (${kb(bundle.initialJsRaw)} raw); CSS ${kb(bundle.cssGzip)} gzip`,
      ...bundle.chunks.map((c) => `    ${c.file.padEnd(36)} ${kb(c.raw).padStart(10)} raw ${kb(c.gzip).padStart(10)} gzip`),
    ].join('\n'),
  );
  expect(samples.every((s) => Number.isFinite(s) && s > 0)).toBe(true);
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
  await page.locator('[data-testid="step-node-reviewer"][data-status="SUCCEEDED"]').waitFor({ timeout: 5_000 });

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

test('screenshots: runs, run page with DAG and step panel, usage, settings, workflows, phone width, dark mode', async () => {
  await page.goto(at('/runs'));
  await page.locator('[data-testid="run-row"]').nth(2).waitFor();
  await expect(page.locator('[data-testid="run-row"]').count()).resolves.toBe(3);
  await shot(page, 'runs');

  await page.goto(at(`/runs/${pipelineRunId}?step=coder`));
  await page.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor();
  await page.getByTestId('step-panel').waitFor();
  await page.locator('[data-testid="step-node-summary"][data-status="SUCCEEDED"]').waitFor();
  await shot(page, 'run');

  await page.goto(at('/workflows'));
  await page.getByTestId('workflows-list').waitFor();
  await shot(page, 'workflows');

  // Usage (GET /v1/usage): the runs above show up in the totals; the budget is set from the card.
  await page.goto(at('/usage'));
  await page.getByRole('heading', { level: 1, name: 'Usage' }).waitFor();
  const totals = page.getByTestId('usage-totals');
  await totals.waitFor();
  await expect(totals.textContent()).resolves.not.toMatch(/Input tokens0(?!\d)/);
  await page.getByTestId('budget-change').click();
  await page.getByTestId('budget-limit').fill('25');
  await page.getByTestId('budget-save').click();
  await page.getByTestId('budget-card').getByText('$25.00 / month').waitFor();
  const budgets = await stack.call('GET', '/v1/budgets', { token: await stack.adminToken() });
  expect(budgets.body.tenant.monthlyLimitUsd).toBe(25);
  await page.waitForTimeout(400); // recharts animates in
  await shot(page, 'usage');

  // Provider keys (PUT/DELETE /v1/providers/{provider}/key): set one; only its last four come back.
  await page.goto(at('/settings/providers'));
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  await page.getByTestId('providers-list').waitFor();
  await page.getByTestId('provider-set-anthropic').click();
  await page.getByTestId('provider-key').fill('sk-ant-e2e-not-a-real-key-WXYZ');
  await page.getByTestId('provider-key-save').click();
  const anthropic = page.locator('[data-testid="provider-anthropic"][data-configured="tenant"]');
  await anthropic.waitFor();
  await expect(anthropic.textContent()).resolves.toContain('…WXYZ');
  await expect(page.content()).resolves.not.toContain('sk-ant-e2e');
  await shot(page, 'settings');
  await page.getByTestId('provider-remove-anthropic').click();
  await page.getByTestId('provider-remove-anthropic').click(); // confirm
  await page.locator('[data-testid="provider-anthropic"][data-configured="none"]').waitFor();
  await page.goto(at('/settings/members'));
  await page.getByTestId('members-table').waitFor();
  await shot(page, 'settings-members');

  // Dark mode through the toggle (system → light → dark), then back to following the system.
  await page.goto(at(`/runs/${pipelineRunId}?step=coder`));
  await page.getByTestId('step-panel').waitFor();
  const toggle = page.getByTestId('theme-toggle').first();
  for (let i = 0; i < 2; i++) await toggle.click();
  await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
  await shot(page, 'dark-run');
  await toggle.click();
  await expect(page.evaluate(() => document.documentElement.dataset.theme ?? 'system')).resolves.toBe('system');

  // Phone width: the same run page, nothing wider than the screen.
  const phone = await admin.newPage();
  await phone.setViewportSize(PHONE);
  try {
    await phone.goto(at(`/runs/${pipelineRunId}?step=coder`));
    await phone.getByTestId('step-panel').waitFor();
    await phone.locator('[data-testid="step-node-summary"]').waitFor();
    await shot(phone, 'phone-run');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.goto(at('/runs'));
    await phone.getByTestId('runs-table').waitFor();
    await shot(phone, 'phone-runs');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  } finally {
    await phone.close();
  }
});

const KB = { name: 'E2E lighthouse handbook', agent: 'e2e-keeper', workflow: 'e2e-ask-the-handbook' };
const LIGHTHOUSE_DOC = {
  title: 'Lighthouse keeping',
  text: [
    '# Lighthouse keeping',
    '',
    '## The lens',
    '',
    'A Fresnel lens focuses the lamp into a narrow beam. Keepers polish the Fresnel lens every morning and draw the curtains so sunlight cannot scorch the prisms.',
    '',
    '## The lamp',
    '',
    'The lamp burns paraffin. The keeper trims the wick at dusk, winds the clockwork that turns the lens, and logs every hour of the night watch.',
    '',
    '## Fog signals',
    '',
    'When fog rolls in, the keeper starts the foghorn: two blasts every thirty seconds until the visibility returns.',
  ].join('\n'),
};
let kbId: string;

test('knowledge: create a base, add a text document, watch it become ready, search the playground; cite it in a run', async () => {
  // Create the knowledge base through the dialog.
  await page.goto(at('/knowledge'));
  await page.getByRole('heading', { level: 1, name: 'Knowledge' }).waitFor();
  await page.getByTestId('kb-new').click();
  await page.getByTestId('kb-name').fill(KB.name);
  await expect(page.getByTestId('kb-embedding-model').inputValue()).resolves.toBe('local');
  await page.getByTestId('kb-chunk-size').fill('300');
  await page.getByTestId('kb-chunk-overlap').fill('40');
  await page.getByTestId('kb-create-submit').click();
  await page.waitForURL('**/#/knowledge/*');
  kbId = hashOf(page).slice('#/knowledge/'.length);
  await page.locator(`[data-testid="kb-detail"][data-kb-id="${kbId}"]`).waitFor();
  const token = await stack.adminToken();
  const stored = await stack.call('GET', `/v1/knowledge-bases/${kbId}`, { token });
  expect(stored.body).toMatchObject({ name: KB.name, embeddingModel: 'local', chunking: { size: 300, overlap: 40 } });

  // Add a text document; its status updates on the page, without a reload, until it is ready.
  await page.getByTestId('docs-empty').waitFor();
  await page.getByTestId('doc-add').click();
  await page.getByTestId('doc-title').fill(LIGHTHOUSE_DOC.title);
  await page.getByTestId('doc-text').fill(LIGHTHOUSE_DOC.text);
  await page.getByTestId('doc-add-submit').click();
  const row = page.locator('[data-testid="doc-row"]', { hasText: LIGHTHOUSE_DOC.title });
  await row.waitFor();
  await page.locator('[data-testid="doc-row"][data-status="ready"]').waitFor({ timeout: 30_000 });
  const chunks = Number(await row.getByTestId('doc-chunks').textContent());
  expect(chunks).toBeGreaterThan(1);
  const docs = await stack.call('GET', `/v1/knowledge-bases/${kbId}/documents`, { token });
  expect(docs.body.items).toEqual([expect.objectContaining({ title: LIGHTHOUSE_DOC.title, status: 'ready', chunkCount: chunks })]);
  // A second document (through the API) so the playground has something to rank against.
  await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    token,
    body: { title: 'Harbour operations', text: '# Harbour operations\n\nThe harbour master assigns berths and checks the tide tables. Pilots guide large ships past the lighthouse and the breakwater at night.' },
  });
  await page.reload(); // added behind the page's back: read the list again (it polls while it has documents in progress)
  await page.locator('[data-testid="doc-row"]').nth(1).waitFor();
  await page.locator('[data-testid="doc-row"][data-status="ready"]').nth(1).waitFor({ timeout: 30_000 });

  // The retrieval playground: hits with the query's words marked.
  await page.getByTestId('playground-query').fill('how is the Fresnel lens polished');
  await page.getByTestId('playground-search').click();
  const first = page.getByTestId('hit').first();
  await first.waitFor();
  await expect(first.getByTestId('hit-title').textContent()).resolves.toBe(LIGHTHOUSE_DOC.title);
  const marks = (await first.getByTestId('hit-mark').allTextContents()).map((m) => m.toLowerCase());
  expect(marks).toContain('fresnel');
  expect(marks).toContain('lens');
  await expect(first.getByTestId('hit-text').textContent()).resolves.toContain('Fresnel lens');
  await expect(first.getByTestId('hit-offsets').textContent()).resolves.toMatch(/^\d+–\d+$/);
  await shot(page, 'knowledge', '[data-testid="playground"]');

  // Phone width: the same page, nothing wider than the screen.
  const phone = await admin.newPage();
  await phone.setViewportSize(PHONE);
  try {
    await phone.goto(at(`/knowledge/${kbId}`));
    await phone.locator('[data-testid="doc-row"][data-status="ready"]').nth(1).waitFor();
    await phone.getByTestId('playground-query').fill('fresnel lens');
    await phone.getByTestId('playground-search').click();
    await phone.getByTestId('hit').first().waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  } finally {
    await phone.close();
  }

  // Attach the base to a new agent in the agent form.
  await page.goto(at('/agents/new'));
  await page.getByTestId('agent-form').waitFor();
  await page.getByTestId('agent-name').fill('E2E keeper');
  await page.getByTestId('agent-slug').fill(KB.agent);
  await page.getByTestId('agent-model').fill('simulator:echo');
  await page.getByTestId(`agent-kb-${kbId}`).check();
  await page.getByTestId('agent-save').click();
  await page.waitForURL(`**/#/agents/${KB.agent}`);
  await expect(page.getByTestId(`agent-kb-${kbId}`).isChecked()).resolves.toBe(true);
  expect((await stack.call('GET', `/v1/agents/${KB.agent}`, { token })).body.knowledgeBaseIds).toEqual([kbId]);

  // A one-node workflow with that agent; its run page shows the sources the step cited.
  const wf = await stack.call('POST', '/v1/workflows', {
    token,
    body: { slug: KB.workflow, name: 'E2E ask the handbook', nodes: [{ id: 'answer', type: 'agent', agent: KB.agent, prompt: 'How do keepers look after the Fresnel lens? {{input.note}}' }], edges: [] },
  });
  expect(wf.status).toBe(201);
  const started = await stack.call('POST', `/v1/workflows/${KB.workflow}/runs`, { token, body: { input: { note: 'Answer briefly.' } } });
  const runId = started.body.runId;
  await page.goto(at(`/runs/${runId}?step=answer`));
  await page.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
  const citations = page.getByTestId('step-panel').getByTestId('citations');
  await citations.waitFor();
  const cited = citations.getByTestId('citation').first();
  await expect(cited.getByTestId('citation-title').textContent()).resolves.toBe(LIGHTHOUSE_DOC.title);
  await expect(cited.getByTestId('score').textContent()).resolves.toMatch(/\d\.\d{3}/);
  await expect(cited.getByTestId('citation-snippet').textContent()).resolves.toContain('Fresnel lens');
  await shot(page, 'run-citations', '[data-testid="citations"]');
  const sources = page.getByTestId('events-timeline').getByTestId('timeline-sources');
  await expect(sources.textContent()).resolves.toContain(`[1] ${LIGHTHOUSE_DOC.title}`);
  const events = (await stack.call('GET', `/v1/runs/${runId}/events`, { token })).body.items as { type: string; data?: { citations?: { title: string }[] } }[];
  expect(events.find((e) => e.type === 'step.citations')?.data?.citations?.[0]?.title).toBe(LIGHTHOUSE_DOC.title);
});

test('a viewer sees no write controls (and the API refuses their writes anyway)', async () => {
  const token = await stack.adminToken();
  const created = await stack.call('POST', '/v1/members', { token, body: { email: VIEWER.email, role: 'viewer', password: VIEWER.password } });
  expect(created.status).toBe(201);

  const ctx = await browser.newContext({ viewport: VIEWPORT });
  const v = await ctx.newPage();
  v.setDefaultTimeout(15_000);
  v.on('pageerror', (e) => pageErrors.push(`viewer: ${e.message}`));
  try {
    await v.goto(at('/runs'));
    await signInThroughForm(v, VIEWER.email, VIEWER.password);
    await expect(v.getByTestId('whoami').getAttribute('data-role')).resolves.toBe('viewer');
    await v.getByTestId('runs-table').waitFor();

    await v.goto(at('/agents'));
    await v.getByTestId('agents-table').waitFor();
    await expect(v.getByTestId('agent-new').count()).resolves.toBe(0);

    await v.goto(at(`/agents/${AGENT.slug}`));
    await v.getByTestId('agent-form').waitFor();
    await expect(v.getByTestId('agent-save').count()).resolves.toBe(0);
    await expect(v.getByTestId('agent-delete').count()).resolves.toBe(0);
    await expect(v.getByTestId('agent-name').isDisabled()).resolves.toBe(true);
    await expect(v.getByTestId('fallback-add').count()).resolves.toBe(0);

    await v.goto(at('/workflows'));
    await v.getByTestId('workflows-list').waitFor();
    await expect(v.getByTestId('workflow-new').count()).resolves.toBe(0);

    await v.goto(at(`/workflows/${WORKFLOW.slug}`));
    await v.getByTestId('editor-node-reviewer').waitFor();
    for (const id of ['workflow-save', 'workflow-run', 'workflow-delete', 'add-agent-node', 'input-add']) await expect(v.getByTestId(id).count()).resolves.toBe(0);
    await v.getByTestId('select-node-reviewer').click();
    await v.getByTestId('node-inspector').waitFor();
    await expect(v.getByTestId('node-delete').count()).resolves.toBe(0);
    await expect(v.getByTestId('node-prompt').getAttribute('readonly')).resolves.not.toBeNull();
    await expect(v.locator('[data-testid^="ref-chip-"]').count()).resolves.toBe(0);

    await v.goto(at(`/runs/${e2eRunId}`));
    await v.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor();
    await expect(v.getByTestId('run-rerun').count()).resolves.toBe(0);
    await expect(v.getByTestId('run-cancel').count()).resolves.toBe(0);

    await v.goto(at(`/knowledge/${kbId}`));
    await v.locator('[data-testid="doc-row"][data-status="ready"]').first().waitFor();
    await v.getByTestId('playground').waitFor();
    for (const id of ['kb-new', 'kb-delete', 'doc-add', 'doc-delete']) await expect(v.getByTestId(id).count()).resolves.toBe(0);

    await v.goto(at('/settings/providers'));
    await v.locator('[data-testid="providers-list"], [data-testid="empty-state"], .empty-state').first().waitFor();
    await expect(v.getByRole('button', { name: /set key|replace key|remove/i }).count()).resolves.toBe(0);
    await v.goto(at('/settings/api-keys'));
    await v.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await expect(v.getByTestId('api-key-create').count()).resolves.toBe(0);
    await v.goto(at('/settings/members'));
    await v.getByTestId('members-table').waitFor();
    await expect(v.getByTestId('member-add').count()).resolves.toBe(0);
    await expect(v.locator('[data-testid="members-table"] select, [data-testid="members-table"] button').count()).resolves.toBe(0);

    // Write controls are hidden, not just disabled; and the API refuses the viewer regardless.
    const viewerToken = (await stack.call('POST', '/v1/auth/login', { body: VIEWER })).body.accessToken;
    const write = await stack.call('POST', '/v1/agents', { token: viewerToken, body: { slug: 'nope', name: 'Nope', model: 'simulator:echo' } });
    expect(write.status).toBe(403);
  } finally {
    await ctx.close();
  }
});

test('an expired access token refreshes silently; an ended session returns to sign-in and back to the page', async () => {
  await page.goto(at(`/agents/${AGENT.slug}`));
  await page.getByTestId('agent-form').waitFor();

  // 1. The access token is rejected once: the client rotates the refresh token and retries.
  let rejected = 0;
  await page.route('**/v1/**', (route) => {
    const headers = route.request().headers();
    if (headers.authorization && rejected === 0) {
      rejected++;
      return route.continue({ headers: { ...headers, authorization: 'Bearer expired.access.token' } });
    }
    return route.continue();
  });
  const before = await page.evaluate((k) => localStorage.getItem(k), REFRESH_KEY);
  await page.evaluate(() => (location.hash = '#/agents'));
  await page.getByTestId('agents-table').waitFor();
  expect(rejected).toBe(1);
  expect(hashOf(page)).toBe('#/agents');
  const after = await page.evaluate((k) => localStorage.getItem(k), REFRESH_KEY);
  expect(after).toBeTruthy();
  expect(after).not.toBe(before);
  await page.unroute('**/v1/**');

  // 2. The session ends (refresh token revoked elsewhere, access token no longer accepted).
  expect((await stack.call('POST', '/v1/auth/logout', { body: { refreshToken: after } })).status).toBeLessThan(300);
  await page.route('**/v1/**', (route) => {
    const headers = route.request().headers();
    return route.continue({ headers: headers.authorization ? { ...headers, authorization: 'Bearer expired.access.token' } : headers });
  });
  await page.evaluate(() => (location.hash = '#/runs?status=SUCCEEDED'));
  await page.locator('#signin-email').waitFor();
  expect(hashOf(page)).toBe('#/sign-in?next=/runs?status=SUCCEEDED');
  await page.getByText('Sign in to continue where you left off.').waitFor();
  await page.unroute('**/v1/**');

  await signInThroughForm(page, ADMIN, ADMIN_PASSWORD);
  await page.getByTestId('runs-table').waitFor();
  expect(hashOf(page)).toBe('#/runs?status=SUCCEEDED');
  await expect(page.getByTestId('runs-filter-status').inputValue()).resolves.toBe('SUCCEEDED');

  // 3. Signing out returns to sign-in, forgets the session, and revokes the refresh token.
  const token = await page.evaluate((k) => localStorage.getItem(k), REFRESH_KEY);
  await page.getByTestId('sign-out').click();
  await page.locator('#signin-email').waitFor();
  expect(hashOf(page)).toBe('#/sign-in');
  await expect(page.evaluate((k) => localStorage.getItem(k), REFRESH_KEY)).resolves.toBeNull();
  expect((await stack.call('POST', '/v1/auth/refresh', { body: { refreshToken: token } })).status).toBe(401);
  await page.goto(at('/workflows'));
  await page.locator('#signin-email').waitFor();
  expect(hashOf(page)).toBe('#/sign-in?next=/workflows');
  await signInThroughForm(page, ADMIN, ADMIN_PASSWORD);
  await page.getByTestId('workflows-list').waitFor();
  expect(hashOf(page)).toBe('#/workflows');
});

test('no uncaught errors in the page during the whole session', () => {
  expect(pageErrors).toEqual([]);
});
