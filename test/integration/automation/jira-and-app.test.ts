/**
 * Jira end to end (documented payloads, HMAC, dedup on X-Atlassian-Webhook-Identifier, comment and
 * transition against a loopback fake Jira), and a GitHub App trigger: installation tokens for the
 * tool steps, and the reconciliation task redelivering failed deliveries inside the 3-day window.
 */
import { generateKeyPairSync } from 'node:crypto';
import { invoke } from '../../../infra/local/handlers';
import { startFakeGithub, type FakeGithub } from '../../fakes/github/server';
import { startFakeJira, type FakeJira } from '../../fakes/jira/server';
import { ROOT, startTestStack, type TestStack } from '../../support/stack';
import {
  createTrigger,
  createWorkflow,
  deliveries,
  githubDelivery,
  githubExamples,
  jiraDelivery,
  jiraFixture,
  reviewWorkflow,
  send,
} from './support';

const JIRA = { email: 'bot@example.test', apiToken: 'jira-api-token-0123456789' };
const APP_ID = '4242';
const INSTALLATION = 77;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

let stack: TestStack;
let jira: FakeJira;
let github: FakeGithub;
let admin: string;

beforeAll(async () => {
  jira = await startFakeJira({ ...JIRA, issues: { 'TEST-2': { status: 'To Do' } } });
  github = await startFakeGithub({
    app: { appId: APP_ID, privateKeyPem: PEM, installationId: INSTALLATION },
  });
  stack = await startTestStack({ env: { PUBLIC_URL: 'http://console.test' } });
  admin = await stack.adminToken();
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await Promise.all([jira?.close(), github?.close()]);
});

test('Jira: issue_created (sent twice concurrently) → one run → one comment and a transition; other events ignored', async () => {
  // Prepare
  await createWorkflow(stack, admin, {
    slug: 'jira-triage',
    name: 'Triage',
    nodes: [
      {
        id: 'triage',
        type: 'agent',
        agent: 'pm',
        prompt: 'Triage {{input.issueKey}}: {{input.summary}}\n{{input.description}}',
      },
      {
        id: 'comment',
        type: 'tool',
        tool: 'jira.comment',
        with: { issue: '{{input.issueKey}}', body: '{{steps.triage.output}}' },
      },
      {
        id: 'move',
        type: 'tool',
        tool: 'jira.transition',
        with: { issue: '{{input.issueKey}}', transition: 'In Progress' },
      },
    ],
    edges: [
      { from: 'triage', to: 'comment' },
      { from: 'comment', to: 'move' },
    ],
  });
  const trigger = await createTrigger(stack, admin, {
    name: 'jira bugs',
    source: 'jira',
    workflowId: 'jira-triage',
    apiBaseUrl: jira.url,
    rules: {
      events: ['jira:issue_created'],
      projects: ['TEST'],
      issueTypes: ['Bug'],
      fields: { 'issue.fields.priority.name': ['High', 'Highest'] },
    },
    credentials: { type: 'basic', ...JIRA },
  });
  const created = jiraDelivery(trigger.id, trigger.secret, jiraFixture('issue_created'));
  const others = ['issue_updated', 'comment_created'].map((f) =>
    jiraDelivery(trigger.id, trigger.secret, jiraFixture(f)),
  );

  // Act
  const answers = await Promise.all([
    send(stack, created),
    send(stack, created),
    ...others.map((d) => send(stack, d)),
  ]);
  const startedAck = answers.find((a) => a.body.outcome === 'started');
  const run = await stack.waitForRun(admin, startedAck?.body.runId);
  const records = await deliveries(stack, admin, trigger.id);

  // Assess
  expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
  expect(answers.map((a) => a.body.outcome).sort()).toEqual([
    'duplicate',
    'ignored',
    'ignored',
    'started',
  ]);
  expect(run.status).toBe('SUCCEEDED');
  expect(run.input).toMatchObject({
    issueKey: 'TEST-2',
    summary: 'Login page returns 500 after password reset',
    project: 'TEST',
    issueType: 'Bug',
  });
  expect(records.find((r) => r.event === 'jira:issue_updated')?.reason).toMatch(
    /event jira:issue_updated is not one of/,
  );
  expect(jira.comments).toHaveLength(1);
  expect(jira.comments[0].body).toContain('[hishamos:run-comment:jira-triage:comment]');
  expect(jira.comments[0].body).toContain(`|http://console.test/#/runs/${run.id}]`);
  expect(jira.issues['TEST-2'].status).toBe('In Progress');
  expect(
    jira.requests.every(
      (r) =>
        r.headers.authorization ===
        `Basic ${Buffer.from(`${JIRA.email}:${JIRA.apiToken}`).toString('base64')}`,
    ),
  ).toBe(true);
  expect(jira.problems).toEqual([]);

  // Act again: a re-run updates the comment and finds the issue already transitioned
  const rerun = await stack.call('POST', `/v1/runs/${run.id}/rerun`, { token: admin, body: {} });
  const second = await stack.waitForRun(admin, rerun.body.runId);

  // Assess
  expect(second.status).toBe('SUCCEEDED');
  expect(jira.comments).toHaveLength(1);
  expect(jira.comments[0].body).toContain(`/#/runs/${rerun.body.runId}]`);
  expect(second.steps.find((s: any) => s.nodeId === 'move').output).toMatchObject({
    action: 'unchanged',
    status: 'In Progress',
  });
});

