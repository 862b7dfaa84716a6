/**
 * The web console end to end, access: a viewer sees no write controls (and the API refuses their
 * writes anyway); an expired access token refreshes silently; an ended session returns to
 * sign-in and back to the page; signing out forgets and revokes the session.
 */
import { jest } from '@jest/globals';
import { ADMIN_PASSWORD } from '../support/stack';
import {
  ADMIN,
  AGENT,
  hashOf,
  useConsole,
  REFRESH_KEY,
  seedEditedWorkflow,
  seedKnowledgeBase,
  signInAsAdmin,
  signInThroughForm,
  VIEWER,
  VIEWPORT,
  WORKFLOW,
} from './support';

jest.setTimeout(90_000);

const c = useConsole();
const at = (path: string) => c.at(path);

let e2eRunId: string;
let kbId: string;

beforeAll(async () => {
  // What the other files build in the browser, here through the API: agent, workflow, a finished run, a ready knowledge base.
  const edited = await seedEditedWorkflow(c.stack, { run: true });
  e2eRunId = edited.runId!;
  [kbId] = await Promise.all([seedKnowledgeBase(c.stack), edited.runDone, signInAsAdmin(c)]);
});

test('a viewer sees no write controls (and the API refuses their writes anyway)', async () => {
  const token = await c.stack.adminToken();
  const created = await c.stack.addMember(token, VIEWER.email, 'viewer', VIEWER.password);
  expect(created.tenant.role).toBe('viewer');

  const ctx = await c.browser.newContext({ viewport: VIEWPORT });
  const v = await ctx.newPage();
  v.setDefaultTimeout(15_000);
  v.on('pageerror', (e) => c.pageErrors.push(`viewer: ${e.message}`));
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
    for (const id of [
      'workflow-save',
      'workflow-run',
      'workflow-delete',
      'add-agent-node',
      'input-add',
    ])
      await expect(v.getByTestId(id).count()).resolves.toBe(0);
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
    for (const id of ['kb-new', 'kb-delete', 'doc-add', 'doc-delete'])
      await expect(v.getByTestId(id).count()).resolves.toBe(0);

    await v.goto(at('/settings/providers'));
    await v
      .locator('[data-testid="providers-list"], [data-testid="empty-state"], .empty-state')
      .first()
      .waitFor();
    await expect(
      v.getByRole('button', { name: /set key|replace key|remove/i }).count(),
    ).resolves.toBe(0);
    await v.goto(at('/settings/api-keys'));
    await v.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await expect(v.getByTestId('api-key-create').count()).resolves.toBe(0);
    await v.goto(at('/settings/members'));
    await v.getByTestId('members-table').waitFor();
    await expect(v.getByTestId('member-add').count()).resolves.toBe(0);
    await expect(
      v
        .locator('[data-testid="members-table"] select, [data-testid="members-table"] button')
        .count(),
    ).resolves.toBe(0);

    // Write controls are hidden, not just disabled; and the API refuses the viewer regardless.
    const viewerToken = (await c.stack.call('POST', '/v1/auth/login', { body: VIEWER })).body
      .accessToken;
    const write = await c.stack.call('POST', '/v1/agents', {
      token: viewerToken,
      body: { slug: 'nope', name: 'Nope', model: 'simulator:echo' },
    });
    expect(write.status).toBe(403);
  } finally {
    await ctx.close();
  }
});

test('an expired access token refreshes silently; an ended session returns to sign-in and back to the page', async () => {
  await c.page.goto(at(`/agents/${AGENT.slug}`));
  await c.page.getByTestId('agent-form').waitFor();

  // 1. The access token is rejected once: the client rotates the refresh token and retries.
  let rejected = 0;
  await c.page.route('**/v1/**', (route) => {
    const headers = route.request().headers();
    if (headers.authorization && rejected === 0) {
      rejected++;
      return route.continue({
        headers: { ...headers, authorization: 'Bearer expired.access.token' },
      });
    }
    return route.continue();
  });
  const before = await c.page.evaluate((k) => localStorage.getItem(k), REFRESH_KEY);
  await c.page.evaluate(() => (location.hash = '#/agents'));
  await c.page.getByTestId('agents-table').waitFor();
  expect(rejected).toBe(1);
  expect(hashOf(c.page)).toBe('#/agents');
  const after = await c.page.evaluate((k) => localStorage.getItem(k), REFRESH_KEY);
  expect(after).toBeTruthy();
  expect(after).not.toBe(before);
  await c.page.unroute('**/v1/**');

  // 2. The session ends (refresh token revoked elsewhere, access token no longer accepted).
  expect(
    (await c.stack.call('POST', '/v1/auth/logout', { body: { refreshToken: after } })).status,
  ).toBeLessThan(300);
  await c.page.route('**/v1/**', (route) => {
    const headers = route.request().headers();
    return route.continue({
      headers: headers.authorization
        ? { ...headers, authorization: 'Bearer expired.access.token' }
        : headers,
    });
  });
  await c.page.evaluate(() => (location.hash = '#/runs?status=SUCCEEDED'));
  await c.page.locator('#signin-email').waitFor();
  expect(hashOf(c.page)).toBe('#/sign-in?next=/runs?status=SUCCEEDED');
  await c.page.getByText('Sign in to continue where you left off.').waitFor();
  await c.page.unroute('**/v1/**');

  await signInThroughForm(c.page, ADMIN, ADMIN_PASSWORD);
  await c.page.getByTestId('runs-table').waitFor();
  expect(hashOf(c.page)).toBe('#/runs?status=SUCCEEDED');
  await expect(c.page.getByTestId('runs-filter-status').inputValue()).resolves.toBe('SUCCEEDED');

  // 3. Signing out returns to sign-in, forgets the session, and revokes the refresh token.
  const token = await c.page.evaluate((k) => localStorage.getItem(k), REFRESH_KEY);
  await c.page.getByTestId('sign-out').click();
  await c.page.locator('#signin-email').waitFor();
  expect(hashOf(c.page)).toBe('#/sign-in');
  await expect(c.page.evaluate((k) => localStorage.getItem(k), REFRESH_KEY)).resolves.toBeNull();
  expect(
    (await c.stack.call('POST', '/v1/auth/refresh', { body: { refreshToken: token } })).status,
  ).toBe(401);
  await c.page.goto(at('/workflows'));
  await c.page.locator('#signin-email').waitFor();
  expect(hashOf(c.page)).toBe('#/sign-in?next=/workflows');
  await signInThroughForm(c.page, ADMIN, ADMIN_PASSWORD);
  await c.page.getByTestId('workflows-list').waitFor();
  expect(hashOf(c.page)).toBe('#/workflows');
});

test('no uncaught errors in the page during the whole session', () => {
  expect(c.pageErrors).toEqual([]);
});
