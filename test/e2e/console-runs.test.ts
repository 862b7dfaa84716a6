/**
 * The web console end to end, runs: sign-in from a deep link, the runs list (filters, time to
 * interactive), and the run page (DAG, step panel) in light, dark and at phone width. Debian's
 * headless Chromium (playwright-core) against the real local platform started in-process (API +
 * web/dist + /config.json on one origin, offline simulator); one browser for the file, tests in
 * order. Screenshots go to docs/console/; the figures are printed, never asserted.
 */
import { jest } from '@jest/globals';
import { ADMIN_PASSWORD } from '../support/stack';
import {
  ADMIN,
  hashOf,
  kb,
  measureBundle,
  median,
  useConsole,
  PHONE,
  REFRESH_KEY,
  RUNS_READY_SCRIPT,
  seedEditedWorkflow,
  seedRuns,
  shot,
  signInThroughForm,
  VIEWPORT,
} from './support';

jest.setTimeout(90_000);

// The simulator answers slowly enough (0.8 s a call) that a run is visibly RUNNING for a while.
const c = useConsole({ latencyMs: 800 });
const at = (path: string) => c.at(path);

/** A feature-pipeline run started through the API, for the richer run-page screenshots. */
let pipelineRunId: string;
let pipelineDone: Promise<unknown>;
let failedDone: Promise<{ status: string }>;

beforeAll(async () => {
  ({ pipelineRunId, pipelineDone, failedDone } = await seedRuns(c.stack));
  // The third run on the list: the draft-and-review workflow console-editing builds in the editor.
  await seedEditedWorkflow(c.stack, { run: true });
});

test('a signed-out visitor is sent to sign-in, remembering the c.page, and lands back on it', async () => {
  await c.page.goto(at('/agents'));

  await c.page.locator('#signin-email').waitFor();
  expect(hashOf(c.page)).toBe('#/sign-in?next=/agents');
  await expect(
    c.page.getByText('Sign in to continue where you left off.').isVisible(),
  ).resolves.toBe(true);
  await shot(c.page, 'sign-in');

  await c.page.locator('#signin-email').fill(ADMIN);
  await c.page.locator('#signin-password').fill('not the password');
  await c.page.getByTestId('sign-in-submit').click();
  await expect(c.page.getByRole('alert').textContent()).resolves.toContain(
    'Email or password is not right.',
  );

  await signInThroughForm(c.page, ADMIN, ADMIN_PASSWORD);
  await c.page.getByTestId('agents-table').waitFor();
  expect(hashOf(c.page)).toBe('#/agents');
  await expect(c.page.getByTestId('whoami').getAttribute('data-role')).resolves.toBe('owner');
});

