/**
 * The web console end to end, settings: usage and the tenant budget, provider keys, members, and
 * knowledge (create a base, add a document, search the playground, cite it in a run). Screenshots
 * go to docs/console/.
 */
import { jest } from '@jest/globals';
import {
  hashOf,
  KB,
  LIGHTHOUSE_DOC,
  useConsole,
  PHONE,
  seedEditedWorkflow,
  seedRuns,
  shot,
  signInAsAdmin,
} from './support';

jest.setTimeout(90_000);

const c = useConsole();
const at = (path: string) => c.at(path);

let runsDone: Promise<unknown>;
let kbId: string;

beforeAll(async () => {
  // Runs for the usage totals: the same three the runs list shows.
  const seeded = await seedRuns(c.stack);
  const edited = await seedEditedWorkflow(c.stack, { run: true });
  runsDone = Promise.all([seeded.pipelineDone, seeded.failedDone, edited.runDone]);
  await signInAsAdmin(c);
});

test('usage and the tenant budget; provider keys; members', async () => {
  await runsDone;
  // Usage (GET /v1/usage): the runs above show up in the totals; the budget is set from the card.
  await c.page.goto(at('/usage'));
  await c.page.getByRole('heading', { level: 1, name: 'Usage' }).waitFor();
  const totals = c.page.getByTestId('usage-totals');
  await totals.waitFor();
  await expect(totals.textContent()).resolves.not.toMatch(/Input tokens0(?!\d)/);
  await c.page.getByTestId('budget-change').click();
  await c.page.getByTestId('budget-limit').fill('25');
  await c.page.getByTestId('budget-save').click();
  await c.page.getByTestId('budget-card').getByText('$25.00 / month').waitFor();
  const budgets = await c.stack.call('GET', '/v1/budgets', { token: await c.stack.adminToken() });
  expect(budgets.body.tenant.monthlyLimitUsd).toBe(25);
  await c.page.waitForTimeout(400); // recharts animates in
  await shot(c.page, 'usage');

  // Provider keys (PUT/DELETE /v1/providers/{provider}/key): set one; only its last four come back.
  await c.page.goto(at('/settings/providers'));
  await c.page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  await c.page.getByTestId('providers-list').waitFor();
  await c.page.getByTestId('provider-set-anthropic').click();
  await c.page.getByTestId('provider-key').fill('sk-ant-e2e-not-a-real-key-WXYZ');
  await c.page.getByTestId('provider-key-save').click();
  const anthropic = c.page.locator('[data-testid="provider-anthropic"][data-configured="tenant"]');
  await anthropic.waitFor();
  await expect(anthropic.textContent()).resolves.toContain('…WXYZ');
  await expect(c.page.content()).resolves.not.toContain('sk-ant-e2e');
  await shot(c.page, 'settings');
  await c.page.getByTestId('provider-remove-anthropic').click();
  await c.page.getByTestId('provider-remove-anthropic').click(); // confirm
  await c.page.locator('[data-testid="provider-anthropic"][data-configured="none"]').waitFor();
  await c.page.goto(at('/settings/members'));
  await c.page.getByTestId('members-table').waitFor();
  await shot(c.page, 'settings-members');

  // Dark mode through the toggle (system → light → dark), then back to following the system.
});