test('Jira Automation (no signature, no identifier): the shared-secret header authenticates, a repeated body is a duplicate', async () => {
  // Prepare: a Jira Automation "Send web request" sends the secret as a header and no delivery id
  const trigger = await createTrigger(stack, admin, {
    name: 'jira automation',
    source: 'jira',
    workflowId: 'jira-triage',
    apiBaseUrl: jira.url,
    rules: { events: ['jira:issue_created'], projects: ['TEST'] },
    credentials: { type: 'basic', ...JIRA },
  });
  const raw = JSON.stringify(jiraFixture('issue_created'));
  const path = `/v1/webhooks/jira/${trigger.id}`;

  // Act
  const wrong = await stack.call('POST', path, {
    rawBody: raw,
    headers: { 'x-hishamos-token': `${trigger.secret}x` },
  });
  const missing = await stack.call('POST', path, { rawBody: raw });
  const first = await stack.call('POST', path, {
    rawBody: raw,
    headers: { 'x-hishamos-token': trigger.secret },
  });
  const again = await stack.call('POST', path, {
    rawBody: raw,
    headers: { 'x-hishamos-token': trigger.secret },
  });
  await stack.waitForRun(admin, first.body.runId);

  // Assess
  expect([wrong.status, missing.status]).toEqual([401, 401]);
  expect(first.status).toBe(202);
  expect(first.body.outcome).toBe('started');
  expect(again.body.outcome).toBe('duplicate');
  const records = await deliveries(stack, admin, trigger.id);
  expect(records.filter((r) => r.outcome === 'rejected')).toHaveLength(2);
});

test('GitHub App trigger: the tool steps act with an installation token minted from the App JWT', async () => {
  // Prepare
  await createWorkflow(stack, admin, reviewWorkflow('app-review'));
  const trigger = await createTrigger(stack, admin, {
    name: 'app',
    source: 'github',
    workflowId: 'app-review',
    apiBaseUrl: github.url,
    rules: { events: ['pull_request.opened'] },
    credentials: { type: 'app', appId: APP_ID, privateKey: PEM },
  });
  const [opened] = githubExamples('pull_request').filter((e) => e.payload.action === 'opened');

  // Act
  const ack = await send(
    stack,
    githubDelivery(trigger.id, trigger.secret, 'pull_request', opened.payload),
  );
  const run = await stack.waitForRun(admin, ack.body.runId);

  // Assess
  expect(run.status).toBe('SUCCEEDED');
  expect(github.installationTokens.length).toBeGreaterThanOrEqual(1);
  const writes = github.requests.filter(
    (r) => r.path.startsWith('/repos/') && !r.path.endsWith('/installation'),
  );
  expect(writes.length).toBeGreaterThanOrEqual(3);
  expect(
    writes.every((r) =>
      github.installationTokens.some((t) => r.headers.authorization === `token ${t}`),
    ),
  ).toBe(true);
  expect(github.comments).toHaveLength(1);
  expect(github.problems).toEqual([]);
  const shown = await stack.call('GET', `/v1/triggers/${trigger.id}`, { token: admin });
  expect(shown.body.credentials).toEqual({ type: 'app', hint: `app ${APP_ID}` });
  expect(JSON.stringify(shown.body)).not.toContain('PRIVATE KEY');
});

test('reconciliation redelivers only deliveries that failed retryably inside the 3-day window, once per GUID per pass', async () => {
  // Prepare
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
  const d = (id: number, guid: string, h: number, status_code: number, redelivery = false) => ({
    id,
    guid,
    delivered_at: hoursAgo(h),
    redelivery,
    status_code,
    status: String(status_code),
    event: 'pull_request',
    action: 'opened',
  });
  github.deliveries.push(
    d(1, 'g-timeout', 2, 0),
    d(2, 'g-5xx', 5, 502),
    d(3, 'g-5xx', 4, 503, true),
    d(4, 'g-ok', 1, 202),
    d(5, 'g-recovered', 6, 500),
    d(6, 'g-recovered', 5, 202, true),
    d(7, 'g-rejected', 3, 401),
    d(8, 'g-old', 80, 500),
    d(9, 'g-given-up', 10, 500),
    d(10, 'g-given-up', 9, 500, true),
    d(11, 'g-given-up', 8, 500, true),
    d(12, 'g-given-up', 7, 500, true),
  );

  // Act
  const summary = (await invoke(ROOT, 'reconcileWebhooks', { source: 'test' })) as {
    apps: number;
    redelivered: number;
    errors: unknown[];
  };

  // Assess
  expect(summary).toMatchObject({ apps: 1, redelivered: 2, errors: [] });
  expect(github.redelivered.sort((a, b) => a - b)).toEqual([1, 3]);
  expect(github.problems).toEqual([]);
});