test('runs page: lists runs with status, workflow and cost; time to interactive measured', async () => {
  await pipelineDone;
  await c.page.goto(at('/runs'));
  const row = c.page.locator(`[data-testid="run-row"][data-run-id="${pipelineRunId}"]`);
  await row.waitFor();
  await expect(row.getByTestId('status-badge').textContent()).resolves.toMatch(/succeeded/i);
  await expect(row.textContent()).resolves.toContain('Feature pipeline');
  await expect(row.locator('[data-label="Cost"]').textContent()).resolves.toMatch(/^\$\d/);
  expect((await failedDone).status).toBe('FAILED');
  await c.page.getByTestId('runs-filter-status').selectOption('FAILED');
  await c.page.waitForURL('**/#/runs?status=FAILED');
  await c.page.locator('[data-testid="run-row"]').first().waitFor();
  await expect(
    c.page
      .locator('[data-testid="run-row"] [data-testid="status-badge"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))),
  ).resolves.toEqual(['FAILED']);

  // Time to interactive: navigation start → the runs table rendered with data. A fresh context
  // (cold HTTP cache) that holds only a refresh token, as a returning user's browser does; the
  // access token is obtained by the app itself on boot (refresh, /v1/me, then the runs list).
  const login = await c.stack.call('POST', '/v1/auth/login', {
    body: { email: ADMIN, password: ADMIN_PASSWORD },
  });
  const ctx = await c.browser.newContext({ viewport: VIEWPORT });
  await ctx.addInitScript(
    `if (!localStorage.getItem('${REFRESH_KEY}')) localStorage.setItem('${REFRESH_KEY}', ${JSON.stringify(login.body.refreshToken)});`,
  );
  await ctx.addInitScript(RUNS_READY_SCRIPT);
  const timed = await ctx.newPage();
  const samples: number[] = [];
  for (let i = 0; i < 4; i++) {
    if (i === 0) await timed.goto(at('/runs'));
    else await timed.reload();
    await timed.locator('[data-testid="run-row"]').first().waitFor();
    samples.push(
      await timed.evaluate(() =>
        Math.round((window as unknown as { __runsReadyAt: number }).__runsReadyAt),
      ),
    );
  }
  const nav = await timed.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return {
      domContentLoaded: Math.round(n.domContentLoadedEventEnd),
      load: Math.round(n.loadEventEnd),
    };
  });
  await ctx.close();
  const bundle = measureBundle();
  console.log(
    [
      'Web console figures (local c.stack, headless Chromium, 1280x800):',
      `  runs page time to interactive (navigation start → runs table with data): cold ${samples[0]} ms, warm median ${median(samples.slice(1))} ms (samples ${samples.join(', ')} ms; last load DOMContentLoaded ${nav.domContentLoaded} ms)`,
      `  production bundle: JS ${kb(bundle.totalJsGzip)} gzip (${kb(bundle.totalJsRaw)} raw) in ${bundle.chunks.length} chunks; first load JS ${kb(bundle.initialJsGzip)} gzip (${kb(bundle.initialJsRaw)} raw); CSS ${kb(bundle.cssGzip)} gzip`,
      ...bundle.chunks.map(
        (c) =>
          `    ${c.file.padEnd(36)} ${kb(c.raw).padStart(10)} raw ${kb(c.gzip).padStart(10)} gzip`,
      ),
    ].join('\n'),
  );
  expect(samples.every((s) => Number.isFinite(s) && s > 0)).toBe(true);
});

test('screenshots: runs, run page with DAG and step panel, phone width, dark mode', async () => {
  await c.page.goto(at('/runs'));
  await c.page.locator('[data-testid="run-row"]').nth(2).waitFor();
  await expect(c.page.locator('[data-testid="run-row"]').count()).resolves.toBe(3);
  await shot(c.page, 'runs');

  await c.page.goto(at(`/runs/${pipelineRunId}?step=coder`));
  await c.page.locator('[data-testid="run-status"][data-status="SUCCEEDED"]').waitFor();
  await c.page.getByTestId('step-panel').waitFor();
  await c.page.locator('[data-testid="step-node-summary"][data-status="SUCCEEDED"]').waitFor();
  await shot(c.page, 'run');

  await c.page.goto(at(`/runs/${pipelineRunId}?step=coder`));
  await c.page.getByTestId('step-panel').waitFor();
  const toggle = c.page.getByTestId('theme-toggle').first();
  for (let i = 0; i < 2; i++) await toggle.click();
  await expect(c.page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
  await shot(c.page, 'dark-run');
  await toggle.click();
  await expect(
    c.page.evaluate(() => document.documentElement.dataset.theme ?? 'system'),
  ).resolves.toBe('system');

  // Phone width: the same run page, nothing wider than the screen.
  const phone = await c.admin.newPage();
  await phone.setViewportSize(PHONE);
  try {
    await phone.goto(at(`/runs/${pipelineRunId}?step=coder`));
    await phone.getByTestId('step-panel').waitFor();
    await phone.locator('[data-testid="step-node-summary"]').waitFor();
    await shot(phone, 'phone-run');
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.goto(at('/runs'));
    await phone.getByTestId('runs-table').waitFor();
    await shot(phone, 'phone-runs');
    expect(
      await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
  } finally {
    await phone.close();
  }
});

test('no uncaught errors in the page during the whole session', () => {
  expect(c.pageErrors).toEqual([]);
});