test('knowledge: create a base, add a text document, watch it become ready, search the playground; cite it in a run', async () => {
  // Create the knowledge base through the dialog.
  await c.page.goto(at('/knowledge'));
  await c.page.getByRole('heading', { level: 1, name: 'Knowledge' }).waitFor();
  await c.page.getByTestId('kb-new').click();
  await c.page.getByTestId('kb-name').fill(KB.name);
  await expect(c.page.getByTestId('kb-embedding-model').inputValue()).resolves.toBe('local');
  await c.page.getByTestId('kb-chunk-size').fill('300');
  await c.page.getByTestId('kb-chunk-overlap').fill('40');
  await c.page.getByTestId('kb-create-submit').click();
  await c.page.waitForURL('**/#/knowledge/*');
  kbId = hashOf(c.page).slice('#/knowledge/'.length);
  await c.page.locator(`[data-testid="kb-detail"][data-kb-id="${kbId}"]`).waitFor();
  const token = await c.stack.adminToken();
  const stored = await c.stack.call('GET', `/v1/knowledge-bases/${kbId}`, { token });
  expect(stored.body).toMatchObject({
    name: KB.name,
    embeddingModel: 'local',
    chunking: { size: 300, overlap: 40 },
  });

  // Add a text document; its status updates on the page, without a reload, until it is ready.
  await c.page.getByTestId('docs-empty').waitFor();
  await c.page.getByTestId('doc-add').click();
  await c.page.getByTestId('doc-title').fill(LIGHTHOUSE_DOC.title);
  await c.page.getByTestId('doc-text').fill(LIGHTHOUSE_DOC.text);
  await c.page.getByTestId('doc-add-submit').click();
  const row = c.page.locator('[data-testid="doc-row"]', { hasText: LIGHTHOUSE_DOC.title });
  await row.waitFor();
  await c.page.locator('[data-testid="doc-row"][data-status="ready"]').waitFor({ timeout: 30_000 });
  const chunks = Number(await row.getByTestId('doc-chunks').textContent());
  expect(chunks).toBeGreaterThan(1);
  const docs = await c.stack.call('GET', `/v1/knowledge-bases/${kbId}/documents`, { token });
  expect(docs.body.items).toEqual([
    expect.objectContaining({ title: LIGHTHOUSE_DOC.title, status: 'ready', chunkCount: chunks }),
  ]);
  // A second document (through the API) so the playground has something to rank against.
  await c.stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    token,
    body: {
      title: 'Harbour operations',
      text: '# Harbour operations\n\nThe harbour master assigns berths and checks the tide tables. Pilots guide large ships past the lighthouse and the breakwater at night.',
    },
  });
  await c.page.reload(); // added behind the page's back: read the list again (it polls while it has documents in progress)
  await c.page.locator('[data-testid="doc-row"]').nth(1).waitFor();
  await c.page
    .locator('[data-testid="doc-row"][data-status="ready"]')
    .nth(1)
    .waitFor({ timeout: 30_000 });

  // The retrieval playground: hits with the query's words marked.
  await c.page.getByTestId('playground-query').fill('how is the Fresnel lens polished');
  await c.page.getByTestId('playground-search').click();
  const first = c.page.getByTestId('hit').first();
  await first.waitFor();
  await expect(first.getByTestId('hit-title').textContent()).resolves.toBe(LIGHTHOUSE_DOC.title);
  const marks = (await first.getByTestId('hit-mark').allTextContents()).map((m) => m.toLowerCase());
  expect(marks).toContain('fresnel');
  expect(marks).toContain('lens');
  await expect(first.getByTestId('hit-text').textContent()).resolves.toContain('Fresnel lens');
  await expect(first.getByTestId('hit-offsets').textContent()).resolves.toMatch(/^\d+–\d+$/);
  await shot(c.page, 'knowledge', '[data-testid="playground"]');

  // Phone width: the same page, nothing wider than the screen.
  const phone = await c.admin.newPage();
  await phone.setViewportSize(PHONE);
  try {
    await phone.goto(at(`/knowledge/${kbId}`));
    await phone.locator('[data-testid="doc-row"][data-status="ready"]').nth(1).waitFor();
    await phone.getByTestId('playground-query').fill('fresnel lens');
    await phone.getByTestId('playground-search').click();
    await phone.getByTestId('hit').first().waitFor();
    expect(
      await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
  } finally {
    await phone.close();
  }

  // Attach the base to a new agent in the agent form.
  await c.page.goto(at('/agents/new'));
  await c.page.getByTestId('agent-form').waitFor();
  await c.page.getByTestId('agent-name').fill('E2E keeper');
  await c.page.getByTestId('agent-slug').fill(KB.agent);
  await c.page.getByTestId('agent-model').fill('simulator:echo');
  await c.page.getByTestId(`agent-kb-${kbId}`).check();
  await c.page.getByTestId('agent-save').click();
  await c.page.waitForURL(`**/#/agents/${KB.agent}`);
  await expect(c.page.getByTestId(`agent-kb-${kbId}`).isChecked()).resolves.toBe(true);
  expect(
    (await c.stack.call('GET', `/v1/agents/${KB.agent}`, { token })).body.knowledgeBaseIds,
  ).toEqual([kbId]);

  // A one-node workflow with that agent; its run page shows the sources the step cited.
  const wf = await c.stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: KB.workflow,
      name: 'E2E ask the handbook',
      nodes: [
        {
          id: 'answer',
          type: 'agent',
          agent: KB.agent,
          prompt: 'How do keepers look after the Fresnel lens? {{input.note}}',
        },
      ],
      edges: [],
    },
  });
  expect(wf.status).toBe(201);
  const started = await c.stack.call('POST', `/v1/workflows/${KB.workflow}/runs`, {
    token,
    body: { input: { note: 'Answer briefly.' } },
  });
  const runId = started.body.runId;
  await c.page.goto(at(`/runs/${runId}?step=answer`));
  await c.page
    .locator('[data-testid="run-status"][data-status="SUCCEEDED"]')
    .waitFor({ timeout: 30_000 });
  const citations = c.page.getByTestId('step-panel').getByTestId('citations');
  await citations.waitFor();
  const cited = citations.getByTestId('citation').first();
  await expect(cited.getByTestId('citation-title').textContent()).resolves.toBe(
    LIGHTHOUSE_DOC.title,
  );
  await expect(cited.getByTestId('score').textContent()).resolves.toMatch(/\d\.\d{3}/);
  await expect(cited.getByTestId('citation-snippet').textContent()).resolves.toContain(
    'Fresnel lens',
  );
  await shot(c.page, 'run-citations', '[data-testid="citations"]');
  const sources = c.page.getByTestId('events-timeline').getByTestId('timeline-sources');
  await expect(sources.textContent()).resolves.toContain(`[1] ${LIGHTHOUSE_DOC.title}`);
  const events = (await c.stack.call('GET', `/v1/runs/${runId}/events`, { token })).body.items as {
    type: string;
    data?: { citations?: { title: string }[] };
  }[];
  expect(events.find((e) => e.type === 'step.citations')?.data?.citations?.[0]?.title).toBe(
    LIGHTHOUSE_DOC.title,
  );
});

test('no uncaught errors in the page during the whole session', () => {
  expect(c.pageErrors).toEqual([]);
});
